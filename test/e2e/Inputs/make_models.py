#!/usr/bin/env python3
"""Writes the small TOSA models of the end-to-end tests (test/e2e/Inputs).

The weights are Laplace-distributed like trained ones, from a fixed seed, so
the files are reproducible: `python3 make_models.py` rewrites them.

  mlp_b{1,4}.mlir     x[B,64] -> fc1 64->32 -> relu -> fc2 32->10
  cnn_b{1,3}.mlir     x[B,8,8,2] -> conv1 3x3 (4) -> relu
                      -> conv2 2x2 stride 2 (6) -> relu -> fc 54->10
  fc_b{1,4}.mlir      x[B,64] -> fc 64->16 (+bias): one linear layer
  conv_b{1,3}.mlir    x[B,8,8,2] -> conv 3x3 (8): one linear layer
  convpad_b{1,3}.mlir x[B,8,8,2] -> conv1 3x3 pad 1 (4) -> relu
                      -> conv2 3x3 stride 2 pad [1,0,1,0] (6)
"""
import math
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def laplace(rng, n, scale):
    out = []
    for _ in range(n):
        u = rng.random() - 0.5
        sign = 1.0 if u >= 0 else -1.0
        out.append(-scale * sign * math.log(1 - 2 * abs(u)))
    return out


def lit(values):
    return "[" + ", ".join("%.6g" % v for v in values) + "]"


def shape_str(shape):
    return "x".join(str(d) for d in shape)


def ttype(shape):
    return "tensor<%sxf32>" % shape_str(shape)


class Builder:
    def __init__(self, name, rng):
        self.rng = rng
        self.lines = []
        self.n = 0
        self.name = name
        self.blobs = []

    def val(self):
        self.n += 1
        return "%%v%d" % self.n

    def emit(self, text):
        self.lines.append("  " + text)

    def const(self, shape, values):
        """A dense_resource constant (what cw-import emits for weights)."""
        v = self.val()
        key = "%s_c%d" % (self.name, len(self.blobs))
        # Round through float32 so the file holds exactly these values.
        data = struct.pack("<%df" % len(values), *values)
        self.blobs.append((key, "0x04000000" + data.hex().upper()))
        self.emit('%s = "tosa.const"() <{values = dense_resource<%s> : %s}> '
                  ': () -> %s' % (v, key, ttype(shape), ttype(shape)))
        return v

    def zero(self):
        v = self.val()
        self.emit('%s = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}>'
                  ' : () -> tensor<1xf32>' % v)
        return v

    def reshape(self, x, from_shape, to_shape):
        s = self.val()
        self.emit("%s = tosa.const_shape {values = dense<%s> : tensor<%dxindex>}"
                  " : () -> !tosa.shape<%d>" % (s, lit(to_shape),
                                                 len(to_shape), len(to_shape)))
        v = self.val()
        self.emit("%s = tosa.reshape %s, %s : (%s, !tosa.shape<%d>) -> %s"
                  % (v, x, s, ttype(from_shape), len(to_shape),
                     ttype(to_shape)))
        return v

    def relu(self, x, shape):
        v = self.val()
        self.emit("%s = tosa.clamp %s {max_val = 3.40282347E+38 : f32, "
                  "min_val = 0.000000e+00 : f32} : (%s) -> %s"
                  % (v, x, ttype(shape), ttype(shape)))
        return v

    def fc(self, x, batch, k, n, name):
        """Importer style: W[n,k] -> transpose -> reshape [1,k,n]."""
        w = self.const([n, k], laplace(self.rng, n * k, 0.1))
        wt = self.val()
        self.emit("%s = tosa.transpose %s {perms = array<i32: 1, 0>} : "
                  "(%s) -> %s" % (wt, w, ttype([n, k]), ttype([k, n])))
        w3 = self.reshape(wt, [k, n], [1, k, n])
        a = self.reshape(x, [batch, k], [1, batch, k])
        zp = self.zero()
        mm = self.val()
        self.emit('%s = tosa.matmul %s, %s, %s, %s : (%s, %s, tensor<1xf32>, '
                  'tensor<1xf32>) -> %s loc("%s")'
                  % (mm, a, w3, zp, zp, ttype([1, batch, k]), ttype([1, k, n]),
                     ttype([1, batch, n]), name))
        y = self.reshape(mm, [1, batch, n], [batch, n])
        b = self.const([1, n], laplace(self.rng, n, 0.05))
        add = self.val()
        self.emit("%s = tosa.add %s, %s : (%s, %s) -> %s"
                  % (add, y, b, ttype([batch, n]), ttype([1, n]),
                     ttype([batch, n])))
        return add

    def conv(self, x, in_shape, oc, k, pad, stride, name):
        """pad = [top, bottom, left, right] as in tosa.conv2d."""
        n, h, w_, ic = in_shape
        oh = (h + pad[0] + pad[1] - k) // stride + 1
        ow = (w_ + pad[2] + pad[3] - k) // stride + 1
        out_shape = [n, oh, ow, oc]
        wgt = self.const([oc, k, k, ic], laplace(self.rng, oc * k * k * ic, 0.2))
        b = self.const([oc], laplace(self.rng, oc, 0.05))
        zp = self.zero()
        v = self.val()
        self.emit("%s = tosa.conv2d %s, %s, %s, %s, %s {acc_type = f32, "
                  "dilation = array<i64: 1, 1>, pad = array<i64: %d, %d, %d, %d>, "
                  "stride = array<i64: %d, %d>} : (%s, %s, %s, tensor<1xf32>, "
                  'tensor<1xf32>) -> %s loc("%s")'
                  % (v, x, wgt, b, zp, zp, pad[0], pad[1], pad[2], pad[3],
                     stride, stride,
                     ttype(in_shape), ttype([oc, k, k, ic]), ttype([oc]),
                     ttype(out_shape), name))
        return v, out_shape

    def write(self, path, in_shape, out, out_shape, comment):
        text = "// %s\n// Generated by make_models.py; do not edit.\n" % comment
        text += ("func.func @forward(%%x: %s) -> %s {\n"
                 % (ttype(in_shape), ttype(out_shape)))
        text += "\n".join(self.lines) + "\n"
        text += "  return %s : %s\n}\n" % (out, ttype(out_shape))
        text += "{-#\n  dialect_resources: {\n    builtin: {\n"
        text += ",\n".join('      %s: "%s"' % kv for kv in self.blobs)
        text += "\n    }\n  }\n#-}\n"
        with open(path, "w") as f:
            f.write(text)


def mlp(batch):
    b = Builder("mlp", random.Random(1))
    h = b.fc("%x", batch, 64, 32, "fc1")
    h = b.relu(h, [batch, 32])
    y = b.fc(h, batch, 32, 10, "fc2")
    b.write(os.path.join(HERE, "mlp_b%d.mlir" % batch), [batch, 64], y,
            [batch, 10], "MLP 64-32-10, batch %d" % batch)


def cnn(batch):
    b = Builder("cnn", random.Random(2))
    x, s = b.conv("%x", [batch, 8, 8, 2], 4, 3, [0, 0, 0, 0], 1,
                  "conv1")
    x = b.relu(x, s)
    x, s = b.conv(x, s, 6, 2, [0, 0, 0, 0], 2, "conv2")
    x = b.relu(x, s)
    flat = s[1] * s[2] * s[3]
    x = b.reshape(x, s, [batch, flat])
    y = b.fc(x, batch, flat, 10, "fc")
    b.write(os.path.join(HERE, "cnn_b%d.mlir" % batch), [batch, 8, 8, 2], y,
            [batch, 10], "CNN conv-relu-conv-relu-fc, batch %d" % batch)


def fc(batch):
    b = Builder("fc", random.Random(3))
    y = b.fc("%x", batch, 64, 16, "fc")
    b.write(os.path.join(HERE, "fc_b%d.mlir" % batch), [batch, 64], y,
            [batch, 16], "one fully connected layer 64->16, batch %d" % batch)


def conv(batch):
    b = Builder("conv", random.Random(4))
    y, s = b.conv("%x", [batch, 8, 8, 2], 8, 3, [0, 0, 0, 0], 1, "conv")
    b.write(os.path.join(HERE, "conv_b%d.mlir" % batch), [batch, 8, 8, 2], y,
            s, "one 3x3 convolution 2->8 channels, batch %d" % batch)


def convpad(batch):
    b = Builder("convpad", random.Random(5))
    x, s = b.conv("%x", [batch, 8, 8, 2], 4, 3, [1, 1, 1, 1], 1, "conv1")
    x = b.relu(x, s)
    y, s = b.conv(x, s, 6, 3, [1, 0, 1, 0], 2, "conv2")
    b.write(os.path.join(HERE, "convpad_b%d.mlir" % batch), [batch, 8, 8, 2],
            y, s, "padded convolutions, batch %d" % batch)


if __name__ == "__main__":
    for bs in (1, 4):
        mlp(bs)
        fc(bs)
    for bs in (1, 3):
        cnn(bs)
        conv(bs)
        convpad(bs)

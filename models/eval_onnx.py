#!/usr/bin/python3
"""Top-1 of an ONNX classifier on the Fashion-MNIST test set, without torch.

A pure numpy reference interpreter for the few ONNX ops the cw LeNet exports
use (Gemm, MatMul, Add, Conv, Relu, MaxPool, Flatten, Reshape, plus Identity,
Softmax and AveragePool for convenience). Any other op is an error naming it.
Only the `onnx` package is used, to parse the protobuf.

Input normalisation: float32(pixel) / 255 (see fashion_mnist.py), fed as
[N, 784] when the graph input has rank 2 and as [N, 1, 28, 28] when it has
rank 4. The committed models have a static batch of 1; this interpreter runs
whole batches through them anyway (the batch dimension is only ever carried
through; a Reshape whose target has a leading 1 gets the batch size instead).

Usage:
    models/eval_onnx.py models/lenet300100-clustered.onnx [more.onnx ...]
        [--expect-json models/accuracy.json] [--limit N] [--batch B]
With --expect-json the top-1 of each file is compared with the figure the
training script recorded (torch) and the exit status is 1 on a mismatch.
"""

import argparse
import json
import os
import sys

# Be polite on a small shared machine: one BLAS thread unless told otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import onnx  # noqa: E402
from onnx import numpy_helper  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fashion_mnist  # noqa: E402


class UnsupportedOp(Exception):
    pass


def _attrs(node):
    out = {}
    for a in node.attribute:
        out[a.name] = onnx.helper.get_attribute_value(a)
        if isinstance(out[a.name], bytes):
            out[a.name] = out[a.name].decode()
    return out


def _gemm(ins, at):
    a, b = ins[0], ins[1]
    if at.get("transA", 0):
        a = a.T
    if at.get("transB", 0):
        b = b.T
    y = np.float32(at.get("alpha", 1.0)) * (a @ b)
    if len(ins) > 2 and ins[2] is not None:
        y = y + np.float32(at.get("beta", 1.0)) * ins[2]
    return y.astype(np.float32)


def _pads2d(at, kh, kw, h, w, strides, dil=(1, 1)):
    auto = at.get("auto_pad", "NOTSET")
    if auto not in ("NOTSET", "VALID"):
        raise UnsupportedOp("auto_pad=%s" % auto)
    if auto == "VALID":
        return (0, 0, 0, 0)
    p = list(at.get("pads", [0, 0, 0, 0]))
    return (p[0], p[1], p[2], p[3])  # top, left, bottom, right


def _windows(x, kh, kw, sh, sw, dh=1, dw=1):
    """x [N, C, H, W] (already padded) -> view [N, C, OH, OW, kh, kw]."""
    n, c, h, w = x.shape
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (w - dw * (kw - 1) - 1) // sw + 1
    s = x.strides
    return np.lib.stride_tricks.as_strided(
        x, shape=(n, c, oh, ow, kh, kw),
        strides=(s[0], s[1], s[2] * sh, s[3] * sw, s[2] * dh, s[3] * dw),
        writeable=False)


def _conv(ins, at):
    x, wt = ins[0], ins[1]
    b = ins[2] if len(ins) > 2 else None
    if x.ndim != 4:
        raise UnsupportedOp("Conv on rank-%d input (only 2-D conv)" % x.ndim)
    m, cg, kh, kw = wt.shape
    group = at.get("group", 1)
    sh, sw = at.get("strides", [1, 1])
    dh, dw = at.get("dilations", [1, 1])
    t, l, bo, r = _pads2d(at, kh, kw, x.shape[2], x.shape[3], (sh, sw))
    x = np.pad(x, ((0, 0), (0, 0), (t, bo), (l, r)))
    outs = []
    mg = m // group
    for g in range(group):
        xg = np.ascontiguousarray(x[:, g * cg:(g + 1) * cg])
        win = _windows(xg, kh, kw, sh, sw, dh, dw)  # N C OH OW kh kw
        n, _, oh, ow = win.shape[:4]
        cols = win.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, cg * kh * kw)
        wg = wt[g * mg:(g + 1) * mg].reshape(mg, cg * kh * kw)
        y = (cols @ wg.T).reshape(n, oh, ow, mg).transpose(0, 3, 1, 2)
        outs.append(y)
    y = np.concatenate(outs, axis=1) if group > 1 else outs[0]
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    return np.ascontiguousarray(y, dtype=np.float32)


def _pool(ins, at, kind):
    x = ins[0]
    if x.ndim != 4:
        raise UnsupportedOp("%s on rank-%d input" % (kind, x.ndim))
    if at.get("ceil_mode", 0):
        raise UnsupportedOp("%s with ceil_mode=1" % kind)
    kh, kw = at["kernel_shape"]
    sh, sw = at.get("strides", [1, 1])
    dh, dw = at.get("dilations", [1, 1])
    t, l, bo, r = _pads2d(at, kh, kw, x.shape[2], x.shape[3], (sh, sw))
    if kind == "MaxPool":
        x = np.pad(x, ((0, 0), (0, 0), (t, bo), (l, r)), constant_values=-np.inf)
        return _windows(np.ascontiguousarray(x), kh, kw, sh, sw, dh, dw).max(axis=(4, 5))
    if (t, l, bo, r) != (0, 0, 0, 0) and not at.get("count_include_pad", 0):
        raise UnsupportedOp("AveragePool with padding and count_include_pad=0")
    x = np.pad(x, ((0, 0), (0, 0), (t, bo), (l, r)))
    return _windows(np.ascontiguousarray(x), kh, kw, sh, sw).mean(axis=(4, 5)).astype(np.float32)


def _reshape(ins, at):
    x, shape = ins[0], [int(v) for v in ins[1]]
    if shape and shape[0] == 1 and x.shape[0] != 1:
        shape[0] = x.shape[0]  # static batch-1 graph run on a batch
    if not at.get("allowzero", 0):
        shape = [x.shape[i] if v == 0 else v for i, v in enumerate(shape)]
    return x.reshape(shape)


def _flatten(ins, at):
    x = ins[0]
    axis = at.get("axis", 1)
    if axis < 0:
        axis += x.ndim
    return x.reshape(int(np.prod(x.shape[:axis])), -1)


def _softmax(ins, at):
    x = ins[0]
    axis = at.get("axis", -1)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return (e / e.sum(axis=axis, keepdims=True)).astype(np.float32)


OPS = {
    "Gemm": _gemm,
    "MatMul": lambda ins, at: np.matmul(ins[0], ins[1]).astype(np.float32),
    "Add": lambda ins, at: (ins[0] + ins[1]).astype(np.float32),
    "Relu": lambda ins, at: np.maximum(ins[0], np.float32(0)),
    "Conv": _conv,
    "MaxPool": lambda ins, at: _pool(ins, at, "MaxPool"),
    "AveragePool": lambda ins, at: _pool(ins, at, "AveragePool"),
    "Flatten": _flatten,
    "Reshape": _reshape,
    "Identity": lambda ins, at: ins[0],
    "Softmax": _softmax,
}


class Model:
    def __init__(self, path):
        self.path = path
        self.model = onnx.load(path)
        onnx.checker.check_model(self.model)
        g = self.model.graph
        self.consts = {i.name: numpy_helper.to_array(i) for i in g.initializer}
        for node in g.node:
            if node.op_type == "Constant":
                self.consts[node.output[0]] = numpy_helper.to_array(_attrs(node)["value"])
            elif node.op_type not in OPS:
                raise UnsupportedOp("%s: unsupported op %s (node %s)" %
                                    (path, node.op_type, node.name))
        inputs = [i for i in g.input if i.name not in self.consts]
        if len(inputs) != 1 or len(g.output) != 1:
            raise ValueError("%s: expected one input and one output" % path)
        self.input = inputs[0].name
        self.input_shape = [d.dim_value if d.HasField("dim_value") else d.dim_param
                            for d in inputs[0].type.tensor_type.shape.dim]
        self.output = g.output[0].name

    def ops(self):
        return sorted({n.op_type for n in self.model.graph.node})

    def run(self, x):
        env = dict(self.consts)
        env[self.input] = x
        for node in self.model.graph.node:
            if node.op_type == "Constant":
                continue
            ins = [env[n] if n else None for n in node.input]
            out = OPS[node.op_type](ins, _attrs(node))
            env[node.output[0]] = out
        return env[self.output]

    def prepare(self, x784):
        """float32 [N, 784] -> the layout the graph input expects."""
        if len(self.input_shape) == 4:
            return x784.reshape(-1, 1, 28, 28)
        return x784


def evaluate(path, images=None, labels=None, batch=500, limit=None):
    """Returns (correct, total, logits [N, 10]) for one ONNX file."""
    if images is None:
        imgs, labels = fashion_mnist.load("test")
        images = fashion_mnist.normalise(imgs)
    if limit:
        images, labels = images[:limit], labels[:limit]
    m = Model(path)
    logits = np.concatenate([m.run(m.prepare(images[i:i + batch]))
                             for i in range(0, images.shape[0], batch)])
    correct = int((logits.argmax(axis=1) == labels).sum())
    return correct, images.shape[0], logits


def _expected(js, path):
    base = os.path.basename(path)
    for model in js.get("models", {}).values():
        for stage in model.get("stages", {}).values():
            if stage.get("file") == base:
                return stage
    return None


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("onnx", nargs="+")
    ap.add_argument("--expect-json", default=None,
                    help="accuracy.json written by train_lenet.py: compare top-1")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--batch", type=int, default=500)
    args = ap.parse_args(argv)
    js = None
    if args.expect_json:
        with open(args.expect_json) as f:
            js = json.load(f)
    imgs, labels = fashion_mnist.load("test")
    images = fashion_mnist.normalise(imgs)
    status = 0
    for path in args.onnx:
        try:
            correct, total, _ = evaluate(path, images, labels, args.batch, args.limit)
            ops = Model(path).ops()
        except (UnsupportedOp, ValueError, OSError) as e:
            print("error: %s" % e, file=sys.stderr)
            status = 1
            continue
        line = "%-36s top-1 %.2f %% (%d/%d)  ops: %s" % (
            os.path.basename(path), 100.0 * correct / total, correct, total, " ".join(ops))
        if js is not None and args.limit is None:
            st = _expected(js, path)
            if st is None:
                line += "  [no torch figure]"
            elif st["correct"] == correct:
                line += "  [matches torch]"
            else:
                line += "  [MISMATCH: torch %d]" % st["correct"]
                status = 1
        print(line)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
"""Writes small ONNX models for the cw-import lit tests.

  make_model.py KIND OUT.onnx            write the model
  make_model.py KIND OUT_DIR --data      write an ONNX node-test style folder
                                         (model.onnx + test_data_set_0/) whose
                                         expected outputs come from numpy
                                         references (no torch needed), for
                                         scripts/onnx_conformance.py
Kinds: see MODELS below. Weights are deterministic (seeded).
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

RNG = np.random.default_rng(1234)


def rand(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def init(name, arr):
    return numpy_helper.from_array(arr, name)


def vinfo(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def model(nodes, inputs, outputs, inits=(), opset=13):
    g = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)],
                          producer_name="cw-test")
    return m


# Each builder returns (model, {input: array}, reference(inputs) -> [arrays]).


def gemm():
    w, bias = rand(4, 8), rand(4)
    m = model([helper.make_node("Gemm", ["x", "fc.weight", "fc.bias"], ["y"],
                                name="fc", transB=1),
               helper.make_node("Relu", ["y"], ["z"], name="relu")],
              [vinfo("x", ["batch", 8])], [vinfo("z", [1, 4])],
              [init("fc.weight", w), init("fc.bias", bias)])

    def ref(x):
        return [np.maximum(x @ w.T + bias, 0)]
    return m, {"x": rand(1, 8)}, ref


def gemm_alpha_beta():
    w, c = rand(8, 4), rand(4)
    m = model([helper.make_node("Gemm", ["x", "w", "c"], ["y"], name="gemm2",
                                alpha=0.5, beta=2.0)],
              [vinfo("x", [3, 8])], [vinfo("y", [3, 4])],
              [init("w", w), init("c", c)])
    return m, {"x": rand(3, 8)}, lambda x: [0.5 * (x @ w) + 2.0 * c]


def np_conv(x, w, b, stride=1, pad=0, groups=1):
    """NCHW convolution in float64, the semantics of ONNX Conv."""
    x = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, c, h, wd = x.shape
    oc, icg, kh, kw = w.shape
    oh, ow = (h - kh) // stride + 1, (wd - kw) // stride + 1
    ocg = oc // groups
    y = np.zeros((n, oc, oh, ow))
    for g in range(groups):
        xs = x[:, g * icg:(g + 1) * icg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
                y[:, g * ocg:(g + 1) * ocg] += np.einsum(
                    "nchw,oc->nohw", patch, w[g * ocg:(g + 1) * ocg, :, i, j])
    return (y + b.reshape(1, -1, 1, 1)).astype(np.float32)


def np_pool(x, k, stride, pad=0, mode="max"):
    """Max or average (count_include_pad) pooling over NCHW."""
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, c, h, w = x.shape
    oh, ow = (h - k) // stride + 1, (w - k) // stride + 1
    windows = [x[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
               for i in range(k) for j in range(k)]
    stack = np.stack(windows)
    return (stack.max(0) if mode == "max" else stack.mean(0)).astype(np.float32)


def conv():
    w, b = rand(6, 3, 3, 3), rand(6)
    m = model([helper.make_node("Conv", ["x", "conv1.weight", "conv1.bias"],
                                ["y"], name="conv1", kernel_shape=[3, 3],
                                pads=[1, 1, 1, 1], strides=[2, 2])],
              [vinfo("x", [1, 3, 8, 8])], [vinfo("y", [1, 6, 4, 4])],
              [init("conv1.weight", w), init("conv1.bias", b)])
    return m, {"x": rand(1, 3, 8, 8)}, lambda x: [np_conv(x, w, b, 2, 1)]


def depthwise():
    w, b = rand(6, 1, 3, 3), rand(6)
    m = model([helper.make_node("Conv", ["x", "dw.weight", "dw.bias"], ["y"],
                                name="dw", group=3, pads=[1, 1, 1, 1])],
              [vinfo("x", [1, 3, 5, 5])], [vinfo("y", [1, 6, 5, 5])],
              [init("dw.weight", w), init("dw.bias", b)])
    return m, {"x": rand(1, 3, 5, 5)}, lambda x: [
        np_conv(x, w, b, 1, 1, groups=3)]


def lenet5():
    """LeNet-5 (Caffe variant) at full size, as torch exports it."""
    w1, b1 = rand(20, 1, 5, 5) * 0.2, rand(20) * 0.1
    w2, b2 = rand(50, 20, 5, 5) * 0.05, rand(50) * 0.1
    w3, b3 = rand(500, 800) * 0.03, rand(500) * 0.1
    w4, b4 = rand(10, 500) * 0.05, rand(10) * 0.1
    nodes = [
        helper.make_node("Conv", ["x", "conv1.weight", "conv1.bias"], ["c1"],
                         name="conv1", kernel_shape=[5, 5]),
        helper.make_node("MaxPool", ["c1"], ["p1"], name="pool1",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "conv2.weight", "conv2.bias"], ["c2"],
                         name="conv2", kernel_shape=[5, 5]),
        helper.make_node("MaxPool", ["c2"], ["p2"], name="pool2",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Constant", [], ["shape"], name="shape_const",
                         value=numpy_helper.from_array(
                             np.array([-1, 800], np.int64))),
        helper.make_node("Reshape", ["p2", "shape"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "ip1.weight", "ip1.bias"], ["h"],
                         name="ip1", transB=1),
        helper.make_node("Relu", ["h"], ["r"], name="relu1"),
        helper.make_node("Gemm", ["r", "ip2.weight", "ip2.bias"], ["logits"],
                         name="ip2", transB=1),
        helper.make_node("LogSoftmax", ["logits"], ["y"], name="logsoftmax",
                         axis=1),
    ]
    inits = [init("conv1.weight", w1), init("conv1.bias", b1),
             init("conv2.weight", w2), init("conv2.bias", b2),
             init("ip1.weight", w3), init("ip1.bias", b3),
             init("ip2.weight", w4), init("ip2.bias", b4)]
    m = model(nodes, [vinfo("x", [1, 1, 28, 28])], [vinfo("y", [1, 10])],
              inits)

    def ref(x):
        y = np_pool(np_conv(x, w1, b1), 2, 2)
        y = np_pool(np_conv(y, w2, b2), 2, 2)
        y = np.maximum(y.reshape(-1, 800) @ w3.T + b3, 0)
        z = y @ w4.T + b4
        z = z - z.max(axis=1, keepdims=True)
        return [(z - np.log(np.exp(z).sum(axis=1, keepdims=True)))
                .astype(np.float32)]
    return m, {"x": rand(1, 1, 28, 28)}, ref


def dynamic_flatten():
    """x.view(x.size(0), -1) as torch exports it with a dynamic batch."""
    i64 = lambda v: numpy_helper.from_array(np.array(v, np.int64))
    m = model([
        helper.make_node("Shape", ["x"], ["s"], name="shape"),
        helper.make_node("Constant", [], ["zero"], name="c0", value=i64(0)),
        helper.make_node("Gather", ["s", "zero"], ["n"], name="gather", axis=0),
        helper.make_node("Constant", [], ["axes"], name="c1", value=i64([0])),
        helper.make_node("Unsqueeze", ["n", "axes"], ["n1"], name="unsq"),
        helper.make_node("Constant", [], ["m1"], name="c2", value=i64([-1])),
        helper.make_node("Concat", ["n1", "m1"], ["shp"], name="concat",
                         axis=0),
        helper.make_node("Reshape", ["x", "shp"], ["y"], name="view"),
    ], [vinfo("x", ["batch", 2, 3, 4])], [vinfo("y", ["batch", 24])])
    return m, {"x": rand(1, 2, 3, 4)}, lambda x: [x.reshape(1, -1)]


def avgpool():
    m = model([helper.make_node("AveragePool", ["x"], ["y"], name="avg",
                                kernel_shape=[3, 3], strides=[2, 2],
                                pads=[1, 1, 1, 1], count_include_pad=1)],
              [vinfo("x", [1, 2, 6, 6])], [vinfo("y", [1, 2, 3, 3])])

    def ref(x):
        return [np_pool(x, 3, 2, 1, mode="avg")]
    return m, {"x": rand(1, 2, 6, 6)}, ref


def unsupported():
    m = model([helper.make_node("Relu", ["x"], ["r"], name="relu0"),
               helper.make_node("Erf", ["r"], ["y"], name="erf1")],
              [vinfo("x", [2, 2])], [vinfo("y", [2, 2])])
    return m, None, None


def bad_attr():
    w = rand(4, 2, 3, 3)
    m = model([helper.make_node("Conv", ["x", "w"], ["y"], name="conv_g2",
                                group=2)],
              [vinfo("x", [1, 4, 5, 5])], [vinfo("y", [1, 4, 3, 3])],
              [init("w", w)])
    return m, None, None


def node_checks(node):
    """One node that fails the driver's attribute, input or output check."""
    m = model([node], [vinfo("x", [2, 2]), vinfo("z", [2, 2])],
              [vinfo("y", [2, 2])])
    return m, None, None


def unknown_attr():
    return node_checks(helper.make_node("Relu", ["x"], ["y"], name="relu_a",
                                        alpha=0.5))


def extra_input():
    return node_checks(helper.make_node("Max", ["x", "z", "x"], ["y"],
                                        name="max3"))


def no_input():
    return node_checks(helper.make_node("Concat", [], ["y"], name="cat0",
                                        axis=0))


def second_output():
    return node_checks(helper.make_node("Dropout", ["x"], ["y", "mask"],
                                        name="drop_mask"))


def gather_huge():
    """200000 indices into a 1x200000 constant: a 2^35-element result."""
    m = model([helper.make_node("Gather", ["d", "i"], ["g"], name="gather_big"),
               helper.make_node("Add", ["x", "x"], ["y"], name="add0")],
              [vinfo("x", [2, 2])], [vinfo("y", [2, 2])],
              [init("d", np.zeros((1, 200000), np.float32)),
               numpy_helper.from_array(np.zeros(200000, np.int8), "i")])
    return m, None, None


def conv_dilation_huge():
    w = rand(2, 1, 5, 5)
    m = model([helper.make_node("Conv", ["x", "w"], ["y"], name="conv_dil",
                                dilations=[2**62 - 1, 1])],
              [vinfo("x", [1, 1, 28, 28])], [vinfo("y", [1, 2, 24, 24])],
              [init("w", w)])
    return m, None, None


def duplicate_output():
    m = model([helper.make_node("Relu", ["x"], ["y"], name="relu0"),
               helper.make_node("Abs", ["x"], ["y"], name="abs1")],
              [vinfo("x", [2, 2])], [vinfo("y", [2, 2])])
    return m, None, None


def gemm_mismatch():
    m = model([helper.make_node("Gemm", ["x", "w"], ["y"], name="fc_bad",
                                transB=1)],
              [vinfo("x", [1, 8])], [vinfo("y", [1, 4])],
              [init("w", rand(4, 7))])
    return m, None, None


def add_mismatch():
    m = model([helper.make_node("Add", ["x", "b"], ["y"], name="add_bad")],
              [vinfo("x", [2, 3])], [vinfo("y", [2, 3])],
              [init("b", rand(4))])
    return m, None, None


def external_data():
    t = init("w", rand(4, 4))
    t.ClearField("raw_data")
    t.data_location = TensorProto.EXTERNAL
    e = t.external_data.add()
    e.key, e.value = "location", "weights.bin"
    m = model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
              [vinfo("x", [1, 4])], [vinfo("y", [1, 4])], [t])
    return m, None, None


MODELS = {
    "gemm": gemm,
    "gemm_alpha_beta": gemm_alpha_beta,
    "conv": conv,
    "depthwise": depthwise,
    "lenet5": lenet5,
    "avgpool": avgpool,
    "dynamic_flatten": dynamic_flatten,
    "unsupported": unsupported,
    "bad_attr": bad_attr,
    "unknown_attr": unknown_attr,
    "extra_input": extra_input,
    "no_input": no_input,
    "second_output": second_output,
    "gather_huge": gather_huge,
    "conv_dilation_huge": conv_dilation_huge,
    "duplicate_output": duplicate_output,
    "gemm_mismatch": gemm_mismatch,
    "add_mismatch": add_mismatch,
    "external_data": external_data,
}


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in MODELS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(MODELS)}}} OUT [--data]")
    kind, out = sys.argv[1], sys.argv[2]
    m, inputs, ref = MODELS[kind]()
    if "--data" not in sys.argv[3:]:
        with open(out, "wb") as f:
            f.write(m.SerializeToString())
        return
    if inputs is None:
        sys.exit(f"{kind} has no reference data")
    os.makedirs(os.path.join(out, "test_data_set_0"), exist_ok=True)
    with open(os.path.join(out, "model.onnx"), "wb") as f:
        f.write(m.SerializeToString())
    arrays = [inputs[i.name] for i in m.graph.input if i.name in inputs]
    for k, a in enumerate(arrays):
        with open(os.path.join(out, "test_data_set_0", f"input_{k}.pb"),
                  "wb") as f:
            f.write(numpy_helper.from_array(a).SerializeToString())
    for k, a in enumerate(ref(*arrays)):
        with open(os.path.join(out, "test_data_set_0", f"output_{k}.pb"),
                  "wb") as f:
            f.write(numpy_helper.from_array(
                np.ascontiguousarray(a, np.float32)).SerializeToString())


if __name__ == "__main__":
    main()

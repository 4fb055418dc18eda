#!/usr/bin/python3
"""ONNX backend node-test conformance for cw-import.

For each node-test directory (model.onnx + test_data_set_*/{input,output}_N.pb)
this script imports the model with cw-import, compiles the MLIR to a shared
library with a configurable command, calls `_mlir_ciface_forward` through
ctypes with the test inputs and compares the results with the expected outputs
(rtol 1e-4, atol 1e-5 by default).

Integer inputs that are shape operands in ONNX (e.g. Reshape's `shape`) are
turned into initializers before import: the importer requires static shapes.

Usage:
  onnx_conformance.py [--cw-import BIN] [--compile-cmd CMD] [TEST_OR_DIR ...]

With no tests, runs the built-in list CLAIMED (one group per supported op).
`--compile-cmd` is a shell command with {mlir} and {so} placeholders; the
default lowers with the upstream MLIR pipeline and links with clang-22:
  cw-compile {mlir} --shared -o {so}     (once cw-compile exists)
Prints one line per test and `N passed, M failed`; exits 1 on any failure.
"""

import argparse
import ctypes
import glob
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

DATA_DIR = "/usr/share/libonnx-testdata/data/node"
LLVM_BIN = "/usr/lib/llvm-22/bin"
LLVM_LIB = "/usr/lib/llvm-22/lib"

PIPELINE = (
    "builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg,"
    "tosa-to-arith,tosa-to-tensor),one-shot-bufferize{"
    "bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-deallocation-pipeline,convert-bufferization-to-memref,"
    "func.func(convert-linalg-to-loops),"
    "convert-scf-to-cf,expand-strided-metadata,lower-affine,"
    "convert-math-to-llvm,convert-math-to-libm,convert-to-llvm,"
    "reconcile-unrealized-casts)")

_PIPE_ESC = PIPELINE.replace("{", "{{").replace("}", "}}")
DEFAULT_COMPILE = (
    f"{LLVM_BIN}/mlir-opt {{mlir}} --pass-pipeline='{_PIPE_ESC}' | "
    f"{LLVM_BIN}/mlir-translate --mlir-to-llvmir | "
    f"{LLVM_BIN}/clang -x ir - -O2 -shared -fPIC -o {{so}} "
    f"-Wno-override-module -L{LLVM_LIB} -Wl,-rpath,{LLVM_LIB} "
    "-lmlir_c_runner_utils -lm")

# Node tests per claimed op (float32 data only).
CLAIMED = {
    "Gemm": [
        "test_gemm_all_attributes", "test_gemm_alpha", "test_gemm_beta",
        "test_gemm_default_matrix_bias", "test_gemm_default_no_bias",
        "test_gemm_default_scalar_bias",
        "test_gemm_default_single_elem_vector_bias",
        "test_gemm_default_vector_bias", "test_gemm_default_zero_bias",
        "test_gemm_transposeA", "test_gemm_transposeB"
    ],
    "MatMul": ["test_matmul_2d", "test_matmul_3d", "test_matmul_4d"],
    "Conv": [
        "test_basic_conv_with_padding", "test_basic_conv_without_padding",
        "test_conv_with_autopad_same",
        "test_conv_with_strides_and_asymmetric_padding",
        "test_conv_with_strides_no_padding", "test_conv_with_strides_padding"
    ],
    "Relu": ["test_relu"],
    "LeakyRelu": [
        "test_leakyrelu", "test_leakyrelu_default", "test_leakyrelu_example"
    ],
    "Sigmoid": ["test_sigmoid", "test_sigmoid_example"],
    "Tanh": ["test_tanh", "test_tanh_example"],
    "Exp": ["test_exp", "test_exp_example"],
    "Abs": ["test_abs"],
    "MaxPool": [
        "test_maxpool_2d_ceil", "test_maxpool_2d_default",
        "test_maxpool_2d_pads", "test_maxpool_2d_precomputed_pads",
        "test_maxpool_2d_precomputed_same_upper",
        "test_maxpool_2d_precomputed_strides", "test_maxpool_2d_same_lower",
        "test_maxpool_2d_same_upper", "test_maxpool_2d_strides"
    ],
    "AveragePool": [
        "test_averagepool_2d_ceil", "test_averagepool_2d_default",
        "test_averagepool_2d_pads",
        "test_averagepool_2d_pads_count_include_pad",
        "test_averagepool_2d_precomputed_pads",
        "test_averagepool_2d_precomputed_pads_count_include_pad",
        "test_averagepool_2d_precomputed_same_upper",
        "test_averagepool_2d_precomputed_strides",
        "test_averagepool_2d_same_lower", "test_averagepool_2d_same_upper",
        "test_averagepool_2d_strides"
    ],
    "GlobalAveragePool": [
        "test_globalaveragepool", "test_globalaveragepool_precomputed"
    ],
    "GlobalMaxPool": ["test_globalmaxpool", "test_globalmaxpool_precomputed"],
    "Flatten": [
        "test_flatten_axis0", "test_flatten_axis1", "test_flatten_axis2",
        "test_flatten_axis3", "test_flatten_default_axis",
        "test_flatten_negative_axis1", "test_flatten_negative_axis2",
        "test_flatten_negative_axis3", "test_flatten_negative_axis4"
    ],
    "Reshape": [
        "test_reshape_extended_dims", "test_reshape_negative_dim",
        "test_reshape_negative_extended_dims", "test_reshape_one_dim",
        "test_reshape_reduced_dims", "test_reshape_reordered_all_dims",
        "test_reshape_reordered_last_dims", "test_reshape_zero_and_negative_dim",
        "test_reshape_zero_dim"
    ],
    "Add": ["test_add", "test_add_bcast"],
    "Sub": ["test_sub", "test_sub_bcast", "test_sub_example"],
    "Mul": ["test_mul", "test_mul_bcast", "test_mul_example"],
    "Div": ["test_div", "test_div_bcast", "test_div_example"],
    "Max": ["test_max_two_inputs"],
    "Min": ["test_min_two_inputs"],
    "Softmax": [
        "test_softmax_axis_0", "test_softmax_axis_1", "test_softmax_axis_2",
        "test_softmax_default_axis", "test_softmax_example",
        "test_softmax_large_number", "test_softmax_negative_axis"
    ],
    "LogSoftmax": [
        "test_logsoftmax_axis_0", "test_logsoftmax_axis_1",
        "test_logsoftmax_axis_2", "test_logsoftmax_default_axis",
        "test_logsoftmax_example_1", "test_logsoftmax_large_number",
        "test_logsoftmax_negative_axis"
    ],
    "Identity": ["test_identity"],
    "Transpose": [
        "test_transpose_all_permutations_0",
        "test_transpose_all_permutations_1",
        "test_transpose_all_permutations_2",
        "test_transpose_all_permutations_3",
        "test_transpose_all_permutations_4",
        "test_transpose_all_permutations_5", "test_transpose_default"
    ],
    "Constant": ["test_constant"],
    "Unsqueeze": [
        "test_unsqueeze_axis_0", "test_unsqueeze_axis_1",
        "test_unsqueeze_axis_2", "test_unsqueeze_negative_axes",
        "test_unsqueeze_three_axes", "test_unsqueeze_two_axes",
        "test_unsqueeze_unsorted_axes"
    ],
    "Squeeze": ["test_squeeze", "test_squeeze_negative_axes"],
    "Concat": [
        "test_concat_1d_axis_0", "test_concat_2d_axis_0",
        "test_concat_2d_axis_1", "test_concat_3d_axis_0",
        "test_concat_3d_axis_1", "test_concat_3d_axis_2",
        "test_concat_1d_axis_negative_1", "test_concat_2d_axis_negative_1",
        "test_concat_3d_axis_negative_1"
    ],
}

# Node tests of claimed ops that are deliberately not run, and why.
SKIPPED = {
    "test_add_uint8": "uint8 data (float32 only)",
    "test_sub_uint8": "uint8 data (float32 only)",
    "test_mul_uint8": "uint8 data (float32 only)",
    "test_div_uint8": "uint8 data (float32 only)",
    "test_maxpool_2d_uint8": "uint8 data (float32 only)",
    "test_maxpool_2d_dilations": "dilated max pooling (no TOSA equivalent)",
    "test_maxpool_1d_default": "1-D pooling (2-D only)",
    "test_maxpool_3d_default": "3-D pooling (2-D only)",
    "test_averagepool_1d_default": "1-D pooling (2-D only)",
    "test_averagepool_3d_default": "3-D pooling (2-D only)",
    "test_maxpool_with_argmax_2d_precomputed_pads": "Indices output",
    "test_maxpool_with_argmax_2d_precomputed_strides": "Indices output",
    "test_reshape_allowzero_reordered": "zero-sized tensor",
    "test_identity_opt": "optional type",
    "test_identity_sequence": "sequence type",
    "test_softmax_*_expanded": "expanded function bodies use ReduceMax "
                               "/ReduceSum (not claimed)",
    "test_matmulinteger": "integer MatMul",
    "test_convinteger_*": "integer Conv",
}


class MemRef:
    """Builds ctypes memref descriptor types per rank."""
    cache = {}

    @classmethod
    def type(cls, rank):
        if rank not in cls.cache:
            fields = [("allocated", ctypes.c_void_p),
                      ("aligned", ctypes.c_void_p),
                      ("offset", ctypes.c_int64)]
            if rank:
                fields += [("sizes", ctypes.c_int64 * rank),
                           ("strides", ctypes.c_int64 * rank)]
            cls.cache[rank] = type(f"MemRef{rank}D", (ctypes.Structure,),
                                   {"_fields_": fields})
        return cls.cache[rank]

    @classmethod
    def from_array(cls, arr):
        d = cls.type(arr.ndim)()
        d.allocated = d.aligned = arr.ctypes.data
        d.offset = 0
        if arr.ndim:
            for k in range(arr.ndim):
                d.sizes[k] = arr.shape[k]
                d.strides[k] = arr.strides[k] // arr.itemsize
        return d

    @staticmethod
    def to_array(d, rank):
        shape = [d.sizes[k] for k in range(rank)] if rank else []
        strides = [d.strides[k] * 4 for k in range(rank)] if rank else []
        n = int(np.prod(shape)) if rank else 1
        if n == 0:
            return np.zeros(shape, np.float32)
        base = d.aligned + d.offset * 4
        span = 1 + sum((s - 1) * st // 4 for s, st in zip(shape, strides))
        buf = (ctypes.c_float * span).from_address(base)
        flat = np.ctypeslib.as_array(buf)
        return np.lib.stride_tricks.as_strided(
            flat, shape=shape, strides=strides).copy()


def load_pb(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def prepare_model(test_dir, out_path):
    """Returns (float input arrays, expected outputs) and writes the model
    with integer inputs folded into initializers to out_path."""
    model = onnx.load(os.path.join(test_dir, "model.onnx"))
    data_dir = os.path.join(test_dir, "test_data_set_0")
    init_names = {i.name for i in model.graph.initializer}
    graph_inputs = [i for i in model.graph.input if i.name not in init_names]
    inputs = [load_pb(p) for p in sorted(
        glob.glob(os.path.join(data_dir, "input_*.pb")),
        key=lambda p: int(p.rsplit("_", 1)[1].split(".")[0]))]
    outputs = [load_pb(p) for p in sorted(
        glob.glob(os.path.join(data_dir, "output_*.pb")),
        key=lambda p: int(p.rsplit("_", 1)[1].split(".")[0]))]
    if len(inputs) != len(graph_inputs):
        raise RuntimeError(f"{len(inputs)} input files for "
                           f"{len(graph_inputs)} graph inputs")
    float_inputs = []
    for vi, arr in zip(graph_inputs, inputs):
        if arr.dtype == np.float32:
            float_inputs.append(np.ascontiguousarray(arr))
            continue
        if arr.dtype not in (np.int64, np.int32):
            raise RuntimeError(f"input {vi.name} has dtype {arr.dtype}")
        model.graph.input.remove(vi)
        model.graph.initializer.append(numpy_helper.from_array(arr, vi.name))
    onnx.save(model, out_path)
    return float_inputs, outputs


def run_test(test_dir, args, work):
    name = os.path.basename(os.path.normpath(test_dir))
    onnx_path = os.path.join(work, name + ".onnx")
    mlir_path = os.path.join(work, name + ".mlir")
    so_path = os.path.join(work, name + ".so")
    inputs, expected = prepare_model(test_dir, onnx_path)
    r = subprocess.run([args.cw_import, onnx_path, "-o", mlir_path],
                       capture_output=True, text=True)
    if r.returncode:
        return False, "import: " + r.stderr.strip().splitlines()[-1]
    cmd = args.compile_cmd.format(mlir=shlex.quote(mlir_path),
                                  so=shlex.quote(so_path))
    r = subprocess.run(["bash", "-o", "pipefail", "-c", cmd],
                       capture_output=True, text=True)
    if r.returncode or not os.path.exists(so_path):
        lines = r.stderr.strip().splitlines()
        return False, "compile: " + (lines[0] if lines else "failed")
    lib = ctypes.CDLL(so_path)
    fn = lib._mlir_ciface_forward
    ranks = [e.ndim for e in expected]
    out_types = [MemRef.type(rk) for rk in ranks]
    if len(out_types) == 1:
        result = out_types[0]()
    else:
        result = type("Results", (ctypes.Structure,), {
            "_fields_": [(f"r{k}", t) for k, t in enumerate(out_types)]})()
    in_descs = [MemRef.from_array(a) for a in inputs]
    fn.argtypes = [ctypes.c_void_p] * (1 + len(in_descs))
    fn.restype = None
    fn(ctypes.addressof(result), *[ctypes.addressof(d) for d in in_descs])
    descs = [result] if len(out_types) == 1 else [
        getattr(result, f"r{k}") for k in range(len(out_types))]
    for k, (d, exp) in enumerate(zip(descs, expected)):
        got = MemRef.to_array(d, exp.ndim)
        if got.shape != exp.shape:
            return False, (f"output {k}: shape {got.shape}, "
                           f"expected {exp.shape}")
        if not np.allclose(got, exp, rtol=args.rtol, atol=args.atol,
                           equal_nan=True):
            err = np.max(np.abs(got - exp))
            return False, f"output {k}: max abs error {err:.3g}"
    return True, ""


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("tests", nargs="*",
                   help="test names (under --data-dir) or directories")
    p.add_argument("--cw-import",
                   default=os.environ.get("CW_IMPORT")
                   or shutil.which("cw-import")
                   or os.path.join(here, "..", "build", "bin", "cw-import"))
    p.add_argument("--compile-cmd", default=os.environ.get(
        "CW_CONFORMANCE_COMPILE", DEFAULT_COMPILE))
    p.add_argument("--data-dir", default=DATA_DIR)
    p.add_argument("--op", action="append",
                   help="only the claimed tests of this op (repeatable)")
    p.add_argument("--rtol", type=float, default=1e-4)
    p.add_argument("--atol", type=float, default=1e-5)
    p.add_argument("--list", action="store_true",
                   help="print claimed and skipped tests and exit")
    p.add_argument("--keep", help="keep intermediate files in this folder")
    args = p.parse_args()

    if args.list:
        for op, tests in CLAIMED.items():
            print(f"{op}: {' '.join(tests)}")
        print("skipped:")
        for t, why in SKIPPED.items():
            if why:
                print(f"  {t}: {why}")
        return 0

    tests = args.tests
    if not tests:
        ops = args.op or list(CLAIMED)
        tests = [t for op in ops for t in CLAIMED[op]]
    dirs = [t if os.path.isdir(t) else os.path.join(args.data_dir, t)
            for t in tests]

    passed = failed = 0
    work_ctx = (tempfile.TemporaryDirectory() if not args.keep else None)
    work = args.keep or work_ctx.name
    os.makedirs(work, exist_ok=True)
    for d in dirs:
        name = os.path.basename(os.path.normpath(d))
        try:
            ok, why = run_test(d, args, work)
        except Exception as e:  # noqa: BLE001 - report and continue
            ok, why = False, f"{type(e).__name__}: {e}"
        print(f"{'PASS' if ok else 'FAIL'} {name}" + (f": {why}" if why else ""),
              flush=True)
        passed += ok
        failed += not ok
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

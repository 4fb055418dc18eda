// RUN: cw-opt %s --split-input-file --cw-prune=sparsity=0.5 | FileCheck %s --check-prefix=HALF
// RUN: cw-opt %s --split-input-file --cw-prune=threshold=0.3 | FileCheck %s --check-prefix=THRESH
// RUN: cw-opt %s --split-input-file --cw-prune="sparsity=0.5 layer=fc2:sparsity=0.25" | FileCheck %s --check-prefix=OVERRIDE
// RUN: cw-opt %s --split-input-file --cw-prune="sparsity=0.5 layer=fc2:skip=true" | FileCheck %s --check-prefix=SKIP
// RUN: cw-opt %s --split-input-file --cw-prune="sparsity=0.5 min-size=9" 2>&1 | FileCheck %s --check-prefix=MINSIZE
// RUN: cw-opt %s --split-input-file --pass-pipeline="builtin.module(cw-prune{sparsity=1.0})" | FileCheck %s --check-prefix=ALL

// cw-prune rewrites each weight constant in place. fc1's weight is the
// [1, K, N] operand itself; fc2's is ONNX Gemm style [N, K] -> transpose ->
// reshape, and only the constant changes.

// HALF-LABEL: func.func @mlp
// HALF: "tosa.const"() <{values = dense<{{\[\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00], [6.250000e-01, -7.500000e-01], [8.750000e-01, -1.000000e+00]]]> : tensor<1x4x2xf32>}>
// HALF: "tosa.const"() <{values = dense<{{\[\[}}1.000000e+00, -8.750000e-01], [7.500000e-01, -6.250000e-01], [0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]]> : tensor<4x2xf32>}>
// HALF: tosa.transpose
// HALF: tosa.reshape

// THRESH-LABEL: func.func @mlp
// THRESH: dense<{{\[\[\[}}0.000000e+00, 0.000000e+00], [3.750000e-01, -5.000000e-01], [6.250000e-01, -7.500000e-01], [8.750000e-01, -1.000000e+00]]]>
// THRESH: dense<{{\[\[}}1.000000e+00, -8.750000e-01], [7.500000e-01, -6.250000e-01], [5.000000e-01, -3.750000e-01], [0.000000e+00, 0.000000e+00]]>

// OVERRIDE-LABEL: func.func @mlp
// OVERRIDE: dense<{{\[\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00], [6.250000e-01, -7.500000e-01], [8.750000e-01, -1.000000e+00]]]>
// OVERRIDE: dense<{{\[\[}}1.000000e+00, -8.750000e-01], [7.500000e-01, -6.250000e-01], [5.000000e-01, -3.750000e-01], [0.000000e+00, 0.000000e+00]]>

// SKIP-LABEL: func.func @mlp
// SKIP: dense<{{\[\[\[}}0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00], [6.250000e-01, -7.500000e-01], [8.750000e-01, -1.000000e+00]]]>
// SKIP: dense<{{\[\[}}1.000000e+00, -8.750000e-01], [7.500000e-01, -6.250000e-01], [5.000000e-01, -3.750000e-01], [2.500000e-01, -1.250000e-01]]>

// MINSIZE: remark: {{.*}}cw-prune: layer 'fc1' has 8 weights, fewer than min-size 9; not pruned
// MINSIZE: remark: {{.*}}cw-prune: layer 'fc2' has 8 weights, fewer than min-size 9; not pruned
// MINSIZE-LABEL: func.func @mlp
// MINSIZE: dense<{{\[\[\[}}1.250000e-01, -2.500000e-01]

// ALL-LABEL: func.func @mlp
// ALL: dense<0.000000e+00> : tensor<1x4x2xf32>
// ALL: dense<0.000000e+00> : tensor<4x2xf32>
func.func @mlp(%x: tensor<1x1x4xf32>) -> tensor<1x1x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w1 = "tosa.const"() {values = dense<[[[0.125, -0.25], [0.375, -0.5], [0.625, -0.75], [0.875, -1.0]]]> : tensor<1x4x2xf32>} : () -> tensor<1x4x2xf32>
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32> loc("fc1")
  %w2 = "tosa.const"() {values = dense<[[1.0, -0.875], [0.75, -0.625], [0.5, -0.375], [0.25, -0.125]]> : tensor<4x2xf32>} : () -> tensor<4x2xf32>
  %t = tosa.transpose %w2 {perms = array<i32: 1, 0>} : (tensor<4x2xf32>) -> tensor<2x4xf32>
  %s = tosa.const_shape {values = dense<[1, 2, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %w2r = tosa.reshape %t, %s : (tensor<2x4xf32>, !tosa.shape<3>) -> tensor<1x2x4xf32>
  %y = tosa.matmul %h, %w2r, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32> loc("fc2")
  return %y : tensor<1x1x4xf32>
}

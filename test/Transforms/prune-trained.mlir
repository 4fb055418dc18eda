// A layer that is already at least 30 % exact zeros (a model pruned by
// retraining)
// keeps its mask under the default sparsity, with a remark; an explicit
// sparsity= (global or per layer) or threshold= prunes it anyway. A dense
// layer is pruned to the default 90 % as usual.
//
// RUN: cw-opt %s --cw-prune 2>&1 | FileCheck %s --check-prefixes=DEFAULT,REMARK
// RUN: cw-opt %s --cw-prune='sparsity=0.9' 2>&1 | FileCheck %s --check-prefixes=EXPLICIT,NOREMARK
// RUN: cw-opt %s --cw-prune='layer=sparse:sparsity=0.75' 2>&1 | FileCheck %s --check-prefixes=OVERRIDE,NOREMARK

// REMARK: remark: loc("sparse"): cw-prune: layer 'sparse' is already 75.0% zeros: taken as pruned by training, mask kept
// NOREMARK-NOT: remark
// 6 of 8 weights are zero: 75 % zeros.
// DEFAULT-LABEL: func.func @sparse
// DEFAULT: dense<{{\[\[}}[0.000000e+00, 5.000000e-01], [0.000000e+00, 0.000000e+00], [0.000000e+00, -2.500000e-01], [0.000000e+00, 0.000000e+00]]]>
// EXPLICIT-LABEL: func.func @sparse
// EXPLICIT: dense<{{\[\[}}[0.000000e+00, 5.000000e-01], [0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]]]>
// OVERRIDE-LABEL: func.func @sparse
// OVERRIDE: dense<{{\[\[}}[0.000000e+00, 5.000000e-01], [0.000000e+00, 0.000000e+00], [0.000000e+00, -2.500000e-01], [0.000000e+00, 0.000000e+00]]]>
func.func @sparse(%x: tensor<1x1x4xf32>) -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.0, 0.5], [0.0, 0.0], [0.0, -0.25], [0.0, 0.0]]]> : tensor<1x4x2xf32>} : () -> tensor<1x4x2xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32> loc("sparse")
  return %y : tensor<1x1x2xf32>
}

// 10 nonzeros: the default keeps round(0.1 * 10) = 1, the largest.
// DEFAULT-LABEL: func.func @dense
// DEFAULT: dense<{{\[\[}}[0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, -1.000000e+00]]]>
func.func @dense(%x: tensor<1x1x2xf32>) -> tensor<1x1x5xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.1, 0.2, 0.3, 0.4, 0.5], [0.6, 0.7, 0.8, 0.9, -1.0]]]> : tensor<1x2x5xf32>} : () -> tensor<1x2x5xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x5xf32> loc("dense")
  return %y : tensor<1x1x5xf32>
}

// RUN: cw-opt %s --cw-cluster=bits=1 | FileCheck %s --check-prefix=K2
// RUN: cw-opt %s --cw-cluster="bits=2 init=optimal layer=fc2:bits=1" | FileCheck %s --check-prefix=OPT
// RUN: cw-opt %s --cw-cluster="fc-bits=1 init=density" | FileCheck %s --check-prefix=FCONLY
// RUN: cw-opt %s --cw-cluster="init=forgy cluster-seed=7 bits=1 layer=fc1:skip=true" | FileCheck %s --check-prefix=SKIP
// RUN: cw-opt %s --cw-cluster="init=linear max-iterations=0 bits=1" | FileCheck %s --check-prefix=NOITER

// cw-cluster replaces every nonzero by its centroid; zeros stay zero.
// Default bits: 5 for matmuls (fc-bits), 8 for convolutions (conv-bits).

// K2-LABEL: func.func @mlp
// K2: dense<{{\[\[\[}}0.458333343, -0.583333313], [0.458333343, -0.583333313], [0.000000e+00, 0.000000e+00], [0.458333343, -0.583333313]]]>
// K2: dense<{{\[\[}}6.250000e-01, -5.000000e-01], [6.250000e-01, -5.000000e-01], [6.250000e-01, -5.000000e-01], [6.250000e-01, -5.000000e-01]]>

// OPT-LABEL: func.func @mlp
// OPT: dense<{{\[\[\[}}2.500000e-01, -3.750000e-01], [2.500000e-01, -3.750000e-01], [0.000000e+00, 0.000000e+00], [8.750000e-01, -1.000000e+00]]]>
// OPT: dense<{{\[\[}}6.250000e-01, -5.000000e-01], [6.250000e-01, -5.000000e-01], [6.250000e-01, -5.000000e-01], [6.250000e-01, -5.000000e-01]]>

// FCONLY-LABEL: func.func @mlp
// FCONLY: dense<{{\[\[\[}}0.458333343, -0.583333313]

// SKIP-LABEL: func.func @mlp
// SKIP: dense<{{\[\[\[}}1.250000e-01, -2.500000e-01], [3.750000e-01, -5.000000e-01], [0.000000e+00, 0.000000e+00], [8.750000e-01, -1.000000e+00]]]>
// SKIP: dense<{{\[\[}}6.250000e-01, -5.000000e-01], [6.250000e-01, -5.000000e-01]

// NOITER-LABEL: func.func @mlp
// NOITER: dense<{{\[\[\[}}8.750000e-01, -1.000000e+00], [8.750000e-01, -1.000000e+00], [0.000000e+00, 0.000000e+00], [8.750000e-01, -1.000000e+00]]]>
// NOITER: dense<{{\[\[}}1.000000e+00, -8.750000e-01], [1.000000e+00, -8.750000e-01]
func.func @mlp(%x: tensor<1x1x4xf32>) -> tensor<1x1x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w1 = "tosa.const"() {values = dense<[[[0.125, -0.25], [0.375, -0.5], [0.0, 0.0], [0.875, -1.0]]]> : tensor<1x4x2xf32>} : () -> tensor<1x4x2xf32>
  %h = tosa.matmul %x, %w1, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32> loc("fc1")
  %w2 = "tosa.const"() {values = dense<[[1.0, -0.875], [0.75, -0.625], [0.5, -0.375], [0.25, -0.125]]> : tensor<4x2xf32>} : () -> tensor<4x2xf32>
  %t = tosa.transpose %w2 {perms = array<i32: 1, 0>} : (tensor<4x2xf32>) -> tensor<2x4xf32>
  %s = tosa.const_shape {values = dense<[1, 2, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %w2r = tosa.reshape %t, %s : (tensor<2x4xf32>, !tosa.shape<3>) -> tensor<1x2x4xf32>
  %y = tosa.matmul %h, %w2r, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32> loc("fc2")
  return %y : tensor<1x1x4xf32>
}


// K2-LABEL: func.func @conv
// K2: dense<{{\[\[\[\[}}6.250000e-01], [6.250000e-01]], {{\[\[}}6.250000e-01], [-6.250000e-01]]], {{\[\[\[}}-6.250000e-01], [-6.250000e-01]], {{\[\[}}6.250000e-01], [-6.250000e-01]]]]>
// FCONLY-LABEL: func.func @conv
// FCONLY: dense<{{\[\[\[\[}}2.500000e-01], [5.000000e-01]], {{\[\[}}7.500000e-01], [-2.500000e-01]]], {{\[\[\[}}-5.000000e-01], [-1.000000e+00]], {{\[\[}}1.000000e+00], [-7.500000e-01]]]]>
func.func @conv(%x: tensor<1x4x4x1xf32>) -> tensor<1x3x3x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[[0.25], [0.5]], [[0.75], [-0.25]]], [[[-0.5], [-1.0]], [[1.0], [-0.75]]]]> : tensor<2x2x2x1xf32>} : () -> tensor<2x2x2x1xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x2xf32>
  return %y : tensor<1x3x3x2xf32>
}
// SKIP-LABEL: func.func @conv
// SKIP: dense<{{\[\[\[\[}}6.250000e-01]

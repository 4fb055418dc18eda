// RUN: cw-opt %s --split-input-file --verify-diagnostics --cw-encode=encoding=csr --cw-fuse | FileCheck %s

// cw-fuse turns tosa.matmul / tosa.conv2d reading a cw.decode (through the
// relayout cw-encode built) into cw.matmul / cw.conv2d and erases the dead
// decode chain and zero points. Anything else keeps reading through
// cw.decode, with a remark.

// CHECK-LABEL: func.func @mlp
// CHECK-NOT: tosa.matmul
// CHECK-NOT: cw.decode
// CHECK-NOT: tosa.transpose
// CHECK: %[[W1:.*]] = cw.weights {{.*}}name = "fc1"} : <2x4xf32, #cw.csr<gap_bits = 3>>
// CHECK: %[[Y1:.*]] = cw.matmul %{{.*}}, %[[W1]] : (tensor<1x1x4xf32>, !cw.tensor<2x4xf32, #cw.csr<gap_bits = 3>>) -> tensor<1x1x2xf32>
// CHECK: %[[W2:.*]] = cw.weights {{.*}}name = "fc2"} : <4x2xf32, #cw.csr<gap_bits = 3>>
// CHECK: %[[Y2:.*]] = cw.matmul %[[Y1]], %[[W2]] : (tensor<1x1x2xf32>, !cw.tensor<4x2xf32, #cw.csr<gap_bits = 3>>) -> tensor<1x1x4xf32>
// CHECK: return %[[Y2]]
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

// -----

// The bias stays; pad, stride and dilation carry over.
// CHECK-LABEL: func.func @conv
// CHECK: %[[B:.*]] = "tosa.const"() <{values = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>}>
// CHECK: %[[W:.*]] = cw.weights {{.*}} : <2x2x2x1xf32, #cw.csr<gap_bits = 3>>
// CHECK: cw.conv2d %{{.*}}, %[[W]], %[[B]] {dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 1>} : (tensor<1x5x4x1xf32>, !cw.tensor<2x2x2x1xf32, #cw.csr<gap_bits = 3>>, tensor<2xf32>) -> tensor<1x3x4x2xf32>
// CHECK-NOT: tosa.conv2d
// CHECK-NOT: cw.decode
func.func @conv(%x: tensor<1x5x4x1xf32>) -> tensor<1x3x4x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[[0.25], [0.5]], [[0.75], [-0.25]]], [[[-0.5], [-1.0]], [[1.0], [-0.75]]]]> : tensor<2x2x2x1xf32>} : () -> tensor<2x2x2x1xf32>
  %b = "tosa.const"() {values = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 1>} : (tensor<1x5x4x1xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x4x2xf32>
  return %y : tensor<1x3x4x2xf32>
}

// -----

// No fused depthwise op: the layer keeps reading through cw.decode.
// CHECK-LABEL: func.func @dw
// CHECK: %[[W:.*]] = cw.weights {{.*}} : <2x4xf32, #cw.csr<gap_bits = 3>>
// CHECK: %[[D:.*]] = cw.decode %[[W]] : <2x4xf32, #cw.csr<gap_bits = 3>> -> tensor<2x4xf32>
// CHECK: %[[R:.*]] = tosa.reshape %[[D]], %{{.*}} : (tensor<2x4xf32>, !tosa.shape<4>) -> tensor<2x1x2x2xf32>
// CHECK: %[[T:.*]] = tosa.transpose %[[R]] {perms = array<i32: 2, 3, 0, 1>} : (tensor<2x1x2x2xf32>) -> tensor<2x2x2x1xf32>
// CHECK: tosa.depthwise_conv2d %{{.*}}, %[[T]],
func.func @dw(%x: tensor<1x4x4x2xf32>) -> tensor<1x3x3x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[[0.25], [0.5]], [[0.75], [-0.25]]], [[[-0.5], [-1.0]], [[1.0], [-0.75]]]]> : tensor<2x2x2x1xf32>} : () -> tensor<2x2x2x1xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-remark @below {{cw-fuse: layer 'dw.depthwise_conv2d0' not fused (cw has no fused depthwise convolution); it keeps reading its weight through cw.decode}}
  %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x2xf32>
  return %y : tensor<1x3x3x2xf32>
}

// -----

// A hand-written decode used in the wrong orientation (the [N, K] weight
// reshaped to [1, N, K] without its transpose) is left alone.
// CHECK-LABEL: func.func @odd
// CHECK: cw.decode
// CHECK: tosa.matmul
func.func @odd(%x3: tensor<1x1x3xf32>) -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = cw.weights {codebook = dense<[-1.0, 0.5]> : tensor<2xf32>, data = dense_resource<blob> : tensor<29xi8>, name = "odd"} : !cw.tensor<2x3xf32, #cw.dense>
  %d = cw.decode %w : !cw.tensor<2x3xf32, #cw.dense> -> tensor<2x3xf32>
  %s = tosa.const_shape {values = dense<[1, 3, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %r = tosa.reshape %d, %s : (tensor<2x3xf32>, !tosa.shape<3>) -> tensor<1x3x2xf32>
  // expected-remark @below {{cw-encode: layer 'odd.matmul0' left untouched: its weight is not a constant (it comes from 'cw.decode')}}
  // expected-remark @below {{cw-fuse: layer 'odd.matmul0' not fused (its weight layout is not the encoded [outputs, inputs] layout)}}
  %y = tosa.matmul %x3, %r, %zp, %zp : (tensor<1x1x3xf32>, tensor<1x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %y : tensor<1x1x2xf32>
}

// -----

// Zero points that are not constants: not fused.
// CHECK-LABEL: func.func @zp
// CHECK: tosa.matmul
func.func @zp(%x: tensor<1x1x2xf32>, %zp: tensor<1xf32>) -> tensor<1x1x2xf32> {
  %w = "tosa.const"() {values = dense<[[[0.5, 0.0], [0.0, -1.0]]]> : tensor<1x2x2xf32>} : () -> tensor<1x2x2xf32>
  // expected-remark @below {{cw-fuse: layer 'zp.matmul0' not fused (its zero points are not constant zeros)}}
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %y : tensor<1x1x2xf32>
}

// Layer discovery: names, orientation and the layers left alone.
// RUN: cw-opt %s --split-input-file --verify-diagnostics --cw-prune --cw-cluster --cw-encode=encoding=dense | FileCheck %s
// RUN: cw-opt %s --split-input-file --cw-compress 2>&1 | FileCheck %s --check-prefix=COMPRESS

// A weight that is not a constant is left untouched with a remark, not an
// error; the other layers of the function are still compressed and keep
// their op-order names.
// CHECK-LABEL: func.func @args
// CHECK: tosa.matmul %{{.*}}, %arg1
// CHECK: cw.weights {{.*}}name = "args.matmul1"} : <3x2xf32, #cw.dense>
// COMPRESS: remark: cw-compress: layer 'args.matmul0' left untouched: its weight is not a constant (it is a block argument)
// COMPRESS-LABEL: func.func @args
// COMPRESS: tosa.matmul %{{.*}}, %arg1
// COMPRESS: cw.matmul
func.func @args(%x: tensor<1x1x2xf32>, %w: tensor<1x2x2xf32>) -> tensor<1x1x3xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-remark @below {{cw-prune: layer 'args.matmul0' left untouched: its weight is not a constant (it is a block argument)}}
  // expected-remark @below {{cw-cluster: layer 'args.matmul0' left untouched}}
  // expected-remark @below {{cw-encode: layer 'args.matmul0' left untouched}}
  %h = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %w2 = "tosa.const"() {values = dense<[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]> : tensor<1x2x3xf32>} : () -> tensor<1x2x3xf32>
  %y = tosa.matmul %h, %w2, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x3xf32>
  return %y : tensor<1x1x3xf32>
}

// -----

// A batched weight (batch 2) is not a layer weight cw can encode.
// CHECK-LABEL: func.func @batched
// CHECK-NOT: cw.weights
func.func @batched(%x: tensor<2x1x2xf32>) -> tensor<2x1x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x2x2xf32>} : () -> tensor<2x2x2xf32>
  // expected-remark @below {{cw-prune: layer 'batched.matmul0' left untouched: its weight has an unsupported shape (a batched matmul weight?)}}
  // expected-remark @below {{cw-cluster: layer 'batched.matmul0' left untouched}}
  // expected-remark @below {{cw-encode: layer 'batched.matmul0' left untouched}}
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<2x1x2xf32>, tensor<2x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x1x2xf32>
  return %y : tensor<2x1x2xf32>
}

// -----

// A constant shared by two layers is compressed once, by the first; the
// second reads the rewritten constant, and the first layer's stages say so.
// CHECK-LABEL: func.func @shared
// CHECK: cw.weights {{.*}}name = "shared.matmul0"
// CHECK-NOT: cw.weights
func.func @shared(%x: tensor<1x1x2xf32>) -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[1.0, 2.0], [3.0, 4.0]]]> : tensor<1x2x2xf32>} : () -> tensor<1x2x2xf32>
  // expected-remark @below {{cw-prune: layer 'shared.matmul0': its weight constant is also read by 'tosa.matmul' at}}
  // expected-remark @below {{cw-cluster: layer 'shared.matmul0': its weight constant is also read by 'tosa.matmul' at}}
  %h = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  // expected-remark @below {{cw-prune: layer 'shared.matmul1' left untouched: its weight constant is shared with layer 'shared.matmul0'}}
  // expected-remark @below {{cw-cluster: layer 'shared.matmul1' left untouched}}
  // expected-remark @below {{cw-encode: layer 'shared.matmul1' left untouched}}
  %y = tosa.matmul %h, %w, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %y : tensor<1x1x2xf32>
}

// -----

// Any other op that reads a layer's constant (through its relayout chain or
// directly) sees the pruned and clustered values, as the layer does.
// CHECK-LABEL: func.func @other_reader
// CHECK: cw.weights {{.*}}name = "other_reader.matmul0"
// CHECK: tosa.reduce_sum %[[W:.*]] {axis = 1 : i32}
func.func @other_reader(%x: tensor<1x1x2xf32>) -> (tensor<1x1x2xf32>, tensor<1x1x2xf32>) {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[1.0, 2.0], [3.0, 4.0]]]> : tensor<1x2x2xf32>} : () -> tensor<1x2x2xf32>
  // expected-remark @below {{cw-prune: layer 'other_reader.matmul0': its weight constant is also read by 'tosa.reduce_sum' at}}
  // expected-remark @below {{cw-cluster: layer 'other_reader.matmul0': its weight constant is also read by 'tosa.reduce_sum' at}}
  %h = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  %s = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<1x2x2xf32>) -> tensor<1x1x2xf32>
  return %h, %s : tensor<1x1x2xf32>, tensor<1x1x2xf32>
}

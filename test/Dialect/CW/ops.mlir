// RUN: cw-opt %s | FileCheck %s
// RUN: cw-opt %s | cw-opt | FileCheck %s
// RUN: cw-opt %s --mlir-print-op-generic | cw-opt | FileCheck %s
// RUN: cw-opt %s --emit-bytecode | cw-opt | FileCheck %s

// The blobs below are resource handles without data (as in an elided dump):
// parsing, printing and shape verification do not need the bytes.

// CHECK-LABEL: func.func @fc
func.func @fc(%x: tensor<1x784xf32>) -> tensor<1x300xf32> {
  // CHECK: %[[W:.*]] = cw.weights {codebook = dense<[-1.000000e+00, 5.000000e-01]> : tensor<2xf32>, data = dense_resource<fc0> : tensor<64xi8>, name = "fc0"} : <300x784xf32, #cw.csr>
  %w = cw.weights {codebook = dense<[-1.0, 0.5]> : tensor<2xf32>, data = dense_resource<fc0> : tensor<64xi8>, name = "fc0"} : !cw.tensor<300x784xf32, #cw.csr>
  // CHECK: cw.matmul %{{.*}}, %[[W]] : (tensor<1x784xf32>, !cw.tensor<300x784xf32, #cw.csr>) -> tensor<1x300xf32>
  %y = cw.matmul %x, %w : (tensor<1x784xf32>, !cw.tensor<300x784xf32, #cw.csr>) -> tensor<1x300xf32>
  return %y : tensor<1x300xf32>
}

// CHECK-LABEL: func.func @batched
func.func @batched(%x: tensor<2x64x784xf32>) -> tensor<2x64x300xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<fc1> : tensor<64xi8>} : !cw.tensor<300x784xf32, #cw.huffman>
  // CHECK: cw.matmul {{.*}} : (tensor<2x64x784xf32>, !cw.tensor<300x784xf32, #cw.huffman>) -> tensor<2x64x300xf32>
  %y = cw.matmul %x, %w : (tensor<2x64x784xf32>, !cw.tensor<300x784xf32, #cw.huffman>) -> tensor<2x64x300xf32>
  return %y : tensor<2x64x300xf32>
}

// CHECK-LABEL: func.func @conv
func.func @conv(%x: tensor<1x28x28x1xf32>, %b: tensor<20xf32>) -> tensor<1x13x13x20xf32> {
  %w = cw.weights {codebook = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>, data = dense_resource<conv1> : tensor<16xi8>} : !cw.tensor<20x5x5x1xf32, #cw.bloomier>
  // CHECK: cw.conv2d %{{.*}}, %{{.*}}, %{{.*}} {dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x28x28x1xf32>, !cw.tensor<20x5x5x1xf32, #cw.bloomier>, tensor<20xf32>) -> tensor<1x13x13x20xf32>
  %y = cw.conv2d %x, %w, %b {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<1x28x28x1xf32>, !cw.tensor<20x5x5x1xf32, #cw.bloomier>, tensor<20xf32>) -> tensor<1x13x13x20xf32>
  return %y : tensor<1x13x13x20xf32>
}

// CHECK-LABEL: func.func @decode
func.func @decode() -> (tensor<4x4xf32>, tensor<8xf32>) {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<4x4xf32, #cw.wavelet<mode = block>>
  // CHECK: cw.decode %{{.*}} : <4x4xf32, #cw.wavelet<mode = block>> -> tensor<4x4xf32>
  %d = cw.decode %w : !cw.tensor<4x4xf32, #cw.wavelet<mode = block>> -> tensor<4x4xf32>
  // CHECK: cw.weights {data = dense_resource<v> : tensor<8xi8>} : <8xf32, #cw.sz>
  %s = cw.weights {data = dense_resource<v> : tensor<8xi8>} : !cw.tensor<8xf32, #cw.sz>
  %e = cw.decode %s : !cw.tensor<8xf32, #cw.sz> -> tensor<8xf32>
  return %d, %e : tensor<4x4xf32>, tensor<8xf32>
}

// CHECK-LABEL: func.func @dense_encoding
func.func @dense_encoding(%x: tensor<3x8xf32>) -> tensor<3x4xf32> {
  %w = cw.weights {codebook = dense<[1.0, 2.0]> : tensor<2xf32>, data = dense_resource<d> : tensor<8xi8>} : !cw.tensor<4x8xf32, #cw.dense>
  // CHECK: cw.matmul
  %y = cw.matmul %x, %w : (tensor<3x8xf32>, !cw.tensor<4x8xf32, #cw.dense>) -> tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// CHECK-LABEL: func.func @permute
// CHECK: cw.permute %{{.*}}, %{{.*}}, %{{.*}} : vector<64xi8>, vector<64xi8>
// CHECK: cw.permute %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>, vector<16xi32>
func.func @permute(%b: vector<64xi8>, %f: vector<16xf32>, %i: vector<16xi32>) -> (vector<64xi8>, vector<16xf32>) {
  %r = cw.permute %b, %b, %b : vector<64xi8>, vector<64xi8>
  %s = cw.permute %f, %i, %f : vector<16xf32>, vector<16xi32>
  return %r, %s : vector<64xi8>, vector<16xf32>
}

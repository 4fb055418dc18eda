// RUN: cw-opt %s --cw-encode --mlir-print-debuginfo | FileCheck %s
// RUN: cw-opt %s --cw-encode | cw-opt | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: cw-opt %s --cw-encode="encoding=csr gap-bits=4 huffman-indices=false huffman-gaps=false rows-per-chunk=2 max-code-length=10" | FileCheck %s --check-prefix=CSR
// RUN: cw-opt %s --cw-encode="encoding=huffman max-code-length=8 rows-per-chunk=1" | FileCheck %s --check-prefix=HUFF
// RUN: cw-opt %s --cw-encode="encoding=csr csr-lanes=16" | FileCheck %s --check-prefix=LANES
// RUN: cw-opt %s --cw-encode="encoding=csr csr-lanes=16 gap-bits=6 max-code-length=8" | FileCheck %s --check-prefix=LANES8
// RUN: cw-opt %s --cw-encode="encoding=csr csr-lanes=16" --canonicalize | FileCheck %s --check-prefix=FOLD
// RUN: cw-opt %s --cw-encode="encoding=bloomier cell-bits=9 hashes=4" | FileCheck %s --check-prefix=BLOOM
// RUN: cw-opt %s --cw-encode="encoding=wavelet wavelet-mode=block block-size=2" | FileCheck %s --check-prefix=WAVE
// RUN: cw-opt %s --cw-encode="encoding=sz error-bound=0.01 predictor=prev" | FileCheck %s --check-prefix=SZ
// RUN: cw-opt %s --cw-encode="encoding=dense layer=fc2:encoding=sz:error-bound=0.05,conv.conv2d0:skip=true" | FileCheck %s --check-prefix=OVERRIDE

// Folding cw.decode through the reference decoder gives back the encoder's
// input exactly for the lossless encodings; sz with error-bound = 1/16 is
// exact here too (every weight is a multiple of 2 * eb).
// RUN: cw-opt %s --cw-encode=encoding=dense --canonicalize | FileCheck %s --check-prefix=FOLD
// RUN: cw-opt %s --cw-encode=encoding=csr --canonicalize | FileCheck %s --check-prefix=FOLD
// RUN: cw-opt %s --cw-encode="encoding=csr huffman-indices=false huffman-gaps=false gap-bits=3" --canonicalize | FileCheck %s --check-prefix=FOLD
// RUN: cw-opt %s --cw-encode=encoding=huffman --canonicalize | FileCheck %s --check-prefix=FOLD
// RUN: cw-opt %s --cw-encode=encoding=wavelet --canonicalize | FileCheck %s --check-prefix=FOLD
// RUN: cw-opt %s --cw-encode="encoding=wavelet wavelet-mode=sparse" --canonicalize | FileCheck %s --check-prefix=FOLD
// RUN: cw-opt %s --cw-encode="encoding=sz error-bound=0.0625" --canonicalize | FileCheck %s --check-prefix=FOLD
// RUN: cw-opt %s --cw-encode="encoding=bloomier cell-bits=12" --canonicalize | FileCheck %s --check-prefix=FOLD

// Every weight becomes cw.weights (blob named after the layer, codebook =
// the sorted distinct nonzeros) -> cw.decode -> the relayout back to the
// operand. A matmul's [1, K, N] operand is encoded [N, K].
// CHECK-LABEL: func.func @mlp
// CHECK: %[[W1:.*]] = cw.weights {codebook = dense<[-1.000000e+00, -5.000000e-01, -2.500000e-01, 1.250000e-01, 3.750000e-01, 8.750000e-01]> : tensor<6xf32>, data = dense_resource<fc1> : tensor<{{[0-9]+}}xi8>, name = "fc1"} : <2x4xf32, #cw.csr<gap_bits = 3>> loc(#[[FC1:.*]])
// CHECK: %[[D1:.*]] = cw.decode %[[W1]] : <2x4xf32, #cw.csr<gap_bits = 3>> -> tensor<2x4xf32>
// CHECK: %[[T1:.*]] = tosa.transpose %[[D1]] {perms = array<i32: 1, 0>} : (tensor<2x4xf32>) -> tensor<4x2xf32>
// CHECK: %[[R1:.*]] = tosa.reshape %[[T1]], %{{.*}} : (tensor<4x2xf32>, !tosa.shape<3>) -> tensor<1x4x2xf32>
// CHECK: tosa.matmul %{{.*}}, %[[R1]]
// CHECK: cw.weights {{.*}}data = dense_resource<fc2> : tensor<{{[0-9]+}}xi8>, name = "fc2"} : <4x2xf32, #cw.csr<gap_bits = 3>>
// CHECK-NOT: "tosa.const"() <{values = dense<{{\[\[}}
// CHECK-LABEL: func.func @conv
// CHECK: %[[WC:.*]] = cw.weights {{.*}}name = "conv.conv2d0"} : <2x2x2x1xf32, #cw.csr<gap_bits = 3>>
// CHECK: %[[DC:.*]] = cw.decode %[[WC]] : <2x2x2x1xf32, #cw.csr<gap_bits = 3>> -> tensor<2x2x2x1xf32>
// CHECK: tosa.conv2d %{{.*}}, %[[DC]], %{{.*}}
// CHECK-DAG: #[[FC1]] = loc("fc1")
// CHECK: {-#
// CHECK: dialect_resources
// CHECK: fc1: "0x

// ROUNDTRIP: cw.weights {{.*}}name = "fc1"
// ROUNDTRIP: cw.weights {{.*}}name = "fc2"
// ROUNDTRIP: cw.weights {{.*}}name = "conv.conv2d0"

// The lane-interleaved layout: codes limited to 7 bits unless stated, and
// the auto gap width tries only widths whose alphabet such codes can hold.
// LANES: <2x4xf32, #cw.csr<gap_bits = 3, max_code_length = 7, lanes = 16>>
// LANES: <2x2x2x1xf32, #cw.csr<gap_bits = 3, max_code_length = 7, lanes = 16>>
// LANES8: <2x4xf32, #cw.csr<gap_bits = 6, max_code_length = 8, lanes = 16>>
// CSR: <2x4xf32, #cw.csr<gap_bits = 4, huffman_indices = false, huffman_gaps = false, rows_per_chunk = 2, max_code_length = 10>>
// CSR: <2x2x2x1xf32, #cw.csr<gap_bits = 4, huffman_indices = false, huffman_gaps = false, rows_per_chunk = 2, max_code_length = 10>>
// HUFF: <2x4xf32, #cw.huffman<max_code_length = 8, rows_per_chunk = 1>>
// The encoder records the table size and seed it chose.
// BLOOM: <2x4xf32, #cw.bloomier<cell_bits = 9, hashes = 4, cells = {{[1-9][0-9]*}}, seed = {{[0-9]+}}{{.*}}>>
// WAVE: <2x4xf32, #cw.wavelet<mode = block, block_size = 2>>
// sz stores values: no codebook.
// SZ: cw.weights {data = dense_resource<fc1> : tensor<{{[0-9]+}}xi8>, name = "fc1"} : <2x4xf32, #cw.sz<error_bound = 1.000000e-02, predictor = prev>>

// OVERRIDE: name = "fc1"} : <2x4xf32, #cw.dense>
// OVERRIDE: name = "fc2"} : <4x2xf32, #cw.sz<error_bound = 5.000000e-02>>
// OVERRIDE-LABEL: func.func @conv
// OVERRIDE-NOT: cw.weights
// OVERRIDE: tosa.conv2d

// FOLD-LABEL: func.func @mlp
// FOLD-NOT: cw.decode
// FOLD-DAG: dense<{{\[\[}}1.250000e-01, 3.750000e-01, 0.000000e+00, 8.750000e-01], [-2.500000e-01, -5.000000e-01, 0.000000e+00, -1.000000e+00]]> : tensor<2x4xf32>
// FOLD-DAG: dense<{{\[\[}}1.000000e+00, -8.750000e-01], [7.500000e-01, -6.250000e-01], [5.000000e-01, -3.750000e-01], [2.500000e-01, -1.250000e-01]]> : tensor<4x2xf32>
// FOLD-LABEL: func.func @conv
// FOLD-NOT: cw.decode
// FOLD: dense<{{\[\[\[\[}}2.500000e-01], [5.000000e-01]], {{\[\[}}7.500000e-01], [-2.500000e-01]]], {{\[\[\[}}-5.000000e-01], [-1.000000e+00]], {{\[\[}}1.000000e+00], [-7.500000e-01]]]]> : tensor<2x2x2x1xf32>
// FOLD-NOT: cw.decode

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

func.func @conv(%x: tensor<1x4x4x1xf32>) -> tensor<1x3x3x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[[0.25], [0.5]], [[0.75], [-0.25]]], [[[-0.5], [-1.0]], [[1.0], [-0.75]]]]> : tensor<2x2x2x1xf32>} : () -> tensor<2x2x2x1xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x2xf32>
  return %y : tensor<1x3x3x2xf32>
}

// RUN: cw-opt %s -split-input-file -verify-diagnostics

func.func @matmul_inner(%x: tensor<1x700xf32>) -> tensor<1x300xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<300x784xf32, #cw.csr>
  // expected-error @below {{'cw.matmul' op inner dimensions disagree: input 'tensor<1x700xf32>' has K = 700 but weights '!cw.tensor<300x784xf32, #cw.csr>' have K = 784}}
  %y = cw.matmul %x, %w : (tensor<1x700xf32>, !cw.tensor<300x784xf32, #cw.csr>) -> tensor<1x300xf32>
  return %y : tensor<1x300xf32>
}

// -----

func.func @matmul_result(%x: tensor<1x784xf32>) -> tensor<1x100xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<300x784xf32, #cw.csr>
  // expected-error @below {{'cw.matmul' op result 'tensor<1x100xf32>' does not match input 'tensor<1x784xf32>' times weights '!cw.tensor<300x784xf32, #cw.csr>' (expected last dimension 300)}}
  %y = cw.matmul %x, %w : (tensor<1x784xf32>, !cw.tensor<300x784xf32, #cw.csr>) -> tensor<1x100xf32>
  return %y : tensor<1x100xf32>
}

// -----

func.func @matmul_rank(%x: tensor<784xf32>) -> tensor<300xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<300x784xf32, #cw.csr>
  // expected-error @below {{'cw.matmul' op input must be [M, K] or [B, M, K], got 'tensor<784xf32>'}}
  %y = cw.matmul %x, %w : (tensor<784xf32>, !cw.tensor<300x784xf32, #cw.csr>) -> tensor<300xf32>
  return %y : tensor<300xf32>
}

// -----

func.func @matmul_weight_rank(%x: tensor<1x25xf32>) -> tensor<1x20xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<20x5x5xf32, #cw.csr>
  // expected-error @below {{'cw.matmul' op weights must be [N, K] (one row per output), got '!cw.tensor<20x5x5xf32, #cw.csr>'}}
  %y = cw.matmul %x, %w : (tensor<1x25xf32>, !cw.tensor<20x5x5xf32, #cw.csr>) -> tensor<1x20xf32>
  return %y : tensor<1x20xf32>
}

// -----

func.func @matmul_elem(%x: tensor<1x784xf16>) -> tensor<1x300xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<300x784xf32, #cw.csr>
  // expected-error @below {{'cw.matmul' op element types disagree: input 'tensor<1x784xf16>', weights '!cw.tensor<300x784xf32, #cw.csr>', result 'tensor<1x300xf32>'}}
  %y = cw.matmul %x, %w : (tensor<1x784xf16>, !cw.tensor<300x784xf32, #cw.csr>) -> tensor<1x300xf32>
  return %y : tensor<1x300xf32>
}

// -----

func.func @matmul_result_rank(%x: tensor<1x784xf32>) -> tensor<1x1x300xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<300x784xf32, #cw.csr>
  // expected-error @below {{'cw.matmul' op result 'tensor<1x1x300xf32>' must have the rank of input 'tensor<1x784xf32>'}}
  %y = cw.matmul %x, %w : (tensor<1x784xf32>, !cw.tensor<300x784xf32, #cw.csr>) -> tensor<1x1x300xf32>
  return %y : tensor<1x1x300xf32>
}

// -----

func.func @decode_type() -> tensor<4x5xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<4x4xf32, #cw.dense>
  // expected-error @below {{'cw.decode' op result type 'tensor<4x5xf32>' does not match the decoded type 'tensor<4x4xf32>' of '!cw.tensor<4x4xf32, #cw.dense>'}}
  %d = cw.decode %w : !cw.tensor<4x4xf32, #cw.dense> -> tensor<4x5xf32>
  return %d : tensor<4x5xf32>
}

// -----

func.func @weights_data_type() {
  // expected-error @below {{'cw.weights' op data must be a 1-D tensor of i8 bytes (a dense_resource blob), got 'tensor<2xf32>'}}
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense<[1.0, 2.0]> : tensor<2xf32>} : !cw.tensor<4x4xf32, #cw.dense>
  return
}

// -----

func.func @weights_no_codebook() {
  // expected-error @below {{'cw.weights' op #cw.huffman stores cluster indices and needs a codebook}}
  %w = cw.weights {data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<4x4xf32, #cw.huffman>
  return
}

// -----

func.func @weights_sz_codebook() {
  // expected-error @below {{'cw.weights' op #cw.sz stores values and takes no codebook}}
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<4x4xf32, #cw.sz>
  return
}

// -----

func.func @weights_codebook_rank() {
  // expected-error @below {{'cw.weights' op codebook must be 1-D, got 'tensor<1x2xf32>'}}
  %w = cw.weights {codebook = dense<[[1.0, 2.0]]> : tensor<1x2xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<4x4xf32, #cw.dense>
  return
}

// -----

func.func @weights_codebook_nan() {
  // expected-error @below {{'cw.weights' op codebook holds a NaN or Inf centroid}}
  %w = cw.weights {codebook = dense<[1.0, 0x7FC00000]> : tensor<2xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<4x4xf32, #cw.dense>
  return
}

// -----

func.func @weights_codebook_too_long() {
  // expected-error @below {{'cw.weights' op codebook has 257 entries, at most 256 are supported}}
  %w = cw.weights {codebook = dense<1.0> : tensor<257xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<4x4xf32, #cw.dense>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x28x28x3xf32>, %b: tensor<20xf32>) -> tensor<1x24x24x20xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<20x5x5x1xf32, #cw.csr>
  // expected-error @below {{'cw.conv2d' op input channels disagree: input 'tensor<1x28x28x3xf32>' has IC = 3 but weights '!cw.tensor<20x5x5x1xf32, #cw.csr>' have IC = 1}}
  %y = cw.conv2d %x, %w, %b {pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x28x28x3xf32>, !cw.tensor<20x5x5x1xf32, #cw.csr>, tensor<20xf32>) -> tensor<1x24x24x20xf32>
  return %y : tensor<1x24x24x20xf32>
}

// -----

func.func @conv_pad_overflow(%x: tensor<1x28x28x1xf32>, %b: tensor<20xf32>) -> tensor<1x24x24x20xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<20x5x5x1xf32, #cw.csr>
  // expected-error @below {{'cw.conv2d' op padded input or dilated kernel size overflows (pad 9223372036854775800, 0, dilation 1)}}
  %y = cw.conv2d %x, %w, %b {pad = array<i64: 9223372036854775800, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x28x28x1xf32>, !cw.tensor<20x5x5x1xf32, #cw.csr>, tensor<20xf32>) -> tensor<1x24x24x20xf32>
  return %y : tensor<1x24x24x20xf32>
}

// -----

func.func @conv_dilation_overflow(%x: tensor<1x28x28x1xf32>, %b: tensor<20xf32>) -> tensor<1x24x24x20xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<20x5x5x1xf32, #cw.csr>
  // expected-error @below {{'cw.conv2d' op padded input or dilated kernel size overflows (pad 0, 0, dilation 4611686018427387904)}}
  %y = cw.conv2d %x, %w, %b {pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 4611686018427387904, 1>} : (tensor<1x28x28x1xf32>, !cw.tensor<20x5x5x1xf32, #cw.csr>, tensor<20xf32>) -> tensor<1x24x24x20xf32>
  return %y : tensor<1x24x24x20xf32>
}

// -----

func.func @conv_result(%x: tensor<1x28x28x1xf32>, %b: tensor<20xf32>) -> tensor<1x28x28x20xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<20x5x5x1xf32, #cw.csr>
  // expected-error @below {{'cw.conv2d' op result 'tensor<1x28x28x20xf32>' does not match input 'tensor<1x28x28x1xf32>' convolved with '!cw.tensor<20x5x5x1xf32, #cw.csr>': expected dimension 1 = 24}}
  %y = cw.conv2d %x, %w, %b {pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x28x28x1xf32>, !cw.tensor<20x5x5x1xf32, #cw.csr>, tensor<20xf32>) -> tensor<1x28x28x20xf32>
  return %y : tensor<1x28x28x20xf32>
}

// -----

func.func @conv_bias(%x: tensor<1x28x28x1xf32>, %b: tensor<10xf32>) -> tensor<1x24x24x20xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<20x5x5x1xf32, #cw.csr>
  // expected-error @below {{'cw.conv2d' op bias 'tensor<10xf32>' must be [20] (or [1]) for weights '!cw.tensor<20x5x5x1xf32, #cw.csr>'}}
  %y = cw.conv2d %x, %w, %b {pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x28x28x1xf32>, !cw.tensor<20x5x5x1xf32, #cw.csr>, tensor<10xf32>) -> tensor<1x24x24x20xf32>
  return %y : tensor<1x24x24x20xf32>
}

// -----

func.func @conv_pad(%x: tensor<1x28x28x1xf32>, %b: tensor<20xf32>) -> tensor<1x24x24x20xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<20x5x5x1xf32, #cw.csr>
  // expected-error @below {{'cw.conv2d' op pad must have 4 entries [top, bottom, left, right], got 2}}
  %y = cw.conv2d %x, %w, %b {pad = array<i64: 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x28x28x1xf32>, !cw.tensor<20x5x5x1xf32, #cw.csr>, tensor<20xf32>) -> tensor<1x24x24x20xf32>
  return %y : tensor<1x24x24x20xf32>
}

// -----

func.func @conv_negative_pad(%x: tensor<1x28x28x1xf32>, %b: tensor<20xf32>) -> tensor<1x24x24x20xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<20x5x5x1xf32, #cw.csr>
  // expected-error @below {{'cw.conv2d' op pad entries must be >= 0, got -1}}
  %y = cw.conv2d %x, %w, %b {pad = array<i64: -1, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x28x28x1xf32>, !cw.tensor<20x5x5x1xf32, #cw.csr>, tensor<20xf32>) -> tensor<1x24x24x20xf32>
  return %y : tensor<1x24x24x20xf32>
}

// -----

func.func @conv_stride(%x: tensor<1x28x28x1xf32>, %b: tensor<20xf32>) -> tensor<1x24x24x20xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<20x5x5x1xf32, #cw.csr>
  // expected-error @below {{'cw.conv2d' op stride and dilation entries must be >= 1, got 0}}
  %y = cw.conv2d %x, %w, %b {pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 0, 1>, dilation = array<i64: 1, 1>} : (tensor<1x28x28x1xf32>, !cw.tensor<20x5x5x1xf32, #cw.csr>, tensor<20xf32>) -> tensor<1x24x24x20xf32>
  return %y : tensor<1x24x24x20xf32>
}

// -----

func.func @conv_stride_count(%x: tensor<1x28x28x1xf32>, %b: tensor<20xf32>) -> tensor<1x24x24x20xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<20x5x5x1xf32, #cw.csr>
  // expected-error @below {{'cw.conv2d' op stride and dilation must have 2 entries [y, x]}}
  %y = cw.conv2d %x, %w, %b {pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1>, dilation = array<i64: 1, 1>} : (tensor<1x28x28x1xf32>, !cw.tensor<20x5x5x1xf32, #cw.csr>, tensor<20xf32>) -> tensor<1x24x24x20xf32>
  return %y : tensor<1x24x24x20xf32>
}

// -----

func.func @conv_kernel_too_big(%x: tensor<1x3x3x1xf32>, %b: tensor<20xf32>) -> tensor<1x1x1x20xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<20x5x5x1xf32, #cw.csr>
  // expected-error @below {{'cw.conv2d' op kernel '!cw.tensor<20x5x5x1xf32, #cw.csr>' does not fit input 'tensor<1x3x3x1xf32>' with the given pad and dilation}}
  %y = cw.conv2d %x, %w, %b {pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x3x3x1xf32>, !cw.tensor<20x5x5x1xf32, #cw.csr>, tensor<20xf32>) -> tensor<1x1x1x20xf32>
  return %y : tensor<1x1x1x20xf32>
}

// -----

func.func @conv_input_rank(%x: tensor<28x28x1xf32>, %b: tensor<20xf32>) -> tensor<1x24x24x20xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<20x5x5x1xf32, #cw.csr>
  // expected-error @below {{'cw.conv2d' op input must be NHWC [N, H, W, IC], got 'tensor<28x28x1xf32>'}}
  %y = cw.conv2d %x, %w, %b {pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<28x28x1xf32>, !cw.tensor<20x5x5x1xf32, #cw.csr>, tensor<20xf32>) -> tensor<1x24x24x20xf32>
  return %y : tensor<1x24x24x20xf32>
}

// -----

func.func @conv_weight_rank(%x: tensor<1x28x28x1xf32>, %b: tensor<20xf32>) -> tensor<1x24x24x20xf32> {
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense_resource<w> : tensor<8xi8>} : !cw.tensor<20x25xf32, #cw.csr>
  // expected-error @below {{'cw.conv2d' op weights must be [OC, KH, KW, IC], got '!cw.tensor<20x25xf32, #cw.csr>'}}
  %y = cw.conv2d %x, %w, %b {pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x28x28x1xf32>, !cw.tensor<20x25xf32, #cw.csr>, tensor<20xf32>) -> tensor<1x24x24x20xf32>
  return %y : tensor<1x24x24x20xf32>
}

// -----

func.func @permute_width(%t: vector<32xi8>, %i: vector<32xi8>) -> vector<32xi8> {
  // expected-error @below {{'cw.permute' op expects vector<64xi8> tables with vector<64xi8> indices or vector<16xf32> tables with vector<16xi32> indices, got 'vector<32xi8>' and 'vector<32xi8>'}}
  %r = cw.permute %t, %i, %t : vector<32xi8>, vector<32xi8>
  return %r : vector<32xi8>
}

// -----

func.func @permute_index_type(%t: vector<16xf32>, %i: vector<16xi8>) -> vector<16xf32> {
  // expected-error @below {{'cw.permute' op expects vector<64xi8> tables with vector<64xi8> indices or vector<16xf32> tables with vector<16xi32> indices, got 'vector<16xf32>' and 'vector<16xi8>'}}
  %r = cw.permute %t, %i, %t : vector<16xf32>, vector<16xi8>
  return %r : vector<16xf32>
}

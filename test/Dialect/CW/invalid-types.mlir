// RUN: cw-opt %s -split-input-file -verify-diagnostics

// expected-error @below {{encoded weights hold f32 values, got 'f16'}}
func.func private @f(!cw.tensor<4x4xf16, #cw.csr>)

// -----

// expected-error @below {{encoded weight dimensions must be static and positive, got 0}}
func.func private @f(!cw.tensor<0x4xf32, #cw.csr>)

// -----

// The [rows, cols] view multiplies the trailing dimensions (here to 2^66).
// expected-error @below {{encoded weight tensors hold at most 2^40 elements}}
func.func private @f(!cw.tensor<16x4611686018427387904x4xf32, #cw.dense>)

// -----

// expected-error @below {{encoded weight tensors hold at most 2^40 elements}}
func.func private @f(!cw.tensor<1024x1024x1048577xf32, #cw.dense>)

// -----

// expected-error @below {{expected a cw encoding attribute (#cw.dense, #cw.csr, #cw.huffman, #cw.bloomier, #cw.wavelet, #cw.sz), got 42 : i64}}
func.func private @f(!cw.tensor<4x4xf32, 42>)

// -----

// expected-error @below {{encoded weight tensors must have rank >= 1}}
func.func private @f(!cw.tensor<f32, #cw.csr>)

// RUN: cw-opt %s -split-input-file -verify-diagnostics

// expected-error @below {{#cw.csr: gap_bits must be in [3, 8], got 2 (relative indices use 3 to 8 bits)}}
func.func private @f(!cw.tensor<4x4xf32, #cw.csr<gap_bits = 2>>)

// -----

// expected-error @below {{#cw.csr: gap_bits must be in [3, 8], got 9}}
func.func private @f(!cw.tensor<4x4xf32, #cw.csr<gap_bits = 9>>)

// -----

// expected-error @below {{#cw.csr: rows_per_chunk must be in [1, 1073741824], got 0}}
func.func private @f(!cw.tensor<4x4xf32, #cw.csr<rows_per_chunk = 0>>)

// -----

// expected-error @below {{#cw.csr: max_code_length must be in [2, 16], got 20}}
func.func private @f(!cw.tensor<4x4xf32, #cw.csr<max_code_length = 20>>)

// -----

// expected-error @below {{expected 'true' or 'false'}}
// expected-error @below {{failed to parse CW_CsrEncodingAttr parameter 'huffman_gaps' which is to be a `bool`}}
func.func private @f(!cw.tensor<4x4xf32, #cw.csr<huffman_gaps = 1>>)

// -----

// expected-error @below {{#cw.csr: lanes must be 0 or 16, got 8}}
func.func private @f(!cw.tensor<4x4xf32, #cw.csr<max_code_length = 7, lanes = 8>>)

// -----

// expected-error @below {{#cw.csr: lanes = 16 needs huffman_indices and huffman_gaps}}
func.func private @f(!cw.tensor<4x4xf32, #cw.csr<huffman_gaps = false, max_code_length = 7, lanes = 16>>)

// -----

// expected-error @below {{#cw.csr: max_code_length must be in [2, 8], got 12 (an entry of the lane-interleaved layout takes at most 16 bits)}}
func.func private @f(!cw.tensor<4x4xf32, #cw.csr<lanes = 16>>)

// -----

// expected-error @below {{#cw.huffman: max_code_length must be in [2, 16], got 40}}
func.func private @f(!cw.tensor<4x4xf32, #cw.huffman<max_code_length = 40>>)

// -----

// expected-error @below {{#cw.huffman: rows_per_chunk must be in [1, 1073741824], got 0}}
func.func private @f(!cw.tensor<4x4xf32, #cw.huffman<rows_per_chunk = 0>>)

// -----

// expected-error @below {{#cw.bloomier: cell_bits must be in [2, 16], got 0 (t bits per cell)}}
func.func private @f(!cw.tensor<4x4xf32, #cw.bloomier<cell_bits = 0>>)

// -----

// expected-error @below {{#cw.bloomier: hashes must be in [2, 4], got 1 (k hash functions; k >= 2 is needed to peel)}}
func.func private @f(!cw.tensor<4x4xf32, #cw.bloomier<hashes = 1>>)

// -----

// expected-error @below {{#cw.bloomier: hashes must be in [2, 4], got 5}}
func.func private @f(!cw.tensor<4x4xf32, #cw.bloomier<hashes = 5>>)

// -----

// expected-error @below {{#cw.wavelet: block_size must be in [1, 64], got 0}}
func.func private @f(!cw.tensor<4x4xf32, #cw.wavelet<mode = block, block_size = 0>>)

// -----

// expected-error @below {{expected one of [element, block, sparse] for runtime-accessible sequence laid out in the wavelet tree, got: diagonal}}
// expected-error @below {{failed to parse CW_WaveletEncodingAttr parameter 'mode'}}
func.func private @f(!cw.tensor<4x4xf32, #cw.wavelet<mode = diagonal>>)

// -----

// expected-error @below {{#cw.sz: error_bound must be a positive finite number, got -1.000000e-03}}
func.func private @f(!cw.tensor<4x4xf32, #cw.sz<error_bound = -1.0e-3>>)

// -----

// expected-error @below {{#cw.sz: error_bound must be a positive finite number, got 0.000000e+00}}
func.func private @f(!cw.tensor<4x4xf32, #cw.sz<error_bound = 0.0>>)

// -----

// expected-error @below {{#cw.sz: rows_per_chunk must be in [1, 1073741824], got 0}}
func.func private @f(!cw.tensor<4x4xf32, #cw.sz<rows_per_chunk = 0>>)

// -----

// expected-error @below {{expected one of [prev, lorenzo, linear] for SZ value predictor, got: cubic}}
// expected-error @below {{failed to parse CW_SZEncodingAttr parameter 'predictor'}}
func.func private @f(!cw.tensor<4x4xf32, #cw.sz<predictor = cubic>>)

// -----

// expected-error @below {{#cw.dense takes no parameters}}
func.func private @f(!cw.tensor<4x4xf32, #cw.dense<x = 1>>)

// -----

// A negative value wraps in the unsigned parameter parser; the range catches it.
// expected-error @below {{#cw.bloomier: cells must be in [0, 1099511627776], got 18446744073709551615 (0: the encoder chooses)}}
func.func private @f(!cw.tensor<4x4xf32, #cw.bloomier<cells = -1>>)

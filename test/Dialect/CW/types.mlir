// RUN: cw-opt %s | FileCheck %s
// RUN: cw-opt %s | cw-opt | FileCheck %s
// RUN: cw-opt %s --mlir-print-op-generic | cw-opt | FileCheck %s

// Every encoding attribute, with defaults elided and explicit parameters kept.

// CHECK-LABEL: func.func private @dense(!cw.tensor<300x784xf32, #cw.dense>)
func.func private @dense(!cw.tensor<300x784xf32, #cw.dense>)

// CHECK-LABEL: func.func private @csr_default(!cw.tensor<300x784xf32, #cw.csr>)
func.func private @csr_default(!cw.tensor<300x784xf32, #cw.csr>)
// CHECK-LABEL: func.func private @csr(!cw.tensor<16x8xf32, #cw.csr<gap_bits = 3, huffman_indices = false, huffman_gaps = false, rows_per_chunk = 4>>)
func.func private @csr(!cw.tensor<16x8xf32, #cw.csr<gap_bits = 3, huffman_indices = false, huffman_gaps = false, rows_per_chunk = 4>>)
// CHECK-LABEL: func.func private @csr_partial(!cw.tensor<16x8xf32, #cw.csr<gap_bits = 8>>)
func.func private @csr_partial(!cw.tensor<16x8xf32, #cw.csr<gap_bits = 8, huffman_gaps = true>>)

// CHECK-LABEL: func.func private @huffman(!cw.tensor<20x5x5x1xf32, #cw.huffman<max_code_length = 10, rows_per_chunk = 2>>)
func.func private @huffman(!cw.tensor<20x5x5x1xf32, #cw.huffman<max_code_length = 10, rows_per_chunk = 2>>)

// CHECK-LABEL: func.func private @bloomier(!cw.tensor<300x784xf32, #cw.bloomier<cell_bits = 9, hashes = 4, cells = 2048, seed = 7, rows_per_chunk = 8>>)
func.func private @bloomier(!cw.tensor<300x784xf32, #cw.bloomier<cell_bits = 9, hashes = 4, cells = 2048, seed = 7, rows_per_chunk = 8>>)
// CHECK-LABEL: func.func private @bloomier_default(!cw.tensor<10xf32, #cw.bloomier>)
func.func private @bloomier_default(!cw.tensor<10xf32, #cw.bloomier<cell_bits = 8, hashes = 3>>)

// CHECK-LABEL: func.func private @wavelet_element(!cw.tensor<4x4xf32, #cw.wavelet>)
func.func private @wavelet_element(!cw.tensor<4x4xf32, #cw.wavelet<mode = element>>)
// CHECK-LABEL: func.func private @wavelet_block(!cw.tensor<4x4xf32, #cw.wavelet<mode = block, block_size = 8>>)
func.func private @wavelet_block(!cw.tensor<4x4xf32, #cw.wavelet<mode = block, block_size = 8>>)
// CHECK-LABEL: func.func private @wavelet_sparse(!cw.tensor<4x4xf32, #cw.wavelet<mode = sparse>>)
func.func private @wavelet_sparse(!cw.tensor<4x4xf32, #cw.wavelet<mode = sparse>>)

// CHECK-LABEL: func.func private @sz(!cw.tensor<4x4xf32, #cw.sz<error_bound = 2.500000e-03, predictor = linear, rows_per_chunk = 1>>)
func.func private @sz(!cw.tensor<4x4xf32, #cw.sz<error_bound = 2.5e-3, predictor = linear, rows_per_chunk = 1>>)
// CHECK-LABEL: func.func private @sz_prev(!cw.tensor<4x4xf32, #cw.sz<predictor = prev>>)
func.func private @sz_prev(!cw.tensor<4x4xf32, #cw.sz<error_bound = 1.0e-3, predictor = prev>>)

// Encodings are attributes and can stand alone.
// CHECK-LABEL: func.func private @attr_only()
// CHECK-SAME: enc = #cw.csr<gap_bits = 4>
func.func private @attr_only() attributes {enc = #cw.csr<gap_bits = 4>}

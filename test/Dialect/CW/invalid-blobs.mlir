// Verifier errors of cw.weights whose blob disagrees with its type: each
// encoding's verifyBlob (CWEncodings.cpp) parses the blob through its codec
// and checks shape, cluster count and the type's parameters. The blobs are
// cw-encode's output for one 6x8 layer (3 clusters, default parameters).
// RUN: cw-opt %s -split-input-file -verify-diagnostics

func.func @csr_gap_bits() -> !cw.tensor<6x8xf32, #cw.csr<gap_bits = 4>> {
  // expected-error @below {{#cw.csr blob was encoded with gap_bits = 3, huffman_indices = true, huffman_gaps = true, lanes = 0, which the type #cw.csr<gap_bits = 4> does not state}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01]> : tensor<3xf32>, data = dense_resource<csr> : tensor<90xi8>} : !cw.tensor<6x8xf32, #cw.csr<gap_bits = 4>>
  return %w : !cw.tensor<6x8xf32, #cw.csr<gap_bits = 4>>
}

{-#
  dialect_resources: {
    builtin: {
      csr: "0x01000000435752490103030206000000080000000300030C4000000001000000330000000000000004000000030000004088000800000005000000410C02080000000000000000003300000000000000E21601A07F1D4C2C1202EBF69B02"
    }
  }
#-}

// -----

func.func @csr_huffman_flags() -> !cw.tensor<6x8xf32, #cw.csr<gap_bits = 3, huffman_gaps = false>> {
  // expected-error @below {{#cw.csr blob was encoded with gap_bits = 3, huffman_indices = true, huffman_gaps = true, lanes = 0, which the type #cw.csr<gap_bits = 3, huffman_gaps = false> does not state}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01]> : tensor<3xf32>, data = dense_resource<csr> : tensor<90xi8>} : !cw.tensor<6x8xf32, #cw.csr<gap_bits = 3, huffman_gaps = false>>
  return %w : !cw.tensor<6x8xf32, #cw.csr<gap_bits = 3, huffman_gaps = false>>
}

{-#
  dialect_resources: {
    builtin: {
      csr: "0x01000000435752490103030206000000080000000300030C4000000001000000330000000000000004000000030000004088000800000005000000410C02080000000000000000003300000000000000E21601A07F1D4C2C1202EBF69B02"
    }
  }
#-}

// -----

func.func @csr_clusters() -> !cw.tensor<6x8xf32, #cw.csr<gap_bits = 3>> {
  // expected-error @below {{#cw.csr blob has 3 clusters but the codebook has 4}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01, 1.0]> : tensor<4xf32>, data = dense_resource<csr> : tensor<90xi8>} : !cw.tensor<6x8xf32, #cw.csr<gap_bits = 3>>
  return %w : !cw.tensor<6x8xf32, #cw.csr<gap_bits = 3>>
}

{-#
  dialect_resources: {
    builtin: {
      csr: "0x01000000435752490103030206000000080000000300030C4000000001000000330000000000000004000000030000004088000800000005000000410C02080000000000000000003300000000000000E21601A07F1D4C2C1202EBF69B02"
    }
  }
#-}

// -----

func.func @csr_shape() -> !cw.tensor<6x9xf32, #cw.csr<gap_bits = 3>> {
  // expected-error @below {{#cw.csr blob holds a 6x8 matrix, but the weight needs 6x9}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01]> : tensor<3xf32>, data = dense_resource<csr> : tensor<90xi8>} : !cw.tensor<6x9xf32, #cw.csr<gap_bits = 3>>
  return %w : !cw.tensor<6x9xf32, #cw.csr<gap_bits = 3>>
}

{-#
  dialect_resources: {
    builtin: {
      csr: "0x01000000435752490103030206000000080000000300030C4000000001000000330000000000000004000000030000004088000800000005000000410C02080000000000000000003300000000000000E21601A07F1D4C2C1202EBF69B02"
    }
  }
#-}

// -----

func.func @huffman_clusters() -> !cw.tensor<6x8xf32, #cw.huffman> {
  // expected-error @below {{#cw.huffman blob has 3 clusters but the codebook has 4}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01, 1.0]> : tensor<4xf32>, data = dense_resource<huffman> : tensor<72xi8>} : !cw.tensor<6x8xf32, #cw.huffman>
  return %w : !cw.tensor<6x8xf32, #cw.huffman>
}

{-#
  dialect_resources: {
    builtin: {
      huffman: "0x0100000043574846010C03000600000008000000400000000100000044000000000000000400000003000000610C0100000000000000004400000000000000215C7BE031480A1530FC20C800"
    }
  }
#-}

// -----

func.func @huffman_shape() -> !cw.tensor<8x6xf32, #cw.huffman> {
  // expected-error @below {{#cw.huffman blob holds a 6x8 matrix, but the weight needs 8x6}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01]> : tensor<3xf32>, data = dense_resource<huffman> : tensor<72xi8>} : !cw.tensor<8x6xf32, #cw.huffman>
  return %w : !cw.tensor<8x6xf32, #cw.huffman>
}

{-#
  dialect_resources: {
    builtin: {
      huffman: "0x0100000043574846010C03000600000008000000400000000100000044000000000000000400000003000000610C0100000000000000004400000000000000215C7BE031480A1530FC20C800"
    }
  }
#-}

// -----

func.func @sz_shape() -> !cw.tensor<6x9xf32, #cw.sz> {
  // expected-error @below {{#cw.sz blob holds a 6x8 matrix, but the weight needs 6x9}}
  %w = cw.weights {data = dense_resource<sz> : tensor<144xi8>} : !cw.tensor<6x9xf32, #cw.sz>
  return %w : !cw.tensor<6x9xf32, #cw.sz>
}

{-#
  dialect_resources: {
    builtin: {
      sz: "0x010000004357535A0101020006000000000000000800000000000000FCA9F1D24D62503FFF07000000010000010000000C0300003D0000000000000000000000000000000700000005000000400831C000E40400000C000000207CF980F1F101C68F0F180300000000000000003D0000000000000000000000000000000000000000000000E21601E8303F57B4710902DA8A270E"
    }
  }
#-}

// -----

func.func @sz_bound() -> !cw.tensor<6x8xf32, #cw.sz<error_bound = 1.0e-06>> {
  // expected-error @below {{#cw.sz blob was encoded with error bound 1.000000e-03, above the type's 1.000000e-06}}
  %w = cw.weights {data = dense_resource<sz> : tensor<144xi8>} : !cw.tensor<6x8xf32, #cw.sz<error_bound = 1.0e-06>>
  return %w : !cw.tensor<6x8xf32, #cw.sz<error_bound = 1.0e-06>>
}

{-#
  dialect_resources: {
    builtin: {
      sz: "0x010000004357535A0101020006000000000000000800000000000000FCA9F1D24D62503FFF07000000010000010000000C0300003D0000000000000000000000000000000700000005000000400831C000E40400000C000000207CF980F1F101C68F0F180300000000000000003D0000000000000000000000000000000000000000000000E21601E8303F57B4710902DA8A270E"
    }
  }
#-}

// -----

func.func @sz_predictor() -> !cw.tensor<6x8xf32, #cw.sz<predictor = linear>> {
  // expected-error @below {{#cw.sz blob uses predictor 'lorenzo', the type says 'linear'}}
  %w = cw.weights {data = dense_resource<sz> : tensor<144xi8>} : !cw.tensor<6x8xf32, #cw.sz<predictor = linear>>
  return %w : !cw.tensor<6x8xf32, #cw.sz<predictor = linear>>
}

{-#
  dialect_resources: {
    builtin: {
      sz: "0x010000004357535A0101020006000000000000000800000000000000FCA9F1D24D62503FFF07000000010000010000000C0300003D0000000000000000000000000000000700000005000000400831C000E40400000C000000207CF980F1F101C68F0F180300000000000000003D0000000000000000000000000000000000000000000000E21601E8303F57B4710902DA8A270E"
    }
  }
#-}

// -----

func.func @bloomier_shape() -> !cw.tensor<6x9xf32, #cw.bloomier<cells = 48, seed = 24301, rows_per_chunk = 6>> {
  // expected-error @below {{#cw.bloomier blob holds a 6x8 matrix, but the weight needs 6x9}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01]> : tensor<3xf32>, data = dense_resource<bloomier> : tensor<128xi8>} : !cw.tensor<6x9xf32, #cw.bloomier<cells = 48, seed = 24301, rows_per_chunk = 6>>
  return %w : !cw.tensor<6x9xf32, #cw.bloomier<cells = 48, seed = 24301, rows_per_chunk = 6>>
}

{-#
  dialect_resources: {
    builtin: {
      bloomier: "0x010000004357424601030800060000000000000008000000000000000300000006000000010000000000000030000000000000007BBD3AE39A769FAD00000000000000000100000004000000003E00D0A1005C0000007D00C58E3FD900000000000000000B000000000000004AB100B7008700000000000000000D000000000000000000"
    }
  }
#-}

// -----

func.func @bloomier_clusters() -> !cw.tensor<6x8xf32, #cw.bloomier<cells = 48, seed = 24301, rows_per_chunk = 6>> {
  // expected-error @below {{#cw.bloomier blob has 3 clusters but the codebook has 4}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01, 1.0]> : tensor<4xf32>, data = dense_resource<bloomier> : tensor<128xi8>} : !cw.tensor<6x8xf32, #cw.bloomier<cells = 48, seed = 24301, rows_per_chunk = 6>>
  return %w : !cw.tensor<6x8xf32, #cw.bloomier<cells = 48, seed = 24301, rows_per_chunk = 6>>
}

{-#
  dialect_resources: {
    builtin: {
      bloomier: "0x010000004357424601030800060000000000000008000000000000000300000006000000010000000000000030000000000000007BBD3AE39A769FAD00000000000000000100000004000000003E00D0A1005C0000007D00C58E3FD900000000000000000B000000000000004AB100B7008700000000000000000D000000000000000000"
    }
  }
#-}

// -----

func.func @bloomier_cells() -> !cw.tensor<6x8xf32, #cw.bloomier<cells = 64, seed = 24301, rows_per_chunk = 6>> {
  // expected-error @below {{#cw.bloomier blob has cell_bits = 8, hashes = 3, cells = 48, which the type #cw.bloomier<cells = 64, seed = 24301, rows_per_chunk = 6> does not state}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01]> : tensor<3xf32>, data = dense_resource<bloomier> : tensor<128xi8>} : !cw.tensor<6x8xf32, #cw.bloomier<cells = 64, seed = 24301, rows_per_chunk = 6>>
  return %w : !cw.tensor<6x8xf32, #cw.bloomier<cells = 64, seed = 24301, rows_per_chunk = 6>>
}

{-#
  dialect_resources: {
    builtin: {
      bloomier: "0x010000004357424601030800060000000000000008000000000000000300000006000000010000000000000030000000000000007BBD3AE39A769FAD00000000000000000100000004000000003E00D0A1005C0000007D00C58E3FD900000000000000000B000000000000004AB100B7008700000000000000000D000000000000000000"
    }
  }
#-}

// -----

func.func @bloomier_cell_bits() -> !cw.tensor<6x8xf32, #cw.bloomier<cell_bits = 6, cells = 48, seed = 24301, rows_per_chunk = 6>> {
  // expected-error @below {{#cw.bloomier blob has cell_bits = 8, hashes = 3, cells = 48, which the type #cw.bloomier<cell_bits = 6, cells = 48, seed = 24301, rows_per_chunk = 6> does not state}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01]> : tensor<3xf32>, data = dense_resource<bloomier> : tensor<128xi8>} : !cw.tensor<6x8xf32, #cw.bloomier<cell_bits = 6, cells = 48, seed = 24301, rows_per_chunk = 6>>
  return %w : !cw.tensor<6x8xf32, #cw.bloomier<cell_bits = 6, cells = 48, seed = 24301, rows_per_chunk = 6>>
}

{-#
  dialect_resources: {
    builtin: {
      bloomier: "0x010000004357424601030800060000000000000008000000000000000300000006000000010000000000000030000000000000007BBD3AE39A769FAD00000000000000000100000004000000003E00D0A1005C0000007D00C58E3FD900000000000000000B000000000000004AB100B7008700000000000000000D000000000000000000"
    }
  }
#-}

// -----

func.func @wavelet_shape() -> !cw.tensor<6x9xf32, #cw.wavelet> {
  // expected-error @below {{#cw.wavelet blob holds a 6x8 matrix, but the weight needs 6x9}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01]> : tensor<3xf32>, data = dense_resource<wavelet> : tensor<576xi8>} : !cw.tensor<6x9xf32, #cw.wavelet>
  return %w : !cw.tensor<6x9xf32, #cw.wavelet>
}

{-#
  dialect_resources: {
    builtin: {
      wavelet: "0x0100000043575754010003000600000000000000080000000000000000000000A6CE89A94000000000000000000000000000000000000000000000004002000000000000300000000000000004000000000000000200000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008000000000000000400100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000030000000000000000C00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008001030601350EC0200400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000030000000000000000D0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000A041830604000400F1CF000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    }
  }
#-}

// -----

func.func @wavelet_clusters() -> !cw.tensor<6x8xf32, #cw.wavelet> {
  // expected-error @below {{#cw.wavelet blob has 3 clusters but the codebook has 4}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01, 1.0]> : tensor<4xf32>, data = dense_resource<wavelet> : tensor<576xi8>} : !cw.tensor<6x8xf32, #cw.wavelet>
  return %w : !cw.tensor<6x8xf32, #cw.wavelet>
}

{-#
  dialect_resources: {
    builtin: {
      wavelet: "0x0100000043575754010003000600000000000000080000000000000000000000A6CE89A94000000000000000000000000000000000000000000000004002000000000000300000000000000004000000000000000200000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008000000000000000400100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000030000000000000000C00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008001030601350EC0200400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000030000000000000000D0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000A041830604000400F1CF000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    }
  }
#-}

// -----

func.func @wavelet_mode() -> !cw.tensor<6x8xf32, #cw.wavelet<mode = block>> {
  // expected-error @below {{#cw.wavelet blob is in element mode, which the type #cw.wavelet<mode = block> does not state}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01]> : tensor<3xf32>, data = dense_resource<wavelet> : tensor<576xi8>} : !cw.tensor<6x8xf32, #cw.wavelet<mode = block>>
  return %w : !cw.tensor<6x8xf32, #cw.wavelet<mode = block>>
}

{-#
  dialect_resources: {
    builtin: {
      wavelet: "0x0100000043575754010003000600000000000000080000000000000000000000A6CE89A94000000000000000000000000000000000000000000000004002000000000000300000000000000004000000000000000200000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008000000000000000400100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000030000000000000000C00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000008001030601350EC0200400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000030000000000000000D0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000A041830604000400F1CF000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    }
  }
#-}

// -----

func.func @declared_length() -> !cw.tensor<6x8xf32, #cw.csr<gap_bits = 3>> {
  // expected-error @below {{'cw.weights' op data is declared as 'tensor<5xi8>' but its blob holds 90 bytes}}
  %w = cw.weights {codebook = dense<[-5.000000e-01, 2.500000e-01, 7.500000e-01]> : tensor<3xf32>, data = dense_resource<csr> : tensor<5xi8>} : !cw.tensor<6x8xf32, #cw.csr<gap_bits = 3>>
  return %w : !cw.tensor<6x8xf32, #cw.csr<gap_bits = 3>>
}

{-#
  dialect_resources: {
    builtin: {
      csr: "0x01000000435752490103030206000000080000000300030C4000000001000000330000000000000004000000030000004088000800000005000000410C02080000000000000000003300000000000000E21601A07F1D4C2C1202EBF69B02"
    }
  }
#-}

// -----

func.func @splat_data() -> !cw.tensor<6x8xf32, #cw.dense> {
  // expected-error @below {{'cw.weights' op data must hold the blob's bytes, not a splat}}
  %w = cw.weights {codebook = dense<[1.0]> : tensor<1xf32>, data = dense<7> : tensor<64xi8>} : !cw.tensor<6x8xf32, #cw.dense>
  return %w : !cw.tensor<6x8xf32, #cw.dense>
}

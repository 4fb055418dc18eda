// Lowering errors of #cw.sz: blobs the verifier accepts (it reads only the
// header) but the generated decoder cannot or must not decode.
// RUN: cw-opt %s --split-input-file --convert-cw-to-loops -verify-diagnostics

// A valid stage-1 blob (Huffman + zstd): decodable by the reference decoder,
// but generated code would need libzstd.
func.func @zstd_stage() -> tensor<2x4xf32> {
  %w = cw.weights {data = dense_resource<stage1> : tensor<163xi8>} : !cw.tensor<2x4xf32, #cw.sz>
  // expected-error @below {{cannot lower a #cw.sz blob with entropy stage 1 (zstd): generated code decodes stage 2 (raw Huffman); re-encode the weights with cw-encode}}
  %d = cw.decode %w : !cw.tensor<2x4xf32, #cw.sz> -> tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      stage1: "0x040000004357535A0101010002000000000000000400000000000000FCA9F1D24D62503FFF7F00000001000001000000000000000000000004000000000000000100000015000000110000002100000014000000000000004540362828B52FFD24084100000200000002000000012AEA3728B52FFD240421000001020201049FB67328B52FFD2414A10000EA0300000B000000E2CF07887F0F207E3E800036CC7A58990000003E"
    }
  }
#-}

// -----

// A stage-2 blob with one flipped payload bit: the header (and its checksum)
// is intact, but decoding the chunk uses an escape that does not exist. The
// lowering decodes the blob once with the codec and refuses it.
func.func @corrupted_payload(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = cw.weights {data = dense_resource<bad> : tensor<136xi8>} : !cw.tensor<2x4xf32, #cw.sz>
  // expected-error @below {{malformed #cw.sz blob: sz: chunk 0 uses more escapes than its 1}}
  %y = cw.matmul %x, %w : (tensor<1x4xf32>, !cw.tensor<2x4xf32, #cw.sz>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      bad: "0x040000004357535A0101020002000000000000000400000000000000FCA9F1D24D62503FFF07000000010000010000000C0200000C00000000000000010000000000000003000000020000002004EA0300000B000000E2CF07887F0F207E3E800000000000000000000C00000000000000000000000000000001000000000000000AB3D9A0C8D8010000003E"
    }
  }
#-}

// -----

// The same blob intact lowers (the control for the case above).
func.func @intact(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = cw.weights {data = dense_resource<good> : tensor<136xi8>} : !cw.tensor<2x4xf32, #cw.sz>
  %y = cw.matmul %x, %w : (tensor<1x4xf32>, !cw.tensor<2x4xf32, #cw.sz>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      good: "0x040000004357535A0101020002000000000000000400000000000000FCA9F1D24D62503FFF07000000010000010000000C0200000C00000000000000010000000000000003000000020000002004EA0300000B000000E2CF07887F0F207E3E800000000000000000000C00000000000000000000000000000001000000000000000AB3D9A0C8DC010000003E"
    }
  }
#-}

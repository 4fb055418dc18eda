// Errors of convert-cw-to-loops itself (the encodings' own lowering errors
// are in <encoding>-invalid.mlir): ops it cannot turn into a kernel call.
// RUN: cw-opt %s --split-input-file --convert-cw-to-loops -verify-diagnostics

// Kernels embed the blob: the weights must be a cw.weights in the module,
// not a function argument.
func.func @matmul_arg(%x: tensor<1x4xf32>, %w: !cw.tensor<2x4xf32, #cw.dense>) -> tensor<1x2xf32> {
  // expected-error @below {{cannot lower: weights must come from cw.weights}}
  %y = cw.matmul %x, %w : (tensor<1x4xf32>, !cw.tensor<2x4xf32, #cw.dense>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

func.func @conv_arg(%x: tensor<1x4x4x1xf32>, %w: !cw.tensor<2x2x2x1xf32, #cw.dense>, %b: tensor<2xf32>) -> tensor<1x3x3x2xf32> {
  // expected-error @below {{cannot lower: weights must come from cw.weights}}
  %y = cw.conv2d %x, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, !cw.tensor<2x2x2x1xf32, #cw.dense>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
  return %y : tensor<1x3x3x2xf32>
}

// -----

func.func @decode_arg(%w: !cw.tensor<2x4xf32, #cw.dense>) -> tensor<2x4xf32> {
  // expected-error @below {{cannot lower: weights must come from cw.weights}}
  %d = cw.decode %w : !cw.tensor<2x4xf32, #cw.dense> -> tensor<2x4xf32>
  return %d : tensor<2x4xf32>
}

// -----

// A resource the module does not hold (elided when printed, or never
// defined): the verifier lets it through, the lowering has nothing to embed.
func.func @missing_blob(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = cw.weights {codebook = dense<[-0.5, 0.25, 0.5]> : tensor<3xf32>, data = dense_resource<elsewhere> : tensor<26xi8>} : !cw.tensor<2x4xf32, #cw.dense>
  // expected-error @below {{cannot lower: the weight blob of '!cw.tensor<2x4xf32, #cw.dense>' is not available (elided resource?)}}
  %y = cw.matmul %x, %w : (tensor<1x4xf32>, !cw.tensor<2x4xf32, #cw.dense>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Kernels take static buffers: a dynamic batch is refused, not miscompiled.
func.func @matmul_dynamic(%x: tensor<?x4xf32>) -> tensor<?x2xf32> {
  %w = cw.weights {codebook = dense<[-0.5, 0.25, 0.5]> : tensor<3xf32>, data = dense_resource<fc> : tensor<26xi8>} : !cw.tensor<2x4xf32, #cw.dense>
  // expected-error @below {{cannot lower: cw.matmul needs static shapes}}
  %y = cw.matmul %x, %w : (tensor<?x4xf32>, !cw.tensor<2x4xf32, #cw.dense>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      fc: "0x010000004357444E01020000000000000004000000000000000300028304"
    }
  }
#-}

// -----

func.func @conv_dynamic(%x: tensor<?x4x4x1xf32>) -> tensor<?x3x3x2xf32> {
  %w = cw.weights {codebook = dense<[-0.5, 0.25, 0.5]> : tensor<3xf32>, data = dense_resource<conv> : tensor<26xi8>} : !cw.tensor<2x2x2x1xf32, #cw.dense>
  %b = "tosa.const"() {values = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-error @below {{cannot lower: cw.conv2d needs static shapes}}
  %y = cw.conv2d %x, %w, %b {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x4x4x1xf32>, !cw.tensor<2x2x2x1xf32, #cw.dense>, tensor<2xf32>) -> tensor<?x3x3x2xf32>
  return %y : tensor<?x3x3x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      conv: "0x010000004357444E01020000000000000004000000000000000300028304"
    }
  }
#-}

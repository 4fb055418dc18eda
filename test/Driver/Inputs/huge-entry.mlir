// An entry point whose buffer size does not fit an int64 (2^62 x 4 floats).
func.func @forward(%x: tensor<4611686018427387904x4xf32>) -> tensor<4611686018427387904x4xf32> {
  %y = tosa.abs %x : (tensor<4611686018427387904x4xf32>) -> tensor<4611686018427387904x4xf32>
  return %y : tensor<4611686018427387904x4xf32>
}

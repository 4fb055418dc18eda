// Results that alias an input: bufferization returns them as clones of the
// argument buffer (bufferization.clone), which the pipeline must lower.
func.func @flat(%x: tensor<1x2x3x4xf32>) -> tensor<1x24xf32> {
  %s = tosa.const_shape {values = dense<[1, 24]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.reshape %x, %s : (tensor<1x2x3x4xf32>, !tosa.shape<2>) -> tensor<1x24xf32>
  return %y : tensor<1x24xf32>
}
func.func @same(%x: tensor<5xf32>) -> tensor<5xf32> {
  return %x : tensor<5xf32>
}

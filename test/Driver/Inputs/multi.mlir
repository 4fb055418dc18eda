// Two public functions (several inputs and outputs, an i32 output, a rank-0
// output) and a private helper, none with cw ops.
func.func private @helper(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tosa.clamp %a {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
func.func @pair(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %s = tosa.add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = call @helper(%s) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %m = tosa.mul %a, %b, %shift : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<1xi8>) -> tensor<2x3xf32>
  return %r, %m : tensor<2x3xf32>, tensor<2x3xf32>
}
func.func @"stats.v2"(%x: tensor<4xf32>) -> (tensor<f32>, tensor<4xi32>) {
  %s = tosa.reduce_sum %x {axis = 0 : i32} : (tensor<4xf32>) -> tensor<1xf32>
  %shape = tosa.const_shape {values = dense<> : tensor<0xindex>} : () -> !tosa.shape<0>
  %r = tosa.reshape %s, %shape : (tensor<1xf32>, !tosa.shape<0>) -> tensor<f32>
  %i = tosa.cast %x : (tensor<4xf32>) -> tensor<4xi32>
  return %r, %i : tensor<f32>, tensor<4xi32>
}

// Conv: NCHW activations are transposed to NHWC around tosa.conv2d; the
// constant [OC,IC,KH,KW] weight is pre-transposed to [OC,KH,KW,IC] at import.
// REQUIRES: python-onnx
// RUN: %python %S/Inputs/make_model.py conv %t.onnx
// RUN: cw-import %t.onnx -o - | FileCheck %s
// RUN: %python %S/Inputs/make_model.py depthwise %t.dw.onnx
// RUN: cw-import %t.dw.onnx -o - | FileCheck %s --check-prefix=DW

// CHECK-LABEL: func.func @forward(%{{.*}}: tensor<1x3x8x8xf32>) -> tensor<1x6x4x4xf32>
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{values = dense_resource<conv1.bias> : tensor<6xf32>}>
// CHECK-DAG: %[[W:.*]] = "tosa.const"() <{values = dense_resource<conv1.weight> : tensor<6x3x3x3xf32>}>
// CHECK:     %[[X:.*]] = tosa.transpose %arg0 {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x8x8x3xf32>
// CHECK:     %[[C:.*]] = tosa.conv2d %[[X]], %[[W]], %[[B]], %{{.*}}, %{{.*}} {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>}
// CHECK-SAME:  -> tensor<1x4x4x6xf32>
// CHECK:     tosa.transpose %[[C]] {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x4x4x6xf32>) -> tensor<1x6x4x4xf32>

// Depthwise (group = channels): weight [C*M,1,KH,KW] becomes [KH,KW,C,M].
// DW-LABEL: func.func @forward(%{{.*}}: tensor<1x3x5x5xf32>) -> tensor<1x6x5x5xf32>
// DW: %[[W:.*]] = "tosa.const"() <{values = dense_resource<dw.weight> : tensor<3x3x3x2xf32>}>
// DW: tosa.depthwise_conv2d %{{.*}}, %[[W]], %{{.*}} {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>}
// DW-SAME: -> tensor<1x5x5x6xf32>

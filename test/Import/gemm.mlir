// A torch-style Linear (Gemm transB=1, constant weight) keeps the weight as
// stored ([out,in]) behind tosa.transpose/tosa.reshape feeding tosa.matmul.
// REQUIRES: python-onnx
// RUN: %python %S/Inputs/make_model.py gemm %t.onnx
// RUN: cw-import %t.onnx -o - --mlir-print-debuginfo | FileCheck %s

// CHECK-LABEL: func.func @forward(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8xf32> loc("x"))
// CHECK-SAME:    -> tensor<1x4xf32> attributes {llvm.emit_c_interface}
// CHECK:   %[[W:.*]] = "tosa.const"() <{values = dense_resource<fc.weight> : tensor<4x8xf32>}>
// CHECK-SAME: loc(#[[WLOC:.*]])
// CHECK:   %[[A:.*]] = tosa.reshape %[[X]], %{{.*}} : (tensor<1x8xf32>, !tosa.shape<3>) -> tensor<1x1x8xf32>
// CHECK:   %[[WT:.*]] = tosa.transpose %[[W]] {perms = array<i32: 1, 0>} : (tensor<4x8xf32>) -> tensor<8x4xf32>
// CHECK:   %[[W3:.*]] = tosa.reshape %[[WT]], %{{.*}} -> tensor<1x8x4xf32>
// CHECK:   %[[MM:.*]] = tosa.matmul %[[A]], %[[W3]], %{{.*}}, %{{.*}} : (tensor<1x1x8xf32>, tensor<1x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32> loc(#[[FC:.*]])
// CHECK:   %[[Y:.*]] = tosa.reshape %[[MM]]
// CHECK:   %[[B:.*]] = "tosa.const"() <{values = dense_resource<fc.bias> : tensor<4xf32>}>
// CHECK:   %[[B2:.*]] = tosa.reshape %[[B]], %{{.*}} -> tensor<1x4xf32>
// CHECK:   %[[ADD:.*]] = tosa.add %[[Y]], %[[B2]] : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32> loc(#[[FC]])
// CHECK:   %[[R:.*]] = tosa.clamp %[[ADD]] {max_val = 0x7F800000 : f32, min_val = 0.000000e+00 : f32} {{.*}} loc(#[[RELU:.*]])
// CHECK:   return %[[R]]
// CHECK-DAG: #[[WLOC]] = loc("fc.weight")
// CHECK-DAG: #[[FC]] = loc("fc")
// CHECK-DAG: #[[RELU]] = loc("relu")
// CHECK: dialect_resources
// CHECK-NEXT: builtin
// CHECK-NEXT: fc.weight: "0x40000000
// CHECK: fc.bias: "0x40000000

// A LeNet-5 graph as torch exports it: Conv/MaxPool/Reshape (constant shape
// from a Constant node, -1 inferred)/Gemm/Relu/LogSoftmax. Bytecode output
// round-trips through mlir-opt.
// REQUIRES: python-onnx
// RUN: %python %S/Inputs/make_model.py lenet5 %t.onnx
// RUN: cw-import %t.onnx -o - --mlir-elide-resource-strings-if-larger=16 | FileCheck %s
// RUN: cw-import %t.onnx --emit-bytecode -o %t.mlirbc
// RUN: %mlir_opt %t.mlirbc --mlir-elide-resource-strings-if-larger=16 | FileCheck %s

// CHECK-LABEL: func.func @forward(%{{.*}}: tensor<1x1x28x28xf32>) -> tensor<1x10xf32>
// CHECK: tosa.conv2d {{.*}} -> tensor<1x24x24x20xf32>
// CHECK: tosa.max_pool2d {{.*}} {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x24x24x20xf32>) -> tensor<1x12x12x20xf32>
// CHECK: tosa.conv2d {{.*}} -> tensor<1x8x8x50xf32>
// CHECK: tosa.max_pool2d {{.*}} -> tensor<1x4x4x50xf32>
// CHECK: tosa.reshape {{.*}} : (tensor<1x50x4x4xf32>, !tosa.shape<2>) -> tensor<1x800xf32>
// CHECK: "tosa.const"() <{values = dense_resource<ip1.weight> : tensor<500x800xf32>}>
// CHECK: tosa.matmul {{.*}} -> tensor<1x1x500xf32>
// CHECK: tosa.clamp
// CHECK: tosa.matmul {{.*}} -> tensor<1x1x10xf32>
// CHECK: tosa.reduce_max {{.*}} {axis = 1 : i32}
// CHECK: tosa.exp
// CHECK: tosa.reduce_sum
// CHECK: tosa.log
// CHECK: %[[Y:.*]] = tosa.sub
// CHECK: return %[[Y]] : tensor<1x10xf32>

// Symbolic dimensions take --dim-default (1 by default); the Shape/Gather/
// Unsqueeze/Concat chain torch emits for x.view(x.size(0), -1) folds to a
// constant shape.
// REQUIRES: python-onnx
// RUN: %python %S/Inputs/make_model.py dynamic_flatten %t.onnx
// RUN: cw-import %t.onnx -o - | FileCheck %s
// RUN: cw-import %t.onnx --dim-default=8 -o - | FileCheck %s --check-prefix=B8

// CHECK: func.func @forward(%[[X:.*]]: tensor<1x2x3x4xf32>) -> tensor<1x24xf32>
// CHECK-NEXT: %[[S:.*]] = tosa.const_shape {values = dense<[1, 24]> : tensor<2xindex>}
// CHECK-NEXT: %[[Y:.*]] = tosa.reshape %[[X]], %[[S]]
// CHECK-NEXT: return %[[Y]]

// B8: func.func @forward(%{{.*}}: tensor<8x2x3x4xf32>) -> tensor<8x24xf32>

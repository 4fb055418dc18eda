// Import checks on ONNX backend node tests shipped by Debian's
// libonnx-testdata (numerical checks: scripts/onnx_conformance.py).
// RUN: cw-import /usr/share/libonnx-testdata/data/node/test_averagepool_2d_pads_count_include_pad/model.onnx -o - | FileCheck %s --check-prefix=AVG
// RUN: cw-import /usr/share/libonnx-testdata/data/node/test_averagepool_2d_precomputed_strides/model.onnx -o - | FileCheck %s --check-prefix=TRIM
// RUN: cw-import /usr/share/libonnx-testdata/data/node/test_softmax_axis_0/model.onnx -o - | FileCheck %s --check-prefix=SOFTMAX

// count_include_pad=1: explicit pads become zeros counted by avg_pool2d.
// AVG: %[[P:.*]] = tosa.pad %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x28x28x3xf32>, !tosa.shape<8>, tensor<1xf32>) -> tensor<1x32x32x3xf32>
// AVG: tosa.avg_pool2d %[[P]], %{{.*}}, %{{.*}} {acc_type = f32, kernel = array<i64: 3, 3>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}

// TOSA needs (in + pads - kernel) divisible by the stride: the bottom row
// that no window reaches is sliced off.
// TRIM: %[[S:.*]] = tosa.slice %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x5x5x1xf32>, !tosa.shape<4>, !tosa.shape<4>) -> tensor<1x4x4x1xf32>
// TRIM: tosa.avg_pool2d %[[S]], {{.*}} pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} {{.*}} -> tensor<1x2x2x1xf32>

// SOFTMAX: tosa.reduce_max %arg0 {axis = 0 : i32} : (tensor<3x4x5xf32>) -> tensor<1x4x5xf32>
// SOFTMAX: tosa.reciprocal
// SOFTMAX: tosa.mul

// convert-cw-to-loops on #cw.dense: every position's cluster index sits at
// bit (row * cols + col) * b of the payload (DenseCodec.h); the kernel reads
// it with one unaligned peek (two word loads) and looks the weight up in the
// codebook table (entry 0 = the pruned 0.0), with no branch.
// Execution against the reference decoder is in test/e2e/dense.test.
//
// RUN: cw-opt %s --cw-encode=encoding=dense --cw-fuse --convert-cw-to-loops | FileCheck %s
// RUN: cw-opt %s --cw-encode=encoding=dense --convert-cw-to-loops | FileCheck %s --check-prefix=DECODE
// RUN: cw-opt %s --cw-encode=encoding=dense --cw-fuse --convert-cw-to-loops | FileCheck %s --check-prefix=SHARED

// One pair of tables per layer: the codebook (3 clusters + the zero) and the
// payload words (6 x 8 x 2 bits, padded with two zero words).
// CHECK-DAG: memref.global "private" constant @[[CB:cw_fc_0_codebook]] : memref<4xf32> = dense_resource<cw_fc_0_codebook> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @[[PAY:cw_fc_0_payload]] : memref<4xi64> = dense_resource<cw_fc_0_payload> {alignment = 64 : i64}
// fc2 holds the same weights as fc: its kernel reads fc's tables, no copies.
// SHARED-NOT: memref.global "private" constant @cw_fc2_1_
// CHECK-DAG: memref.global "private" constant @cw_conv_2_payload : memref<3xi64>
// The call site: the input as a [M, K] buffer, the output allocated.
// CHECK-LABEL: func.func @fc(
// CHECK: %[[XC:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<1x1x8xf32> into tensor<1x8xf32>
// CHECK: %[[XB:.*]] = bufferization.to_buffer %[[XC]] read_only : tensor<1x8xf32> to memref<1x8xf32>
// CHECK: %[[YB:.*]] = memref.alloc() : memref<1x6xf32>
// CHECK: call @cw_fc_0_matmul(%[[XB]], %[[YB]]) : (memref<1x8xf32>, memref<1x6xf32>) -> ()
// CHECK: %[[YT:.*]] = bufferization.to_tensor %[[YB]] restrict writable : memref<1x6xf32> to tensor<1x6xf32>
// CHECK: tensor.expand_shape %[[YT]] {{\[\[}}0, 1], [2]] output_shape [1, 1, 6] : tensor<1x6xf32> into tensor<1x1x6xf32>
// CHECK-NOT: cw.
// CHECK-LABEL: func.func @conv(
// CHECK: call @cw_conv_2_conv2d(%{{.*}}, %{{.*}}, %{{.*}}) : (memref<1x4x4x1xf32>, memref<2xf32>, memref<1x3x3x2xf32>) -> ()
// CHECK-LABEL: func.func private @cw_fc_0_matmul(
// CHECK-SAME: %[[X:.*]]: memref<1x8xf32>, %[[Y:.*]]: memref<1x6xf32>)
// CHECK: %[[CBT:.*]] = memref.get_global @[[CB]] : memref<4xf32>
// CHECK: %[[ACC:.*]] = memref.alloca() : memref<1xf32>
// CHECK: %[[W:.*]] = memref.get_global @[[PAY]] : memref<4xi64>
// CHECK: scf.for %[[ROW:.*]] = %{{.*}} to %c6 step
// CHECK: memref.store %{{.*}}, %[[ACC]]
// CHECK: %[[R64:.*]] = arith.index_castui %[[ROW]] : index to i64
// CHECK: %[[BASE:.*]] = arith.muli %[[R64]], %c16_i64 : i64
// CHECK: scf.for %[[COL:.*]] = %{{.*}} to %c8 step
// CHECK: %[[C64:.*]] = arith.index_castui %[[COL]] : index to i64
// CHECK: %[[OFF:.*]] = arith.muli %[[C64]], %c2_i64 : i64
// CHECK: %[[POS:.*]] = arith.addi %[[BASE]], %[[OFF]] : i64
// CHECK: %[[WI:.*]] = arith.shrui %[[POS]], %c6_i64 : i64
// CHECK: %[[SH:.*]] = arith.andi %[[POS]], %c63_i64 : i64
// CHECK: memref.load %[[W]]
// CHECK: memref.load %[[W]]
// CHECK: %[[MASK:.*]] = arith.subi %{{.*}}, %c1_i64 : i64
// CHECK: %[[IDX:.*]] = arith.andi %{{.*}}, %[[MASK]] : i64
// CHECK: %[[IDXI:.*]] = arith.index_castui %[[IDX]] : i64 to index
// CHECK: %[[WV:.*]] = memref.load %[[CBT]][%[[IDXI]]] : memref<4xf32>
// CHECK: %[[XV:.*]] = memref.load %[[X]][%{{.*}}, %[[COL]]] : memref<1x8xf32>
// CHECK: %[[A:.*]] = memref.load %[[ACC]]
// CHECK: %[[P:.*]] = arith.mulf %[[XV]], %[[WV]] : f32
// CHECK: %[[S:.*]] = arith.addf %[[A]], %[[P]] : f32
// CHECK: memref.store %[[S]], %[[ACC]]
// CHECK: }
// CHECK: %[[SUM:.*]] = memref.load %[[ACC]]
// CHECK: memref.store %[[SUM]], %[[Y]][%{{.*}}, %[[ROW]]] : memref<1x6xf32>
// CHECK: return

// Two input rows: each weight is decoded once and used for both. The input
// is transposed once, so the two inputs of a column are one vector; the row's
// two sums are one vector in a stack slot; a zero weight is skipped.
// CHECK-LABEL: func.func private @cw_fc2_1_matmul(
// CHECK-SAME: %[[X2:.*]]: memref<2x8xf32>, %[[Y2:.*]]: memref<2x6xf32>)
// CHECK: memref.get_global @[[CB]] : memref<4xf32>
// CHECK: %[[XT:.*]] = memref.alloc() : memref<8x2xf32>
// CHECK: %[[XE:.*]] = memref.load %[[X2]][%[[XI:.*]], %[[XC:.*]]] : memref<2x8xf32>
// CHECK: memref.store %[[XE]], %[[XT]][%[[XC]], %[[XI]]] : memref<8x2xf32>
// CHECK: %[[ACC2:.*]] = memref.alloca() : memref<2xf32>
// CHECK: memref.get_global @[[PAY]] : memref<4xi64>
// CHECK: scf.for %[[ROW2:.*]] = %{{.*}} to %c6 step
// CHECK: vector.store %{{.*}}, %[[ACC2]][%{{.*}}] : memref<2xf32>, vector<2xf32>
// CHECK: scf.for %[[COL2:.*]] = %{{.*}} to %c8{{.*}} step
// CHECK: %[[WV2:.*]] = memref.load %{{.*}} : memref<4xf32>
// CHECK: %[[NZ:.*]] = arith.cmpf une, %[[WV2]], %{{.*}} : f32
// CHECK: scf.if %[[NZ]] {
// CHECK: %[[A2:.*]] = vector.load %[[ACC2]][%{{.*}}] : memref<2xf32>, vector<2xf32>
// CHECK: %[[XV2:.*]] = vector.load %[[XT]][%[[COL2]], %{{.*}}] : memref<8x2xf32>, vector<2xf32>
// CHECK: %[[WB:.*]] = vector.broadcast %[[WV2]] : f32 to vector<2xf32>
// CHECK: %[[P2:.*]] = arith.mulf %[[XV2]], %[[WB]] : vector<2xf32>
// CHECK: %[[S2:.*]] = arith.addf %[[A2]], %[[P2]] : vector<2xf32>
// CHECK: vector.store %[[S2]], %[[ACC2]][%{{.*}}] : memref<2xf32>, vector<2xf32>
// CHECK: %[[SUM2:.*]] = vector.load %[[ACC2]]
// CHECK: vector.extract %[[SUM2]][0]
// CHECK: memref.store %{{.*}}, %[[Y2]][%{{.*}}, %[[ROW2]]] : memref<2x6xf32>

// The conv kernel: y starts as the bias; each decoded weight (oc, kh, kw,
// ic) = (row, col / (KW * IC), ..., col % IC) is applied to every output
// pixel.
// CHECK-LABEL: func.func private @cw_conv_2_conv2d(
// CHECK-SAME: %[[CX:.*]]: memref<1x4x4x1xf32>, %[[CB2:.*]]: memref<2xf32>, %[[CY:.*]]: memref<1x3x3x2xf32>)
// CHECK: scf.for %{{.*}} = %{{.*}} to %c9 step
// CHECK: scf.for %[[OC0:.*]] = %{{.*}} to %c2{{.*}} step
// CHECK: %[[BV:.*]] = memref.load %[[CB2]][%[[OC0]]] : memref<2xf32>
// CHECK: memref.store %[[BV]], %[[CY]][%{{.*}}, %{{.*}}, %{{.*}}, %[[OC0]]] : memref<1x3x3x2xf32>
// CHECK: scf.for %[[OC:.*]] = %{{.*}} to %c2 step
// CHECK: scf.for %[[CCOL:.*]] = %{{.*}} to %c4 step
// CHECK: %[[CW:.*]] = memref.load %{{.*}} : memref<4xf32>
// CHECK: %[[KH:.*]] = arith.divui %[[CCOL]], %c2{{.*}} : index
// CHECK: scf.for %[[OH:.*]] = %{{.*}} to %c3 step
// CHECK: scf.for %[[OW:.*]] = %{{.*}} to %c3{{.*}} step
// CHECK: %[[CXV:.*]] = memref.load %[[CX]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : memref<1x4x4x1xf32>
// CHECK: %[[CYV:.*]] = memref.load %[[CY]][%{{.*}}, %[[OH]], %[[OW]], %[[OC]]] : memref<1x3x3x2xf32>
// CHECK: %[[CP:.*]] = arith.mulf %[[CXV]], %[[CW]] : f32
// CHECK: %[[CS:.*]] = arith.addf %[[CYV]], %[[CP]] : f32
// CHECK: memref.store %[[CS]], %[[CY]][%{{.*}}, %[[OH]], %[[OW]], %[[OC]]] : memref<1x3x3x2xf32>

// Without cw-fuse, cw.decode: the kernel fills a zeroed [rows, cols] buffer
// and the relayout back to the weight operand stays TOSA.
// DECODE-LABEL: func.func @fc(
// DECODE: %[[OUT:.*]] = memref.alloc() : memref<6x8xf32>
// DECODE: call @cw_fc_0_decode(%[[OUT]]) : (memref<6x8xf32>) -> ()
// DECODE: %[[T:.*]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<6x8xf32> to tensor<6x8xf32>
// DECODE: tosa.transpose %[[T]]
// DECODE: tosa.matmul
// The conv's [OC, KH, KW, IC] weight decodes through a [OC, KH*KW*IC] buffer.
// DECODE-LABEL: func.func @conv(
// DECODE: call @cw_conv_2_decode(%{{.*}}) : (memref<2x4xf32>) -> ()
// DECODE: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<2x4xf32> into tensor<8xf32>
// DECODE: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] output_shape [2, 2, 2, 1] : tensor<8xf32> into tensor<2x2x2x1xf32>
// DECODE: tosa.conv2d
// DECODE-LABEL: func.func private @cw_fc_0_decode(
// DECODE-SAME: %[[O:.*]]: memref<6x8xf32>)
// DECODE: linalg.fill ins(%{{.*}} : f32) outs(%[[O]] : memref<6x8xf32>)
// DECODE: scf.for %[[DR:.*]] = %{{.*}} to %c6 step
// DECODE: scf.for %[[DC:.*]] = %{{.*}} to %c8 step
// DECODE: %[[DW:.*]] = memref.load %{{.*}} : memref<4xf32>
// DECODE-NEXT: memref.store %[[DW]], %[[O]][%[[DR]], %[[DC]]] : memref<6x8xf32>

func.func @fc(%x: tensor<1x1x8xf32>) -> tensor<1x1x6xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.75, 0.75, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.75, -0.5, 0.0, 0.75], [-0.5, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.0, 0.0, 0.0, -0.5], [0.0, 0.75, 0.0, 0.0, 0.75, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0]]]> : tensor<1x8x6xf32>} : () -> tensor<1x8x6xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x6xf32> loc("fc")
  return %y : tensor<1x1x6xf32>
}

func.func @fc2(%x: tensor<1x2x8xf32>) -> tensor<1x2x6xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.75, 0.75, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.75, -0.5, 0.0, 0.75], [-0.5, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.0, 0.0, 0.0, -0.5], [0.0, 0.75, 0.0, 0.0, 0.75, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0]]]> : tensor<1x8x6xf32>} : () -> tensor<1x8x6xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x2x8xf32>, tensor<1x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x6xf32> loc("fc2")
  return %y : tensor<1x2x6xf32>
}

func.func @conv(%x: tensor<1x4x4x1xf32>) -> tensor<1x3x3x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %b = "tosa.const"() {values = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %w = "tosa.const"() {values = dense<[[[[0.25], [0.0]], [[0.0], [-0.25]]], [[[0.0], [0.0]], [[1.0], [0.0]]]]> : tensor<2x2x2x1xf32>} : () -> tensor<2x2x2x1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x2xf32> loc("conv")
  return %y : tensor<1x3x3x2xf32>
}

// convert-cw-to-loops on #cw.huffman: every cluster index of the dense
// matrix is Huffman-coded (HuffmanCodec.h). The kernel embeds the payload,
// the chunk bit offsets and one flat decode table of 2^L entries for the
// longest code length L (entry = symbol | length << 16), so a symbol is one
// L-bit peek and one table load, and the stream position advances by the
// entry's length. Chunks of rows decode independently from their offsets.
// Execution against the reference decoder is in test/e2e/huffman.test.
//
// RUN: cw-opt %s --cw-encode=encoding=huffman --cw-fuse --convert-cw-to-loops=interleave=1 | FileCheck %s
// RUN: cw-opt %s --cw-encode='encoding=huffman rows-per-chunk=2' --cw-fuse --convert-cw-to-loops=interleave=1 | FileCheck %s --check-prefix=CHUNKS
// RUN: cw-opt %s --cw-encode=encoding=huffman --cw-fuse --convert-cw-to-loops | FileCheck %s --check-prefix=DEFAULT
// RUN: cw-opt %s --cw-encode=encoding=huffman --convert-cw-to-loops | FileCheck %s --check-prefix=DECODE

// fc: 6x8, 3 clusters; the longest code has 3 bits: an 8-entry table.
// CHECK-DAG: memref.global "private" constant @[[CB:cw_fc_0_codebook]] : memref<4xf32> = dense_resource<cw_fc_0_codebook> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @[[OFFS:cw_fc_0_chunk_offsets]] : memref<2xi64> = dense_resource<cw_fc_0_chunk_offsets> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @[[PAY:cw_fc_0_payload]] : memref<4xi64> = dense_resource<cw_fc_0_payload> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @[[TAB:cw_fc_0_table]] : memref<8xi32> = dense_resource<cw_fc_0_table> {alignment = 64 : i64}
// CHECK-LABEL: func.func @fc(
// CHECK: call @cw_fc_0_matmul(%{{.*}}, %{{.*}}) : (memref<1x8xf32>, memref<1x6xf32>) -> ()
// CHECK-LABEL: func.func @conv(
// CHECK: call @cw_conv_1_conv2d(%{{.*}}, %{{.*}}, %{{.*}}) : (memref<1x4x4x1xf32>, memref<2xf32>, memref<1x3x3x2xf32>) -> ()
// CHECK-LABEL: func.func private @cw_fc_0_matmul(
// CHECK-SAME: %[[X:.*]]: memref<1x8xf32>, %[[Y:.*]]: memref<1x6xf32>)
// CHECK-DAG: %[[CBT:.*]] = memref.get_global @[[CB]] : memref<4xf32>
// CHECK-DAG: %[[T:.*]] = memref.get_global @[[TAB]] : memref<8xi32>
// CHECK-DAG: %[[W:.*]] = memref.get_global @[[PAY]] : memref<4xi64>
// CHECK-DAG: %[[OFF:.*]] = memref.get_global @[[OFFS]] : memref<2xi64>
// One chunk (64 rows per chunk by default): its start bit, then its rows.
// CHECK: scf.for %[[CHUNK:.*]] = %{{.*}} to %c1{{.*}} step
// CHECK: %[[FIRST:.*]] = arith.muli %[[CHUNK]], %c64 : index
// CHECK: %[[LAST:.*]] = arith.minui %{{.*}}, %c6 : index
// CHECK: %[[START:.*]] = memref.load %[[OFF]][%[[CHUNK]]] : memref<2xi64>
// CHECK: scf.for %[[ROW:.*]] = %[[FIRST]] to %[[LAST]] step %{{.*}} iter_args(%[[RPOS:.*]] = %[[START]]) -> (i64) {
// Every column is coded, zeros included.
// CHECK: scf.for %[[COL:.*]] = %{{.*}} to %c8 step %{{.*}} iter_args(%[[POS:.*]] = %[[RPOS]]) -> (i64) {
// CHECK: %[[WI:.*]] = arith.shrui %[[POS]], %c6_i64 : i64
// CHECK: %[[SH:.*]] = arith.andi %[[POS]], %c63_i64 : i64
// CHECK: memref.load %[[W]]
// CHECK: memref.load %[[W]]
// CHECK: %[[PEEK:.*]] = arith.andi %{{.*}}, %{{.*}} : i64
// CHECK: %[[PI:.*]] = arith.index_castui %[[PEEK]] : i64 to index
// CHECK: %[[E:.*]] = memref.load %[[T]][%[[PI]]] : memref<8xi32>
// CHECK: %[[E64:.*]] = arith.extui %[[E]] : i32 to i64
// CHECK: %[[SYM:.*]] = arith.andi %[[E64]], %c65535_i64 : i64
// CHECK: %[[LS:.*]] = arith.shrui %[[E64]], %c16_i64 : i64
// CHECK: %[[LEN:.*]] = arith.andi %[[LS]], %c31_i64 : i64
// CHECK: %[[NEXT:.*]] = arith.addi %[[POS]], %[[LEN]] : i64
// CHECK: %[[SI:.*]] = arith.index_castui %[[SYM]] : i64 to index
// CHECK: %[[WV:.*]] = memref.load %[[CBT]][%[[SI]]] : memref<4xf32>
// CHECK: %[[XV:.*]] = memref.load %[[X]][%{{.*}}, %[[COL]]] : memref<1x8xf32>
// CHECK: arith.mulf %[[XV]], %[[WV]] : f32
// CHECK: scf.yield %[[NEXT]] : i64
// The row's stream position carries over to the next row of the chunk.
// CHECK: memref.store %{{.*}}, %[[Y]][%{{.*}}, %[[ROW]]] : memref<1x6xf32>
// CHECK: scf.yield %{{.*}} : i64
// The conv kernel reads its weights the same way.
// CHECK-LABEL: func.func private @cw_conv_1_conv2d(
// CHECK: scf.for %{{.*}} = %{{.*}} to %c4 step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (i64) {
// CHECK: memref.load %{{.*}} : memref<8xi32>
// CHECK: arith.mulf

// Two rows per chunk: three chunks, each started from its own offset.
// CHUNKS: memref.global "private" constant @[[OFFS2:cw_fc_0_chunk_offsets]] : memref<4xi64>
// CHUNKS-LABEL: func.func private @cw_fc_0_matmul(
// CHUNKS: %[[OFF2:.*]] = memref.get_global @[[OFFS2]] : memref<4xi64>
// CHUNKS: scf.for %[[CH:.*]] = %{{.*}} to %c3{{.*}} step
// CHUNKS: arith.muli %[[CH]], %c2{{.*}} : index
// CHUNKS: memref.load %[[OFF2]][%[[CH]]] : memref<4xi64>

// The default lowering: the same tables, a private kernel per layer.
// DEFAULT-DAG: memref.global "private" constant @cw_fc_0_table : memref<8xi32>
// DEFAULT-DAG: memref.global "private" constant @cw_fc_0_codebook : memref<4xf32>
// DEFAULT-LABEL: func.func @fc(
// DEFAULT: call @cw_fc_0_matmul(
// DEFAULT-LABEL: func.func private @cw_fc_0_matmul(
// DEFAULT: memref.get_global @cw_fc_0_table
// DEFAULT: arith.mulf
// DEFAULT: return

// cw.decode: the decoded weight is stored at (row, col).
// DECODE-LABEL: func.func private @cw_fc_0_decode(
// DECODE-SAME: %[[O:.*]]: memref<6x8xf32>)
// DECODE: linalg.fill ins(%{{.*}} : f32) outs(%[[O]] : memref<6x8xf32>)
// DECODE: scf.for %[[DR:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (i64) {
// DECODE: scf.for %[[DC:.*]] = %{{.*}} to %c8 step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (i64) {
// DECODE: memref.load %{{.*}} : memref<8xi32>
// DECODE: %[[DW:.*]] = memref.load %{{.*}} : memref<4xf32>
// DECODE-NEXT: memref.store %[[DW]], %[[O]][%[[DR]], %[[DC]]] : memref<6x8xf32>

func.func @fc(%x: tensor<1x1x8xf32>) -> tensor<1x1x6xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.75, 0.75, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.75, -0.5, 0.0, 0.75], [-0.5, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.0, 0.0, 0.0, -0.5], [0.0, 0.75, 0.0, 0.0, 0.75, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0]]]> : tensor<1x8x6xf32>} : () -> tensor<1x8x6xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x6xf32> loc("fc")
  return %y : tensor<1x1x6xf32>
}

func.func @conv(%x: tensor<1x4x4x1xf32>) -> tensor<1x3x3x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %b = "tosa.const"() {values = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %w = "tosa.const"() {values = dense<[[[[0.25], [0.0]], [[0.0], [-0.25]]], [[[0.0], [0.0]], [[1.0], [0.0]]]]> : tensor<2x2x2x1xf32>} : () -> tensor<2x2x2x1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x2xf32> loc("conv")
  return %y : tensor<1x3x3x2xf32>
}

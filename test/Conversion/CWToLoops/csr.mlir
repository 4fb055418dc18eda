// convert-cw-to-loops on #cw.csr (Deep Compression's relative-index sparse
// rows, HuffmanCodec.h): per row an entry count (a fixed-width field of
// row_counts), per entry a gap and a cluster index, each a Huffman code
// (one peek + one flat-table load: entry = symbol | length << 16) or a
// fixed-width field. Only the stored entries reach the consumer; fillers
// carry index 0, which the codebook table maps to 0.0. This file checks the
// one-stream form (interleave=1); the interleaved row lanes of the default
// are in csr-interleave.mlir. Execution against the reference decoder is in
// test/e2e/csr.test.
//
// RUN: cw-opt %s --cw-encode=encoding=csr --cw-fuse --convert-cw-to-loops=interleave=1 | FileCheck %s
// RUN: cw-opt %s --cw-encode='encoding=csr huffman-indices=false huffman-gaps=false gap-bits=3' --cw-fuse --convert-cw-to-loops=interleave=1 | FileCheck %s --check-prefix=PLAIN
// RUN: cw-opt %s --cw-encode=encoding=csr --convert-cw-to-loops | FileCheck %s --check-prefix=DECODE

// One stream: chunks of rows from their bit offsets, rows in order.
// CHECK-DAG: memref.global "private" constant @[[CB:cw_fc_0_codebook]] : memref<4xf32> = dense_resource<cw_fc_0_codebook> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @[[OFFS:cw_fc_0_chunk_offsets]] : memref<2xi64>
// CHECK-DAG: memref.global "private" constant @[[PAY:cw_fc_0_payload]] : memref<3xi64>
// CHECK-DAG: memref.global "private" constant @[[CNTS:cw_fc_0_row_counts]] : memref<3xi64>
// CHECK-DAG: memref.global "private" constant @[[ITAB:cw_fc_0_index_table]] : memref<4xi32>
// CHECK-DAG: memref.global "private" constant @[[GTAB:cw_fc_0_gap_table]] : memref<16xi32>
// CHECK-LABEL: func.func @fc(
// CHECK: call @cw_fc_0_matmul(%{{.*}}, %{{.*}}) : (memref<1x8xf32>, memref<1x6xf32>) -> ()
// CHECK-LABEL: func.func @conv(
// CHECK: call @cw_conv_1_conv2d(%{{.*}}, %{{.*}}, %{{.*}}) : (memref<1x4x4x1xf32>, memref<2xf32>, memref<1x3x3x2xf32>) -> ()
// CHECK-LABEL: func.func private @cw_fc_0_matmul(
// CHECK-SAME: %[[X:.*]]: memref<1x8xf32>, %[[Y:.*]]: memref<1x6xf32>)
// CHECK-DAG: %[[CBT:.*]] = memref.get_global @[[CB]]
// CHECK-DAG: %[[GT:.*]] = memref.get_global @[[GTAB]]
// CHECK-DAG: %[[IT:.*]] = memref.get_global @[[ITAB]]
// CHECK-DAG: %[[CNT:.*]] = memref.get_global @[[CNTS]]
// CHECK-DAG: %[[W:.*]] = memref.get_global @[[PAY]]
// CHECK-DAG: %[[OFF:.*]] = memref.get_global @[[OFFS]]
// CHECK: scf.for %[[CHUNK:.*]] = %{{.*}} to %{{.*}} step
// CHECK: %[[START:.*]] = memref.load %[[OFF]][%[[CHUNK]]] : memref<2xi64>
// CHECK: scf.for %[[ROW:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[RPOS:.*]] = %[[START]]) -> (i64) {
// The row's entry count: a 3-bit field at bit 3 * row of row_counts.
// CHECK: %[[R64:.*]] = arith.index_castui %[[ROW]] : index to i64
// CHECK: %[[CPOS:.*]] = arith.muli %[[R64]], %c3_i64 : i64
// CHECK: arith.shrui %[[CPOS]], %c6_i64
// CHECK: memref.load %[[CNT]]
// CHECK: %[[COUNT:.*]] = arith.andi %{{.*}}, %{{.*}} : i64
// CHECK: %[[COUNTI:.*]] = arith.index_castui %[[COUNT]] : i64 to index
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[COUNTI]] step %{{.*}} iter_args(%[[POS:.*]] = %[[RPOS]], %[[NEXT:.*]] = %c0_i64{{.*}}) -> (i64, i64) {
// The gap: a 4-bit peek into the 16-entry table.
// CHECK: arith.shrui %[[POS]], %c6_i64
// CHECK: memref.load %[[W]]
// CHECK: %[[GE:.*]] = memref.load %[[GT]][%{{.*}}] : memref<16xi32>
// CHECK: %[[GE64:.*]] = arith.extui %[[GE]] : i32 to i64
// CHECK: %[[GAP:.*]] = arith.andi %[[GE64]], %c65535_i64 : i64
// CHECK: %[[GLEN:.*]] = arith.andi %{{.*}}, %c31_i64 : i64
// CHECK: %[[POS1:.*]] = arith.addi %[[POS]], %[[GLEN]] : i64
// The index, read right after the gap.
// CHECK: arith.shrui %[[POS1]], %c6_i64
// CHECK: %[[IE:.*]] = memref.load %[[IT]][%{{.*}}] : memref<4xi32>
// CHECK: %[[IE64:.*]] = arith.extui %[[IE]] : i32 to i64
// CHECK: %[[IDX:.*]] = arith.andi %[[IE64]], %c65535_i64{{.*}} : i64
// CHECK: %[[ILEN:.*]] = arith.andi %{{.*}}, %c31_i64{{.*}} : i64
// CHECK: %[[POS2:.*]] = arith.addi %[[POS1]], %[[ILEN]] : i64
// CHECK: %[[COL:.*]] = arith.addi %[[NEXT]], %[[GAP]] : i64
// CHECK: %[[COLI:.*]] = arith.index_castui %[[COL]] : i64 to index
// CHECK: %[[IDXI:.*]] = arith.index_castui %[[IDX]] : i64 to index
// CHECK: %[[WV:.*]] = memref.load %[[CBT]][%[[IDXI]]] : memref<4xf32>
// CHECK: %[[XV:.*]] = memref.load %[[X]][%{{.*}}, %[[COLI]]] : memref<1x8xf32>
// CHECK: arith.mulf %[[XV]], %[[WV]] : f32
// CHECK: %[[AFTER:.*]] = arith.addi %[[COL]], %c1_i64{{.*}} : i64
// CHECK: scf.yield %[[POS2]], %[[AFTER]] : i64, i64
// CHECK: memref.store %{{.*}}, %[[Y]][%{{.*}}, %[[ROW]]] : memref<1x6xf32>

// Fixed-width fields (3-bit gaps, 2-bit indices): no decode tables, the
// position advances by the field widths.
// PLAIN-NOT: _table
// PLAIN-LABEL: func.func private @cw_fc_0_matmul(
// PLAIN: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[PPOS:.*]] = %{{.*}}, %[[PNEXT:.*]] = %c0_i64{{.*}}) -> (i64, i64) {
// PLAIN: arith.shrui %[[PPOS]], %c6_i64
// PLAIN: %[[GM:.*]] = arith.shli %c1_i64{{.*}}, %c3_i64{{.*}} : i64
// PLAIN: %[[GMASK:.*]] = arith.subi %[[GM]], %c1_i64{{.*}} : i64
// PLAIN: %[[PGAP:.*]] = arith.andi %{{.*}}, %[[GMASK]] : i64
// PLAIN: %[[PPOS1:.*]] = arith.addi %[[PPOS]], %c3_i64{{.*}} : i64
// PLAIN: arith.shrui %[[PPOS1]], %c6_i64
// PLAIN: %[[IM:.*]] = arith.shli %c1_i64{{.*}}, %c2_i64{{.*}} : i64
// PLAIN: %[[IMASK:.*]] = arith.subi %[[IM]], %c1_i64{{.*}} : i64
// PLAIN: %[[PIDX:.*]] = arith.andi %{{.*}}, %[[IMASK]] : i64
// PLAIN: %[[PPOS2:.*]] = arith.addi %[[PPOS1]], %c2_i64{{.*}} : i64
// PLAIN: %[[PCOL:.*]] = arith.addi %[[PNEXT]], %[[PGAP]] : i64
// PLAIN: %[[PIDXI:.*]] = arith.index_castui %[[PIDX]] : i64 to index
// PLAIN: memref.load %{{.*}}[%[[PIDXI]]] : memref<4xf32>
// PLAIN: arith.mulf
// PLAIN: scf.yield %[[PPOS2]], %{{.*}} : i64, i64

// cw.decode has no register accumulator: even by default, the one-stream
// loops, storing.
// DECODE-LABEL: func.func private @cw_fc_0_decode(
// DECODE-SAME: %[[O:.*]]: memref<6x8xf32>)
// DECODE: linalg.fill ins(%{{.*}} : f32) outs(%[[O]] : memref<6x8xf32>)
// DECODE: scf.for %[[DR:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (i64) {
// DECODE: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (i64, i64) {
// DECODE: %[[DW:.*]] = memref.load %{{.*}} : memref<4xf32>
// DECODE-NEXT: memref.store %[[DW]], %[[O]][%[[DR]], %{{.*}}] : memref<6x8xf32>

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

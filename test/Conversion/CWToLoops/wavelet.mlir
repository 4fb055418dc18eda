// convert-cw-to-loops on #cw.wavelet: the wavelet trees of the blob are
// embedded as i64 word tables (rank lines and all) and the kernels decode
// them at run time. Cursors per (level, prefix) are set up once with
// generated rank1 (meta word + popcounts); a pruned sequence (mostly symbol
// 0) is walked by skipping zeros: per level the zero path's cursor and the
// distance to its next 1 bit (a scf.while over whole words, then the
// trailing zeros), so only nonzero symbols reach the consumer, through one
// switch case per level at which a symbol can leave the zero path; a dense one
// is walked symbol by symbol (one bit read and cursor step per level).
// Execution against the reference decoder is in test/e2e/wavelet.test.
//
// RUN: cw-opt %s --cw-encode=encoding=wavelet --cw-fuse --convert-cw-to-loops | FileCheck %s
// RUN: cw-opt %s --cw-encode='encoding=wavelet wavelet-mode=block block-size=2' --cw-fuse --convert-cw-to-loops | FileCheck %s --check-prefix=BLOCK
// RUN: cw-opt %s --cw-encode='encoding=wavelet wavelet-mode=block block-size=3' --cw-fuse --convert-cw-to-loops | FileCheck %s --check-prefix=BLOCK3
// RUN: cw-opt %s --cw-encode='encoding=wavelet wavelet-mode=sparse' --cw-fuse --convert-cw-to-loops | FileCheck %s --check-prefix=SPARSE
// RUN: cw-opt %s --cw-encode=encoding=wavelet --convert-cw-to-loops | FileCheck %s --check-prefix=DECODE

// Element mode. fc (6x8, 15 nonzeros over 3 clusters: alphabet 4, 2 levels)
// is 69% zeros: the zero-skipping walk.
// CHECK-DAG: memref.global "private" constant @[[CB:cw_fc_0_codebook]] : memref<4xf32> = dense_resource<cw_fc_0_codebook> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @[[SEQ:cw_fc_0_seq]] : memref<66xi64> = dense_resource<cw_fc_0_seq> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @cw_fcd_1_seq : memref<90xi64>
// CHECK-DAG: memref.global "private" constant @cw_conv_2_seq : memref<66xi64>
// CHECK-LABEL: func.func @fc(
// CHECK: call @cw_fc_0_matmul(%{{.*}}, %{{.*}}) : (memref<1x8xf32>, memref<1x6xf32>) -> ()
// CHECK-LABEL: func.func private @cw_fc_0_matmul(
// CHECK-SAME: %[[X:.*]]: memref<1x8xf32>, %[[Y:.*]]: memref<1x6xf32>)
// CHECK-DAG: %[[CBT:.*]] = memref.get_global @[[CB]] : memref<4xf32>
// CHECK-DAG: %[[W:.*]] = memref.get_global @[[SEQ]] : memref<66xi64>
// One cursor per (level, prefix): 1 + 2.
// CHECK: %[[CUR:.*]] = memref.alloca() : memref<3xi64>
// Set-up: rank1 of level 0 at position 0 gives level 1's two cursors; the
// meta word is word 24 + 8 * (pos / 448) of the table.
// CHECK: scf.for
// CHECK: %[[POS:.*]] = memref.load %[[CUR]]
// CHECK: %[[LINE:.*]] = arith.divui %[[POS]], %c448_i64
// CHECK: %[[SH:.*]] = arith.shli %[[LINE]], %c3_i64
// CHECK: %[[MI:.*]] = arith.addi %c24_i64, %[[SH]]
// CHECK: %[[MIX:.*]] = arith.index_castui %[[MI]]
// CHECK: %[[META:.*]] = memref.load %[[W]][%[[MIX]]] : memref<66xi64>
// CHECK: arith.andi %[[META]], %c137438953471_i64
// CHECK: arith.constant 6148914691236517205 : i64
// CHECK: arith.subi %[[POS]], %[[R1:.*]] : i64
// CHECK: scf.if
// CHECK: arith.addi %c{{[0-9]+}}_i64{{.*}}, %[[R1]] : i64
// The first distance of each zero path: whole words until a 1 bit.
// CHECK: scf.while
// CHECK: memref.load %[[W]]
// CHECK: scf.condition
// Rows carry the zero-path cursors and distances of both levels.
// CHECK: scf.for %[[ROW:.*]] = %{{.*}} to %c6 step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (i64, i64, i64, i64) {
// CHECK: %{{.*}}:6 = scf.while (%[[COL:.*]] = %c0_i64{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %[[D0:.*]] = %{{.*}}, %[[D1:.*]] = %{{.*}}) : (i64, i64, i64, i64, i64) -> (i64, i64, i64, i64, i64, i64) {
// k = the zeros before the next nonzero; go on while it ends inside the row.
// CHECK: %[[K:.*]] = arith.minui %[[D0]], %[[D1]] : i64
// CHECK: %[[LEFT:.*]] = arith.subi %c8_i64{{.*}}, %[[COL]] : i64
// CHECK: %[[MORE:.*]] = arith.cmpi ult, %[[K]], %[[LEFT]] : i64
// CHECK: scf.condition(%[[MORE]])
// CHECK: } do {
// CHECK: %[[NZCOL:.*]] = arith.addi %{{.*}}, %[[KA:.*]] : i64
// ls, the level where the symbol leaves the zero path, picks one case of a
// switch, and each case does only its own levels' work.
// CHECK: %[[LS:.*]] = arith.select %{{.*}}, %c0{{.*}}, %c1{{.*}} : index
// CHECK: %[[KP1:.*]] = arith.addi %[[KA]], %c1_i64{{.*}} : i64
// CHECK: scf.index_switch %[[LS]] -> i64, i64, i64, i64, i64
// Exit at level 0: level 0 consumed the k zeros and the symbol's 1 bit
// (z0 += k + 1), level 1 only the k zeros (z1 += k, d1 -= k); level 0 scans
// for its next 1 bit; level 1 is a plain cursor step under prefix 1: load,
// bit read, step past the 448 data bits of a line, store.
// CHECK: case 0 {
// CHECK: %[[Z0:.*]] = arith.addi %{{.*}}, %[[KP1]] : i64
// CHECK: arith.addi %{{.*}}, %[[KA]] : i64
// CHECK: arith.divui %[[Z0]], %c448_i64
// CHECK: scf.while
// CHECK: scf.condition
// CHECK: %[[NEG:.*]] = arith.subi %c0_i64{{.*}}, %[[WORD:.*]]#2 : i64
// CHECK: %[[LOW:.*]] = arith.andi %[[WORD]]#2, %[[NEG]] : i64
// CHECK: arith.subi %[[LOW]], %c1_i64
// CHECK: arith.subi %{{.*}}, %[[KA]] : i64
// CHECK: %[[C:.*]] = memref.load %[[CUR]][%{{.*}}] : memref<3xi64>
// CHECK: arith.shrui %[[C]], %c6_i64
// CHECK: memref.load %[[W]]
// CHECK: %[[NEXT:.*]] = arith.addi %[[C]], %c1_i64
// CHECK: arith.andi %[[NEXT]], %c511_i64
// CHECK: arith.select %{{.*}}, %c64_i64{{.*}}, %c0_i64{{.*}} : i64
// CHECK: memref.store %{{.*}}, %[[CUR]][%{{.*}}] : memref<3xi64>
// CHECK: scf.yield
// Exit at level 1, the last: both levels consumed the symbol's bit, level 1
// scans; the symbol is 1 and no cursor moves.
// CHECK: default {
// CHECK-NOT: memref.load %[[CUR]]
// CHECK: scf.while
// CHECK-NOT: memref.load %[[CUR]]
// CHECK: scf.yield %c1_i64{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : i64, i64, i64, i64, i64
// The multiply-add of the nonzero only.
// CHECK: %[[COLI:.*]] = arith.index_castui %[[NZCOL]] : i64 to index
// CHECK: %[[WV:.*]] = memref.load %[[CBT]][%{{.*}}] : memref<4xf32>
// CHECK: %[[XV:.*]] = memref.load %[[X]][%{{.*}}, %[[COLI]]] : memref<1x8xf32>
// CHECK: arith.mulf %[[XV]], %[[WV]] : f32
// CHECK: scf.yield
// After the last nonzero of the row, the zero paths move past its end.
// CHECK: arith.subi %c8_i64{{.*}}, %{{.*}}#0 : i64
// CHECK: memref.store %{{.*}}, %[[Y]][%{{.*}}, %[[ROW]]] : memref<1x6xf32>
// CHECK: return

// fcd (3x4, no zeros, 4 clusters: alphabet 5, 3 levels): the plain walk,
// one symbol per column; the level-0 cursor is carried in registers.
// CHECK-LABEL: func.func private @cw_fcd_1_matmul(
// Cursors: 1 + 2 + 3 prefixes.
// CHECK: %[[CUR2:.*]] = memref.alloca() : memref<6xi64>
// CHECK-NOT: scf.while
// CHECK: scf.for %{{.*}} = %{{.*}} to %c3{{.*}} step %{{.*}} iter_args(%[[RC:.*]] = %{{.*}}) -> (i64) {
// CHECK: scf.for %[[COL2:.*]] = %{{.*}} to %c4{{.*}} step %{{.*}} iter_args(%[[C0:.*]] = %[[RC]]) -> (i64) {
// CHECK: arith.shrui %[[C0]], %c6_i64
// CHECK: %[[N0:.*]] = arith.addi %[[C0]], %c1_i64
// CHECK: %[[AT0:.*]] = arith.andi %[[N0]], %c511_i64
// CHECK: %[[L0:.*]] = arith.cmpi eq, %[[AT0]], %c0_i64
// CHECK: %[[SKIP0:.*]] = arith.select %[[L0]], %c64_i64{{.*}}, %c0_i64{{.*}} : i64
// CHECK: %[[NEXT0:.*]] = arith.addi %[[N0]], %[[SKIP0]] : i64
// Levels 1 and 2 through the cursor slots of the prefix read so far.
// CHECK: memref.load %[[CUR2]]
// CHECK: memref.store %{{.*}}, %[[CUR2]]
// CHECK: memref.load %[[CUR2]]
// CHECK: memref.store %{{.*}}, %[[CUR2]]
// CHECK: %[[SYM:.*]] = arith.ori
// CHECK: %[[SYMI:.*]] = arith.index_castui %[[SYM]] : i64 to index
// CHECK: memref.load %{{.*}}[%[[SYMI]]] : memref<5xf32>
// CHECK: memref.load %{{.*}}[%{{.*}}, %[[COL2]]] : memref<1x4xf32>
// CHECK: scf.yield %[[NEXT0]] : i64

// conv (2x4 after the [OC, KH*KW*IC] view, 62% zeros): the same walk feeds
// the convolution's multiply-adds over every output pixel.
// CHECK-LABEL: func.func private @cw_conv_2_conv2d(
// CHECK-SAME: %{{.*}}: memref<1x4x4x1xf32>, %{{.*}}: memref<2xf32>, %[[CY:.*]]: memref<1x3x3x2xf32>)
// CHECK: scf.for %{{.*}} = %{{.*}} to %c2 step %{{.*}} iter_args({{.*}}) -> (i64, i64, i64, i64) {
// CHECK: scf.while
// CHECK: scf.condition
// CHECK: } do {
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.mulf
// CHECK: memref.store %{{.*}}, %[[CY]]

// Block mode, 2 weights per symbol: fc has too few all-zero blocks to skip,
// so every block id is decoded and expanded through the dictionary (an i8
// table of pattern-major cluster indices).
// BLOCK-DAG: memref.global "private" constant @cw_fc_0_dict : memref<14xi8>
// BLOCK-DAG: memref.global "private" constant @cw_fcd_1_dict : memref<10xi8>
// BLOCK-LABEL: func.func private @cw_fc_0_matmul(
// BLOCK: %[[DICT:.*]] = memref.get_global @cw_fc_0_dict : memref<14xi8>
// BLOCK-NOT: scf.while
// BLOCK: scf.for %[[T:.*]] = %{{.*}} to %c4{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (i64) {
// BLOCK: %[[FIRST:.*]] = arith.muli %[[T]], %c2{{.*}} : index
// BLOCK: %[[IDI:.*]] = arith.index_castui %{{.*}} : i64 to index
// BLOCK: %[[E0:.*]] = arith.muli %[[IDI]], %c2{{.*}} : index
// BLOCK: scf.for %[[J:.*]] = %{{.*}} to %c2{{.*}} step
// BLOCK: %[[EJ:.*]] = arith.addi %[[E0]], %[[J]] : index
// BLOCK: %[[CL:.*]] = memref.load %[[DICT]][%[[EJ]]] : memref<14xi8>
// BLOCK: %[[BCOL:.*]] = arith.addi %[[FIRST]], %[[J]] : index
// BLOCK: %[[CLI:.*]] = arith.index_castui %[[CL]] : i8 to index
// BLOCK: memref.load %{{.*}}[%[[CLI]]] : memref<4xf32>
// BLOCK: memref.load %{{.*}}[%{{.*}}, %[[BCOL]]] : memref<1x8xf32>
// sparse (4x16, 4 nonzeros): pattern 0 is the all-zero block and 88% of
// the blocks (4 patterns, 2 levels): skipped.
// BLOCK-LABEL: func.func private @cw_sparse_3_matmul(
// BLOCK: %[[SDICT:.*]] = memref.get_global @cw_sparse_3_dict : memref<8xi8>
// BLOCK: scf.for %{{.*}} = %{{.*}} to %c4{{.*}} step %{{.*}} iter_args({{.*}}) -> (i64, i64, i64, i64) {
// BLOCK: scf.while
// BLOCK: arith.minui
// BLOCK: %[[BLEFT:.*]] = arith.subi %c8_i64{{.*}}, %{{.*}} : i64
// BLOCK: arith.cmpi ult, %{{.*}}, %[[BLEFT]] : i64
// BLOCK: } do {
// BLOCK: scf.for
// BLOCK: memref.load %[[SDICT]]

// Block size 3 over 8 columns: the last block of a row is cut at column 8.
// BLOCK3-LABEL: func.func private @cw_fc_0_matmul(
// BLOCK3: scf.for %[[T3:.*]] = %{{.*}} to %c3{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (i64) {
// BLOCK3: %[[F3:.*]] = arith.muli %[[T3]], %c3{{.*}} : index
// BLOCK3: %[[REST:.*]] = arith.subi %c8{{.*}}, %[[F3]] : index
// BLOCK3: %[[WIDTH:.*]] = arith.minui %c3{{.*}}, %[[REST]] : index
// BLOCK3: scf.for %{{.*}} = %{{.*}} to %[[WIDTH]] step

// Sparse mode: the gap tree G and the value tree V walked side by side, the
// row's tuple count from the row table (tuple starts, u32).
// SPARSE-DAG: memref.global "private" constant @[[GAPS:cw_fc_0_gaps]] : memref<{{[0-9]+}}xi64>
// SPARSE-DAG: memref.global "private" constant @[[VALS:cw_fc_0_values]] : memref<{{[0-9]+}}xi64>
// SPARSE-DAG: memref.global "private" constant @[[ROWS:cw_fc_0_row_tuples]] : memref<7xi32>
// SPARSE-LABEL: func.func private @cw_fc_0_matmul(
// SPARSE-DAG: %[[RT:.*]] = memref.get_global @[[ROWS]]
// SPARSE-DAG: %[[GT:.*]] = memref.get_global @[[GAPS]]
// SPARSE-DAG: %[[VT:.*]] = memref.get_global @[[VALS]]
// SPARSE: scf.for %[[SROW:.*]] = %{{.*}} to %c6 step %{{.*}} iter_args(%[[G0:.*]] = %{{.*}}, %[[V0:.*]] = %{{.*}}) -> (i64, i64) {
// SPARSE: %[[TS:.*]] = memref.load %[[RT]][%[[SROW]]] : memref<7xi32>
// SPARSE: %[[TE:.*]] = memref.load %[[RT]][%{{.*}}] : memref<7xi32>
// SPARSE: %[[CNT:.*]] = arith.subi %[[TE]], %[[TS]] : i32
// SPARSE: %[[CNTI:.*]] = arith.index_castui %[[CNT]] : i32 to index
// SPARSE: scf.for %{{.*}} = %{{.*}} to %[[CNTI]] step %{{.*}} iter_args(%[[GC:.*]] = %[[G0]], %[[VC:.*]] = %[[V0]], %[[SCOL:.*]] = %c0_i64{{.*}}) -> (i64, i64, i64) {
// SPARSE: arith.shrui %[[GC]], %c6_i64
// SPARSE: memref.load %[[GT]]
// SPARSE: %[[GCOL:.*]] = arith.addi %[[SCOL]], %[[GAP:.*]] : i64
// An escape (gap = 2^g - 1; g = 1 for this layer) skips columns and has no
// value.
// SPARSE: %[[ISV:.*]] = arith.cmpi ne, %[[GAP]], %c1_i64{{.*}} : i64
// SPARSE: %[[NV:.*]] = scf.if %[[ISV]] -> (i64) {
// SPARSE: arith.shrui %[[VC]], %c6_i64
// SPARSE: memref.load %[[VT]]
// SPARSE: %[[VAL:.*]] = arith.ori %{{.*}}, %{{.*}} : i64
// SPARSE-NEXT: %c1_i64{{.*}} = arith.constant 1 : i64
// SPARSE-NEXT: %[[CLUS:.*]] = arith.addi %[[VAL]], %c1_i64{{.*}} : i64
// SPARSE: %[[VCOL:.*]] = arith.index_castui %[[GCOL]] : i64 to index
// SPARSE: %[[CLUSI:.*]] = arith.index_castui %[[CLUS]] : i64 to index
// SPARSE: memref.load %{{.*}}[%[[CLUSI]]] : memref<4xf32>
// SPARSE: memref.load %{{.*}}[%{{.*}}, %[[VCOL]]] : memref<1x8xf32>
// SPARSE: arith.mulf
// SPARSE: scf.yield %{{.*}} : i64
// SPARSE: } else {
// SPARSE: scf.yield %[[VC]] : i64
// SPARSE: %[[STEP:.*]] = arith.extui %[[ISV]] : i1 to i64
// SPARSE: %[[NCOL:.*]] = arith.addi %[[GCOL]], %[[STEP]] : i64
// SPARSE: scf.yield %{{.*}}, %[[NV]], %[[NCOL]] : i64, i64, i64

// Without cw-fuse, cw.decode: the same walk stores the nonzeros into a
// zero-filled buffer.
// DECODE-LABEL: func.func private @cw_fc_0_decode(
// DECODE-SAME: %[[OUT:.*]]: memref<6x8xf32>)
// DECODE: linalg.fill ins(%{{.*}} : f32) outs(%[[OUT]] : memref<6x8xf32>)
// DECODE: scf.while
// DECODE: } do {
// DECODE: %[[DW:.*]] = memref.load %{{.*}}[%{{.*}}] : memref<4xf32>
// DECODE-NEXT: memref.store %[[DW]], %[[OUT]][%{{.*}}, %{{.*}}] : memref<6x8xf32>

func.func @fc(%x: tensor<1x1x8xf32>) -> tensor<1x1x6xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.75, 0.75, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.75, -0.5, 0.0, 0.75], [-0.5, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.0, 0.0, 0.0, -0.5], [0.0, 0.75, 0.0, 0.0, 0.75, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0]]]> : tensor<1x8x6xf32>} : () -> tensor<1x8x6xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x6xf32> loc("fc")
  return %y : tensor<1x1x6xf32>
}

func.func @dense(%x: tensor<1x1x4xf32>) -> tensor<1x1x3xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.25, 0.5, -0.5], [1.0, 0.25, 0.25], [-0.5, 1.0, 0.5], [0.5, 0.5, 0.25]]]> : tensor<1x4x3xf32>} : () -> tensor<1x4x3xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x4xf32>, tensor<1x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x3xf32> loc("fcd")
  return %y : tensor<1x1x3xf32>
}

func.func @conv(%x: tensor<1x4x4x1xf32>) -> tensor<1x3x3x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %b = "tosa.const"() {values = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %w = "tosa.const"() {values = dense<[[[[0.25], [0.0]], [[0.0], [-0.25]]], [[[0.0], [0.0]], [[1.0], [0.0]]]]> : tensor<2x2x2x1xf32>} : () -> tensor<2x2x2x1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x1xf32>, tensor<2x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x3x2xf32> loc("conv")
  return %y : tensor<1x3x3x2xf32>
}

func.func @sparse(%x: tensor<1x1x16xf32>) -> tensor<1x1x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.5, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, -1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.5, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.25]]]> : tensor<1x16x4xf32>} : () -> tensor<1x16x4xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x16xf32>, tensor<1x16x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4xf32> loc("sparse")
  return %y : tensor<1x1x4xf32>
}

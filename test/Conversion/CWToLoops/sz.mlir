// convert-cw-to-loops on #cw.sz: the loops walk the codec's stage-2 layout
// (SZ.h, "Stage 2"): per chunk its bit offset and first escape, per row its
// entry count, per entry a gap code and a bin code (one peek and one table
// load each), then the codec's reconstruction in binary64:
// float(pred + 2*eb * unzigzag(bin - 1)), or the escaped value for bin 0.
// Execution against the reference decoder is in test/e2e/sz.test.
//
// RUN: cw-opt %s --cw-encode='encoding=sz error-bound=0.01' --cw-fuse --convert-cw-to-loops | FileCheck %s
// RUN: cw-opt %s --cw-encode='encoding=sz error-bound=0.01 predictor=linear' --cw-fuse --convert-cw-to-loops | FileCheck %s --check-prefix=LINEAR
// RUN: cw-opt %s --cw-encode='encoding=sz error-bound=0.01 predictor=prev' --cw-fuse --convert-cw-to-loops | FileCheck %s --check-prefix=PREV
// RUN: cw-opt %s --cw-encode='encoding=sz error-bound=0.01' --convert-cw-to-loops | FileCheck %s --check-prefix=DECODE

// CHECK-DAG: memref.global "private" constant @[[GAPS:cw_fc_0_gap_table]] : memref<{{[0-9]+}}xi32> = dense_resource<cw_fc_0_gap_table> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @[[BINS:cw_fc_0_bin_table]] : memref<{{[0-9]+}}xi32>
// CHECK-DAG: memref.global "private" constant @[[PAYLOAD:cw_fc_0_payload]] : memref<{{[0-9]+}}xi64>
// CHECK-DAG: memref.global "private" constant @[[COUNTS:cw_fc_0_row_counts]] : memref<{{[0-9]+}}xi64>
// CHECK-DAG: memref.global "private" constant @[[OFFSETS:cw_fc_0_chunk_offsets]] : memref<2xi64>
// CHECK-DAG: memref.global "private" constant @[[ESCSTART:cw_fc_0_chunk_escapes]] : memref<2xi64>
// CHECK-DAG: memref.global "private" constant @[[ESC:cw_fc_0_escapes]] : memref<{{[0-9]+}}xf32>
// sz stores values: no codebook table.
// CHECK-NOT: codebook
// CHECK-LABEL: func.func private @cw_fc_0_matmul(
// CHECK-SAME: %[[X:.*]]: memref<1x8xf32>, %[[Y:.*]]: memref<1x6xf32>)
// CHECK-DAG: %[[GAPT:.*]] = memref.get_global @[[GAPS]]
// CHECK-DAG: %[[BINT:.*]] = memref.get_global @[[BINS]]
// CHECK-DAG: %[[PAY:.*]] = memref.get_global @[[PAYLOAD]]
// CHECK-DAG: %[[CNT:.*]] = memref.get_global @[[COUNTS]]
// CHECK-DAG: %[[OFF:.*]] = memref.get_global @[[OFFSETS]]
// CHECK-DAG: %[[ES:.*]] = memref.get_global @[[ESCSTART]]
// CHECK-DAG: %[[ESCT:.*]] = memref.get_global @[[ESC]]
// Per chunk: the stream position and first escape; the predictor state
// (r[i-1], r[i-2], entries seen) starts at zero.
// CHECK: scf.for %[[CHUNK:.*]] = %{{.*}} to %{{.*}} step
// CHECK: %[[POS0:.*]] = memref.load %[[OFF]][%[[CHUNK]]]
// CHECK: %[[ESC0:.*]] = memref.load %[[ES]][%[[CHUNK]]]
// CHECK: scf.for %[[ROW:.*]] = {{.*}} iter_args(%[[RPOS:.*]] = %[[POS0]], %[[RESC:.*]] = %[[ESC0]], %[[RR1:.*]] = %[[ZERO:cst[_0-9]*]], %{{.*}} = %[[ZERO]], %{{.*}} = %{{.*}}) -> (i64, i64, f32, f32, i64)
// The row's entry count, a fixed-width field.
// CHECK: memref.load %[[CNT]]
// CHECK: scf.for {{.*}} iter_args(%[[POS:.*]] = %[[RPOS]], %[[NEXT:.*]] = %{{.*}}, %[[E:.*]] = %[[RESC]], %[[R1:.*]] = %[[RR1]], %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (i64, i64, i64, f32, f32, i64)
// The gap: peek, table entry = symbol | length << 16.
// CHECK: memref.load %[[PAY]]
// CHECK: %[[GE:.*]] = memref.load %[[GAPT]]
// CHECK: %[[GE64:.*]] = arith.extui %[[GE]] : i32 to i64
// CHECK: %[[GAP:.*]] = arith.andi %[[GE64]], %c65535_i64{{.*}} : i64
// CHECK: %[[GLEN:.*]] = arith.andi %{{.*}}, %c31_i64{{.*}} : i64
// CHECK: %[[POS1:.*]] = arith.addi %[[POS]], %[[GLEN]] : i64
// CHECK: %[[COLP:.*]] = arith.addi %[[NEXT]], %[[GAP]] : i64
// CHECK: %[[COL:.*]] = arith.subi %[[COLP]], %c1_i64{{.*}} : i64
// The bin, read right after the gap.
// CHECK: arith.shrui %[[POS1]], %c6_i64{{.*}} : i64
// CHECK: %[[BE:.*]] = memref.load %[[BINT]]
// CHECK: %[[BE64:.*]] = arith.extui %[[BE]] : i32 to i64
// CHECK: %[[SYM:.*]] = arith.andi %[[BE64]], %c65535_i64{{.*}} : i64
// lorenzo: pred = double(r[i-1]).
// CHECK: %[[PRED:.*]] = arith.extf %[[R1]] : f32 to f64
// CHECK-NOT: arith.cmpi uge
// CHECK: %[[Z:.*]] = arith.subi %[[SYM]], %c1_i64{{.*}} : i64
// CHECK: %[[Q:.*]] = arith.xori
// 2 * eb, exactly as the codec computes it.
// CHECK: %[[TWOEB:.*]] = arith.constant 2.000000e-02 : f64
// CHECK: %[[QF:.*]] = arith.sitofp %[[Q]] : i64 to f64
// CHECK: %[[PROD:.*]] = arith.mulf %[[TWOEB]], %[[QF]] : f64
// CHECK: %[[SUM:.*]] = arith.addf %[[PRED]], %[[PROD]] : f64
// CHECK: %[[REC:.*]] = arith.truncf %[[SUM]] : f64 to f32
// CHECK: %[[EV:.*]] = memref.load %[[ESCT]][%{{.*}}] : memref<{{[0-9]+}}xf32>
// CHECK: %[[ISESC:.*]] = arith.cmpi eq, %[[SYM]], %c0_i64{{.*}} : i64
// CHECK: %[[VAL:.*]] = arith.select %[[ISESC]], %[[EV]], %[[REC]] : f32
// The multiply-add at (row, col).
// CHECK: %[[XV:.*]] = memref.load %[[X]]
// CHECK: arith.mulf %[[XV]], %[[VAL]] : f32
// CHECK: scf.yield %{{.*}}, %{{.*}}, %{{.*}}, %[[VAL]], %[[R1]], %{{.*}} : i64, i64, i64, f32, f32, i64
// CHECK: memref.store %{{.*}}, %[[Y]]

// linear: 2 * r[i-1] - r[i-2] once two entries are known, else r[i-1].
// LINEAR: scf.for {{.*}} iter_args({{.*}}, %[[R1:.*]] = %{{.*}}, %[[R2:.*]] = %{{.*}}, %[[SEEN:.*]] = %{{.*}}) -> (i64, i64, i64, f32, f32, i64)
// LINEAR: %[[A:.*]] = arith.extf %[[R1]] : f32 to f64
// LINEAR: %[[TWO:.*]] = arith.constant 2.000000e+00 : f64
// LINEAR: %[[B:.*]] = arith.extf %[[R2]] : f32 to f64
// LINEAR: %[[M:.*]] = arith.mulf %[[TWO]], %[[A]] : f64
// LINEAR: %[[L:.*]] = arith.subf %[[M]], %[[B]] : f64
// LINEAR: %[[FULL:.*]] = arith.cmpi uge, %[[SEEN]], %c2_i64{{.*}} : i64
// LINEAR: %[[PRED:.*]] = arith.select %[[FULL]], %[[L]], %[[A]] : f64
// LINEAR: arith.addf %[[PRED]], %{{.*}} : f64

// prev: the predictor restarts at every row, so the entry loop starts from
// the zero constant, not from the row loop's state.
// PREV: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// PREV: scf.for {{.*}} iter_args({{.*}}) -> (i64, i64, f32, f32, i64)
// PREV: scf.for {{.*}} iter_args({{.*}}, %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %{{.*}}) -> (i64, i64, i64, f32, f32, i64)

// Without cw-fuse the same loops store the values into a dense buffer.
// DECODE-LABEL: func.func private @cw_fc_0_decode(
// DECODE-SAME: %[[OUT:.*]]: memref<6x8xf32>)
// DECODE: linalg.fill ins(%{{.*}} : f32) outs(%[[OUT]] : memref<6x8xf32>)
// DECODE: %[[VAL:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
// DECODE: memref.store %[[VAL]], %[[OUT]][

func.func @fc(%x: tensor<1x1x8xf32>) -> tensor<1x1x6xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.75, 0.75, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.75, -0.5, 0.0, 0.75], [-0.5, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.0, 0.0, 0.0, -0.5], [0.0, 0.75, 0.0, 0.0, 0.75, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0]]]> : tensor<1x8x6xf32>} : () -> tensor<1x8x6xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x6xf32> loc("fc")
  return %y : tensor<1x1x6xf32>
}

// convert-cw-to-loops on #cw.csr for cw.matmul: the rows are cut into lanes
// (independent streams starting at row bit offsets computed by the codec),
// and one loop advances every lane by one entry, each lane's row sum in a
// register; with threads > 1 groups of lanes run in an scf.parallel. The
// interleave=1 form walks one stream chunk by chunk. Execution against the
// reference decoder: test/e2e/csr.test (interleaved at batch 1 and 4,
// threaded).
//
// RUN: cw-opt %s --cw-encode='encoding=csr' --cw-fuse --convert-cw-to-loops='interleave=2' | FileCheck %s
// RUN: cw-opt %s --cw-encode='encoding=csr' --cw-fuse --convert-cw-to-loops='interleave=1' | FileCheck %s --check-prefix=PLAIN
// RUN: cw-opt %s --cw-encode='encoding=csr' --cw-fuse --convert-cw-to-loops='interleave=2 threads=2' | FileCheck %s --check-prefix=THREADS
// RUN: cw-opt %s --cw-encode='encoding=csr' --cw-fuse --convert-cw-to-loops | FileCheck %s --check-prefix=BATCH
// #cw.huffman (a code per position) interleaves lanes of whole rows the
// same way, starting at the codec's row bit offsets.
// RUN: cw-opt %s --cw-encode='encoding=huffman' --cw-fuse --convert-cw-to-loops='interleave=2' | FileCheck %s --check-prefix=HUFF

// CHECK-DAG: memref.global "private" constant @cw_fc_0_payload_bytes : memref<{{[0-9]+}}xi8>
// CHECK-DAG: memref.global "private" constant @cw_fc_0_row_counts : memref<{{[0-9]+}}xi64>
// CHECK-NOT: @cw_fc_0_payload :
// CHECK-LABEL: func.func private @cw_fc_0_matmul(
// CHECK: linalg.fill
// Two lanes, four state values each (bit position, entries left in the row
// and next column packed in one i64, row, accumulator), advanced together.
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{[^ ]*}} = %{{.*}}, %{{[^ ]*}} = %{{.*}}, %{{[^ ]*}} = %{{.*}}, %{{[^ ]*}} = %{{.*}}, %{{[^ ]*}} = %{{.*}}, %{{[^ ]*}} = %{{.*}}, %{{[^ ]*}} = %{{.*}}, %{{[^ ]*}} = %{{.*}}) -> (i64, i64, index, f32, i64, i64, index, f32)
// One unaligned 8-byte peek per entry and lane.
// CHECK: vector.load %{{.*}} : memref<{{[0-9]+}}xi8>, vector<8xi8>
// CHECK: vector.bitcast %{{.*}} : vector<8xi8> to vector<1xi64>
// CHECK: arith.mulf
// CHECK: arith.addf
// next + 1 and left - 1 in one add of 1 - 2^32; the row ends when the
// packed value drops below 2^32.
// CHECK: arith.addi %{{.*}}, %c-4294967295_i64
// CHECK: arith.cmpi ult, %{{.*}}, %c4294967296_i64
// At the end of a row: store the sum, skip rows without entries.
// CHECK: scf.if %{{.*}} -> (i64, index, f32)
// CHECK: memref.store %{{.*}}, %{{.*}} : memref<1x6xf32>
// CHECK: scf.while
// CHECK: vector.load %{{.*}} : memref<{{[0-9]+}}xi8>, vector<8xi8>

// PLAIN-DAG: memref.global "private" constant @cw_fc_0_payload : memref<{{[0-9]+}}xi64>
// PLAIN-DAG: memref.global "private" constant @cw_fc_0_chunk_offsets : memref<2xi64>
// PLAIN-LABEL: func.func private @cw_fc_0_matmul(
// PLAIN: memref.alloca() : memref<1xf32>
// PLAIN: scf.for
// PLAIN: scf.for {{.*}} iter_args
// PLAIN-NOT: vector.load
// PLAIN: return

// THREADS-DAG: memref.global "private" constant @cw_fc_0_lanes : memref<16xi64>
// THREADS-DAG: memref.global "private" constant @cw_fc_0_lane_common : memref<2xi64>
// THREADS-LABEL: func.func private @cw_fc_0_matmul(
// THREADS: scf.parallel (%[[G:.*]]) = (%{{.*}}) to (%c2{{.*}}) step
// THREADS: memref.load %{{.*}}[%[[G]]] : memref<2xi64>
// THREADS: scf.for {{.*}} -> (i64, i64, index, f32, i64, i64, index, f32)

// Batch 4: a vector<4xf32> accumulator per lane over a transposed copy of x.
// BATCH-LABEL: func.func private @cw_fc4_1_matmul(
// BATCH: memref.alloc() : memref<8x4xf32>
// BATCH: scf.for {{.*}} -> (i64, i64, index, vector<4xf32>
// BATCH: vector.load %{{.*}} : memref<8x4xf32>, vector<4xf32>
// BATCH: vector.broadcast
// BATCH: vector.extract

// HUFF-DAG: memref.global "private" constant @cw_fc_0_payload_bytes : memref<{{[0-9]+}}xi8>
// HUFF-NOT: @cw_fc_0_payload :
// HUFF-LABEL: func.func private @cw_fc_0_matmul(
// HUFF: scf.for {{.*}} -> (i64, index, index, f32, i64, index, index, f32)
// HUFF: vector.load %{{.*}} : memref<{{[0-9]+}}xi8>, vector<8xi8>
// HUFF: scf.if %{{.*}} -> (index, index, f32)
// HUFF: memref.store %{{.*}}, %{{.*}} : memref<1x6xf32>

func.func @fc(%x: tensor<1x1x8xf32>) -> tensor<1x1x6xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.75, 0.75, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.75, -0.5, 0.0, 0.75], [-0.5, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.0, 0.0, 0.0, -0.5], [0.0, 0.75, 0.0, 0.0, 0.75, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0]]]> : tensor<1x8x6xf32>} : () -> tensor<1x8x6xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x6xf32> loc("fc")
  return %y : tensor<1x1x6xf32>
}

func.func @fc_batch(%x: tensor<1x4x8xf32>) -> tensor<1x4x6xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.75, 0.75, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.75, -0.5, 0.0, 0.75], [-0.5, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.0, 0.0, 0.0, -0.5], [0.0, 0.75, 0.0, 0.0, 0.75, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0]]]> : tensor<1x8x6xf32>} : () -> tensor<1x8x6xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x6xf32> loc("fc4")
  return %y : tensor<1x4x6xf32>
}

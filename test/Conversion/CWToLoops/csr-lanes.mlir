// convert-cw-to-loops on #cw.csr<lanes = 16> (HuffmanCodec.h: each group of
// 16 rows is one word stream read in lockstep, one row per SIMD lane). Per
// step every lane refills its bit buffer with one masked expand-load, decodes
// a gap and an index through (length, value) byte tables, and either
// multiplies the weight with the input gathered at its column (batch-1
// matmul: 16 row sums in one vector, stored masked past the last row) or
// records (column, weight) in a scratch buffer that the per-row protocol
// replays (batch > 1, cw.decode). simd=avx512vbmi keeps the 128-entry tables
// and the codebook in register pairs (cw.permute); simd=generic reads them
// with vector.gather. Execution against the reference: test/e2e/csr.test.
//
// RUN: cw-opt %s --cw-encode='encoding=csr csr-lanes=16' --cw-fuse --convert-cw-to-loops=simd=avx512vbmi | FileCheck %s
// RUN: cw-opt %s --cw-encode='encoding=csr csr-lanes=16' --cw-fuse --convert-cw-to-loops=simd=generic | FileCheck %s --check-prefix=GEN
// RUN: cw-opt %s --cw-encode='encoding=csr csr-lanes=16' --convert-cw-to-loops=simd=avx512vbmi | FileCheck %s --check-prefix=DECODE
// RUN: cw-opt %s --cw-encode='encoding=csr csr-lanes=16' --cw-fuse --convert-cw-to-loops='simd=avx512vbmi interleave=1 threads=2' | FileCheck %s --check-prefix=THREADS
// RUN: cw-opt %s --cw-encode='encoding=csr csr-lanes=16' --cw-fuse --convert-cw-to-loops=simd=avx512vbmi --cw-lower-permute | FileCheck %s --check-prefix=INTRIN

// 20 rows: two groups of 16 lanes, the second one with 4 real rows.
// CHECK-DAG: memref.global "private" constant @cw_fc_0_lane_words : memref<{{[0-9]+}}xi16>
// CHECK-DAG: memref.global "private" constant @cw_fc_0_lane_counts : memref<32xi32>
// CHECK-DAG: memref.global "private" constant @cw_fc_0_lane_gap_len : memref<128xi8>
// CHECK-DAG: memref.global "private" constant @cw_fc_0_lane_index_value : memref<128xi8>
// CHECK-DAG: memref.global "private" constant @cw_fc_0_lane_codebook : memref<32xf32>
// CHECK-LABEL: func.func private @cw_fc_0_matmul(
// CHECK-SAME: %[[X:.*]]: memref<1x24xf32>, %[[Y:.*]]: memref<1x20xf32>)
// CHECK: %[[WORDS:.*]] = memref.get_global @cw_fc_0_lane_words
// The tables as register pairs, loaded once.
// CHECK: %[[GL:.*]] = memref.get_global @cw_fc_0_lane_gap_len
// CHECK: %[[GLLO:.*]] = vector.load %[[GL]][%{{.*}}] : memref<128xi8>, vector<64xi8>
// CHECK: %[[GLHI:.*]] = vector.load %[[GL]][%{{.*}}] : memref<128xi8>, vector<64xi8>
// CHECK: %[[CB:.*]] = memref.get_global @cw_fc_0_lane_codebook
// CHECK: %[[CBLO:.*]] = vector.load %[[CB]][%{{.*}}] : memref<32xf32>, vector<16xf32>
// Both groups in one loop while every lane has entries: buffer, bit count,
// column, word position and the 16 sums per group.
// CHECK: scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, index, vector<16xf32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, index, vector<16xf32>)
// CHECK: %[[NEED:.*]] = arith.cmpi ult, %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK: %[[W16:.*]] = vector.expandload %[[WORDS]][%{{.*}}], %[[NEED]], %{{.*}} : memref<{{[0-9]+}}xi16>, vector<16xi1>, vector<16xi16> into vector<16xi16>
// CHECK: llvm.bitcast %[[NEED]] : vector<16xi1> to i16
// CHECK: llvm.intr.ctpop
// CHECK: arith.extui %[[W16]] : vector<16xi16> to vector<16xi32>
// CHECK: arith.shli
// CHECK: arith.ori
// CHECK: cw.permute %[[GLLO]], %{{.*}}, %[[GLHI]] : vector<64xi8>, vector<64xi8>
// CHECK: arith.andi %{{.*}}, %cst{{.*}} : vector<16xi32>
// CHECK: cw.permute
// CHECK: arith.shrui
// CHECK: cw.permute
// CHECK: cw.permute
// CHECK: %[[COL:.*]] = arith.addi %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK: %[[NZ:.*]] = arith.cmpi ult, %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK: %[[WT:.*]] = cw.permute %[[CBLO]], %{{.*}}, %{{.*}} : vector<16xf32>, vector<16xi32>
// CHECK: %[[XV:.*]] = vector.gather %[[X]][%{{.*}}, %{{.*}}] [%[[COL]]], %[[NZ]], %{{.*}} : memref<1x24xf32>, vector<16xi32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK: vector.fma %[[WT]], %[[XV]], %{{.*}} : vector<16xf32>
// Then each group alone, its finished lanes masked off.
// CHECK: scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, index, vector<16xf32>)
// CHECK: %[[ACTIVE:.*]] = arith.cmpi ugt, %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK: arith.andi %{{.*}}, %[[ACTIVE]] : vector<16xi1>
// CHECK: vector.expandload
// CHECK: arith.select %[[ACTIVE]]
// CHECK: vector.fma
// CHECK: scf.if
// CHECK: vector.maskedstore %[[Y]][%{{.*}}, %{{.*}}], %{{.*}}, %{{.*}} : memref<1x20xf32>, vector<16xi1>, vector<16xf32>

// Batch 3: each group decoded once into the scratch, then replayed row by
// row into the consumer's M-wide sums.
// CHECK-LABEL: func.func private @cw_fc3_1_matmul(
// CHECK: %[[SCOLS:.*]] = memref.alloc() : memref<{{[0-9]+}}xi32>
// CHECK: %[[SW:.*]] = memref.alloc() : memref<{{[0-9]+}}xf32>
// CHECK: scf.for
// CHECK: scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, index)
// CHECK: vector.expandload
// CHECK: vector.store %{{.*}}, %[[SCOLS]][%{{.*}}] : memref<{{[0-9]+}}xi32>, vector<16xi32>
// CHECK: vector.store %{{.*}}, %[[SW]][%{{.*}}] : memref<{{[0-9]+}}xf32>, vector<16xf32>
// CHECK: scf.for %[[LANE:.*]] = %{{.*}} to %{{.*}} step
// CHECK: scf.if
// CHECK: scf.for
// CHECK: memref.load %[[SCOLS]]
// CHECK: memref.load %[[SW]]
// CHECK: arith.mulf %{{.*}} : vector<3xf32>
// CHECK-NOT: vector.gather

// GEN-LABEL: func.func private @cw_fc_0_matmul(
// GEN-NOT: cw.permute
// GEN: %[[GL:.*]] = memref.get_global @cw_fc_0_lane_gap_len : memref<128xi8>
// GEN: %[[CB:.*]] = memref.get_global @cw_fc_0_codebook : memref<6xf32>
// GEN: vector.expandload
// GEN: %[[PEEK:.*]] = arith.andi %{{.*}}, %cst{{.*}} : vector<16xi32>
// GEN: vector.gather %[[GL]][%{{.*}}] [%[[PEEK]]], %{{.*}}, %{{.*}} : memref<128xi8>, vector<16xi32>, vector<16xi1>, vector<16xi8> into vector<16xi8>
// GEN: %[[NZ:.*]] = arith.cmpi ne, %{{.*}}, %{{.*}} : vector<16xi32>
// GEN: vector.gather %[[CB]][%{{.*}}] [%{{.*}}], %[[NZ]], %{{.*}} : memref<6xf32>
// GEN: vector.fma
// GEN-LABEL: func.func private @cw_fc3_1_matmul(
// GEN-NOT: cw.permute
// GEN: return

// DECODE-LABEL: func.func private @cw_fc_0_decode(
// DECODE: linalg.fill
// DECODE: vector.expandload
// DECODE: vector.store
// DECODE: scf.for
// DECODE: memref.load
// DECODE: memref.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : memref<20x24xf32>

// One group per loop, the two groups on two threads.
// THREADS-LABEL: func.func private @cw_fc_0_matmul(
// THREADS: scf.parallel (%[[T:.*]]) = (%{{.*}}) to (%{{.*}}) step
// THREADS: %[[FIRST:.*]] = arith.muli %[[T]], %{{.*}} : index
// THREADS: scf.for %{{.*}} = %[[FIRST]] to %{{.*}} step
// THREADS: vector.fma
// THREADS: vector.maskedstore
// At batch 3 the replayed rows sum in a stack slot: each thread has its own,
// 16 floats (a cache line) apart in one function-scope buffer.
// THREADS-LABEL: func.func private @cw_fc3_1_matmul(
// THREADS: %[[SLOTS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<32xf32>
// THREADS: scf.parallel (%[[T3:.*]]) = (%{{.*}}) to (%{{.*}}) step
// THREADS: %[[OFF:.*]] = arith.muli %[[T3]], %c16{{(_[0-9]+)?}} : index
// THREADS: %[[SLOT:.*]] = memref.subview %[[SLOTS]][%[[OFF]]] [3] [1]
// THREADS: vector.store %{{.*}}, %[[SLOT]][%{{.*}}] : memref<3xf32, strided<[1], offset: ?>>, vector<3xf32>
// THREADS: vector.load %[[SLOT]]
// THREADS: arith.addf
// THREADS: vector.store %{{.*}}, %[[SLOT]]

// INTRIN-LABEL: func.func private @cw_fc_0_matmul(
// INTRIN-NOT: cw.permute
// INTRIN: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.qi.512"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<64xi8>, vector<64xi8>, vector<64xi8>) -> vector<64xi8>
// INTRIN: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xf32>, vector<16xi32>, vector<16xf32>) -> vector<16xf32>

func.func @fc(%x: tensor<1x1x24xf32>) -> tensor<1x1x20xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.25, 0.0], [0.5, 0.75, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0], [-0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.25, -0.125, 0.0, -0.125, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.75, 0.0, 0.5, -0.5], [0.75, -0.5, 0.0, 0.0, -0.5, 0.0, 0.5, 0.0, -0.5, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.25], [0.25, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.25, 0.0, 0.0, 0.75, 0.75, 0.5], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, -0.125, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.75, 0.0, 0.25, 0.0], [0.0, 0.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5], [0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.75], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.75, 0.0, 0.25, 0.0, -0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0], [0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, -0.5, 0.75, 0.0, 0.0, -0.5, 0.0, 0.75, 0.0], [0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.5, 0.0, 0.0, 0.0, -0.5, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.25, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, -0.125], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.75, 0.0, 0.0, -0.5], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.75, 0.5, 0.25, 0.0, 0.5, 0.0, -0.125, 0.0, 0.0, 0.75, 0.0, 0.0, 0.0, -0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.75, -0.5, -0.125, 0.25, 0.0, 0.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0], [0.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0], [0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.75, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.5], [0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, -0.125, 0.0]]]> : tensor<1x24x20xf32>} : () -> tensor<1x24x20xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x24xf32>, tensor<1x24x20xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x20xf32> loc("fc")
  return %y : tensor<1x1x20xf32>
}

func.func @fc3(%x: tensor<1x3x24xf32>) -> tensor<1x3x20xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.25, 0.0], [0.5, 0.75, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0], [-0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.25, -0.125, 0.0, -0.125, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.75, 0.0, 0.5, -0.5], [0.75, -0.5, 0.0, 0.0, -0.5, 0.0, 0.5, 0.0, -0.5, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.25], [0.25, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.25, 0.0, 0.0, 0.75, 0.75, 0.5], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, -0.125, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.75, 0.0, 0.25, 0.0], [0.0, 0.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5], [0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.75], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.75, 0.0, 0.25, 0.0, -0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0], [0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, -0.5, 0.75, 0.0, 0.0, -0.5, 0.0, 0.75, 0.0], [0.0, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.5, 0.0, 0.0, 0.0, -0.5, -0.5, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.25, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, -0.125], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.75, 0.0, 0.0, -0.5], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.75, 0.5, 0.25, 0.0, 0.5, 0.0, -0.125, 0.0, 0.0, 0.75, 0.0, 0.0, 0.0, -0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.75, -0.5, -0.125, 0.25, 0.0, 0.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0], [0.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, 0.0, 0.0, 0.0], [0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.75, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.5], [0.0, -0.125, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, -0.125, 0.0, -0.125, 0.0]]]> : tensor<1x24x20xf32>} : () -> tensor<1x24x20xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x3x24xf32>, tensor<1x24x20xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x20xf32> loc("fc3")
  return %y : tensor<1x3x20xf32>
}

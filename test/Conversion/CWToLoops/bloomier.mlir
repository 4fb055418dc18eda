// convert-cw-to-loops on #cw.bloomier: every position is queried as the
// codec does (Bloomier.h, "Query"): fmix64 of position + seed, the segment,
// k probes into the cell table, XOR with the hash mask; values below the
// cluster count are weights. Execution against the reference decoder is in
// test/e2e/bloomier.test.
//
// RUN: cw-opt %s --cw-encode='encoding=bloomier' --cw-fuse --convert-cw-to-loops | FileCheck %s
// RUN: cw-opt %s --cw-encode='encoding=bloomier cell-bits=5 hashes=4' --cw-fuse --convert-cw-to-loops | FileCheck %s --check-prefix=PACKED
// RUN: cw-opt %s --cw-encode='encoding=bloomier cell-bits=16 hashes=2' --cw-fuse --convert-cw-to-loops | FileCheck %s --check-prefix=WIDE
// RUN: cw-opt %s --cw-encode='encoding=bloomier' --convert-cw-to-loops | FileCheck %s --check-prefix=DECODE

// 8-bit cells are packed four to an i32 word (a load LLVM can turn into a
// hardware gather); the chunk table holds (seed, firstCell, S, lgL) per
// chunk; the codebook table has a 0.0 entry in front of the K = 3 centroids.
// CHECK-DAG: memref.global "private" constant @[[CELLS:cw_fc_0_cells]] : memref<{{[0-9]+}}xi32> = dense_resource<cw_fc_0_cells> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @[[CHUNKS:cw_fc_0_chunks]] : memref<4xi64>
// CHECK-DAG: memref.global "private" constant @[[CB:cw_fc_0_codebook]] : memref<4xf32>
// CHECK-LABEL: func.func @fc(
// CHECK: call @cw_fc_0_matmul(
// CHECK-LABEL: func.func private @cw_fc_0_matmul(
// CHECK-SAME: %[[X:.*]]: memref<1x8xf32>, %[[Y:.*]]: memref<1x6xf32>)
// CHECK-DAG: %[[CBT:.*]] = memref.get_global @[[CB]]
// CHECK-DAG: %[[CELLT:.*]] = memref.get_global @[[CELLS]]
// CHECK-DAG: %[[CHUNKT:.*]] = memref.get_global @[[CHUNKS]]
// CHECK-DAG: %[[SCRATCH:.*]] = memref.alloca() : memref<8xi32>
// Per chunk: its parameters, and whether it holds a filter (S != 0).
// CHECK: scf.for %[[CHUNK:.*]] =
// CHECK: %[[SEED:.*]] = memref.load %[[CHUNKT]]
// CHECK: memref.load %[[CHUNKT]]
// CHECK: %[[S:.*]] = memref.load %[[CHUNKT]]
// CHECK: %[[LG:.*]] = memref.load %[[CHUNKT]]
// CHECK: %[[NONEMPTY:.*]] = arith.cmpi ne, %[[S]], %{{.*}} : i64
// CHECK: scf.for %[[ROW:.*]] =
// CHECK: scf.if %[[NONEMPTY]] {
// The key of column 0 of the row: row * cols + seed.
// CHECK: %[[RK:.*]] = arith.muli %{{.*}}, %c8_i64{{(_[0-9]+)?}} : i64
// CHECK: arith.addi %[[RK]], %[[SEED]] : i64
// (1) the map: fmix64, the segment, three probes XORed into the mask.
// CHECK: scf.for
// CHECK: arith.shrui %{{.*}}, %c33_i64{{(_[0-9]+)?}} : i64
// CHECK: arith.xori
// CHECK: arith.muli %{{.*}}, %c-49064778989728563_i64{{(_[0-9]+)?}} : i64
// CHECK: arith.muli %{{.*}}, %c-4265267296055464877_i64{{(_[0-9]+)?}} : i64
// CHECK: %[[HI:.*]] = arith.shrui %{{.*}}, %c32_i64{{(_[0-9]+)?}} : i64
// CHECK: arith.muli %[[HI]], %[[S]] : i64
// CHECK: arith.shli %{{.*}}, %[[LG]] : i64
// CHECK: %[[MASK:.*]] = arith.andi %[[HI]], %c255_i64{{(_[0-9]+)?}} : i64
// Probe 0: word cell >> 2, byte (cell & 3) of it.
// CHECK: %[[WORD0:.*]] = arith.shrui %[[CELL0:.*]], %c2_i64{{(_[0-9]+)?}} : i64
// CHECK: %[[WIDX0:.*]] = arith.index_cast{{.*}} %[[WORD0]] : i64 to index
// CHECK: %[[C0:.*]] = memref.load %[[CELLT]][%[[WIDX0]]] : memref<{{[0-9]+}}xi32>
// CHECK: %[[SLOT0:.*]] = arith.andi %[[CELL0]], %c3_i64{{(_[0-9]+)?}} : i64
// CHECK: %[[SH0:.*]] = arith.muli %[[SLOT0]], %c8_i64{{(_[0-9]+)?}} : i64
// CHECK: %[[C0W:.*]] = arith.extui %[[C0]] : i32 to i64
// CHECK: %[[C0S:.*]] = arith.shrui %[[C0W]], %[[SH0]] : i64
// CHECK: %[[C0X:.*]] = arith.andi %[[C0S]], %c255_i64{{(_[0-9]+)?}} : i64
// CHECK: %[[X0:.*]] = arith.xori %[[MASK]], %[[C0X]] : i64
// CHECK: memref.load %[[CELLT]]
// CHECK: %[[X1:.*]] = arith.xori %[[X0]], %{{.*}} : i64
// CHECK: memref.load %[[CELLT]]
// CHECK: %[[X2:.*]] = arith.xori %[[X1]], %{{.*}} : i64
// CHECK-NOT: memref.load %[[CELLT]]
// CHECK: %[[STORED:.*]] = arith.cmpi ult, %[[X2]], %c3_i64{{(_[0-9]+)?}} : i64
// CHECK: %[[C1:.*]] = arith.addi %[[X2]], %c1_i64{{(_[0-9]+)?}} : i64
// CHECK: arith.select %[[STORED]], %[[C1]], %c0_i64{{(_[0-9]+)?}} : i64
// CHECK: memref.store %{{.*}}, %[[SCRATCH]]
// (2) the compaction, (3) the multiply-adds of the stored weights only.
// CHECK: %[[N:.*]] = scf.for {{.*}} -> (index)
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[N]]
// CHECK: %[[P:.*]] = memref.load %[[SCRATCH]][%[[I]]]
// CHECK: %[[CL:.*]] = arith.andi %[[P]], %c65535_i32{{(_[0-9]+)?}} : i32
// CHECK: %[[W:.*]] = memref.load %[[CBT]][%{{.*}}] : memref<4xf32>
// CHECK: %[[XV:.*]] = memref.load %[[X]]
// CHECK: %[[PROD:.*]] = arith.mulf %[[XV]], %[[W]] : f32
// CHECK: arith.addf %{{.*}}, %[[PROD]] : f32
// CHECK: memref.store %{{.*}}, %[[Y]]
// CHECK-NOT: dense_resource<fc>

// 5-bit cells are read with peekBits from 64-bit words, four probes.
// PACKED-DAG: memref.global "private" constant @cw_fc_0_cells : memref<{{[0-9]+}}xi64>
// PACKED: func.func private @cw_fc_0_matmul(
// PACKED: %[[MASK:.*]] = arith.andi %{{.*}}, %c31_i64{{(_[0-9]+)?}} : i64
// PACKED: %[[BIT:.*]] = arith.muli %{{.*}}, %c5_i64{{(_[0-9]+)?}} : i64
// PACKED: arith.shrui %[[BIT]], %c6_i64{{(_[0-9]+)?}} : i64
// PACKED: arith.xori %[[MASK]], %{{.*}} : i64
// PACKED-COUNT-3: arith.xori %{{.*}}, %{{.*}} : i64
// PACKED-NOT: arith.xori
// PACKED: arith.cmpi ult, %{{.*}}, %c3_i64{{(_[0-9]+)?}} : i64

// 16-bit cells are packed two to an i32 word, two probes.
// WIDE-DAG: memref.global "private" constant @cw_fc_0_cells : memref<{{[0-9]+}}xi32>
// WIDE: func.func private @cw_fc_0_matmul(
// WIDE: arith.andi %{{.*}}, %c65535_i64{{(_[0-9]+)?}} : i64
// WIDE: arith.shrui %{{.*}}, %c1_i64{{(_[0-9]+)?}} : i64
// WIDE: arith.andi %{{.*}}, %c1_i64{{(_[0-9]+)?}} : i64
// WIDE: arith.muli %{{.*}}, %c16_i64{{(_[0-9]+)?}} : i64
// WIDE-COUNT-2: arith.extui %{{.*}} : i32 to i64
// WIDE-NOT: i32 to i64
// WIDE: arith.cmpi ult

// Without cw-fuse the weight is decoded into a buffer by the same loops.
// DECODE-LABEL: func.func private @cw_fc_0_decode(
// DECODE-SAME: %[[OUT:.*]]: memref<6x8xf32>)
// DECODE: linalg.fill ins(%{{.*}} : f32) outs(%[[OUT]] : memref<6x8xf32>)
// DECODE: arith.cmpi ult
// DECODE: %[[W:.*]] = memref.load %{{.*}} : memref<4xf32>
// DECODE: memref.store %[[W]], %[[OUT]][

func.func @fc(%x: tensor<1x1x8xf32>) -> tensor<1x1x6xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.75, 0.75, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.75, -0.5, 0.0, 0.75], [-0.5, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.0, 0.0, 0.0, -0.5], [0.0, 0.75, 0.0, 0.0, 0.75, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0]]]> : tensor<1x8x6xf32>} : () -> tensor<1x8x6xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x6xf32> loc("fc")
  return %y : tensor<1x1x6xf32>
}

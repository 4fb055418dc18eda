// cw-lower-permute: cw.permute (a lookup in a table held in two registers)
// becomes the AVX-512 two-table permute intrinsic of its form, after
// bufferization has seen the pure op.
// RUN: cw-opt %s --cw-lower-permute | FileCheck %s

// CHECK-LABEL: func.func @bytes(
// CHECK-SAME: %[[LO:.*]]: vector<64xi8>, %[[IDX:.*]]: vector<64xi8>, %[[HI:.*]]: vector<64xi8>)
// CHECK-NOT: cw.permute
// CHECK: %[[R:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.qi.512"(%[[LO]], %[[IDX]], %[[HI]]) : (vector<64xi8>, vector<64xi8>, vector<64xi8>) -> vector<64xi8>
// CHECK: return %[[R]]
func.func @bytes(%lo: vector<64xi8>, %idx: vector<64xi8>, %hi: vector<64xi8>) -> vector<64xi8> {
  %r = cw.permute %lo, %idx, %hi : vector<64xi8>, vector<64xi8>
  return %r : vector<64xi8>
}

// CHECK-LABEL: func.func @floats(
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xf32>, vector<16xi32>, vector<16xf32>) -> vector<16xf32>
func.func @floats(%lo: vector<16xf32>, %idx: vector<16xi32>, %hi: vector<16xf32>) -> vector<16xf32> {
  %r = cw.permute %lo, %idx, %hi : vector<16xf32>, vector<16xi32>
  return %r : vector<16xf32>
}

// RUN: cw-opt %s --cw-memref-copy-to-linalg | FileCheck %s
// A strided copy (what a bufferized tensor.pad writes) becomes linalg.copy,
// which convert-linalg-to-loops lowers without the runner-utils library.

// CHECK-LABEL: func.func @pad_copy(
// CHECK-SAME: %[[SRC:.*]]: memref<2x3xf32>, %[[DST:.*]]: memref<4x5xf32>)
// CHECK: %[[VIEW:.*]] = memref.subview %[[DST]][1, 1] [2, 3] [1, 1]
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%[[SRC]] : memref<2x3xf32>) outs(%[[VIEW]] : memref<2x3xf32, strided<[5, 1], offset: 6>>)
func.func @pad_copy(%src: memref<2x3xf32>, %dst: memref<4x5xf32>) {
  %view = memref.subview %dst[1, 1] [2, 3] [1, 1] : memref<4x5xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
  memref.copy %src, %view : memref<2x3xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
  return
}

// RUN: cw-opt %s --cw-memref-copy-to-linalg --convert-linalg-to-loops --convert-scf-to-cf --expand-strided-metadata --finalize-memref-to-llvm --convert-to-llvm --reconcile-unrealized-casts | FileCheck %s --check-prefix=LLVM
// LLVM-NOT: memrefCopy
// LLVM: llvm.func @pad_copy

// convert-cw-to-loops option ranges: every lane is unrolled into the loop
// body and every thread group gets a row of the lane table, so values outside
// the range fail instead of generating oversized kernels.
// RUN: not cw-opt %s --cw-encode=encoding=csr --convert-cw-to-loops=interleave=0 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not cw-opt %s --cw-encode=encoding=csr --convert-cw-to-loops=interleave=65 2>&1 | FileCheck %s --check-prefix=WIDE
// RUN: not cw-opt %s --cw-encode=encoding=csr --convert-cw-to-loops=threads=0 2>&1 | FileCheck %s --check-prefix=NOTHREADS
// RUN: not cw-opt %s --cw-encode=encoding=csr --convert-cw-to-loops=threads=1025 2>&1 | FileCheck %s --check-prefix=THREADS
// RUN: not cw-opt %s --cw-encode=encoding=csr --convert-cw-to-loops=simd=sse 2>&1 | FileCheck %s --check-prefix=SIMD
// RUN: cw-opt %s --cw-encode=encoding=csr --cw-fuse --convert-cw-to-loops="interleave=64 threads=1024" | FileCheck %s --check-prefix=BOUNDS
// ZERO: error: convert-cw-to-loops: interleave must be in [1, 64], got 0
// WIDE: error: convert-cw-to-loops: interleave must be in [1, 64], got 65
// NOTHREADS: error: convert-cw-to-loops: threads must be in [1, 1024], got 0
// THREADS: error: convert-cw-to-loops: threads must be in [1, 1024], got 1025
// SIMD: error: convert-cw-to-loops: simd must be generic or avx512vbmi, got 'sse'
// BOUNDS: func.func private @cw_fc_0_matmul(

func.func @fc(%x: tensor<1x1x8xf32>) -> tensor<1x1x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.75, 0.0], [0.0, 0.25], [0.0, 0.0], [-0.5, 0.0], [0.0, 0.0], [0.0, 0.75], [0.25, 0.0], [0.0, 0.0]]]> : tensor<1x8x2xf32>} : () -> tensor<1x8x2xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32> loc("fc")
  return %y : tensor<1x1x2xf32>
}

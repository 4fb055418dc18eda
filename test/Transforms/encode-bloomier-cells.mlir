// cw-encode's bloomier `cells=` asks for a table size: the encoder turns it
// into cells per nonzero (16 nonzeros here), rounds per chunk and records the
// total it used in the type; 0 keeps the codec's default (3 hashes: 48).
// RUN: cw-opt %s --cw-encode="encoding=bloomier" | FileCheck %s --check-prefix=DEFAULT
// RUN: cw-opt %s --cw-encode="encoding=bloomier cells=100" | FileCheck %s --check-prefix=CELLS
// RUN: not cw-opt %s --cw-encode="encoding=bloomier cells=100000" 2>&1 | FileCheck %s --check-prefix=TOOMANY
// DEFAULT: #cw.bloomier<cells = 48,
// CELLS: #cw.bloomier<cells = 112,
// TOOMANY: error: {{.*}}cw-encode: layer 'fc': #cw.bloomier encoding failed: bloomier: cellsPerKey must be 0 (default) or in (0, 64]

func.func @fc(%x: tensor<1x1x8xf32>) -> tensor<1x1x6xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[0.75, 0.75, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.75, -0.5, 0.0, 0.75], [-0.5, 0.0, 0.75, 0.0, 0.0, 0.0], [0.0, 0.75, 0.0, 0.0, 0.0, -0.5], [0.0, 0.75, 0.0, 0.0, 0.75, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0], [0.0, 0.0, 0.0, 0.25, 0.0, 0.0]]]> : tensor<1x8x6xf32>} : () -> tensor<1x8x6xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x6xf32> loc("fc")
  return %y : tensor<1x1x6xf32>
}

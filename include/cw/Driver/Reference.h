//===- Reference.h - Express a cw model in plain TOSA again -----*- C++ -*-===//
//
// The reference a compressed model is tested against: every weight decoded
// through its codec's reference decoder (not through generated code) and
// every fused op expressed in TOSA again, so that the upstream dense pipeline
// compiles it:
//
//   cw.matmul %x, %w   ->  tosa.matmul over a [1, K, N] constant
//                          (tosa.reshape around it for [M, K] / [B, M, K])
//   cw.conv2d %x, %w, %b -> tosa.conv2d over an [OC, KH, KW, IC] constant
//   cw.decode %w       ->  tosa.const with the decoded values
//
// cw.weights left without users are erased. Used by `cw-compile
// --cw-reference`.
//
//===----------------------------------------------------------------------===//
#ifndef CW_DRIVER_REFERENCE_H
#define CW_DRIVER_REFERENCE_H

#include "mlir/IR/BuiltinOps.h"

namespace cw {

/// Rewrites every cw op of `module` as described above. Errors (a weight not
/// from cw.weights, an unavailable or malformed blob) are emitted at the op.
mlir::LogicalResult rewriteToReference(mlir::ModuleOp module);

} // namespace cw

#endif // CW_DRIVER_REFERENCE_H

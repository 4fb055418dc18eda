//===- Passes.h - cw compression passes -------------------------*- C++ -*-===//
//
// cw-prune, cw-cluster, cw-encode, cw-fuse and cw-compress (Passes.td). The
// work itself lives in Compression.h so that drivers can run the stages
// without a pass manager.
//
//===----------------------------------------------------------------------===//
#ifndef CW_TRANSFORMS_PASSES_H
#define CW_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <cstdint>
#include <memory>
#include <string>

namespace mlir::cw {
class CWDialect;
} // namespace mlir::cw
namespace mlir::tosa {
class TosaDialect;
} // namespace mlir::tosa

namespace cw {

#define GEN_PASS_DECL
#include "cw/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "cw/Transforms/Passes.h.inc"

} // namespace cw

#endif // CW_TRANSFORMS_PASSES_H

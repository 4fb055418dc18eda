//===- IRReport.h - The compression report of an encoded model --*- C++ -*-===//
//
// cw-compile writes a report even when it compiles a model that was
// compressed earlier: the per-layer sizes are read back from the cw.weights
// ops (blob, codebook, encoding attribute; nonzeros through the reference
// decoder). What only the encoder knows (the entropy floor, the errors
// against the weights before compression) is not in the IR and reads 0.
//
//===----------------------------------------------------------------------===//
#ifndef CW_DRIVER_IRREPORT_H
#define CW_DRIVER_IRREPORT_H

#include "cw/Transforms/Report.h"

#include "mlir/IR/BuiltinOps.h"

namespace cw {

/// One entry per cw.weights of `module`, in op order. Fails (with a
/// diagnostic) on an unavailable or malformed blob.
mlir::FailureOr<ModelReport> reportFromIR(mlir::ModuleOp module);

} // namespace cw

#endif // CW_DRIVER_IRREPORT_H

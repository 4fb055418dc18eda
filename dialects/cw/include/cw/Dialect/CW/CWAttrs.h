//===- CWAttrs.h - Weight encoding attributes -------------------*- C++ -*-===//
#ifndef CW_DIALECT_CW_CWATTRS_H
#define CW_DIALECT_CW_CWATTRS_H

#include "cw/Codec/Matrix.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectImplementation.h"

#include <vector>

#include "cw/Dialect/CW/CWEnums.h.inc"
#include "cw/Dialect/CW/CWInterfaces.h.inc"

#define GET_ATTRDEF_CLASSES
#include "cw/Dialect/CW/CWAttrs.h.inc"

namespace mlir::cw {
/// Rows and columns a codec sees for a weight of `shape`: [shape[0],
/// product(shape[1:])]; a 1-D weight is one row.
std::pair<uint64_t, uint64_t> matrixDims(llvm::ArrayRef<int64_t> shape);
} // namespace mlir::cw

#endif // CW_DIALECT_CW_CWATTRS_H

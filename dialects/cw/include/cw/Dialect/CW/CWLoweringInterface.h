//===- CWLoweringInterface.h - How an encoding is decoded in code -*- C++
//-*-===//
#ifndef CW_DIALECT_CW_CWLOWERINGINTERFACE_H
#define CW_DIALECT_CW_CWLOWERINGINTERFACE_H

#include "mlir/IR/Attributes.h"
#include "mlir/Support/LLVM.h"

namespace mlir::cw {
class DecodeEmitter; // defined by the conversion library
} // namespace mlir::cw

#include "cw/Dialect/CW/CWLoweringInterface.h.inc"

#endif // CW_DIALECT_CW_CWLOWERINGINTERFACE_H

//===- CWTypes.h - Encoded weight tensor type -------------------*- C++ -*-===//
#ifndef CW_DIALECT_CW_CWTYPES_H
#define CW_DIALECT_CW_CWTYPES_H

#include "cw/Dialect/CW/CWAttrs.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "cw/Dialect/CW/CWTypes.h.inc"

#endif // CW_DIALECT_CW_CWTYPES_H

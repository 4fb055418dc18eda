//===- CWDialect.h - The cw dialect -----------------------------*- C++ -*-===//
#ifndef CW_DIALECT_CW_CWDIALECT_H
#define CW_DIALECT_CW_CWDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "cw/Dialect/CW/CWDialect.h.inc"

#endif // CW_DIALECT_CW_CWDIALECT_H

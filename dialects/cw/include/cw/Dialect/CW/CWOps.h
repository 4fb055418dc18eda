//===- CWOps.h - cw operations ----------------------------------*- C++ -*-===//
#ifndef CW_DIALECT_CW_CWOPS_H
#define CW_DIALECT_CW_CWOPS_H

#include "cw/Dialect/CW/CWDialect.h"
#include "cw/Dialect/CW/CWTypes.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "cw/Dialect/CW/CWOps.h.inc"

#endif // CW_DIALECT_CW_CWOPS_H

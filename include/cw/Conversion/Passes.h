//===- Passes.h - cw conversion passes --------------------------*- C++ -*-===//
#ifndef CW_CONVERSION_PASSES_H
#define CW_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace cw {

#define GEN_PASS_DECL
#include "cw/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "cw/Conversion/Passes.h.inc"

/// Attaches every encoding's DecodeLoweringAttrInterface model.
void registerDecodeLoweringModels(mlir::DialectRegistry &registry);

} // namespace cw

#endif // CW_CONVERSION_PASSES_H

//===- InitAll.cpp - Register everything cw provides ----------------------===//

#include "cw/InitAll.h"
#include "cw/Dialect/CW/CWDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"

#if __has_include("cw/Transforms/Passes.h")
#include "cw/Transforms/Passes.h"
#define CW_HAVE_TRANSFORMS 1
#endif
#if __has_include("cw/Conversion/Passes.h")
#include "cw/Conversion/Passes.h"
#define CW_HAVE_CONVERSION 1
#endif

void cw::registerCWDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::cw::CWDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::tensor::TensorDialect,
                  mlir::tosa::TosaDialect>();
}

void cw::registerCWPasses() {
#ifdef CW_HAVE_TRANSFORMS
  cw::registerTransformsPasses();
#endif
#ifdef CW_HAVE_CONVERSION
  cw::registerConversionPasses();
#endif
}

//===- InitAll.cpp - Register everything cw provides ----------------------===//

#include "cw/InitAll.h"
#include "cw/Dialect/CW/CWDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectRegistry.h"

// CW_HAVE_* come from CMake: set when that library is part of the build.
#ifdef CW_HAVE_TRANSFORMS
#include "cw/Transforms/Passes.h"
#endif
#ifdef CW_HAVE_CONVERSION
#include "cw/Conversion/Passes.h"
#endif

void cw::registerCWDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::cw::CWDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::tensor::TensorDialect,
                  mlir::tosa::TosaDialect>();
#ifdef CW_HAVE_CONVERSION
  cw::registerDecodeLoweringModels(registry);
#endif
}

void cw::registerCWPasses() {
#ifdef CW_HAVE_TRANSFORMS
  cw::registerTransformsPasses();
#endif
#ifdef CW_HAVE_CONVERSION
  cw::registerConversionPasses();
#endif
}

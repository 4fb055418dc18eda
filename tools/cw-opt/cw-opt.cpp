//===- cw-opt.cpp - The cw optimizer driver -------------------------------===//
//
// mlir-opt with the cw dialect and passes, plus every upstream dialect and
// pass (the TOSA-to-LLVM pipeline uses many of them).
//
//===----------------------------------------------------------------------===//

#include "cw/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  cw::registerCWPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  cw::registerCWDialects(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "cw optimizer driver: compressed-weight passes\n", registry));
}

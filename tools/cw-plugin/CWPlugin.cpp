//===- CWPlugin.cpp - cw as a plugin for upstream mlir-opt ----------------===//

#include "cw/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "CW", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            cw::registerCWDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "CWPasses", LLVM_VERSION_STRING,
          []() { cw::registerCWPasses(); }};
}

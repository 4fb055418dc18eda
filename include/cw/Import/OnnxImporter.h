//===- OnnxImporter.h - ONNX to TOSA importer -------------------*- C++ -*-===//
//
// Part of the cw project.
//
//===----------------------------------------------------------------------===//
//
// Translates an ONNX ModelProto into an MLIR module holding one
// `func.func @forward` written in TOSA 1.0 (as MLIR 22 prints it). Weights
// (initializers) become `tosa.const` ops with `dense_resource` payloads; every
// op carries a `loc("<onnx node name>")` so later passes can name layers.
//
//===----------------------------------------------------------------------===//

#ifndef CW_IMPORT_ONNXIMPORTER_H
#define CW_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace cw {

struct ImportOptions {
  /// Name used in diagnostics for the input (usually the file name).
  std::string sourceName = "model.onnx";
  /// Name of the generated entry function.
  std::string funcName = "forward";
  /// Value substituted for symbolic or unknown graph input dimensions
  /// (typically the batch dimension).
  int64_t defaultDimValue = 1;
  /// Float constants with more elements than this become `dense_resource`
  /// blobs even when they do not come from an initializer. Initializers
  /// always become blobs.
  int64_t maxInlineElements = 16;
};

/// Registers the dialects the importer produces (func, tosa).
void registerImportDialects(mlir::DialectRegistry &registry);

/// Imports the serialized ONNX model in `bytes`. On failure, prints
/// `error: <sourceName>: <message>` lines to `diag` and returns failure. Never
/// asserts on malformed input.
mlir::FailureOr<mlir::OwningOpRef<mlir::ModuleOp>>
importOnnxModel(llvm::StringRef bytes, mlir::MLIRContext &context,
                const ImportOptions &options, llvm::raw_ostream &diag);

} // namespace cw

#endif // CW_IMPORT_ONNXIMPORTER_H

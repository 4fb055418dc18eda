//===- InitAll.h - Register everything cw provides ------------*- C++ -*-===//
#ifndef CW_INITALL_H
#define CW_INITALL_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace cw {
/// Adds the cw dialect (and the dialects its passes create) to `registry`.
void registerCWDialects(mlir::DialectRegistry &registry);
/// Registers every cw pass and pipeline with the global pass registry.
void registerCWPasses();
} // namespace cw

#endif // CW_INITALL_H

//===- Compile.h - Ahead-of-time compilation of a cw model ------*- C++ -*-===//
//
// The stages behind `cw-compile`, usable from any driver:
//
//   compress (optional, the `cw-compress` pass pipeline)
//   -> reference rewrite (optional, Reference.h)
//   -> C entry wrappers (EntryPoints.h)
//   -> convert-cw-to-loops -> the upstream TOSA/bufferization/LLVM pipeline
//   -> C entry shims -> LLVM IR -> LLVM optimisation -> object code
//   -> (optionally) a shared library through the system linker.
//
// The pass pipelines are parsed by name: the caller registers the upstream
// passes (mlir::registerAllPasses) and cw's (cw::registerCWPasses), and the
// dialects (including cw's decode lowering models) in the context.
//
//===----------------------------------------------------------------------===//
#ifndef CW_DRIVER_COMPILE_H
#define CW_DRIVER_COMPILE_H

#include "cw/Driver/EntryPoints.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cw {

/// The lowering after compression, as a textual pass pipeline. It starts with
/// convert-cw-to-loops, then the upstream TOSA -> LLVM pipeline.
/// `interleave`, `threads` and `simd` are convert-cw-to-loops' options of
/// those names.
std::string getLoweringPipeline(unsigned interleave = 4, unsigned threads = 1,
                                llvm::StringRef simd = "generic");

/// Whether `module` holds a TOSA layer whose weight is a constant (what
/// cw-compress would compress).
bool hasCompressibleWeights(mlir::ModuleOp module);
/// Whether `module` holds any op of the cw dialect.
bool hasCWOps(mlir::ModuleOp module);

/// Runs `builtin.module(cw-compress{options})` on `module`. Bad options and
/// a missing cw-compress pass are reported in `error`; pass failures through
/// the context's diagnostics.
mlir::LogicalResult runCompression(mlir::ModuleOp module,
                                   llvm::StringRef options, std::string &error);

/// Adds the entry wrappers, lowers `module` to the LLVM dialect and adds the
/// entry shims. `entries` receives the exported functions.
mlir::LogicalResult
lowerToLLVMDialect(mlir::ModuleOp module, std::vector<EntryPoint> &entries,
                   std::string &error, unsigned interleave = 4,
                   unsigned threads = 1, llvm::StringRef simd = "generic");

struct TargetOptions {
  /// Empty: the host's default triple.
  std::string triple;
  /// Empty or "native": the host CPU with its features (when the triple's
  /// architecture is the host's; "generic" otherwise).
  std::string cpu;
  /// Extra features, LLVM syntax ("+avx2,-fma").
  std::string features;
  /// 0..3.
  unsigned optLevel = 3;
};

/// A PIC target machine for `options`; null with `error` set on failure.
std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const TargetOptions &options, std::string &error);

/// convert-cw-to-loops' `simd` for code that runs on `tm`'s subtarget:
/// avx512vbmi where it has AVX-512 VBMI and VBMI2, else generic.
std::string getKernelSimd(const llvm::TargetMachine &tm);

/// Translates an LLVM-dialect module to LLVM IR for `tm` and optimises it at
/// `optLevel`. Null with `error` set on failure.
std::unique_ptr<llvm::Module> translateAndOptimize(mlir::ModuleOp module,
                                                   llvm::LLVMContext &context,
                                                   llvm::TargetMachine &tm,
                                                   unsigned optLevel,
                                                   std::string &error);

/// Writes `module` as an object file (or assembly).
mlir::LogicalResult emitMachineCode(llvm::Module &module,
                                    llvm::TargetMachine &tm,
                                    llvm::raw_pwrite_stream &os, bool assembly,
                                    std::string &error);

/// With `openmp`, also links LLVM's OpenMP runtime (kernels compiled with
/// more than one thread call it).
/// Links `objectPath` into the shared library `outputPath` with `linker`
/// (empty: the first of clang-22, clang, cc, gcc found on PATH).
mlir::LogicalResult linkSharedLibrary(llvm::StringRef objectPath,
                                      llvm::StringRef outputPath,
                                      llvm::StringRef linker,
                                      std::string &error, bool openmp = false);

} // namespace cw

#endif // CW_DRIVER_COMPILE_H

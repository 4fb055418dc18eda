//===- EntryPoints.h - Plain C entry points of a compiled model -*- C++ -*-===//
//
// cw-compile exports, for every public function `@f` of a model, a C function
//
//   int cw_f(const float *in0, ..., float *out0, ...);
//
// taking contiguous row-major buffers (inputs first, then outputs, which are
// written into the caller's buffers) and returning 0. It is built in two
// steps:
//
//  1. before bufferization, `addEntryWrappers` adds a function
//     `__cw_entry_f(memref..., memref...)` that views its input memrefs as
//     tensors, calls `@f` and materialises each result into the output
//     memref; `@f` itself becomes private (so the only exported symbols are
//     the entry points);
//  2. after lowering to the LLVM dialect, `addEntryShims` adds `cw_f(ptr...)
//     -> i32`, which builds the memref descriptors of the static shapes from
//     the bare pointers and calls the wrapper, and gives every other defined
//     function internal linkage.
//
// `writeCHeader` prints the matching C header (shapes as comments and as
// macros, extern "C" guards): for each buffer `CW_<F>_<IN|OUT><i>_RANK`,
// `_SIZE` (elements) and, unless it is a scalar, `_SHAPE` (`{1, 784}`).
//
//===----------------------------------------------------------------------===//
#ifndef CW_DRIVER_ENTRYPOINTS_H
#define CW_DRIVER_ENTRYPOINTS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace cw {

/// One argument of an entry point: a contiguous row-major buffer.
struct EntryBuffer {
  /// `in0`, `out1`, ...
  std::string name;
  /// The C element type: float, double, int8_t, int16_t, int32_t, int64_t.
  std::string cType;
  llvm::SmallVector<int64_t> shape;
  /// The tensor type as MLIR prints it, e.g. `tensor<1x784xf32>`.
  std::string mlirType;
  /// The argument's name in the model (a NameLoc), empty when none.
  std::string sourceName;

  int64_t getNumElements() const;
};

struct EntryPoint {
  /// The model's function (`forward`).
  std::string funcName;
  /// The exported C symbol (`cw_forward`).
  std::string symbol;
  /// The MLIR wrapper taking memrefs (`__cw_entry_forward`).
  std::string wrapperName;
  std::vector<EntryBuffer> inputs;
  std::vector<EntryBuffer> outputs;
};

/// Step 1 (tensor level, before bufferization). Every public function with a
/// body becomes an entry point; its arguments and results must be statically
/// shaped tensors of f32, f64 or signless i8/i16/i32/i64 (anything else is an
/// error at the function). Fails with a diagnostic when there is no public
/// function or when two functions map to the same C symbol.
mlir::FailureOr<std::vector<EntryPoint>>
addEntryWrappers(mlir::ModuleOp module);

/// Step 2 (LLVM dialect, after convert-to-llvm).
mlir::LogicalResult addEntryShims(mlir::ModuleOp module,
                                  llvm::ArrayRef<EntryPoint> entries);

/// The C header declaring `entries`. `guard` is the include-guard macro,
/// `source` the model file named in the banner.
void writeCHeader(llvm::ArrayRef<EntryPoint> entries, llvm::StringRef guard,
                  llvm::StringRef source, llvm::raw_ostream &os);

/// `[A-Za-z0-9_]` of `name`, other characters as `_` (a leading digit gets a
/// `_` prefix).
std::string sanitizeCIdentifier(llvm::StringRef name);

} // namespace cw

#endif // CW_DRIVER_ENTRYPOINTS_H

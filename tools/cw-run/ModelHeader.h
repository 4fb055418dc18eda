//===- ModelHeader.h - Entry points of a cw-compile header ------*- C++ -*-===//
//
// cw-compile --header writes, per entry point, macros CW_<F>_IN0_RANK /
// _SHAPE / _SIZE (and OUT0, ...) followed by the prototype
// `int cw_<f>(const float *in0, ..., float *out0, ...);`. This reads them
// back so that cw-run can call a model it knows nothing else about.
//
//===----------------------------------------------------------------------===//

#ifndef CW_TOOLS_CWRUN_MODELHEADER_H
#define CW_TOOLS_CWRUN_MODELHEADER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cwrun {

/// The most elements a buffer may have (1 GiB of floats): cw-run allocates
/// its buffers from shapes in headers and options, and a mistyped shape must
/// be an error, not an out-of-memory abort or an overflowed size.
constexpr int64_t kMaxElements = int64_t(1) << 28;

/// The number of elements of `shape` (every dimension >= 1), or an error if
/// it is above kMaxElements.
llvm::Expected<int64_t> countElements(llvm::ArrayRef<int64_t> shape);

struct Buffer {
  std::string name;           // in0, out0, ...
  std::string cType;          // float, double, int32_t, ...
  std::vector<int64_t> shape; // Validated: dims >= 1, <= kMaxElements in all.
  int64_t getNumElements() const;
};

struct EntryPoint {
  std::string symbol; // cw_forward
  std::vector<Buffer> inputs, outputs;
};

/// Every entry point declared in the text of a cw-compile header, in order.
/// Errors name the header, the line and the macro that cannot be read.
llvm::Expected<std::vector<EntryPoint>> parseHeader(llvm::StringRef text,
                                                    llvm::StringRef path);

/// "1x784" or "1,784" -> {1, 784}; every dimension >= 1, at most
/// kMaxElements in all. Errors name `option`, where the text comes from.
llvm::Expected<std::vector<int64_t>> parseShape(llvm::StringRef text,
                                                llvm::StringRef option);

std::string formatShape(const std::vector<int64_t> &shape);

} // namespace cwrun

#endif // CW_TOOLS_CWRUN_MODELHEADER_H

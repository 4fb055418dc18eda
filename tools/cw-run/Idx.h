//===- Idx.h - Fashion-MNIST IDX files, gzipped or plain --------*- C++ -*-===//
//
// The IDX format (LeCun's MNIST files, also Fashion-MNIST): a big-endian
// magic 0x000008TT (TT = 0x08 for unsigned bytes) whose low byte is the rank,
// one big-endian u32 per dimension, then the bytes row-major.
//
//===----------------------------------------------------------------------===//

#ifndef CW_TOOLS_CWRUN_IDX_H
#define CW_TOOLS_CWRUN_IDX_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace cwrun {

/// A test set: `count` images of `rows` x `cols` pixels (normalised to
/// float(pixel) / 255, row-major) and their labels.
struct Dataset {
  int64_t count = 0, rows = 0, cols = 0;
  std::vector<float> pixels;
  std::vector<uint8_t> labels;
  int64_t pixelsPerImage() const { return rows * cols; }
};

/// Reads an IDX image file (rank 3, u8) and its label file (rank 1, u8),
/// each gzipped or plain, keeping the first `limit` images (all if < 0).
/// Errors name the file and what is wrong with it.
llvm::Expected<Dataset> readIdxDataset(llvm::StringRef imagesPath,
                                       llvm::StringRef labelsPath,
                                       int64_t limit);

} // namespace cwrun

#endif // CW_TOOLS_CWRUN_IDX_H

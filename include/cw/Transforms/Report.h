//===- Report.h - Per-layer compression report ------------------*- C++ -*-===//
//
// What cw-encode / cw-compress measured, layer by layer, and the model totals:
// as an aligned text table for people and as JSON for scripts. The sizes are
// those DESIGN.md counts: original = fp32 bytes; encoded = everything needed
// to decode (blob + codebook, as the encoding interface sizes it).
//
//===----------------------------------------------------------------------===//
#ifndef CW_TRANSFORMS_REPORT_H
#define CW_TRANSFORMS_REPORT_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cw {

struct LayerReport {
  std::string name;
  /// "matmul", "conv2d", "depthwise_conv2d" ("total" for the totals row).
  std::string kind;
  /// The encoded shape, rows = outputs.
  llvm::SmallVector<int64_t> shape;
  uint64_t weights = 0;
  uint64_t nonzeros = 0;
  /// Distinct nonzero values the encoder was given (the clusters).
  uint64_t clusters = 0;
  /// "csr", and the full attribute, e.g. "#cw.csr<gap_bits = 8>".
  std::string encoding;
  std::string attribute;
  uint64_t originalBytes = 0;
  uint64_t blobBytes = 0;
  uint64_t codebookBytes = 0;
  /// Everything needed to decode (EncodingAttrInterface size, in bytes).
  uint64_t encodedBytes = 0;
  /// Order-0 entropy floor of the coded symbol streams, in bits.
  double entropyFloorBits = 0;
  /// Against the reference weights (before pruning in cw-compress).
  double maxAbsError = 0;
  double meanAbsError = 0;
  /// Pruned positions that decode to a nonzero value (bloomier).
  uint64_t falsePositives = 0;

  double density() const;
  double ratio() const;
  double bitsPerWeight() const;
  double bitsPerNonzero() const;
};

struct ModelReport {
  std::vector<LayerReport> layers;

  /// Sums over the layers; errors: the largest max, the weight-averaged mean.
  LayerReport totals() const;
};

/// The aligned table, one row per layer and a total row.
void printReportTable(const ModelReport &report, llvm::raw_ostream &os);

/// {"layers": [...], "total": {...}} with one object per layer.
llvm::json::Value reportToJSON(const ModelReport &report);

/// Writes the table to `textPath` and the JSON to `jsonPath` (each skipped
/// when empty; "-" is stderr). Returns false with `error` set on I/O errors.
bool writeReportFiles(const ModelReport &report, llvm::StringRef textPath,
                      llvm::StringRef jsonPath, std::string &error);

} // namespace cw

#endif // CW_TRANSFORMS_REPORT_H

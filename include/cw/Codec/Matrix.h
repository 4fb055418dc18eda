//===- Matrix.h - The pruned, clustered matrix every encoding stores -*- C++
//-*-===//
//
// After pruning and weight sharing a layer is a row-major matrix of cluster
// indices plus a codebook. Index 0 is a pruned zero (exactly 0.0f); index
// c in 1..k stands for codebook[c - 1]. Rows are output features (a
// fully-connected layer's [out, in] weight, a conv layer's [OC, KH*KW*IC]).
//
// Encoded blobs never contain the codebook: it travels beside the blob (the
// `codebook` attribute of cw.weights) and is counted separately in reports.
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_MATRIX_H
#define CW_CODEC_MATRIX_H

#include "cw/Codec/Status.h"

#include <cstdint>
#include <vector>

namespace cw::codec {

struct ClusteredMatrix {
  uint64_t rows = 0;
  uint64_t cols = 0;
  /// rows * cols entries: 0 = pruned zero, c >= 1 = codebook[c - 1].
  std::vector<uint16_t> indices;
  /// k centroids, 1 <= k <= 256 (k = 0 only for an all-zero matrix).
  std::vector<float> codebook;

  uint64_t size() const { return rows * cols; }
  uint64_t countNonzeros() const;
  /// Dense fp32 reconstruction.
  std::vector<float> toDense() const;
  /// Checks sizes and that every index is <= codebook.size().
  Status validate() const;
};

/// Sizes every matrix encoder reports (DESIGN.md "How we measure").
struct EncodingStats {
  /// The whole encoded blob: headers, tables, chunk offsets, payload.
  uint64_t blobBytes = 0;
  /// The codebook stored beside the blob (4 bytes per centroid).
  uint64_t codebookBytes = 0;
  /// Order-0 entropy floor, in bits, of the symbol streams the encoder coded
  /// (tables excluded): the lossless floor reports compare against.
  double entropyFloorBits = 0;
  uint64_t totalBits() const { return (blobBytes + codebookBytes) * 8; }
};

/// Synthetic trained-like weights for tests and benchmarks: Laplace(0, scale)
/// values, magnitude-pruned to `density`, the survivors quantised to `k`
/// clusters with linear centroids between the smallest and largest surviving
/// value (no k-means iterations: that is the clustering library's job).
/// Deterministic for a given seed.
ClusteredMatrix makeSyntheticClustered(uint64_t rows, uint64_t cols,
                                       double density, unsigned k,
                                       uint64_t seed, float scale = 0.05f);

/// Laplace(0, scale) fp32 weights, deterministic for a given seed.
std::vector<float> makeLaplaceWeights(uint64_t count, uint64_t seed,
                                      float scale = 0.05f);

} // namespace cw::codec

#endif // CW_CODEC_MATRIX_H

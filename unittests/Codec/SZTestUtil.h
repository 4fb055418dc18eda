//===- SZTestUtil.h - Fixtures shared by the SZ codec tests -----*- C++ -*-===//
#ifndef CW_UNITTESTS_CODEC_SZTESTUTIL_H
#define CW_UNITTESTS_CODEC_SZTESTUTIL_H

#include "cw/Codec/Matrix.h"
#include "cw/Codec/SZ.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace cw::codec::testing {

/// Random pruned matrix: Laplace values, `density` of them kept nonzero.
inline std::vector<float> makeSparse(uint64_t rows, uint64_t cols,
                                     double density, uint64_t seed,
                                     float scale = 0.05f) {
  std::vector<float> w = makeLaplaceWeights(rows * cols, seed, scale);
  std::mt19937_64 rng(seed ^ 0x9E3779B97F4A7C15ull);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (float &v : w)
    if (u(rng) >= density || v == 0.0f)
      v = 0.0f;
  return w;
}

/// encodeSZMatrix, expected to succeed; checks the reported sizes (blob
/// bytes, no codebook). Returns an empty blob after a failure.
inline std::vector<uint8_t> encodeOk(const std::vector<float> &w, uint64_t rows,
                                     uint64_t cols, const SZParams &p,
                                     SZEncodeInfo *info = nullptr) {
  EncodingStats st;
  Result<std::vector<uint8_t>> blob =
      encodeSZMatrix(w, rows, cols, p, &st, info);
  EXPECT_TRUE(blob.isOk()) << blob.message();
  if (!blob)
    return {};
  EXPECT_EQ(st.blobBytes, blob->size());
  EXPECT_EQ(st.codebookBytes, 0u);
  return *blob;
}

} // namespace cw::codec::testing

#endif // CW_UNITTESTS_CODEC_SZTESTUTIL_H

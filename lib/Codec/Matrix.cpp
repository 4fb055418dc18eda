//===- Matrix.cpp - Clustered matrices and synthetic weights --------------===//

#include "cw/Codec/Matrix.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

namespace cw::codec {

uint64_t ClusteredMatrix::countNonzeros() const {
  uint64_t n = 0;
  for (uint16_t i : indices)
    n += i != 0;
  return n;
}

std::vector<float> ClusteredMatrix::toDense() const {
  std::vector<float> dense(indices.size(), 0.0f);
  for (size_t i = 0; i < indices.size(); ++i)
    if (indices[i] && indices[i] <= codebook.size())
      dense[i] = codebook[indices[i] - 1];
  return dense;
}

Status ClusteredMatrix::validate() const {
  if (rows != 0 && cols > UINT64_MAX / rows)
    return Status::error("matrix: rows * cols overflows");
  if (indices.size() != rows * cols)
    return Status::error("matrix: " + std::to_string(indices.size()) +
                         " indices for a " + std::to_string(rows) + "x" +
                         std::to_string(cols) + " matrix");
  if (codebook.size() > 256)
    return Status::error("matrix: codebook has " +
                         std::to_string(codebook.size()) +
                         " entries, at most 256 are supported");
  for (float c : codebook)
    if (!std::isfinite(c))
      return Status::error("matrix: codebook holds a NaN or Inf");
  for (uint16_t i : indices)
    if (i > codebook.size())
      return Status::error("matrix: cluster index " + std::to_string(i) +
                           " exceeds codebook size " +
                           std::to_string(codebook.size()));
  return Status::ok();
}

std::vector<float> makeLaplaceWeights(uint64_t count, uint64_t seed,
                                      float scale) {
  std::mt19937_64 rng(seed);
  std::vector<float> w(count);
  for (float &v : w) {
    // Inverse CDF of Laplace(0, scale) from u uniform in (-0.5, 0.5).
    double u = (double(rng() >> 11) + 0.5) * 0x1.0p-53 - 0.5;
    double mag = -scale * std::log(1.0 - 2.0 * std::fabs(u));
    v = float(u < 0 ? -mag : mag);
  }
  return w;
}

ClusteredMatrix makeSyntheticClustered(uint64_t rows, uint64_t cols,
                                       double density, unsigned k,
                                       uint64_t seed, float scale) {
  ClusteredMatrix m;
  m.rows = rows;
  m.cols = cols;
  std::vector<float> w = makeLaplaceWeights(rows * cols, seed, scale);
  uint64_t keep = uint64_t(std::llround(density * double(w.size())));
  if (keep > w.size())
    keep = w.size();
  m.indices.assign(w.size(), 0);
  if (keep == 0 || k == 0)
    return m;
  std::vector<float> mags(w.size());
  for (size_t i = 0; i < w.size(); ++i)
    mags[i] = std::fabs(w[i]);
  std::vector<float> sorted = mags;
  std::nth_element(sorted.begin(), sorted.begin() + (w.size() - keep),
                   sorted.end());
  float threshold = sorted[w.size() - keep];
  float lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < w.size(); ++i)
    if (mags[i] >= threshold) {
      lo = std::min(lo, w[i]);
      hi = std::max(hi, w[i]);
    }
  m.codebook.resize(k);
  for (unsigned c = 0; c < k; ++c)
    m.codebook[c] = k == 1 ? lo : lo + (hi - lo) * float(c) / float(k - 1);
  for (size_t i = 0; i < w.size(); ++i) {
    if (mags[i] < threshold)
      continue;
    unsigned best =
        k == 1 ? 0
               : unsigned(std::lround((w[i] - lo) / (hi - lo) * float(k - 1)));
    if (best >= k)
      best = k - 1;
    m.indices[i] = uint16_t(best + 1);
  }
  return m;
}

} // namespace cw::codec

//===- Prune.cpp - Magnitude pruning --------------------------------------===//

#include "cw/Codec/Prune.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace cw::codec {

Result<PruneResult> pruneByMagnitude(const std::vector<float> &w,
                                     const PruneOptions &options) {
  if (options.sparsity.has_value() == options.threshold.has_value())
    return Status::error("prune: set exactly one of sparsity and threshold");
  if (options.sparsity) {
    double s = *options.sparsity;
    if (!(s >= 0.0 && s <= 1.0))
      return Status::error("prune: sparsity " + std::to_string(s) +
                           " is outside [0, 1]");
  } else {
    double t = *options.threshold;
    if (!std::isfinite(t) || t < 0.0)
      return Status::error("prune: threshold " + std::to_string(t) +
                           " must be finite and >= 0");
  }
  const size_t n = w.size();
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(w[i]))
      return Status::error("prune: weight " + std::to_string(i) +
                           " is NaN or Inf");

  PruneResult r;
  r.mask.assign(n, 0);
  r.weights.assign(n, 0.0f);
  r.stats.count = n;

  if (options.threshold) {
    double t = *options.threshold;
    r.stats.threshold = t;
    for (size_t i = 0; i < n; ++i)
      if (double(std::fabs(w[i])) > t)
        r.mask[i] = 1;
  } else if (n > 0) {
    double keepD = std::llround((1.0 - *options.sparsity) * double(n));
    uint64_t keep = keepD < 0 ? 0 : std::min<uint64_t>(uint64_t(keepD), n);
    std::vector<float> mags(n);
    for (size_t i = 0; i < n; ++i)
      mags[i] = std::fabs(w[i]);
    if (keep == 0) {
      r.stats.threshold = *std::max_element(mags.begin(), mags.end());
    } else {
      // The keep-th largest magnitude T: keep everything above T, then the
      // first (by position) weights equal to T until `keep` are kept.
      std::vector<float> sorted = mags;
      std::nth_element(sorted.begin(), sorted.begin() + (n - keep),
                       sorted.end());
      float cut = sorted[n - keep];
      r.stats.threshold = cut;
      uint64_t above = 0;
      for (size_t i = 0; i < n; ++i)
        above += mags[i] > cut;
      uint64_t tiesToKeep = keep - above;
      for (size_t i = 0; i < n; ++i) {
        if (mags[i] > cut) {
          r.mask[i] = 1;
        } else if (mags[i] == cut && tiesToKeep) {
          r.mask[i] = 1;
          --tiesToKeep;
        }
      }
    }
  }

  for (size_t i = 0; i < n; ++i) {
    if (!r.mask[i])
      continue;
    ++r.stats.kept;
    if (w[i] != 0.0f) {
      r.weights[i] = w[i];
      ++r.stats.nonzeros;
    }
  }
  r.stats.density = n ? double(r.stats.kept) / double(n) : 0.0;
  return r;
}

} // namespace cw::codec

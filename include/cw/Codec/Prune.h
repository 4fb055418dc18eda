//===- Prune.h - Magnitude pruning (Deep Compression §2) --------*- C++ -*-===//
//
// Magnitude pruning removes the weights of smallest absolute value. Two modes,
// chosen by setting exactly one field of PruneOptions:
//
//  * target sparsity s in [0, 1]: exactly keep = round((1 - s) * n) weights
//    survive (round half away from zero, std::llround), namely the `keep`
//    largest magnitudes. Ties at the cut are broken by position: among weights
//    of equal magnitude the one at the lower index is kept. The achieved
//    sparsity therefore matches the target exactly (up to the rounding of
//    (1 - s) * n to an integer), whatever the ties.
//  * absolute threshold t >= 0: a weight survives iff |w| > t (so t = 0
//    removes only exact zeros). Weights exactly at the threshold are pruned.
//
// Outputs: a mask (1 = kept, 0 = pruned) per weight, the pruned weights
// (pruned entries are exactly +0.0f; a kept -0.0f or +0.0f is written as
// +0.0f too) and statistics. A kept weight that is itself zero stays 1 in the
// mask but counts as a zero in `nonzeros`; weight sharing treats it as pruned.
//
// NaN and Inf weights are rejected, as are a sparsity outside [0, 1], a
// negative or non-finite threshold, and options that set both or neither mode.
// The result is deterministic (no randomness, no threads).
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_PRUNE_H
#define CW_CODEC_PRUNE_H

#include "cw/Codec/Status.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace cw::codec {

struct PruneOptions {
  /// Fraction of weights to remove, in [0, 1].
  std::optional<double> sparsity;
  /// Absolute magnitude threshold (>= 0): keep |w| > threshold.
  std::optional<double> threshold;

  static PruneOptions bySparsity(double s) {
    PruneOptions o;
    o.sparsity = s;
    return o;
  }
  static PruneOptions byThreshold(double t) {
    PruneOptions o;
    o.threshold = t;
    return o;
  }
};

struct PruneStats {
  /// Number of weights.
  uint64_t count = 0;
  /// Number of mask entries equal to 1.
  uint64_t kept = 0;
  /// Number of pruned weights that are nonzero (kept and not exactly zero).
  uint64_t nonzeros = 0;
  /// kept / count (0 for an empty input).
  double density = 0;
  /// Threshold mode: the given threshold. Sparsity mode: the magnitude of the
  /// smallest kept weight (every pruned weight has a magnitude <= it, every
  /// kept one >= it); when nothing is kept, the largest magnitude; 0 for an
  /// empty input.
  double threshold = 0;
};

struct PruneResult {
  std::vector<uint8_t> mask;
  std::vector<float> weights;
  PruneStats stats;
};

/// Magnitude pruning of `w` (see the file comment for the exact rules).
Result<PruneResult> pruneByMagnitude(const std::vector<float> &w,
                                     const PruneOptions &options);

} // namespace cw::codec

#endif // CW_CODEC_PRUNE_H

//===- Cluster.h - Weight sharing by 1-D k-means -------------*- C++ -*-===//
//-*-===//
//
// Weight sharing replaces every nonzero weight of a pruned layer by the
// nearest of k shared centroids. Only the nonzeros are clustered: a pruned
// zero (exactly 0.0f, or -0.0f) stays index 0 of the ClusteredMatrix and is
// never a cluster; index c >= 1 stands for codebook[c - 1].
//
// Algorithm. The nonzeros are sorted and reduced to their distinct values
// with multiplicities (u distinct values). In 1-D a nearest-centroid
// assignment with sorted centroids is a partition of the sorted values into
// contiguous runs, so every Lloyd iteration costs O(k log u) with prefix sums
// (binary searches for the midpoints between centroids, means from prefix
// sums) whatever the number of weights.
//
// Initialisations (ClusterInit):
//  * linear (default, best in the paper): k centroids evenly spaced between
//    the smallest and the largest nonzero, min + (max - min) * j / (k - 1)
//    (k = 1: the midpoint);
//  * density: evenly spaced in the CDF of the nonzeros: centroid j is the
//    nonzero of rank floor((j + 1/2) * n / k) in sorted order;
//  * forgy: k distinct values drawn from the nonzeros with probability
//    proportional to their multiplicity (weighted sampling without
//    replacement, Efraimidis-Spirakis keys from std::mt19937_64(seed));
//  * optimal: exact optimal 1-D k-means (minimum sum of squared errors) by
//    dynamic programming over the sorted distinct values with the
//    divide-and-conquer optimisation, O(k u log u) time and O(u) memory plus
//    2 bits per value and layer for backtracking (the argmins are monotone
//    and stored in unary). No Lloyd iterations follow: it is already optimal.
//
// Lloyd iterations (all but `optimal`) alternate the update step (centroid =
// mean of its cluster) and the assignment step (nearest centroid; a value
// exactly halfway goes to the lower centroid) until the assignment stops
// changing or `maxIterations` updates were made (maxIterations = 0 keeps the
// initial centroids). The SSE never increases along the way.
//
// Empty clusters (an initial centroid nothing is nearest to, e.g. linear init
// over a gap in the data, or duplicate density quantiles) are re-seeded
// deterministically: the empty centroid moves onto the distinct value with the
// largest multiplicity * squared distance to its centroid (the lowest such
// value on ties), which strictly lowers the SSE. At most 2k re-seeds per
// assignment step; a cluster still empty after that is dropped.
//
// The codebook shrinks below k, and is never padded, when
//  * the nonzeros have at most k distinct values: then every distinct value is
//    its own centroid (SSE 0), for every initialisation;
//  * two centroids round to the same float, or a cluster stays empty: the
//    duplicates/empties are dropped.
// The codebook is sorted strictly ascending and the final assignment is the
// nearest float centroid (ties to the lower). All-zero input gives an empty
// codebook. Deterministic: same input and options, same output.
//
// Errors: k outside [1, 256], rows * cols != pruned.size() (or overflowing),
// NaN or Inf in the input.
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_CLUSTER_H
#define CW_CODEC_CLUSTER_H

#include "cw/Codec/Matrix.h"
#include "cw/Codec/Status.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace cw::codec {

enum class ClusterInit { Linear, Density, Forgy, Optimal };

struct ClusterOptions {
  /// Number of clusters, 1..256 (an upper bound: see the file comment).
  unsigned k = 32;
  ClusterInit init = ClusterInit::Linear;
  /// Cap on Lloyd update steps (ignored by `optimal`).
  unsigned maxIterations = 1000;
  /// Seed of the Forgy initialisation.
  uint64_t seed = 0;
};

/// What clusterWeights did, for reports and tests.
struct ClusterStats {
  uint64_t nonzeros = 0;
  uint64_t distinctValues = 0;
  /// Final codebook size.
  unsigned clusters = 0;
  /// Lloyd update steps performed.
  unsigned iterations = 0;
  /// True when the assignment stopped changing (always for `optimal`).
  bool converged = false;
  /// Empty clusters re-seeded.
  unsigned reseeds = 0;
  /// SSE over the nonzeros with the initial centroids (nearest assignment).
  double initialSSE = 0;
  /// SSE over the nonzeros with the final float codebook.
  double finalSSE = 0;
};

/// "linear", "density", "forgy" or "optimal".
Result<ClusterInit> parseClusterInit(std::string_view name);
const char *clusterInitName(ClusterInit init);

/// Clusters the nonzeros of the row-major `pruned` (rows x cols) matrix.
Result<ClusteredMatrix> clusterWeights(const std::vector<float> &pruned,
                                       uint64_t rows, uint64_t cols,
                                       const ClusterOptions &options,
                                       ClusterStats *stats = nullptr);

/// Deep Compression's compression rate of weight sharing alone:
/// r = n * b / (n * log2(k) + k * b) for n weights of b bits and k clusters.
/// Returns 0 when n or k is 0.
double weightSharingCompressionRate(uint64_t n, unsigned k,
                                    unsigned bitsPerWeight = 32);

/// Sum of squared differences between `weights` and m.toDense() (0 past the
/// shorter of the two; sizes are expected to match).
double clusteringSSE(const std::vector<float> &weights,
                     const ClusteredMatrix &m);

} // namespace cw::codec

#endif // CW_CODEC_CLUSTER_H

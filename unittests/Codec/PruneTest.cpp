//===- PruneTest.cpp - Magnitude pruning tests ----------------------------===//

#include "cw/Codec/Prune.h"
#include "cw/Codec/Matrix.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace cw::codec;

namespace {

void expectConsistent(const std::vector<float> &w, const PruneResult &r) {
  ASSERT_EQ(r.mask.size(), w.size());
  ASSERT_EQ(r.weights.size(), w.size());
  uint64_t kept = 0, nonzeros = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    ASSERT_TRUE(r.mask[i] == 0 || r.mask[i] == 1);
    kept += r.mask[i];
    if (r.mask[i] && w[i] != 0.0f) {
      EXPECT_EQ(r.weights[i], w[i]);
      ++nonzeros;
    } else {
      // Pruned (or kept zero) entries are exactly +0.0f.
      EXPECT_EQ(r.weights[i], 0.0f);
      EXPECT_FALSE(std::signbit(r.weights[i]));
    }
  }
  EXPECT_EQ(r.stats.count, w.size());
  EXPECT_EQ(r.stats.kept, kept);
  EXPECT_EQ(r.stats.nonzeros, nonzeros);
  EXPECT_DOUBLE_EQ(r.stats.density,
                   w.empty() ? 0.0 : double(kept) / double(w.size()));
}

TEST(PruneTest, HitsExactTargetCount) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    for (uint64_t n : {1u, 2u, 7u, 100u, 1001u, 4096u}) {
      std::vector<float> w = makeLaplaceWeights(n, seed);
      for (double s : {0.0, 0.1, 0.5, 0.91, 0.96, 0.999, 1.0}) {
        Result<PruneResult> r =
            pruneByMagnitude(w, PruneOptions::bySparsity(s));
        ASSERT_TRUE(r) << r.message();
        expectConsistent(w, *r);
        uint64_t keep = uint64_t(std::llround((1.0 - s) * double(n)));
        EXPECT_EQ(r->stats.kept, keep) << "n=" << n << " s=" << s;
        // Every kept magnitude >= every pruned magnitude.
        float minKept = INFINITY, maxPruned = 0;
        for (size_t i = 0; i < n; ++i) {
          if (r->mask[i])
            minKept = std::min(minKept, std::fabs(w[i]));
          else
            maxPruned = std::max(maxPruned, std::fabs(w[i]));
        }
        if (keep > 0 && keep < n) {
          EXPECT_GE(minKept, maxPruned);
          EXPECT_EQ(r->stats.threshold, double(minKept));
        }
      }
    }
  }
}

TEST(PruneTest, TiesBrokenByPosition) {
  std::vector<float> w = {1, -1, 1, -1, 1, -1, 1, -1};
  Result<PruneResult> r = pruneByMagnitude(w, PruneOptions::bySparsity(0.5));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mask, (std::vector<uint8_t>{1, 1, 1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(r->stats.threshold, 1.0);

  std::vector<float> v = {0.5f, 2, 3, -2, 2, 1, -2};
  // keep = round(0.5 * 7) = 4: the 3 and the first three 2s.
  r = pruneByMagnitude(v, PruneOptions::bySparsity(0.5));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mask, (std::vector<uint8_t>{0, 1, 1, 1, 1, 0, 0}));
  EXPECT_EQ(r->weights, (std::vector<float>{0, 2, 3, -2, 2, 0, 0}));
  EXPECT_EQ(r->stats.kept, 4u);
  EXPECT_EQ(r->stats.threshold, 2.0);
}

TEST(PruneTest, ThresholdMode) {
  std::vector<float> w = {0.1f, -0.3f, 0.2f, -0.2f, 0.0f, -0.0f, 0.25f};
  Result<PruneResult> r = pruneByMagnitude(w, PruneOptions::byThreshold(0.2));
  ASSERT_TRUE(r);
  expectConsistent(w, *r);
  // |w| > 0.2 survives; 0.2f itself (0.200000003) is above the double 0.2.
  for (size_t i = 0; i < w.size(); ++i)
    EXPECT_EQ(r->mask[i], double(std::fabs(w[i])) > 0.2 ? 1 : 0);
  EXPECT_EQ(r->stats.threshold, 0.2);

  r = pruneByMagnitude(w, PruneOptions::byThreshold(0.25));
  ASSERT_TRUE(r);
  // Exactly at the threshold is pruned.
  EXPECT_EQ(r->mask, (std::vector<uint8_t>{0, 1, 0, 0, 0, 0, 0}));

  // Threshold 0 removes exactly the zeros (including -0.0f).
  r = pruneByMagnitude(w, PruneOptions::byThreshold(0.0));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mask, (std::vector<uint8_t>{1, 1, 1, 1, 0, 0, 1}));
  EXPECT_EQ(r->stats.nonzeros, 5u);
}

TEST(PruneTest, ThresholdMatchesSparsityOnDistinctData) {
  std::vector<float> w = makeLaplaceWeights(5000, 42);
  Result<PruneResult> a = pruneByMagnitude(w, PruneOptions::bySparsity(0.9));
  ASSERT_TRUE(a);
  // Prune at just below the smallest kept magnitude: the same mask.
  double t = std::nextafter(float(a->stats.threshold), 0.0f);
  Result<PruneResult> b = pruneByMagnitude(w, PruneOptions::byThreshold(t));
  ASSERT_TRUE(b);
  EXPECT_EQ(a->mask, b->mask);
  EXPECT_EQ(a->weights, b->weights);
}

TEST(PruneTest, KeptZerosAndSignedZeros) {
  std::vector<float> w = {0.0f, -0.0f, 0.0f, 5.0f};
  Result<PruneResult> r = pruneByMagnitude(w, PruneOptions::bySparsity(0.25));
  ASSERT_TRUE(r);
  expectConsistent(w, *r);
  EXPECT_EQ(r->stats.kept, 3u);
  EXPECT_EQ(r->stats.nonzeros, 1u);
  EXPECT_EQ(r->mask, (std::vector<uint8_t>{1, 1, 0, 1}));
}

TEST(PruneTest, EmptyAndExtremes) {
  std::vector<float> empty;
  Result<PruneResult> r =
      pruneByMagnitude(empty, PruneOptions::bySparsity(0.5));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->stats.count, 0u);
  EXPECT_EQ(r->stats.density, 0.0);
  r = pruneByMagnitude(empty, PruneOptions::byThreshold(1.0));
  ASSERT_TRUE(r);

  std::vector<float> w = {3, -1, 2};
  r = pruneByMagnitude(w, PruneOptions::bySparsity(1.0));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->stats.kept, 0u);
  EXPECT_EQ(r->stats.threshold, 3.0);
  r = pruneByMagnitude(w, PruneOptions::bySparsity(0.0));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->weights, w);
  EXPECT_EQ(r->stats.density, 1.0);
}

TEST(PruneTest, RejectsBadInput) {
  std::vector<float> w = {1, 2, 3};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (double s : {-0.01, 1.01, nan})
    EXPECT_FALSE(pruneByMagnitude(w, PruneOptions::bySparsity(s)));
  for (double t : {-0.5, nan, double(INFINITY)})
    EXPECT_FALSE(pruneByMagnitude(w, PruneOptions::byThreshold(t)));
  PruneOptions both = PruneOptions::bySparsity(0.5);
  both.threshold = 0.1;
  EXPECT_FALSE(pruneByMagnitude(w, both));
  EXPECT_FALSE(pruneByMagnitude(w, PruneOptions()));

  for (float bad :
       {std::numeric_limits<float>::quiet_NaN(), INFINITY, -INFINITY}) {
    std::vector<float> v = {1, bad, 3};
    Result<PruneResult> r = pruneByMagnitude(v, PruneOptions::bySparsity(0.5));
    ASSERT_FALSE(r);
    EXPECT_NE(r.message().find("prune:"), std::string::npos);
    EXPECT_FALSE(pruneByMagnitude(v, PruneOptions::byThreshold(0.5)));
  }
}

TEST(PruneTest, Deterministic) {
  std::vector<float> w = makeLaplaceWeights(20000, 7);
  // Many ties: quantise the magnitudes.
  for (float &x : w)
    x = std::round(x * 100.0f) / 100.0f;
  Result<PruneResult> a = pruneByMagnitude(w, PruneOptions::bySparsity(0.7));
  Result<PruneResult> b = pruneByMagnitude(w, PruneOptions::bySparsity(0.7));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->mask, b->mask);
  EXPECT_EQ(a->weights, b->weights);
  EXPECT_EQ(a->stats.kept, 6000u);
}

} // namespace

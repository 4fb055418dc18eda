//===- ClusterTest.cpp - Weight sharing (1-D k-means) tests ---------------===//

#include "cw/Codec/Cluster.h"
#include "cw/Codec/Matrix.h"
#include "cw/Codec/Prune.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <random>

using namespace cw::codec;

namespace {

const ClusterInit kAllInits[] = {ClusterInit::Linear, ClusterInit::Density,
                                 ClusterInit::Forgy, ClusterInit::Optimal};

std::vector<float> prunedLaplace(uint64_t n, double density, uint64_t seed) {
  std::vector<float> w = makeLaplaceWeights(n, seed);
  Result<PruneResult> r =
      pruneByMagnitude(w, PruneOptions::bySparsity(1.0 - density));
  EXPECT_TRUE(r);
  return r->weights;
}

ClusterOptions opts(unsigned k, ClusterInit init, uint64_t seed = 0) {
  ClusterOptions o;
  o.k = k;
  o.init = init;
  o.seed = seed;
  return o;
}

/// Structural checks every clustering must pass.
void expectWellFormed(const std::vector<float> &pruned,
                      const ClusteredMatrix &m, unsigned k) {
  ASSERT_TRUE(m.validate()) << m.validate().message();
  ASSERT_EQ(m.indices.size(), pruned.size());
  EXPECT_LE(m.codebook.size(), k);
  for (size_t j = 1; j < m.codebook.size(); ++j)
    EXPECT_LT(m.codebook[j - 1], m.codebook[j]);
  std::vector<uint64_t> used(m.codebook.size() + 1, 0);
  for (size_t i = 0; i < pruned.size(); ++i) {
    // Pruned zeros stay zero; nonzeros are never index 0.
    EXPECT_EQ(m.indices[i] == 0, pruned[i] == 0.0f) << "at " << i;
    ++used[m.indices[i]];
    if (!m.indices[i])
      continue;
    // Nearest centroid.
    float c = m.codebook[m.indices[i] - 1];
    double d = std::fabs(double(pruned[i]) - double(c));
    for (float o : m.codebook)
      ASSERT_LE(d, std::fabs(double(pruned[i]) - double(o)));
  }
  for (size_t j = 1; j < used.size(); ++j)
    EXPECT_GT(used[j], 0u) << "cluster " << j << " is empty";
  std::vector<float> dense = m.toDense();
  for (size_t i = 0; i < pruned.size(); ++i)
    if (pruned[i] == 0.0f)
      EXPECT_EQ(dense[i], 0.0f);
}

double nonzeroSSEBound(double sse) { return sse * (1 + 1e-9) + 1e-12; }

TEST(ClusterTest, ParseInit) {
  for (ClusterInit init : kAllInits) {
    Result<ClusterInit> p = parseClusterInit(clusterInitName(init));
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, init);
  }
  Result<ClusterInit> bad = parseClusterInit("kmeans++");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.message().find("cluster:"), std::string::npos);
  EXPECT_FALSE(parseClusterInit(""));
  EXPECT_FALSE(parseClusterInit("Linear"));
}

TEST(ClusterTest, RejectsBadInput) {
  std::vector<float> w = {1, 0, 2, 3};
  EXPECT_FALSE(clusterWeights(w, 2, 2, opts(0, ClusterInit::Linear)));
  EXPECT_FALSE(clusterWeights(w, 2, 2, opts(257, ClusterInit::Linear)));
  EXPECT_TRUE(clusterWeights(w, 2, 2, opts(256, ClusterInit::Linear)));
  EXPECT_TRUE(clusterWeights(w, 2, 2, opts(1, ClusterInit::Linear)));
  EXPECT_FALSE(clusterWeights(w, 3, 2, opts(2, ClusterInit::Linear)));
  EXPECT_FALSE(clusterWeights(w, UINT64_MAX, 3, opts(2, ClusterInit::Linear)));
  for (float bad :
       {std::numeric_limits<float>::quiet_NaN(), INFINITY, -INFINITY}) {
    std::vector<float> v = {1, bad, 2, 0};
    for (ClusterInit init : kAllInits) {
      Result<ClusteredMatrix> r = clusterWeights(v, 2, 2, opts(2, init));
      ASSERT_FALSE(r);
      EXPECT_NE(r.message().find("NaN or Inf"), std::string::npos);
    }
  }
}

TEST(ClusterTest, WellFormedAcrossSeedsShapesAndInits) {
  struct Shape {
    uint64_t rows, cols;
    double density;
    unsigned k;
  };
  const Shape shapes[] = {{0, 0, 0.5, 4},     {0, 7, 0.5, 4},
                          {7, 0, 0.5, 4},     {1, 1, 1.0, 2},
                          {1, 1, 0.0, 2},     {13, 17, 0.3, 5},
                          {20, 30, 1.0, 16},  {40, 50, 0.09, 32},
                          {64, 64, 0.5, 256}, {30, 30, 0.2, 1}};
  for (uint64_t seed = 1; seed <= 4; ++seed)
    for (const Shape &s : shapes)
      for (ClusterInit init : kAllInits) {
        std::vector<float> pruned =
            prunedLaplace(s.rows * s.cols, s.density, seed);
        ClusterStats st;
        Result<ClusteredMatrix> m =
            clusterWeights(pruned, s.rows, s.cols, opts(s.k, init, seed), &st);
        ASSERT_TRUE(m) << m.message();
        EXPECT_EQ(m->rows, s.rows);
        EXPECT_EQ(m->cols, s.cols);
        expectWellFormed(pruned, *m, s.k);
        EXPECT_TRUE(st.converged);
        EXPECT_EQ(st.clusters, m->codebook.size());
        EXPECT_EQ(st.nonzeros, m->countNonzeros());
        // The nonzeros are distinct: the codebook is full when it can be.
        EXPECT_EQ(m->codebook.size(),
                  std::min<uint64_t>(s.k, st.distinctValues));
        EXPECT_NEAR(st.finalSSE, clusteringSSE(pruned, *m),
                    1e-9 * (1 + st.finalSSE));
        EXPECT_LE(st.finalSSE, nonzeroSSEBound(st.initialSSE));
      }
}

TEST(ClusterTest, AllZeroAndEmpty) {
  std::vector<float> zeros(12, 0.0f);
  zeros[3] = -0.0f;
  for (ClusterInit init : kAllInits) {
    Result<ClusteredMatrix> m = clusterWeights(zeros, 3, 4, opts(8, init));
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->codebook.empty());
    EXPECT_EQ(m->indices, std::vector<uint16_t>(12, 0));
    m = clusterWeights({}, 0, 4, opts(8, init));
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->indices.empty());
    EXPECT_TRUE(m->codebook.empty());
  }
}

TEST(ClusterTest, FewerDistinctValuesThanK) {
  std::vector<float> w;
  for (int i = 0; i < 50; ++i)
    w.push_back(i % 5 == 0 ? 0.0f : float(i % 3) - 1.5f); // -1.5, -0.5, 0.5
  for (ClusterInit init : kAllInits) {
    ClusterStats st;
    Result<ClusteredMatrix> m = clusterWeights(w, 5, 10, opts(8, init), &st);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->codebook, (std::vector<float>{-1.5f, -0.5f, 0.5f}));
    EXPECT_EQ(st.finalSSE, 0.0);
    EXPECT_EQ(m->toDense(), w);
  }
}

TEST(ClusterTest, OneCluster) {
  std::vector<float> w = {1, 0, 2, 0, 6};
  for (ClusterInit init : kAllInits) {
    Result<ClusteredMatrix> m = clusterWeights(w, 1, 5, opts(1, init));
    ASSERT_TRUE(m);
    ASSERT_EQ(m->codebook.size(), 1u);
    EXPECT_FLOAT_EQ(m->codebook[0], 3.0f);
    EXPECT_EQ(m->indices, (std::vector<uint16_t>{1, 0, 1, 0, 1}));
  }
}

TEST(ClusterTest, LloydNeverIncreasesSSE) {
  for (uint64_t seed = 1; seed <= 8; ++seed)
    for (ClusterInit init :
         {ClusterInit::Linear, ClusterInit::Density, ClusterInit::Forgy})
      for (unsigned k : {2u, 5u, 16u, 64u}) {
        std::vector<float> pruned = prunedLaplace(3000, 0.3, seed);
        ClusterOptions o = opts(k, init, seed);
        o.maxIterations = 0;
        ClusterStats st0, st;
        Result<ClusteredMatrix> m0 = clusterWeights(pruned, 1, 3000, o, &st0);
        o.maxIterations = 1000;
        Result<ClusteredMatrix> m = clusterWeights(pruned, 1, 3000, o, &st);
        ASSERT_TRUE(m0 && m);
        EXPECT_EQ(st0.iterations, 0u);
        EXPECT_GT(st.iterations, 0u);
        EXPECT_LE(clusteringSSE(pruned, *m),
                  nonzeroSSEBound(clusteringSSE(pruned, *m0)));
        EXPECT_LE(st.finalSSE, nonzeroSSEBound(st.initialSSE));
        EXPECT_DOUBLE_EQ(st0.initialSSE, st.initialSSE);
        // More iterations never hurt either.
        o.maxIterations = 3;
        Result<ClusteredMatrix> m3 = clusterWeights(pruned, 1, 3000, o);
        ASSERT_TRUE(m3);
        EXPECT_LE(clusteringSSE(pruned, *m),
                  nonzeroSSEBound(clusteringSSE(pruned, *m3)));
      }
}

TEST(ClusterTest, OptimalBeatsHeuristics) {
  for (uint64_t seed = 1; seed <= 6; ++seed)
    for (unsigned k : {2u, 3u, 8u, 32u}) {
      std::vector<float> pruned = prunedLaplace(4000, 0.25, seed);
      Result<ClusteredMatrix> best =
          clusterWeights(pruned, 40, 100, opts(k, ClusterInit::Optimal));
      ASSERT_TRUE(best);
      double opt = clusteringSSE(pruned, *best);
      for (ClusterInit init :
           {ClusterInit::Linear, ClusterInit::Density, ClusterInit::Forgy}) {
        Result<ClusteredMatrix> m =
            clusterWeights(pruned, 40, 100, opts(k, init, seed));
        ASSERT_TRUE(m);
        EXPECT_LE(opt, nonzeroSSEBound(clusteringSSE(pruned, *m)))
            << clusterInitName(init) << " k=" << k << " seed=" << seed;
      }
    }
}

/// The textbook O(k u^2) DP on weighted sorted distinct values.
double referenceOptimalSSE(std::vector<float> values, unsigned k) {
  std::vector<double> v;
  std::vector<double> cnt;
  std::sort(values.begin(), values.end());
  for (float x : values) {
    if (x == 0.0f)
      continue;
    if (!v.empty() && v.back() == double(x))
      cnt.back() += 1;
    else {
      v.push_back(x);
      cnt.push_back(1);
    }
  }
  size_t u = v.size();
  if (u == 0 || u <= k)
    return 0;
  auto cost = [&](size_t s, size_t e) {
    double w = 0, s1 = 0;
    for (size_t p = s; p <= e; ++p) {
      w += cnt[p];
      s1 += cnt[p] * v[p];
    }
    double mean = s1 / w, c = 0;
    for (size_t p = s; p <= e; ++p)
      c += cnt[p] * (v[p] - mean) * (v[p] - mean);
    return c;
  };
  std::vector<std::vector<double>> d(k, std::vector<double>(u, INFINITY));
  for (size_t i = 0; i < u; ++i)
    d[0][i] = cost(0, i);
  for (unsigned m = 1; m < k; ++m)
    for (size_t i = m; i < u; ++i)
      for (size_t j = m; j <= i; ++j)
        d[m][i] = std::min(d[m][i], d[m - 1][j - 1] + cost(j, i));
  return d[k - 1][u - 1];
}

TEST(ClusterTest, OptimalMatchesBruteForceOnTinyInputs) {
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 60; ++trial) {
    size_t n = 1 + rng() % 7;
    std::vector<float> w(n);
    for (float &x : w) {
      int r = int(rng() % 11);
      x = r == 0 ? 0.0f : float(r - 5) * 0.25f + float(rng() % 3) * 0.01f;
    }
    for (unsigned k = 1; k <= 4; ++k) {
      // Exhaustive: every labelling of the n points with k labels.
      double brute = INFINITY;
      std::vector<unsigned> lab(n, 0);
      uint64_t total = 1;
      for (size_t i = 0; i < n; ++i)
        total *= k;
      for (uint64_t code = 0; code < total; ++code) {
        uint64_t c = code;
        for (size_t i = 0; i < n; ++i) {
          lab[i] = unsigned(c % k);
          c /= k;
        }
        double sse = 0;
        for (unsigned g = 0; g < k; ++g) {
          double s = 0, cntG = 0;
          for (size_t i = 0; i < n; ++i)
            if (w[i] != 0.0f && lab[i] == g) {
              s += w[i];
              cntG += 1;
            }
          if (!cntG)
            continue;
          double mean = s / cntG;
          for (size_t i = 0; i < n; ++i)
            if (w[i] != 0.0f && lab[i] == g)
              sse += (w[i] - mean) * (w[i] - mean);
        }
        brute = std::min(brute, sse);
      }
      ClusterStats st;
      Result<ClusteredMatrix> m =
          clusterWeights(w, 1, n, opts(k, ClusterInit::Optimal), &st);
      ASSERT_TRUE(m);
      expectWellFormed(w, *m, k);
      EXPECT_NEAR(clusteringSSE(w, *m), brute, 1e-6 * (1 + brute))
          << "trial " << trial << " k=" << k;
    }
  }
}

TEST(ClusterTest, OptimalMatchesReferenceDP) {
  // Exercises the divide-and-conquer layers and the unary backtracking.
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    std::vector<float> w = makeLaplaceWeights(300, seed);
    for (float &x : w) // some repeated values
      x = std::round(x * 400.0f) / 400.0f;
    for (unsigned k : {2u, 3u, 5u, 9u, 17u, 40u}) {
      double ref = referenceOptimalSSE(w, k);
      ClusterStats st;
      Result<ClusteredMatrix> m =
          clusterWeights(w, 15, 20, opts(k, ClusterInit::Optimal), &st);
      ASSERT_TRUE(m);
      expectWellFormed(w, *m, k);
      EXPECT_NEAR(st.finalSSE, ref, 1e-7 * (1 + ref)) << "k=" << k;
    }
  }
}

TEST(ClusterTest, EmptyClustersAreReseeded) {
  // Two tight groups far apart: linear init leaves the middle centroids
  // empty; they are re-seeded into the groups.
  std::vector<float> w;
  for (int i = 0; i < 40; ++i)
    w.push_back((i % 2 ? 1.0f : -1.0f) + float(i / 2) * 1e-3f);
  ClusterStats st;
  Result<ClusteredMatrix> m =
      clusterWeights(w, 1, w.size(), opts(6, ClusterInit::Linear), &st);
  ASSERT_TRUE(m);
  expectWellFormed(w, *m, 6);
  EXPECT_EQ(m->codebook.size(), 6u);
  EXPECT_GT(st.reseeds, 0u);
  Result<ClusteredMatrix> two =
      clusterWeights(w, 1, w.size(), opts(2, ClusterInit::Linear));
  ASSERT_TRUE(two);
  EXPECT_LT(clusteringSSE(w, *m), clusteringSSE(w, *two));

  // Duplicate density quantiles (one value dominates) are re-seeded too.
  std::vector<float> v(100, 0.5f);
  for (int i = 0; i < 10; ++i)
    v.push_back(float(i) + 2.0f);
  m = clusterWeights(v, 1, v.size(), opts(4, ClusterInit::Density), &st);
  ASSERT_TRUE(m);
  expectWellFormed(v, *m, 4);
  EXPECT_EQ(m->codebook.size(), 4u);
}

TEST(ClusterTest, Deterministic) {
  std::vector<float> pruned = prunedLaplace(20000, 0.1, 5);
  for (ClusterInit init : kAllInits) {
    Result<ClusteredMatrix> a =
        clusterWeights(pruned, 100, 200, opts(32, init, 17));
    Result<ClusteredMatrix> b =
        clusterWeights(pruned, 100, 200, opts(32, init, 17));
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->indices, b->indices);
    EXPECT_EQ(a->codebook, b->codebook);
  }
}

TEST(ClusterTest, CompressionRate) {
  // r = n b / (n log2 k + k b).
  EXPECT_NEAR(weightSharingCompressionRate(1000, 32),
              32000.0 / (5000.0 + 1024.0), 1e-12);
  EXPECT_NEAR(weightSharingCompressionRate(1 << 20, 16, 32),
              32.0 * (1 << 20) / (4.0 * (1 << 20) + 512.0), 1e-9);
  // Deep Compression's Fig. 3 example: 16 weights, 4 clusters, 32 bits.
  EXPECT_NEAR(weightSharingCompressionRate(16, 4),
              16 * 32.0 / (16 * 2 + 4 * 32), 1e-12);
  EXPECT_EQ(weightSharingCompressionRate(0, 4), 0.0);
  EXPECT_EQ(weightSharingCompressionRate(10, 0), 0.0);
}

} // namespace

//===- WaveletTreeTest.cpp - Wavelet tree and the CWWT matrix codec -------===//

#include "cw/Codec/WaveletTree.h"
#include "cw/Codec/Entropy.h"
#include "cw/Codec/WaveletCodec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace cw::codec;

namespace {

std::vector<uint32_t> randomSequence(uint64_t n, uint64_t sigma, uint64_t seed,
                                     bool skewed) {
  std::mt19937_64 rng(seed);
  std::vector<uint32_t> s(n);
  std::geometric_distribution<uint64_t> geo(0.3);
  for (auto &x : s)
    x = uint32_t(skewed ? std::min<uint64_t>(geo(rng), sigma - 1)
                        : rng() % sigma);
  return s;
}

void checkTree(const std::vector<uint32_t> &s, uint64_t sigma,
               const std::string &what) {
  std::vector<uint8_t> blob;
  Status st = appendWaveletTree(blob, s.data(), s.size(), sigma);
  ASSERT_TRUE(st.isOk()) << what << ": " << st.message();
  ASSERT_EQ(blob.size() % 64, 0u);
  Result<WaveletTreeView> r = WaveletTreeView::parse(blob.data(), blob.size());
  ASSERT_TRUE(r.isOk()) << what << ": " << r.message();
  const WaveletTreeView &v = *r;
  uint64_t n = s.size();
  ASSERT_EQ(v.size(), n);
  ASSERT_EQ(v.alphabetSize(), sigma);
  ASSERT_EQ(v.levels(), wt::levelsFor(sigma));
  ASSERT_EQ(v.serializedBytes(), blob.size());
  for (uint64_t i = 0; i < n; ++i)
    ASSERT_EQ(v.access(i), s[i]) << what << " access(" << i << ")";
  // rank/select for every present symbol plus a few absent ones.
  std::vector<std::vector<uint64_t>> pos(std::min<uint64_t>(sigma, 4096));
  for (uint64_t i = 0; i < n; ++i)
    if (s[i] < pos.size())
      pos[s[i]].push_back(i);
  uint64_t step = std::max<uint64_t>(1, n / 200);
  for (uint64_t c = 0; c < pos.size(); ++c) {
    if (pos[c].empty() && c % 17 != 0 && c + 1 != pos.size())
      continue;
    uint64_t cnt = 0;
    for (uint64_t i = 0; i <= n; ++i) {
      if (i % step == 0 || i == n)
        ASSERT_EQ(v.rank(c, i), cnt)
            << what << " rank(" << c << "," << i << ")";
      if (i < n && s[i] == c)
        ++cnt;
    }
    ASSERT_EQ(v.count(c), pos[c].size());
    for (uint64_t j = 0; j < pos[c].size(); ++j)
      ASSERT_EQ(v.select(c, j), pos[c][j])
          << what << " select(" << c << "," << j << ")";
    ASSERT_EQ(v.select(c, pos[c].size()), n) << what;
  }
  EXPECT_EQ(v.rank(sigma, n), 0u);
  EXPECT_EQ(v.select(sigma, 0), n);
  // countLess on a few ranges.
  std::mt19937_64 rng(n + sigma);
  for (int t = 0; t < 20; ++t) {
    uint64_t a = n ? rng() % (n + 1) : 0, b = n ? rng() % (n + 1) : 0;
    if (a > b)
      std::swap(a, b);
    uint64_t c = rng() % (sigma + 2);
    uint64_t expect = 0;
    for (uint64_t i = a; i < b; ++i)
      expect += s[i] < c;
    ASSERT_EQ(v.countLess(c, a, b), expect) << what;
  }
  // extract: the whole sequence and random ranges (both code paths).
  std::vector<uint32_t> out(n + 1, 0xDEADBEEF);
  v.extract(0, n, out.data());
  for (uint64_t i = 0; i < n; ++i)
    ASSERT_EQ(out[i], s[i]) << what << " extract";
  EXPECT_EQ(out[n], 0xDEADBEEFu);
  for (int t = 0; t < 10; ++t) {
    uint64_t a = n ? rng() % (n + 1) : 0, b = n ? rng() % (n + 1) : 0;
    if (a > b)
      std::swap(a, b);
    std::vector<uint32_t> part(b - a + 1, 0xDEADBEEF);
    v.extract(a, b, part.data());
    for (uint64_t i = a; i < b; ++i)
      ASSERT_EQ(part[i - a], s[i]) << what << " extract range";
    EXPECT_EQ(part[b - a], 0xDEADBEEFu);
  }
}

} // namespace

TEST(WaveletTree, MatchesNaiveAcrossAlphabetsAndSeeds) {
  const uint64_t sigmas[] = {1, 2, 3, 4, 5, 17, 255, 256, 257, 1000};
  const uint64_t sizes[] = {0, 1, 2, 100, 1000, 5000};
  uint64_t seed = 0;
  for (uint64_t sigma : sigmas)
    for (uint64_t n : sizes)
      for (bool skewed : {false, true}) {
        ++seed;
        checkTree(randomSequence(n, sigma, seed, skewed), sigma,
                  "sigma=" + std::to_string(sigma) + " n=" + std::to_string(n) +
                      (skewed ? " skewed" : " uniform") + " seed " +
                      std::to_string(seed));
      }
}

TEST(WaveletTree, LargeAlphabetAndLongSequence) {
  checkTree(randomSequence(3000, 70000, 7, false), 70000, "sigma=70000");
  checkTree(randomSequence(60000, 33, 8, true), 33, "n=60000");
  std::vector<uint32_t> top(50, uint32_t(0xFFFFFFFFu));
  top[3] = 0;
  checkTree(top, uint64_t(1) << 32, "sigma=2^32");
}

TEST(WaveletTree, Uint16InputMatchesUint32) {
  std::vector<uint32_t> s = randomSequence(4000, 257, 3, true);
  std::vector<uint16_t> s16(s.begin(), s.end());
  std::vector<uint8_t> a, b;
  ASSERT_TRUE(appendWaveletTree(a, s.data(), s.size(), 257).isOk());
  ASSERT_TRUE(appendWaveletTree(b, s16.data(), s16.size(), 257).isOk());
  EXPECT_EQ(a, b);
}

TEST(WaveletTree, DocumentedLayout) {
  // S = 3 1 2 0 3, sigma 4: level 0 = high bits 1 0 1 0 1; level 1 = low
  // bits in the order zeros-first of level 0: (1, 0) then (3, 2, 3) = 1 0 1
  // 0 1.
  std::vector<uint32_t> s = {3, 1, 2, 0, 3};
  std::vector<uint8_t> blob;
  ASSERT_TRUE(appendWaveletTree(blob, s.data(), s.size(), 4).isOk());
  auto word = [&](uint64_t at) { return rs::loadLE64(blob.data() + at); };
  EXPECT_EQ(word(0), 5u);
  EXPECT_EQ(word(8), 4u);
  EXPECT_EQ(word(16), 2u);
  uint64_t l0 = word(64), l1 = word(72);
  EXPECT_EQ(l0, 128u);
  EXPECT_EQ(l1, 128 + rs::serializedBytes(5, 3));
  EXPECT_EQ(word(l0), 5u);                // n
  EXPECT_EQ(word(l0 + 8), 3u);            // ones
  EXPECT_EQ(word(l0 + 64 + 8), 0b10101u); // level 0 data word 0
  EXPECT_EQ(word(l1 + 64 + 8), 0b10101u); // level 1 data word 0
  EXPECT_EQ(blob.size(), l1 + rs::serializedBytes(5, 3));
}

TEST(WaveletTree, RejectsBadInput) {
  std::vector<uint32_t> s = {0, 1, 5};
  std::vector<uint8_t> out;
  EXPECT_FALSE(appendWaveletTree(out, s.data(), s.size(), 5).isOk());
  EXPECT_FALSE(appendWaveletTree(out, s.data(), 0, 0).isOk());
  EXPECT_FALSE(
      appendWaveletTree(out, s.data(), 0, (uint64_t(1) << 32) + 1).isOk());
}

TEST(WaveletTree, CorruptedAndTruncatedRejected) {
  std::vector<uint32_t> s = randomSequence(700, 13, 1, true);
  std::vector<uint8_t> blob;
  ASSERT_TRUE(appendWaveletTree(blob, s.data(), s.size(), 13).isOk());
  for (size_t len = 0; len < blob.size(); ++len)
    EXPECT_FALSE(WaveletTreeView::parse(blob.data(), len).isOk()) << len;
  // A symbol >= sigma with otherwise consistent metadata: 13 -> 9 levels
  // worth of data but sigma rewritten to 9 (still 4 levels).
  std::vector<uint8_t> small = blob;
  small[8] = 9;
  EXPECT_FALSE(WaveletTreeView::parse(small.data(), small.size()).isOk());
  std::mt19937_64 rng(2);
  unsigned rejected = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    std::vector<uint8_t> bad = blob;
    bad[rng() % bad.size()] ^= uint8_t(1 + rng() % 255);
    Result<WaveletTreeView> v = WaveletTreeView::parse(bad.data(), bad.size());
    if (!v) {
      ++rejected;
      continue;
    }
    std::vector<uint32_t> out(v->size());
    v->extract(0, v->size(), out.data());
    for (uint64_t i = 0; i < v->size(); ++i)
      ASSERT_LT(out[i], v->alphabetSize());
  }
  EXPECT_GT(rejected, 1400u);
}

//===----------------------------------------------------------------------===//
// The CWWT matrix codec
//===----------------------------------------------------------------------===//

namespace {

ClusteredMatrix makeMatrix(uint64_t rows, uint64_t cols, double density,
                           unsigned k, uint64_t seed) {
  ClusteredMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.indices.assign(rows * cols, 0);
  m.codebook.resize(k);
  for (unsigned c = 0; c < k; ++c)
    m.codebook[c] = -1.0f + float(c) * 0.01f;
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution keep(density);
  for (auto &v : m.indices)
    if (k && keep(rng))
      v = uint16_t(1 + rng() % k);
  return m;
}

std::vector<WaveletParams> allParams() {
  std::vector<WaveletParams> ps;
  ps.push_back({WaveletMode::Element, 4, 0});
  for (unsigned b : {1u, 3u, 4u, 8u})
    ps.push_back({WaveletMode::Block, b, 0});
  for (unsigned g : {0u, 1u, 3u, 5u, 16u})
    ps.push_back({WaveletMode::Sparse, 4, g});
  return ps;
}

std::string describe(const WaveletParams &p) {
  return std::string(p.mode == WaveletMode::Element ? "element"
                     : p.mode == WaveletMode::Block ? "block"
                                                    : "sparse") +
         " B=" + std::to_string(p.blockSize) +
         " g=" + std::to_string(p.gapBits);
}

void checkRoundTrip(const ClusteredMatrix &m, const WaveletParams &p,
                    const std::string &what) {
  EncodingStats stats;
  Result<std::vector<uint8_t>> blob = encodeWaveletMatrix(m, p, &stats);
  ASSERT_TRUE(blob.isOk()) << what << ": " << blob.message();
  EXPECT_EQ(stats.blobBytes, blob->size());
  EXPECT_EQ(stats.codebookBytes, 4 * m.codebook.size());
  EXPECT_GE(stats.entropyFloorBits, 0.0);
  EXPECT_LE(stats.entropyFloorBits, 8.0 * blob->size()) << what;
  Result<std::vector<uint8_t>> again = encodeWaveletMatrix(m, p);
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(*blob, *again) << what << ": not deterministic";

  Result<ClusteredMatrix> d = decodeWaveletMatrix(blob->data(), blob->size());
  ASSERT_TRUE(d.isOk()) << what << ": " << d.message();
  EXPECT_EQ(d->rows, m.rows);
  EXPECT_EQ(d->cols, m.cols);
  ASSERT_EQ(d->indices, m.indices) << what;
  EXPECT_TRUE(d->codebook.empty());

  Result<WaveletCodecView> v =
      WaveletCodecView::parse(blob->data(), blob->size());
  ASSERT_TRUE(v.isOk()) << what << ": " << v.message();
  EXPECT_EQ(v->mode(), p.mode);
  EXPECT_EQ(v->numClusters(), m.codebook.size());
  // Random access to every weight (small matrices) or a sample.
  uint64_t n = m.size();
  uint64_t step = n <= 5000 ? 1 : n / 3000 + 1;
  for (uint64_t i = 0; i < n; i += step)
    ASSERT_EQ(v->weight(i / m.cols, i % m.cols), m.indices[i])
        << what << " weight(" << i / m.cols << "," << i % m.cols << ")";
  // Any row range decodes on its own, from a copy of the blob.
  std::mt19937_64 rng(n + 1);
  for (int t = 0; t < 4 && m.rows; ++t) {
    uint64_t a = rng() % (m.rows + 1), b = rng() % (m.rows + 1);
    if (a > b)
      std::swap(a, b);
    std::vector<uint8_t> copy = *blob;
    Result<WaveletCodecView> cv =
        WaveletCodecView::parse(copy.data(), copy.size());
    ASSERT_TRUE(cv.isOk());
    std::vector<uint16_t> rowsOut((b - a) * m.cols + 1, 0xBEEF);
    Status st = cv->decodeRows(a, b, rowsOut.data());
    ASSERT_TRUE(st.isOk()) << st.message();
    for (uint64_t i = 0; i < (b - a) * m.cols; ++i)
      ASSERT_EQ(rowsOut[i], m.indices[a * m.cols + i]) << what << " rows";
    EXPECT_EQ(rowsOut[(b - a) * m.cols], 0xBEEF);
  }
  EXPECT_FALSE(v->decodeRows(1, 0, nullptr).isOk());
  EXPECT_FALSE(v->decodeRows(0, m.rows + 1, nullptr).isOk());
}

} // namespace

TEST(WaveletCodec, RoundTripsEveryModeAndShape) {
  struct Shape {
    uint64_t rows, cols;
    double density;
    unsigned k;
  };
  const Shape shapes[] = {
      {0, 0, 0.5, 4},      {0, 7, 0.5, 4},     {7, 0, 0.5, 4},
      {1, 1, 1.0, 1},      {1, 1, 0.0, 0},     {1, 1, 1.0, 256},
      {9, 13, 0.0, 0},     {9, 13, 0.0, 5},    {9, 13, 1.0, 5},
      {12, 40, 1.0, 1},    {12, 40, 0.3, 1},   {30, 50, 0.5, 256},
      {17, 200, 0.09, 32}, {40, 97, 0.02, 7},  {3, 1500, 0.001, 3},
      {64, 64, 1.0, 256},  {5, 3000, 0.3, 256}};
  uint64_t seed = 0;
  for (const Shape &s : shapes)
    for (const WaveletParams &p : allParams()) {
      ClusteredMatrix m = makeMatrix(s.rows, s.cols, s.density, s.k, ++seed);
      checkRoundTrip(m, p,
                     describe(p) + " " + std::to_string(s.rows) + "x" +
                         std::to_string(s.cols) +
                         " d=" + std::to_string(s.density) +
                         " k=" + std::to_string(s.k));
    }
}

TEST(WaveletCodec, ManySeedsSyntheticLayers) {
  for (uint64_t seed = 0; seed < 6; ++seed)
    for (const WaveletParams &p : allParams()) {
      ClusteredMatrix m = makeSyntheticClustered(30 + seed, 70 + 13 * seed,
                                                 0.05 + 0.1 * seed, 16, seed);
      checkRoundTrip(m, p, describe(p) + " seed " + std::to_string(seed));
    }
}

TEST(WaveletCodec, SequenceQueriesAndStats) {
  ClusteredMatrix m = makeMatrix(20, 30, 0.4, 6, 99);
  EncodingStats stats;
  Result<std::vector<uint8_t>> blob =
      encodeWaveletMatrix(m, {WaveletMode::Element, 4, 0}, &stats);
  ASSERT_TRUE(blob.isOk());
  std::vector<uint32_t> seq(m.indices.begin(), m.indices.end());
  EXPECT_NEAR(stats.entropyFloorBits, entropyFloorBits(seq), 1e-6);
  Result<WaveletCodecView> v =
      WaveletCodecView::parse(blob->data(), blob->size());
  ASSERT_TRUE(v.isOk());
  EXPECT_EQ(v->sequence().alphabetSize(), 7u);
  for (uint32_t c = 0; c <= 6; ++c) {
    uint64_t cnt = 0;
    for (uint64_t i = 0; i < m.size(); ++i) {
      ASSERT_EQ(v->rank(c, i), cnt);
      if (m.indices[i] == c)
        ASSERT_EQ(v->select(c, cnt++), i);
    }
  }
  for (uint64_t i = 0; i < m.size(); ++i)
    ASSERT_EQ(v->access(i), m.indices[i]);

  // Block mode: id 0 is the most frequent block; the dictionary decodes.
  ClusteredMatrix sparse = makeMatrix(10, 64, 0.05, 3, 5);
  Result<std::vector<uint8_t>> bb =
      encodeWaveletMatrix(sparse, {WaveletMode::Block, 4, 0}, &stats);
  ASSERT_TRUE(bb.isOk());
  Result<WaveletCodecView> bv = WaveletCodecView::parse(bb->data(), bb->size());
  ASSERT_TRUE(bv.isOk());
  for (unsigned j = 0; j < 4; ++j)
    EXPECT_EQ(bv->patternEntry(0, j), 0);
  for (uint64_t id = 1; id < bv->numPatterns(); ++id)
    EXPECT_GE(bv->sequence().count(id - 1), bv->sequence().count(id));

  // Sparse mode: the row table and the floor of G plus V.
  Result<std::vector<uint8_t>> sb =
      encodeWaveletMatrix(sparse, {WaveletMode::Sparse, 4, 2}, &stats);
  ASSERT_TRUE(sb.isOk());
  Result<WaveletCodecView> sv = WaveletCodecView::parse(sb->data(), sb->size());
  ASSERT_TRUE(sv.isOk());
  std::vector<uint32_t> gaps, values;
  for (uint64_t r = 0; r < sparse.rows; ++r) {
    EXPECT_EQ(sv->rowTupleStart(r), gaps.size());
    EXPECT_EQ(sv->rowValueStart(r), values.size());
    uint64_t prev = 0;
    for (uint64_t c = 0; c < sparse.cols; ++c)
      if (uint16_t x = sparse.indices[r * sparse.cols + c]) {
        uint64_t d = c - prev;
        for (; d >= 3; d -= 3)
          gaps.push_back(3);
        gaps.push_back(uint32_t(d));
        values.push_back(x - 1u);
        prev = c + 1;
      }
  }
  ASSERT_EQ(sv->sequence().size(), gaps.size());
  for (uint64_t t = 0; t < gaps.size(); ++t)
    ASSERT_EQ(sv->access(t), gaps[t]);
  for (uint64_t t = 0; t < values.size(); ++t)
    ASSERT_EQ(sv->values().access(t), values[t]);
  EXPECT_NEAR(stats.entropyFloorBits,
              entropyFloorBits(gaps) + entropyFloorBits(values), 1e-6);
}

TEST(WaveletCodec, RejectsBadInput) {
  ClusteredMatrix m = makeMatrix(4, 4, 0.5, 3, 1);
  EXPECT_FALSE(encodeWaveletMatrix(m, {WaveletMode::Block, 0, 0}).isOk());
  EXPECT_FALSE(encodeWaveletMatrix(m, {WaveletMode::Block, 65, 0}).isOk());
  EXPECT_FALSE(encodeWaveletMatrix(m, {WaveletMode::Sparse, 4, 17}).isOk());
  EXPECT_FALSE(encodeWaveletMatrix(m, {WaveletMode(7), 4, 0}).isOk());
  ClusteredMatrix nan = m;
  nan.codebook[1] = std::nanf("");
  EXPECT_FALSE(encodeWaveletMatrix(nan, {}).isOk());
  ClusteredMatrix inf = m;
  inf.codebook[0] = INFINITY;
  EXPECT_FALSE(encodeWaveletMatrix(inf, {}).isOk());
  ClusteredMatrix bad = m;
  bad.indices[3] = 4;
  EXPECT_FALSE(encodeWaveletMatrix(bad, {}).isOk());
  bad.indices.pop_back();
  EXPECT_FALSE(encodeWaveletMatrix(bad, {}).isOk());
}

TEST(WaveletCodec, CorruptedAndTruncatedBlobsRejected) {
  ClusteredMatrix m = makeMatrix(11, 37, 0.2, 9, 4);
  std::mt19937_64 rng(77);
  for (const WaveletParams &p : allParams()) {
    Result<std::vector<uint8_t>> blob = encodeWaveletMatrix(m, p);
    ASSERT_TRUE(blob.isOk());
    const std::vector<uint8_t> &good = *blob;
    for (size_t len = 0; len < good.size(); ++len) {
      std::vector<uint8_t> cut(good.begin(), good.begin() + len);
      ASSERT_FALSE(decodeWaveletMatrix(cut.data(), cut.size()).isOk())
          << describe(p) << " truncated to " << len;
    }
    // Random byte flips, with and without a recomputed header check (the
    // latter reaches the deeper validation).
    for (int trial = 0; trial < 600; ++trial) {
      std::vector<uint8_t> bad = good;
      unsigned flips = 1 + rng() % 3;
      for (unsigned f = 0; f < flips; ++f) {
        size_t at = trial % 2 ? rng() % 64 : rng() % bad.size();
        // With a valid header check, rows and cols are trusted up to the
        // 2^37-element cap (a sparse blob cannot tell a wrong cols from a
        // huge sparse matrix): those fields are corrupted separately below.
        if (trial % 3 == 0 && at >= 8 && at < 24)
          continue;
        bad[at] ^= uint8_t(1 + rng() % 255);
      }
      if (trial % 3 == 0) {
        uint32_t h = waveletHeaderCheck(bad.data());
        for (int i = 0; i < 4; ++i)
          bad[28 + i] = uint8_t(h >> (8 * i));
      }
      Result<ClusteredMatrix> d = decodeWaveletMatrix(bad.data(), bad.size());
      if (d.isOk()) {
        EXPECT_EQ(d->indices.size(), d->rows * d->cols);
        for (uint16_t x : d->indices)
          ASSERT_LE(x, 256u);
        Result<WaveletCodecView> v =
            WaveletCodecView::parse(bad.data(), bad.size());
        ASSERT_TRUE(v.isOk());
        for (uint64_t i = 0; i < d->indices.size(); i += 7)
          ASSERT_EQ(v->weight(i / d->cols, i % d->cols), d->indices[i]);
      } else {
        EXPECT_FALSE(d.message().empty());
      }
    }
    // Specific corruptions, header check kept valid.
    auto withCheck = [](std::vector<uint8_t> b) {
      uint32_t h = waveletHeaderCheck(b.data());
      for (int i = 0; i < 4; ++i)
        b[28 + i] = uint8_t(h >> (8 * i));
      return b;
    };
    std::vector<uint8_t> b = good;
    b[0] = 'X';
    EXPECT_FALSE(decodeWaveletMatrix(b.data(), b.size()).isOk());
    b = good;
    b[4] = 2;
    EXPECT_FALSE(decodeWaveletMatrix(b.data(), b.size()).isOk());
    b = good;
    b[6] = 3; // k = 3 < the indices present
    b = withCheck(b);
    EXPECT_FALSE(decodeWaveletMatrix(b.data(), b.size()).isOk()) << describe(p);
    b = good;
    b[8] += 1; // rows
    b = withCheck(b);
    EXPECT_FALSE(decodeWaveletMatrix(b.data(), b.size()).isOk()) << describe(p);
    b = good;
    b[16 + 5] = 0x40; // cols * rows beyond 2^37
    b = withCheck(b);
    Result<ClusteredMatrix> huge = decodeWaveletMatrix(b.data(), b.size());
    EXPECT_FALSE(huge.isOk());
    EXPECT_NE(huge.message().find("2^37"), std::string::npos) << huge.message();
    b = good;
    b[1] ^= 0; // unchanged header, wrong check
    b[28] ^= 1;
    EXPECT_FALSE(decodeWaveletMatrix(b.data(), b.size()).isOk());
  }
}

//===- DenseCodecTest.cpp - The dense (fixed-width) encoding tests --------===//

#include "cw/Codec/DenseCodec.h"
#include "cw/Codec/Entropy.h"
#include "cw/Codec/Matrix.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace cw::codec;

namespace {

ClusteredMatrix randomMatrix(uint64_t rows, uint64_t cols, unsigned k,
                             double density, uint64_t seed) {
  std::mt19937_64 rng(seed);
  ClusteredMatrix m;
  m.rows = rows;
  m.cols = cols;
  for (unsigned c = 0; c < k; ++c)
    m.codebook.push_back(float(c) * 0.01f - 0.5f);
  m.indices.resize(rows * cols);
  for (uint16_t &idx : m.indices) {
    bool nz = k && double(rng() >> 11) * 0x1.0p-53 < density;
    idx = nz ? uint16_t(1 + rng() % k) : 0;
  }
  return m;
}

void expectRoundTrip(const ClusteredMatrix &m) {
  EncodingStats stats;
  Result<std::vector<uint8_t>> blob = encodeDenseMatrix(m, {}, &stats);
  ASSERT_TRUE(blob) << blob.message();
  unsigned k = unsigned(m.codebook.size());
  unsigned b = denseIndexBits(k);
  EXPECT_EQ(blob->size(), kDenseHeaderBytes + (m.size() * b + 7) / 8);
  EXPECT_EQ(stats.blobBytes, blob->size());
  EXPECT_EQ(stats.codebookBytes, 4u * k);
  std::vector<uint32_t> syms(m.indices.begin(), m.indices.end());
  EXPECT_NEAR(stats.entropyFloorBits, entropyFloorBits(syms),
              1e-6 * (1 + stats.entropyFloorBits));
  EXPECT_LE(stats.entropyFloorBits, double(m.size()) * b + 1e-6);

  Result<ClusteredMatrix> d = decodeDenseMatrix(blob->data(), blob->size());
  ASSERT_TRUE(d) << d.message();
  EXPECT_EQ(d->rows, m.rows);
  EXPECT_EQ(d->cols, m.cols);
  EXPECT_EQ(d->indices, m.indices);
  EXPECT_TRUE(d->codebook.empty());

  // Deterministic bytes.
  Result<std::vector<uint8_t>> again = encodeDenseMatrix(m);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *blob);
}

TEST(DenseCodecTest, IndexBits) {
  EXPECT_EQ(denseIndexBits(0), 1u);
  EXPECT_EQ(denseIndexBits(1), 1u);
  EXPECT_EQ(denseIndexBits(2), 2u);
  EXPECT_EQ(denseIndexBits(3), 2u);
  EXPECT_EQ(denseIndexBits(4), 3u);
  EXPECT_EQ(denseIndexBits(15), 4u);
  EXPECT_EQ(denseIndexBits(16), 5u);
  EXPECT_EQ(denseIndexBits(31), 5u);
  EXPECT_EQ(denseIndexBits(32), 6u);
  EXPECT_EQ(denseIndexBits(255), 8u);
  EXPECT_EQ(denseIndexBits(256), 9u);
}

TEST(DenseCodecTest, GoldenLayout) {
  ClusteredMatrix m;
  m.rows = 2;
  m.cols = 3;
  m.codebook = {-1.0f, 0.5f, 2.0f};
  m.indices = {0, 1, 2, 3, 0, 1};
  Result<std::vector<uint8_t>> blob = encodeDenseMatrix(m);
  ASSERT_TRUE(blob);
  const std::vector<uint8_t> expected = {
      'C',  'W', 'D', 'N', 1,          // magic, version
      2,    0,   0,   0,   0, 0, 0, 0, // rows
      3,    0,   0,   0,   0, 0, 0, 0, // cols
      3,    0,                         // k
      2,                               // bits
      0xE4, 0x04};                     // 00 01 10 11 | 00 01, LSB-first
  EXPECT_EQ(*blob, expected);
}

TEST(DenseCodecTest, RoundTripProperty) {
  const uint64_t shapes[][2] = {{0, 0},  {0, 9}, {9, 0},   {1, 1},    {1, 13},
                                {13, 1}, {3, 7}, {17, 33}, {64, 100}, {5, 257}};
  for (uint64_t seed = 1; seed <= 5; ++seed)
    for (const auto &s : shapes)
      for (unsigned k : {0u, 1u, 2u, 3u, 7u, 32u, 200u, 255u, 256u})
        for (double density : {0.0, 0.09, 0.5, 1.0})
          expectRoundTrip(randomMatrix(s[0], s[1], k, density, seed));
}

TEST(DenseCodecTest, RoundTripSynthetic) {
  for (uint64_t seed = 1; seed <= 3; ++seed)
    for (unsigned k : {1u, 4u, 32u, 256u})
      expectRoundTrip(makeSyntheticClustered(37, 91, 0.09, k, seed));
  // All-zero and all-nonzero with 256 clusters.
  expectRoundTrip(makeSyntheticClustered(20, 20, 0.0, 256, 1));
  ClusteredMatrix full = randomMatrix(16, 64, 256, 1.0, 3);
  for (uint16_t idx : full.indices)
    ASSERT_NE(idx, 0);
  expectRoundTrip(full);
}

TEST(DenseCodecTest, RowsDecodeInIsolation) {
  for (unsigned k : {1u, 5u, 32u, 256u}) {
    ClusteredMatrix m = randomMatrix(23, 29, k, 0.4, k);
    Result<std::vector<uint8_t>> blob = encodeDenseMatrix(m);
    ASSERT_TRUE(blob);
    for (uint64_t r = 0; r < m.rows; ++r) {
      Result<std::vector<uint16_t>> row =
          decodeDenseRows(blob->data(), blob->size(), r, 1);
      ASSERT_TRUE(row) << row.message();
      std::vector<uint16_t> want(m.indices.begin() + r * m.cols,
                                 m.indices.begin() + (r + 1) * m.cols);
      EXPECT_EQ(*row, want);
    }
    Result<std::vector<uint16_t>> mid =
        decodeDenseRows(blob->data(), blob->size(), 5, 11);
    ASSERT_TRUE(mid);
    EXPECT_EQ(*mid, std::vector<uint16_t>(m.indices.begin() + 5 * m.cols,
                                          m.indices.begin() + 16 * m.cols));
    Result<std::vector<uint16_t>> none =
        decodeDenseRows(blob->data(), blob->size(), m.rows, 0);
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    EXPECT_FALSE(decodeDenseRows(blob->data(), blob->size(), m.rows, 1));
    EXPECT_FALSE(decodeDenseRows(blob->data(), blob->size(), 20, 4));
    EXPECT_FALSE(decodeDenseRows(blob->data(), blob->size(), 1, UINT64_MAX));
  }
}

TEST(DenseCodecTest, EncoderRejectsInvalidMatrices) {
  ClusteredMatrix m = randomMatrix(4, 4, 3, 0.5, 1);
  ClusteredMatrix bad = m;
  bad.indices[5] = 4; // > k
  Result<std::vector<uint8_t>> r = encodeDenseMatrix(bad);
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("dense:"), std::string::npos);
  bad = m;
  bad.indices.pop_back();
  EXPECT_FALSE(encodeDenseMatrix(bad));
  bad = m;
  bad.codebook[1] = NAN;
  EXPECT_FALSE(encodeDenseMatrix(bad));
  bad = m;
  bad.codebook[2] = INFINITY;
  EXPECT_FALSE(encodeDenseMatrix(bad));
  bad = m;
  bad.codebook.resize(257, 0.0f);
  EXPECT_FALSE(encodeDenseMatrix(bad));
}

std::vector<uint8_t> header(uint64_t rows, uint64_t cols, uint16_t k,
                            uint8_t bits, uint8_t version = 1) {
  std::vector<uint8_t> h = {'C', 'W', 'D', 'N', version};
  for (int i = 0; i < 8; ++i)
    h.push_back(uint8_t(rows >> (8 * i)));
  for (int i = 0; i < 8; ++i)
    h.push_back(uint8_t(cols >> (8 * i)));
  h.push_back(uint8_t(k));
  h.push_back(uint8_t(k >> 8));
  h.push_back(bits);
  return h;
}

TEST(DenseCodecTest, DecoderRejectsMalformedHeaders) {
  auto decode = [](const std::vector<uint8_t> &b) {
    return decodeDenseMatrix(b.data(), b.size());
  };
  std::vector<uint8_t> ok = header(1, 3, 2, 2);
  ok.push_back(0x24); // 0, 1, 2
  ASSERT_TRUE(decode(ok));
  EXPECT_EQ(decode(ok)->indices, (std::vector<uint16_t>{0, 1, 2}));

  std::vector<uint8_t> b = ok;
  b[0] = 'X';
  EXPECT_NE(decode(b).message().find("bad magic"), std::string::npos);
  b = header(1, 3, 2, 2, 2);
  b.push_back(0x24);
  EXPECT_NE(decode(b).message().find("version"), std::string::npos);
  b = header(1, 3, 2, 3); // wrong bits for k
  b.push_back(0x24);
  b.push_back(0);
  EXPECT_FALSE(decode(b));
  b = header(1, 3, 257, 9);
  b.push_back(0);
  b.push_back(0);
  b.push_back(0);
  b.push_back(0);
  EXPECT_FALSE(decode(b));
  b = header(1, 3, 2, 2);
  b.push_back(0x34); // index 3 > k = 2
  EXPECT_NE(decode(b).message().find("exceeds k"), std::string::npos);
  b = header(1, 3, 2, 2);
  b.push_back(0x64); // nonzero padding bit 6
  EXPECT_NE(decode(b).message().find("padding"), std::string::npos);
  b = ok;
  b.push_back(0); // trailing byte
  EXPECT_FALSE(decode(b));
  // Huge dimensions must fail on size, not allocate.
  b = header(UINT64_MAX, 2, 2, 2);
  EXPECT_FALSE(decode(b));
  b = header(uint64_t(1) << 40, uint64_t(1) << 20, 2, 2);
  EXPECT_FALSE(decode(b));
  b = header(uint64_t(1) << 61, 1, 1, 1);
  EXPECT_FALSE(decode(b));
  EXPECT_FALSE(decodeDenseMatrix(nullptr, 0));
}

TEST(DenseCodecTest, CorruptedBlobsNeverCrash) {
  for (unsigned k : {0u, 1u, 3u, 32u, 256u}) {
    ClusteredMatrix m = randomMatrix(7, 11, k, 0.5, k + 1);
    Result<std::vector<uint8_t>> blob = encodeDenseMatrix(m);
    ASSERT_TRUE(blob);
    // Every truncation is rejected (the size must add up exactly).
    for (size_t len = 0; len < blob->size(); ++len) {
      std::vector<uint8_t> cut(blob->begin(), blob->begin() + len);
      EXPECT_FALSE(decodeDenseMatrix(cut.data(), cut.size())) << len;
      EXPECT_FALSE(decodeDenseRows(cut.data(), cut.size(), 0, 1)) << len;
    }
    // Random byte flips: an error or a valid matrix, never a crash.
    std::mt19937_64 rng(k);
    for (int trial = 0; trial < 400; ++trial) {
      std::vector<uint8_t> c = *blob;
      int flips = 1 + int(rng() % 3);
      for (int f = 0; f < flips; ++f)
        c[rng() % c.size()] ^= uint8_t(1 + rng() % 255);
      Result<ClusteredMatrix> d = decodeDenseMatrix(c.data(), c.size());
      if (!d)
        continue;
      uint16_t kk = uint16_t(c[21] | (c[22] << 8));
      ASSERT_EQ(d->indices.size(), d->rows * d->cols);
      for (uint16_t idx : d->indices)
        ASSERT_LE(idx, kk);
    }
  }
}

} // namespace

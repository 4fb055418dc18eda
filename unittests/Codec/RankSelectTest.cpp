//===- RankSelectTest.cpp - Rank/select bit vectors against naive scans ---===//

#include "cw/Codec/RankSelect.h"

#include <gtest/gtest.h>

#include <random>

using namespace cw::codec;

namespace {

struct Bits {
  std::vector<uint64_t> words;
  uint64_t n = 0;
  bool get(uint64_t i) const { return (words[i / 64] >> (i % 64)) & 1; }
};

Bits randomBits(uint64_t n, double density, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution bit(density);
  Bits b;
  b.n = n;
  b.words.assign((n + 63) / 64 + 1, 0);
  for (uint64_t i = 0; i < n; ++i)
    if (bit(rng))
      b.words[i / 64] |= uint64_t(1) << (i % 64);
  // Garbage past n must be ignored by the builder.
  if (n % 64)
    b.words[n / 64] |= ~uint64_t(0) << (n % 64);
  return b;
}

std::vector<uint8_t> serialize(const Bits &b) {
  std::vector<uint8_t> out;
  Status st = appendRankSelect(out, b.words.data(), b.n);
  EXPECT_TRUE(st.isOk()) << st.message();
  return out;
}

void checkAgainstNaive(const Bits &b, const std::string &what) {
  std::vector<uint8_t> blob = serialize(b);
  ASSERT_EQ(blob.size() % 64, 0u) << what;
  Result<RankSelectView> v = RankSelectView::parse(blob.data(), blob.size());
  ASSERT_TRUE(v.isOk()) << what << ": " << v.message();
  ASSERT_EQ(v->size(), b.n) << what;
  ASSERT_EQ(v->serializedBytes(), blob.size()) << what;
  uint64_t ones = 0;
  std::vector<uint64_t> onePos, zeroPos;
  for (uint64_t i = 0; i <= b.n; ++i) {
    ASSERT_EQ(v->rank1(i), ones) << what << " rank1(" << i << ")";
    ASSERT_EQ(v->rank0(i), i - ones) << what << " rank0(" << i << ")";
    if (i == b.n)
      break;
    bool bit = b.get(i);
    ASSERT_EQ(v->access(i), bit) << what << " access(" << i << ")";
    bool got;
    ASSERT_EQ(v->accessRank1(i, got), ones) << what;
    ASSERT_EQ(got, bit) << what;
    (bit ? onePos : zeroPos).push_back(i);
    ones += bit;
  }
  ASSERT_EQ(v->numOnes(), ones) << what;
  for (uint64_t j = 0; j < onePos.size(); ++j)
    ASSERT_EQ(v->select1(j), onePos[j]) << what << " select1(" << j << ")";
  for (uint64_t j = 0; j < zeroPos.size(); ++j)
    ASSERT_EQ(v->select0(j), zeroPos[j]) << what << " select0(" << j << ")";
  EXPECT_EQ(v->select1(onePos.size()), b.n) << what;
  EXPECT_EQ(v->select0(zeroPos.size()), b.n) << what;
}

} // namespace

TEST(RankSelect, MatchesNaiveAcrossSizesAndDensities) {
  const uint64_t sizes[] = {0,   1,   2,   63,  64,  65,  447,  448,  449,
                            511, 512, 513, 895, 896, 897, 1000, 4096, 100000};
  const double densities[] = {0.0, 0.003, 0.1, 0.5, 0.9, 0.997, 1.0};
  uint64_t seed = 1;
  for (uint64_t n : sizes)
    for (double d : densities)
      checkAgainstNaive(randomBits(n, d, seed++),
                        "n=" + std::to_string(n) + " d=" + std::to_string(d));
}

TEST(RankSelect, ClusteredRunsExerciseSelectSearch) {
  // Long runs of equal bits make select samples span many lines.
  for (uint64_t seed = 0; seed < 6; ++seed) {
    std::mt19937_64 rng(seed);
    Bits b;
    b.n = 200000;
    b.words.assign(b.n / 64 + 1, 0);
    uint64_t i = 0;
    bool bit = seed & 1;
    while (i < b.n) {
      uint64_t run = 1 + rng() % (seed < 3 ? 40000 : 700);
      for (uint64_t e = std::min(b.n, i + run); i < e; ++i)
        if (bit)
          b.words[i / 64] |= uint64_t(1) << (i % 64);
      bit = !bit;
    }
    checkAgainstNaive(b, "runs seed " + std::to_string(seed));
  }
  // A single one (and a single zero) in a long vector.
  for (uint64_t pos : {0ull, 77777ull, 199999ull}) {
    Bits one = randomBits(200000, 0.0, 0);
    one.words[pos / 64] |= uint64_t(1) << (pos % 64);
    checkAgainstNaive(one, "single one at " + std::to_string(pos));
    Bits zero = randomBits(200000, 1.0, 0);
    zero.words[pos / 64] &= ~(uint64_t(1) << (pos % 64));
    checkAgainstNaive(zero, "single zero at " + std::to_string(pos));
  }
}

TEST(RankSelect, DocumentedLayout) {
  // 1000 bits, bit i set iff i % 3 == 0.
  Bits b;
  b.n = 1000;
  b.words.assign(16, 0);
  for (uint64_t i = 0; i < b.n; i += 3)
    b.words[i / 64] |= uint64_t(1) << (i % 64);
  std::vector<uint8_t> blob = serialize(b);
  auto word = [&](uint64_t w) { return rs::loadLE64(blob.data() + 8 * w); };
  uint64_t ones = 334; // 0, 3, ..., 999
  EXPECT_EQ(word(0), 1000u);
  EXPECT_EQ(word(1), ones);
  for (int w = 2; w < 8; ++w)
    EXPECT_EQ(word(w), 0u);
  ASSERT_EQ(rs::numLines(1000), 3u);
  for (uint64_t line = 0; line < 3; ++line) {
    uint64_t meta = word(8 + 8 * line);
    uint64_t abs = 0;
    for (uint64_t i = 0; i < 448 * line; ++i)
      abs += i % 3 == 0;
    EXPECT_EQ(meta & ((uint64_t(1) << 37) - 1), abs) << line;
    for (unsigned f = 0; f < 3; ++f) {
      uint64_t expect = 0;
      for (uint64_t i = 448 * line; i < 448 * line + 128 * (f + 1); ++i)
        expect += i < 1000 && i % 3 == 0;
      EXPECT_EQ((meta >> (37 + 9 * f)) & 511, expect) << line << " " << f;
    }
    for (unsigned j = 0; j < 7; ++j) {
      uint64_t first = 448 * line + 64 * j;
      uint64_t expect = first / 64 < b.words.size() ? b.words[first / 64] : 0;
      if (first >= 1000)
        expect = 0;
      else if (1000 - first < 64)
        expect &= (uint64_t(1) << (1000 - first)) - 1;
      EXPECT_EQ(word(8 + 8 * line + 1 + j), expect) << line << " " << j;
    }
  }
  // One select1 sample and one select0 sample (334 ones, 666 zeros: both
  // ranks 0 lie in line 0), one word each, then padding.
  uint64_t samples = 8 + 8 * 3;
  for (uint64_t w = samples; w < 40; ++w)
    EXPECT_EQ(word(w), 0u);
  EXPECT_EQ(blob.size(), 8u * 40);
  EXPECT_EQ(rs::serializedBytes(1000, ones), blob.size());
}

TEST(RankSelect, SentinelLineWhenSizeIsMultipleOfLine) {
  Bits b = randomBits(896, 1.0, 3);
  std::vector<uint8_t> blob = serialize(b);
  Result<RankSelectView> v = RankSelectView::parse(blob.data(), blob.size());
  ASSERT_TRUE(v.isOk()) << v.message();
  EXPECT_EQ(v->rank1(896), 896u);
  EXPECT_EQ(rs::loadLE64(blob.data() + 64 + 2 * 64), 896u);
}

TEST(RankSelect, SelectInWord) {
  std::mt19937_64 rng(9);
  for (int t = 0; t < 2000; ++t) {
    uint64_t x = rng() & rng();
    if (t == 0)
      x = ~uint64_t(0);
    unsigned r = 0;
    for (unsigned bit = 0; bit < 64; ++bit)
      if ((x >> bit) & 1)
        ASSERT_EQ(rs::selectInWord(x, r++), bit);
  }
}

TEST(RankSelect, RejectsTooManyBits) {
  uint64_t w = 0;
  std::vector<uint8_t> out;
  EXPECT_FALSE(appendRankSelect(out, &w, uint64_t(1) << 37).isOk());
}

TEST(RankSelect, CorruptedAndTruncatedRejected) {
  Bits b = randomBits(3000, 0.4, 11);
  std::vector<uint8_t> blob = serialize(b);
  for (size_t len = 0; len < blob.size(); ++len) {
    std::vector<uint8_t> cut(blob.begin(), blob.begin() + len);
    EXPECT_FALSE(RankSelectView::parse(cut.data(), cut.size()).isOk()) << len;
  }
  std::mt19937_64 rng(5);
  unsigned rejected = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<uint8_t> bad = blob;
    unsigned flips = 1 + rng() % 3;
    for (unsigned f = 0; f < flips; ++f)
      bad[rng() % bad.size()] ^= uint8_t(1 + rng() % 255);
    Result<RankSelectView> v = RankSelectView::parse(bad.data(), bad.size());
    if (!v) {
      ++rejected;
      continue;
    }
    // Accepted (the flips cancelled out): queries stay in bounds.
    for (uint64_t i = 0; i <= v->size(); i += 97)
      EXPECT_LE(v->rank1(i), v->numOnes());
    for (uint64_t j = 0; j < v->numOnes(); j += 31)
      EXPECT_LT(v->select1(j), v->size());
    for (uint64_t j = 0; j < v->numZeros(); j += 31)
      EXPECT_LT(v->select0(j), v->size());
  }
  EXPECT_GT(rejected, 1900u);
  // A header claiming more bits than present.
  std::vector<uint8_t> big = blob;
  big[4] = 0x10;
  EXPECT_FALSE(RankSelectView::parse(big.data(), big.size()).isOk());
}

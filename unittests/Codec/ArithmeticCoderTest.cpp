//===- ArithmeticCoderTest.cpp - Adaptive order-0 range coder -------------===//

#include "cw/Codec/ArithmeticCoder.h"
#include "cw/Codec/Entropy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace cw::codec;

TEST(ArithmeticCoder, EmptyStream) {
  Result<std::vector<uint8_t>> e = rangeEncodeSymbols({}, 8);
  ASSERT_TRUE(e.isOk());
  EXPECT_EQ(*e, std::vector<uint8_t>(5, 0));
  Result<std::vector<uint16_t>> d = rangeDecodeSymbols(e->data(), 5, 0, 8);
  ASSERT_TRUE(d.isOk()) << d.message();
  EXPECT_TRUE(d->empty());
}

TEST(ArithmeticCoder, RoundTripRandom) {
  for (unsigned seed = 0; seed < 200; ++seed) {
    std::mt19937_64 rng(seed);
    unsigned bits = 1 + seed % 16;
    size_t n = seed < 5 ? seed : rng() % 4000;
    std::vector<uint16_t> s(n);
    for (uint16_t &v : s)
      v = uint16_t(rng() & ((1u << bits) - 1));
    Result<std::vector<uint8_t>> e = rangeEncodeSymbols(s, bits);
    ASSERT_TRUE(e.isOk());
    Result<std::vector<uint16_t>> d =
        rangeDecodeSymbols(e->data(), e->size(), n, bits);
    ASSERT_TRUE(d.isOk()) << "seed " << seed << ": " << d.message();
    ASSERT_EQ(*d, s) << "seed " << seed;
    // Uniform data cannot be compressed: at most a little overhead, plus the
    // cost of learning 2^bits - 1 adaptive nodes (a few bits each).
    EXPECT_LE(double(e->size()),
              double(n * bits) / 8 * 1.03 + double(1u << bits) / 2 + 16);
  }
}

TEST(ArithmeticCoder, RoundTripSkewedNearEntropy) {
  for (unsigned seed = 0; seed < 20; ++seed) {
    std::mt19937_64 rng(seed);
    unsigned bits = 4 + seed % 9;
    size_t n = 20000 + rng() % 20000;
    double p = 0.3 + 0.03 * seed; // geometric distribution
    std::geometric_distribution<unsigned> g(p);
    std::vector<uint16_t> s(n);
    std::vector<uint32_t> s32(n);
    for (size_t i = 0; i < n; ++i) {
      s[i] = uint16_t(std::min(g(rng), (1u << bits) - 1));
      s32[i] = s[i];
    }
    Result<std::vector<uint8_t>> e = rangeEncodeSymbols(s, bits);
    ASSERT_TRUE(e.isOk());
    Result<std::vector<uint16_t>> d =
        rangeDecodeSymbols(e->data(), e->size(), n, bits);
    ASSERT_TRUE(d.isOk()) << d.message();
    ASSERT_EQ(*d, s);
    double floorBytes = entropyFloorBits(s32) / 8;
    // Within 5 % of the order-0 floor, plus ~0.03 bits per symbol of
    // adaptation noise that shows on the most skewed (lowest entropy) inputs.
    EXPECT_LT(double(e->size()), floorBytes * 1.05 + 64 + double(n) / 256)
        << "seed " << seed << " floor " << floorBytes;
  }
  // All zeros: long runs code to almost nothing and still decode.
  std::vector<uint16_t> zeros(200000, 0);
  Result<std::vector<uint8_t>> e = rangeEncodeSymbols(zeros, 16);
  ASSERT_TRUE(e.isOk());
  EXPECT_LT(e->size(), 20000u);
  Result<std::vector<uint16_t>> d =
      rangeDecodeSymbols(e->data(), e->size(), zeros.size(), 16);
  ASSERT_TRUE(d.isOk()) << d.message();
  EXPECT_EQ(*d, zeros);
}

TEST(ArithmeticCoder, RejectsBadArguments) {
  std::vector<uint16_t> s = {1, 2, 300};
  EXPECT_FALSE(rangeEncodeSymbols(s, 8).isOk()); // 300 needs 9 bits
  EXPECT_TRUE(rangeEncodeSymbols(s, 9).isOk());
  EXPECT_FALSE(rangeEncodeSymbols(s, 0).isOk());
  EXPECT_FALSE(rangeEncodeSymbols(s, 17).isOk());
  uint8_t five[5] = {0, 0, 0, 0, 0};
  EXPECT_FALSE(rangeDecodeSymbols(five, 5, 1, 0).isOk());
  EXPECT_FALSE(rangeDecodeSymbols(five, 5, 1, 17).isOk());
  // A count no stream of this size can hold is refused before allocating.
  Result<std::vector<uint16_t>> huge =
      rangeDecodeSymbols(five, 5, uint64_t(1) << 40, 8);
  ASSERT_FALSE(huge.isOk());
  EXPECT_NE(huge.message().find("cannot come from"), std::string::npos);
}

TEST(ArithmeticCoder, RejectsCorruptedStreams) {
  std::mt19937_64 rng(3);
  std::vector<uint16_t> s(3000);
  for (uint16_t &v : s)
    v = uint16_t(rng() % 7 == 0 ? rng() % 64 : rng() % 3);
  Result<std::vector<uint8_t>> e = rangeEncodeSymbols(s, 6);
  ASSERT_TRUE(e.isOk());
  const std::vector<uint8_t> &good = *e;
  for (size_t len = 0; len < good.size(); ++len) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + len);
    EXPECT_FALSE(rangeDecodeSymbols(cut.data(), cut.size(), s.size(), 6).isOk())
        << "accepted truncation to " << len;
  }
  std::vector<uint8_t> longer = good;
  longer.push_back(0);
  Result<std::vector<uint16_t>> l =
      rangeDecodeSymbols(longer.data(), longer.size(), s.size(), 6);
  ASSERT_FALSE(l.isOk());
  EXPECT_NE(l.message().find("length mismatch"), std::string::npos)
      << l.message();
  // Wrong symbol count.
  EXPECT_FALSE(
      rangeDecodeSymbols(good.data(), good.size(), s.size() + 50, 6).isOk());
  EXPECT_FALSE(
      rangeDecodeSymbols(good.data(), good.size(), s.size() / 2, 6).isOk());
  unsigned rejected = 0;
  for (int trial = 0; trial < 500; ++trial) {
    std::vector<uint8_t> bad = good;
    bad[rng() % bad.size()] ^= uint8_t(1 + rng() % 255);
    Result<std::vector<uint16_t>> d =
        rangeDecodeSymbols(bad.data(), bad.size(), s.size(), 6);
    if (!d) {
      ++rejected;
      continue;
    }
    ASSERT_EQ(d->size(), s.size());
    for (uint16_t v : *d)
      ASSERT_LT(v, 64u);
  }
  EXPECT_GT(rejected, 450u);
}

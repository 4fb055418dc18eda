//===- BitStreamTest.cpp - Bit stream round trips and bounds --------------===//

#include "cw/Codec/BitStream.h"
#include "cw/Codec/Entropy.h"

#include <gtest/gtest.h>

#include <random>

using namespace cw::codec;

TEST(BitStream, LsbFirstLayout) {
  BitWriter w;
  w.write(0b1, 1);
  w.write(0b10, 2);
  w.write(0xAB, 8);
  ASSERT_EQ(w.bitSize(), 11u);
  ASSERT_EQ(w.bytes().size(), 2u);
  // bit0 = 1, bits1-2 = 0b10, bits 3-10 = 0xAB.
  EXPECT_EQ(w.bytes()[0], uint8_t(0x1 | (0x2 << 1) | ((0xAB & 0x1F) << 3)));
  EXPECT_EQ(w.bytes()[1], uint8_t(0xAB >> 5));
}

TEST(BitStream, RandomRoundTrip) {
  for (unsigned seed = 0; seed < 20; ++seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::pair<uint64_t, unsigned>> items;
    BitWriter w;
    for (int i = 0; i < 1000; ++i) {
      unsigned n = rng() % 65;
      uint64_t v = rng();
      if (n < 64)
        v &= (uint64_t(1) << n) - 1;
      if (n == 0)
        v = 0;
      items.push_back({v, n});
      w.write(v, n);
    }
    BitReader r(w.bytes().data(), w.bytes().size(), w.bitSize());
    for (auto &[v, n] : items)
      ASSERT_EQ(r.read(n), v) << "seed " << seed;
    EXPECT_FALSE(r.overrun());
    EXPECT_EQ(r.remaining(), 0u);
    r.read(1);
    EXPECT_TRUE(r.overrun());
  }
}

TEST(BitStream, ReadingPastEndIsFlaggedNotOutOfBounds) {
  std::vector<uint8_t> one = {0xFF};
  BitReader r(one.data(), one.size());
  EXPECT_EQ(r.read(4), 0xFu);
  EXPECT_FALSE(r.overrun());
  EXPECT_EQ(r.peek(16), 0xFu);
  EXPECT_EQ(r.read(16), 0xFu);
  EXPECT_TRUE(r.overrun());
  BitReader empty(nullptr, 0);
  EXPECT_EQ(empty.read(3), 0u);
  EXPECT_TRUE(empty.overrun());
}

TEST(BitStream, ByteReaderBounds) {
  std::vector<uint8_t> buf;
  appendU32(buf, 0xDEADBEEF);
  appendF32(buf, 1.5f);
  ByteReader r(buf.data(), buf.size());
  uint32_t u;
  float f;
  uint64_t big;
  ASSERT_TRUE(r.readU32(u));
  EXPECT_EQ(u, 0xDEADBEEFu);
  ASSERT_TRUE(r.readF32(f));
  EXPECT_EQ(f, 1.5f);
  EXPECT_FALSE(r.readU64(big));
  EXPECT_EQ(r.readBytes(1), nullptr);
}

TEST(Entropy, KnownValues) {
  EXPECT_DOUBLE_EQ(entropyBitsPerSymbol({}), 0.0);
  EXPECT_DOUBLE_EQ(entropyBitsPerSymbol({7, 7, 7}), 0.0);
  EXPECT_DOUBLE_EQ(entropyBitsPerSymbol({0, 1, 0, 1}), 1.0);
  EXPECT_DOUBLE_EQ(entropyFloorBits({0, 1, 2, 3}), 8.0);
}

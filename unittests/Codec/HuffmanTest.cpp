//===- HuffmanTest.cpp - Canonical Huffman and the huffman matrix codec ---===//

#include "cw/Codec/Huffman.h"
#include "cw/Codec/BitStream.h"
#include "cw/Codec/Entropy.h"
#include "cw/Codec/HuffmanCodec.h"
#include "cw/Codec/Matrix.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <queue>
#include <random>

using namespace cw::codec;

namespace {

/// Unlimited Huffman cost (sum of count * depth) with a heap, for reference.
uint64_t referenceHuffmanCost(const std::vector<uint64_t> &counts) {
  std::priority_queue<uint64_t, std::vector<uint64_t>, std::greater<uint64_t>>
      heap;
  for (uint64_t c : counts)
    if (c)
      heap.push(c);
  if (heap.size() == 1)
    return heap.top();
  uint64_t cost = 0;
  while (heap.size() > 1) {
    uint64_t a = heap.top();
    heap.pop();
    uint64_t b = heap.top();
    heap.pop();
    cost += a + b;
    heap.push(a + b);
  }
  return cost;
}

std::vector<uint64_t> fibonacciCounts(unsigned n) {
  std::vector<uint64_t> c(n);
  c[0] = 1;
  if (n > 1)
    c[1] = 1;
  for (unsigned i = 2; i < n; ++i)
    c[i] = c[i - 1] + c[i - 2];
  return c;
}

void expectValidLimitedLengths(const std::vector<uint64_t> &counts,
                               const std::vector<uint8_t> &lengths,
                               unsigned limit) {
  ASSERT_EQ(lengths.size(), counts.size());
  size_t used = 0;
  for (size_t s = 0; s < counts.size(); ++s) {
    EXPECT_LE(lengths[s], limit) << "symbol " << s;
    EXPECT_EQ(lengths[s] > 0, counts[s] > 0) << "symbol " << s;
    used += counts[s] > 0;
  }
  uint64_t kraft = huffmanKraftSum(lengths);
  if (used >= 2)
    EXPECT_EQ(kraft, uint64_t(1) << kHuffmanMaxLength) << "complete code";
  else
    EXPECT_LE(kraft, uint64_t(1) << kHuffmanMaxLength);
}

} // namespace

TEST(HuffmanCode, EmptyAndSingleSymbol) {
  auto empty = buildHuffmanLengths({});
  ASSERT_TRUE(empty) << empty.message();
  EXPECT_TRUE(empty->empty());
  auto unused = buildHuffmanLengths({0, 0, 0});
  ASSERT_TRUE(unused);
  EXPECT_EQ(*unused, (std::vector<uint8_t>{0, 0, 0}));
  auto one = buildHuffmanLengths({0, 7, 0});
  ASSERT_TRUE(one);
  EXPECT_EQ(*one, (std::vector<uint8_t>{0, 1, 0}));
  auto code = buildHuffmanCode({0, 7, 0});
  ASSERT_TRUE(code);
  EXPECT_EQ(code->codes[1], 0u);
  EXPECT_EQ(code->maxLength, 1u);
}

TEST(HuffmanCode, RejectsBadParameters) {
  EXPECT_FALSE(buildHuffmanLengths({1, 2}, 0));
  EXPECT_FALSE(buildHuffmanLengths({1, 2}, 25));
  EXPECT_FALSE(buildHuffmanLengths(std::vector<uint64_t>(65537, 1)));
  // 5 used symbols cannot fit in 2-bit codes.
  auto r = buildHuffmanLengths({1, 1, 1, 1, 1}, 2);
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("huffman"), std::string::npos);
  EXPECT_TRUE(buildHuffmanLengths({1, 1, 1, 1}, 2));
  // Kraft violation and over-long lengths.
  EXPECT_FALSE(makeCanonicalHuffmanCode({1, 1, 1}));
  EXPECT_FALSE(makeCanonicalHuffmanCode({25, 1}));
  EXPECT_TRUE(makeCanonicalHuffmanCode({1, 2, 2}));
}

TEST(HuffmanCode, MatchesUnlimitedHuffmanWhenTheLimitIsLoose) {
  for (unsigned seed = 0; seed < 40; ++seed) {
    std::mt19937_64 rng(seed);
    unsigned n = 1 + rng() % 300;
    std::vector<uint64_t> counts(n);
    for (auto &c : counts)
      c = (rng() % 4 == 0) ? 0 : 1 + rng() % 1000;
    auto lengths = buildHuffmanLengths(counts, 24);
    ASSERT_TRUE(lengths) << lengths.message();
    expectValidLimitedLengths(counts, *lengths, 24);
    uint64_t cost = 0;
    for (size_t s = 0; s < n; ++s)
      cost += counts[s] * (*lengths)[s];
    EXPECT_EQ(cost, referenceHuffmanCost(counts)) << "seed " << seed;
  }
}

TEST(HuffmanCode, LengthLimitHoldsOnFibonacciCounts) {
  // Fibonacci frequencies make unlimited Huffman codes as deep as the
  // alphabet; the limit must cap them while keeping a complete code.
  std::vector<uint64_t> counts = fibonacciCounts(40);
  EXPECT_EQ(referenceHuffmanCost(counts) > 0, true);
  uint64_t previousCost = 0;
  for (unsigned limit = 24; limit >= 6; --limit) {
    auto lengths = buildHuffmanLengths(counts, limit);
    ASSERT_TRUE(lengths) << lengths.message();
    expectValidLimitedLengths(counts, *lengths, limit);
    EXPECT_EQ(*std::max_element(lengths->begin(), lengths->end()), limit);
    uint64_t cost = 0;
    for (size_t s = 0; s < counts.size(); ++s)
      cost += counts[s] * (*lengths)[s];
    // A tighter limit can only cost more.
    EXPECT_GE(cost, previousCost);
    previousCost = cost;
    // Fewer symbols than 2^limit: still feasible; 2^limit + 1: not.
  }
  EXPECT_FALSE(buildHuffmanLengths(counts, 5)); // 40 symbols > 32
}

TEST(HuffmanCode, RandomCountsKraftAndLimit) {
  for (unsigned seed = 0; seed < 60; ++seed) {
    std::mt19937_64 rng(seed * 7919 + 1);
    unsigned n = 2 + rng() % 256;
    unsigned limit = 8 + rng() % 9;
    std::vector<uint64_t> counts(n);
    for (auto &c : counts) {
      // Heavily skewed: exponents spread over 40 bits.
      c = (rng() % 5 == 0) ? 0 : (uint64_t(1) << (rng() % 40)) + rng() % 3;
    }
    auto lengths = buildHuffmanLengths(counts, limit);
    ASSERT_TRUE(lengths) << lengths.message();
    expectValidLimitedLengths(counts, *lengths, limit);
  }
}

TEST(HuffmanCode, CanonicalAssignmentIsOrderedByLengthThenSymbol) {
  std::vector<uint8_t> lengths = {3, 0, 2, 3, 2, 4, 4, 0, 3};
  // Kraft: 3*(1/8) + 2*(1/4) + 2*(1/16) = 1.
  auto code = makeCanonicalHuffmanCode(lengths);
  ASSERT_TRUE(code) << code.message();
  auto reverse = [](uint32_t v, unsigned n) {
    uint32_t r = 0;
    for (unsigned i = 0; i < n; ++i, v >>= 1)
      r = (r << 1) | (v & 1);
    return r;
  };
  // Expected canonical (MSB-first) codes: len2: sym2=00, sym4=01;
  // len3: sym0=100, sym3=101, sym8=110; len4: sym5=1110, sym6=1111.
  EXPECT_EQ(reverse(code->codes[2], 2), 0b00u);
  EXPECT_EQ(reverse(code->codes[4], 2), 0b01u);
  EXPECT_EQ(reverse(code->codes[0], 3), 0b100u);
  EXPECT_EQ(reverse(code->codes[3], 3), 0b101u);
  EXPECT_EQ(reverse(code->codes[8], 3), 0b110u);
  EXPECT_EQ(reverse(code->codes[5], 4), 0b1110u);
  EXPECT_EQ(reverse(code->codes[6], 4), 0b1111u);
  // Stored bit-reversed: the first stream bit is the code's MSB.
  BitWriter w;
  encodeHuffmanSymbol(w, *code, 0); // 100
  EXPECT_EQ(w.bytes()[0] & 7, 0b001);
}

TEST(HuffmanCode, LengthSerialisationRoundTrip) {
  for (unsigned seed = 0; seed < 30; ++seed) {
    std::mt19937_64 rng(seed);
    unsigned n = seed == 0 ? 0 : seed == 1 ? 65536 : 1 + rng() % 2000;
    std::vector<uint64_t> counts(n, 0);
    for (auto &c : counts)
      if (rng() % 8 == 0)
        c = 1 + rng() % 100000;
    auto lengths = buildHuffmanLengths(counts, n > 2000 ? 16 : 8 + seed % 17);
    ASSERT_TRUE(lengths) << lengths.message();
    std::vector<uint8_t> out = {0xAA};
    serializeHuffmanLengths(*lengths, out);
    out.push_back(0x55);
    ByteReader r(out.data(), out.size());
    uint8_t lead;
    ASSERT_TRUE(r.readU8(lead));
    auto back = deserializeHuffmanLengths(r);
    ASSERT_TRUE(back) << back.message();
    EXPECT_EQ(*back, *lengths);
    EXPECT_EQ(r.remaining(), 1u);
    if (n == 65536) // sparse alphabets serialise compactly via zero runs
      EXPECT_LT(out.size(), 65536u * 5 / 8 / 2);
  }
}

TEST(HuffmanCode, LengthTableCorruptionRejected) {
  std::vector<uint64_t> counts(40);
  for (unsigned i = 0; i < 40; ++i)
    counts[i] = (i * 37) % 11;
  auto lengths = buildHuffmanLengths(counts);
  ASSERT_TRUE(lengths);
  std::vector<uint8_t> blob;
  serializeHuffmanLengths(*lengths, blob);
  for (size_t cut = 0; cut < blob.size(); ++cut) {
    ByteReader r(blob.data(), cut);
    EXPECT_FALSE(deserializeHuffmanLengths(r)) << "cut " << cut;
  }
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 500; ++trial) {
    std::vector<uint8_t> bad = blob;
    bad[rng() % bad.size()] ^= uint8_t(1 + rng() % 255);
    ByteReader r(bad.data(), bad.size());
    auto res = deserializeHuffmanLengths(r);
    if (res) // if accepted, it is a valid prefix code
      EXPECT_LE(huffmanKraftSum(*res), uint64_t(1) << kHuffmanMaxLength);
  }
  // A Kraft-violating table is rejected.
  std::vector<uint8_t> over;
  serializeHuffmanLengths({1, 1, 1}, over);
  ByteReader r(over.data(), over.size());
  auto res = deserializeHuffmanLengths(r);
  ASSERT_FALSE(res);
  EXPECT_NE(res.message().find("Kraft"), std::string::npos);
}

TEST(HuffmanCode, TableDecodeRoundTrip) {
  // Covers full tables (limit <= lookup bits), two-level tables (long codes),
  // and several lookup widths.
  for (unsigned seed = 0; seed < 48; ++seed) {
    std::mt19937_64 rng(seed);
    unsigned n = 1 + rng() % 600;
    unsigned limit = std::max(8u + unsigned(seed % 17), 10u);
    unsigned lookupBits = 1 + seed % 16;
    std::vector<uint64_t> counts(n, 0);
    for (auto &c : counts)
      if (rng() % 3)
        c = uint64_t(1) << (rng() % 30);
    if (std::all_of(counts.begin(), counts.end(),
                    [](uint64_t c) { return c == 0; }))
      counts[0] = 1;
    auto code = buildHuffmanCode(counts, limit);
    ASSERT_TRUE(code) << code.message();
    auto table = buildHuffmanDecodeTable(code->lengths, lookupBits);
    ASSERT_TRUE(table) << table.message();
    EXPECT_LE(table->lookupBits, lookupBits);
    std::vector<uint32_t> used;
    for (uint32_t s = 0; s < n; ++s)
      if (counts[s])
        used.push_back(s);
    std::vector<uint32_t> symbols(3000);
    BitWriter w;
    for (auto &s : symbols) {
      s = used[rng() % used.size()];
      encodeHuffmanSymbol(w, *code, s);
    }
    // One at a time.
    BitReader r(w.bytes().data(), w.bytes().size(), w.bitSize());
    for (size_t i = 0; i < symbols.size(); ++i) {
      uint32_t s = ~0u;
      ASSERT_TRUE(decodeHuffmanSymbol(*table, r, s)) << "seed " << seed;
      ASSERT_EQ(s, symbols[i]) << "seed " << seed << " i " << i;
    }
    EXPECT_EQ(r.remaining(), 0u);
    uint32_t extra;
    EXPECT_FALSE(decodeHuffmanSymbol(*table, r, extra));
    // Batched.
    BitReader r2(w.bytes().data(), w.bytes().size(), w.bitSize());
    std::vector<uint32_t> out(symbols.size());
    ASSERT_TRUE(decodeHuffmanSymbols(*table, r2, out.size(), out.data()));
    EXPECT_EQ(out, symbols);
    BitReader r3(w.bytes().data(), w.bytes().size(), w.bitSize() - 1);
    EXPECT_FALSE(decodeHuffmanSymbols(*table, r3, out.size(), out.data()));
  }
}

TEST(HuffmanCode, InvalidCodeAndOverrunDetected) {
  // A one-symbol code only has "0": a 1 bit is an invalid code.
  auto table = buildHuffmanDecodeTable({0, 1});
  ASSERT_TRUE(table);
  std::vector<uint8_t> bits = {0b10};
  BitReader r(bits.data(), 1, 2);
  uint32_t s;
  ASSERT_TRUE(decodeHuffmanSymbol(*table, r, s));
  EXPECT_EQ(s, 1u);
  Status st = decodeHuffmanSymbol(*table, r, s);
  EXPECT_FALSE(st);
  EXPECT_NE(st.message().find("invalid code"), std::string::npos);
  // Overrun: a 3-bit code cut after 2 bits.
  auto code = makeCanonicalHuffmanCode({1, 2, 3, 3});
  ASSERT_TRUE(code);
  auto t2 = buildHuffmanDecodeTable(code->lengths);
  ASSERT_TRUE(t2);
  BitWriter w;
  encodeHuffmanSymbol(w, *code, 3);
  BitReader cut(w.bytes().data(), w.bytes().size(), 2);
  st = decodeHuffmanSymbol(*t2, cut, s);
  EXPECT_FALSE(st);
  EXPECT_EQ(cut.position(), 0u);
  // Empty code: every lookup fails.
  auto emptyTable = buildHuffmanDecodeTable({0, 0});
  ASSERT_TRUE(emptyTable);
  BitReader any(bits.data(), 1);
  EXPECT_FALSE(decodeHuffmanSymbol(*emptyTable, any, s));
  EXPECT_FALSE(buildHuffmanDecodeTable({1, 1, 1}));
}

//===----------------------------------------------------------------------===//
// The huffman matrix codec (CWHF)
//===----------------------------------------------------------------------===//

namespace {

ClusteredMatrix shapedMatrix(unsigned shape, unsigned seed) {
  std::mt19937_64 rng(seed);
  switch (shape) {
  case 0: // empty, 0 rows
    return makeSyntheticClustered(0, 17, 0.1, 4, seed);
  case 1: { // empty, 0 cols
    ClusteredMatrix m;
    m.rows = 5;
    m.cols = 0;
    m.codebook = {1.0f};
    return m;
  }
  case 2: // 1x1
    return makeSyntheticClustered(1, 1, 1.0, 1, seed);
  case 3: { // all zero
    ClusteredMatrix m = makeSyntheticClustered(13, 29, 0.0, 4, seed);
    m.codebook.clear();
    return m;
  }
  case 4: // all nonzero
    return makeSyntheticClustered(9, 31, 1.0, 16, seed);
  case 5: // one cluster
    return makeSyntheticClustered(17, 40, 0.3, 1, seed);
  case 6: // 256 clusters
    return makeSyntheticClustered(40, 257, 0.6, 256, seed);
  default: { // random shape and density
    uint64_t rows = 1 + rng() % 70, cols = 1 + rng() % 300;
    double density = double(rng() % 101) / 100.0;
    unsigned k = 1 + rng() % 64;
    return makeSyntheticClustered(rows, cols, density, k, seed);
  }
  }
}

} // namespace

TEST(HuffmanMatrix, RoundTripsAcrossShapes) {
  for (unsigned shape = 0; shape < 12; ++shape)
    for (unsigned seed = 0; seed < 4; ++seed) {
      ClusteredMatrix m = shapedMatrix(shape, seed * 31 + shape);
      for (uint32_t rowsPerChunk : {1u, 7u, 64u}) {
        HuffmanParams p;
        p.rowsPerChunk = rowsPerChunk;
        p.maxCodeLength = shape == 6 ? 9 : 8 + (seed * 5) % 17;
        EncodingStats stats;
        auto blob = encodeHuffmanMatrix(m, p, &stats);
        ASSERT_TRUE(blob) << blob.message();
        EXPECT_EQ(stats.blobBytes, blob->size());
        EXPECT_EQ(stats.codebookBytes, 4 * m.codebook.size());
        std::vector<uint32_t> syms(m.indices.begin(), m.indices.end());
        EXPECT_NEAR(stats.entropyFloorBits, entropyFloorBits(syms), 1e-6);
        auto back = decodeHuffmanMatrix(blob->data(), blob->size());
        ASSERT_TRUE(back) << back.message();
        EXPECT_EQ(back->rows, m.rows);
        EXPECT_EQ(back->cols, m.cols);
        EXPECT_EQ(back->indices, m.indices) << "shape " << shape;
        // Deterministic bytes.
        auto again = encodeHuffmanMatrix(m, p);
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, *blob);
      }
    }
}

TEST(HuffmanMatrix, DecodesOneChunkInIsolation) {
  ClusteredMatrix m = makeSyntheticClustered(100, 77, 0.2, 32, 5);
  HuffmanParams p;
  p.rowsPerChunk = 16;
  auto blob = encodeHuffmanMatrix(m, p);
  ASSERT_TRUE(blob);
  auto view = parseHuffmanBlob(blob->data(), blob->size());
  ASSERT_TRUE(view) << view.message();
  ASSERT_EQ(view->numChunks, 7u);
  for (uint32_t c : {6u, 3u, 0u}) { // the last chunk is short (4 rows)
    std::vector<uint16_t> out(size_t(view->chunkRows(c)) * m.cols, 0xFFFF);
    ASSERT_TRUE(decodeHuffmanChunk(*view, c, out.data()));
    std::vector<uint16_t> expect(
        m.indices.begin() + uint64_t(c) * 16 * m.cols,
        m.indices.begin() + (uint64_t(c) * 16 + view->chunkRows(c)) * m.cols);
    EXPECT_EQ(out, expect) << "chunk " << c;
  }
  EXPECT_EQ(view->chunkRows(6), 4u);
  EXPECT_FALSE(decodeHuffmanChunk(*view, 7, nullptr));
}

TEST(HuffmanMatrix, RejectsBadInput) {
  ClusteredMatrix m = makeSyntheticClustered(4, 4, 0.5, 2, 1);
  m.codebook[0] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_FALSE(encodeHuffmanMatrix(m, HuffmanParams()));
  m.codebook[0] = 0.5f;
  HuffmanParams p;
  p.rowsPerChunk = 0;
  EXPECT_FALSE(encodeHuffmanMatrix(m, p));
  p.rowsPerChunk = 4;
  p.maxCodeLength = 30;
  EXPECT_FALSE(encodeHuffmanMatrix(m, p));
  ClusteredMatrix big;
  big.rows = 1;
  big.cols = 257;
  big.codebook.assign(256, 1.0f);
  for (uint16_t i = 0; i <= 256; ++i)
    big.indices.push_back(i);
  p.maxCodeLength = 9;
  EXPECT_TRUE(encodeHuffmanMatrix(big, p));
  p.maxCodeLength = 8; // 257 symbols do not fit in 8-bit codes
  EXPECT_FALSE(encodeHuffmanMatrix(big, p));
}

TEST(HuffmanMatrix, CorruptedBlobsRejected) {
  ClusteredMatrix m = makeSyntheticClustered(23, 37, 0.3, 8, 9);
  HuffmanParams p;
  p.rowsPerChunk = 5;
  auto blob = encodeHuffmanMatrix(m, p);
  ASSERT_TRUE(blob);
  for (size_t cut = 0; cut < blob->size(); ++cut) {
    auto r = decodeHuffmanMatrix(blob->data(), cut);
    EXPECT_FALSE(r) << "truncated at " << cut;
  }
  std::vector<uint8_t> longer = *blob;
  longer.push_back(0);
  EXPECT_FALSE(decodeHuffmanMatrix(longer.data(), longer.size()));
  std::mt19937_64 rng(11);
  unsigned accepted = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    std::vector<uint8_t> bad = *blob;
    unsigned flips = 1 + rng() % 3;
    for (unsigned f = 0; f < flips; ++f)
      bad[rng() % bad.size()] ^= uint8_t(1 + rng() % 255);
    auto r = decodeHuffmanMatrix(bad.data(), bad.size());
    if (r) {
      ++accepted; // a payload flip can decode to other valid symbols
      EXPECT_EQ(r->indices.size(), m.indices.size());
      for (uint16_t i : r->indices)
        EXPECT_LE(i, 8u);
    }
  }
  EXPECT_LT(accepted, 1500u);
  std::vector<uint8_t> badMagic = *blob;
  badMagic[0] = 'X';
  auto r = decodeHuffmanMatrix(badMagic.data(), badMagic.size());
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("magic"), std::string::npos);
}

TEST(HuffmanMatrix, HeaderFieldsValidatedBehindTheChecksum) {
  ClusteredMatrix m = makeSyntheticClustered(10, 20, 0.3, 8, 2);
  HuffmanParams p;
  p.rowsPerChunk = 4;
  auto blob = encodeHuffmanMatrix(m, p);
  ASSERT_TRUE(blob);
  auto view = parseHuffmanBlob(blob->data(), blob->size());
  ASSERT_TRUE(view);
  size_t checksumAt = view->headerBytes - 4;
  auto patched = [&](size_t off, uint8_t value) {
    std::vector<uint8_t> b = *blob;
    b[off] = value;
    uint32_t c = huffmanCodecChecksum(b.data(), checksumAt);
    std::memcpy(b.data() + checksumAt, &c, 4);
    return decodeHuffmanMatrix(b.data(), b.size());
  };
  EXPECT_FALSE(patched(4, 2));    // version
  EXPECT_FALSE(patched(5, 0));    // length limit 0
  EXPECT_FALSE(patched(5, 25));   // length limit 25
  EXPECT_FALSE(patched(7, 1));    // k = 264
  EXPECT_FALSE(patched(8, 13));   // rows: chunk count mismatch
  EXPECT_FALSE(patched(12, 200)); // cols: more weights than payload bits
  EXPECT_FALSE(patched(16, 0));   // rowsPerChunk 0
  EXPECT_FALSE(patched(20, 9));   // numChunks
  EXPECT_FALSE(patched(24, 0));   // payloadBits
  // A chunk offset moved: the chunks no longer end on their boundaries.
  size_t offsetsAt = checksumAt - 8 * (view->numChunks + 1);
  EXPECT_FALSE(patched(offsetsAt + 8, uint8_t((*blob)[offsetsAt + 8] + 1)));
  std::vector<uint8_t> b = *blob;
  b[12] ^= 1; // cols changed without fixing the checksum
  auto r = decodeHuffmanMatrix(b.data(), b.size());
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("checksum"), std::string::npos);
}

TEST(HuffmanCode, MultiSymbolTableResolvesRuns) {
  // Canonical codes: sym0 = 0, sym1 = 10, sym2 = 110, sym3 = 111.
  auto table = buildHuffmanDecodeTable({1, 2, 3, 3}, 4);
  ASSERT_TRUE(table);
  ASSERT_EQ(table->lookupBits, 3u); // capped at the longest code
  ASSERT_EQ(table->multi.size(), 8u);
  // Window 000: three 1-bit zeros.
  uint64_t m = table->multi[0];
  EXPECT_EQ(HuffmanDecodeTable::multiCount(m), 3u);
  EXPECT_EQ(HuffmanDecodeTable::multiLength(m), 3u);
  // Stream "10" then "0" (LSB-first window 0b001): sym1 then sym0.
  m = table->multi[0b001];
  EXPECT_EQ(HuffmanDecodeTable::multiCount(m), 2u);
  EXPECT_EQ(HuffmanDecodeTable::multiSymbol(m, 0), 1u);
  EXPECT_EQ(HuffmanDecodeTable::multiSymbol(m, 1), 0u);
  EXPECT_EQ(HuffmanDecodeTable::multiLength(m), 3u);
  // Stream "111": sym3 alone.
  m = table->multi[0b111];
  EXPECT_EQ(HuffmanDecodeTable::multiCount(m), 1u);
  EXPECT_EQ(HuffmanDecodeTable::multiSymbol(m, 0), 3u);
  // Every multi entry agrees with repeated single lookups.
  for (uint32_t w = 0; w < 8; ++w) {
    uint64_t e = table->multi[w];
    unsigned used = 0;
    for (unsigned i = 0; i < HuffmanDecodeTable::multiCount(e); ++i) {
      uint32_t leaf = table->lookup(uint64_t(w) >> used);
      EXPECT_EQ(HuffmanDecodeTable::entrySymbol(leaf),
                HuffmanDecodeTable::multiSymbol(e, i));
      used += HuffmanDecodeTable::entryLength(leaf);
    }
    EXPECT_EQ(used, HuffmanDecodeTable::multiLength(e));
  }
}

TEST(HuffmanMatrix, RowBitOffsetsMatchPerRowChunks) {
  // One row per chunk puts a chunk offset at every row: the per-row sizes of
  // that blob equal the gaps between huffmanRowBitOffsets of the chunked one
  // (the code is the same: it depends on the symbol counts only).
  for (unsigned seed = 0; seed < 6; ++seed) {
    ClusteredMatrix m =
        makeSyntheticClustered(1 + seed * 7, 5 + seed * 31, 0.2, 8, seed);
    HuffmanParams p;
    p.rowsPerChunk = 4;
    auto blob = encodeHuffmanMatrix(m, p);
    ASSERT_TRUE(blob) << blob.message();
    auto view = parseHuffmanBlob(blob->data(), blob->size());
    ASSERT_TRUE(view) << view.message();
    auto offsets = huffmanRowBitOffsets(*view);
    ASSERT_TRUE(offsets) << offsets.message();
    ASSERT_EQ(offsets->size(), m.rows + 1);
    p.rowsPerChunk = 1;
    auto perRow = encodeHuffmanMatrix(m, p);
    ASSERT_TRUE(perRow);
    auto rowView = parseHuffmanBlob(perRow->data(), perRow->size());
    ASSERT_TRUE(rowView);
    for (uint32_t r = 0; r < m.rows; ++r)
      EXPECT_EQ((*offsets)[r + 1] - (*offsets)[r],
                rowView->chunkBitOffsets[r + 1] - rowView->chunkBitOffsets[r])
          << "seed " << seed << " row " << r;
    EXPECT_EQ(offsets->back(), view->chunkBitOffsets[view->numChunks]);
  }
}

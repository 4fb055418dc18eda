//===- SZRawTest.cpp - SZ stage 2: raw Huffman without zstd ---------------===//

#include "SZTestUtil.h"
#include "cw/Codec/SZ.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace cw::codec;
using cw::codec::testing::encodeOk;
using cw::codec::testing::makeSparse;

namespace {

uint32_t bitsOf(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

SZParams rawParams(double eb = 1e-3, SZPredictor pr = SZPredictor::Lorenzo) {
  SZParams p;
  p.entropy = SZEntropyStage::HuffmanRaw;
  p.errorBound = eb;
  p.predictor = pr;
  return p;
}

/// Zeros decode to +0.0f, everything else within eb (double and float).
void expectWithinBound(const std::vector<float> &orig,
                       const std::vector<float> &dec, double eb) {
  ASSERT_EQ(orig.size(), dec.size());
  for (size_t i = 0; i < orig.size(); ++i) {
    if (orig[i] == 0.0f) {
      ASSERT_EQ(bitsOf(dec[i]), 0u) << "pruned weight " << i;
      continue;
    }
    ASSERT_LE(std::fabs(double(orig[i]) - double(dec[i])), eb) << i;
    ASSERT_LE(std::fabs(orig[i] - dec[i]), float(eb)) << i;
  }
}

const SZPredictor kPredictors[] = {SZPredictor::Prev, SZPredictor::Lorenzo,
                                   SZPredictor::Linear};

} // namespace

TEST(SZRaw, RoundTripsWithinTheBound) {
  const std::pair<uint64_t, uint64_t> shapes[] = {
      {0, 0}, {0, 7}, {9, 0}, {1, 1}, {1, 600}, {13, 37}, {40, 100}, {7, 900}};
  unsigned cases = 0;
  for (uint64_t seed = 0; seed < 4; ++seed)
    for (auto [rows, cols] : shapes)
      for (double eb : {1e-4, 1e-3, 1e-2, 1e-1}) {
        double density = seed == 0 ? 1.0 : 0.03 + 0.2 * double(seed);
        std::vector<float> w = makeSparse(rows, cols, density, seed * 17 + 3);
        SZParams p = rawParams(eb, kPredictors[cases % 3]);
        p.rowsPerChunk = (seed % 2) ? 0 : 4;
        SZEncodeInfo info;
        std::vector<uint8_t> blob = encodeOk(w, rows, cols, p, &info);
        uint64_t r = 99, c = 99;
        Result<std::vector<float>> dec =
            decodeSZMatrix(blob.data(), blob.size(), &r, &c);
        ASSERT_TRUE(dec.isOk()) << dec.message();
        EXPECT_EQ(r, rows);
        EXPECT_EQ(c, cols);
        expectWithinBound(w, *dec, eb);
        EXPECT_LE(info.maxAbsError, eb);
        ++cases;
      }
  EXPECT_EQ(cases, 4u * 8u * 4u);
}

TEST(SZRaw, ReconstructsExactlyLikeTheZstdStages) {
  // Same quantisation, other serialisation: bit-identical reconstructions
  // once both use the radius stage 2 clamps to.
  std::vector<float> w = makeSparse(30, 300, 0.1, 5, 0.2f);
  for (SZPredictor pr : kPredictors) {
    SZParams raw = rawParams(1e-4, pr), huff = raw;
    huff.entropy = SZEntropyStage::Huffman;
    huff.binRadius = 2047;
    raw.rowsPerChunk = huff.rowsPerChunk = 7;
    std::vector<uint8_t> a = encodeOk(w, 30, 300, raw);
    std::vector<uint8_t> b = encodeOk(w, 30, 300, huff);
    Result<std::vector<float>> da = decodeSZMatrix(a.data(), a.size());
    Result<std::vector<float>> db = decodeSZMatrix(b.data(), b.size());
    ASSERT_TRUE(da.isOk() && db.isOk());
    for (size_t i = 0; i < w.size(); ++i)
      ASSERT_EQ(bitsOf((*da)[i]), bitsOf((*db)[i])) << predictorName(pr) << i;
  }
}

TEST(SZRaw, ViewExposesTheLayout) {
  const uint64_t rows = 20, cols = 700;
  std::vector<float> w = makeSparse(rows, cols, 0.08, 9);
  std::fill(w.begin() + 3 * cols, w.begin() + 4 * cols, 0.0f);
  w[3 * cols + 600] = 0.5f; // a long gap: two fillers in row 3
  SZParams p = rawParams(1e-3, SZPredictor::Linear);
  p.rowsPerChunk = 6;
  p.rawMaxCodeLength = 10;
  SZEncodeInfo info;
  std::vector<uint8_t> blob = encodeOk(w, rows, cols, p, &info);
  Result<SZRawView> v = parseSZRawBlob(blob.data(), blob.size());
  ASSERT_TRUE(v.isOk()) << v.message();
  EXPECT_EQ(v->rows, rows);
  EXPECT_EQ(v->cols, cols);
  EXPECT_EQ(v->predictor, SZPredictor::Linear);
  EXPECT_EQ(v->maxCodeLength, 10u);
  EXPECT_EQ(v->binRadius, 511u); // clamped to 2^(L-1) - 1
  EXPECT_EQ(v->numChunks(), 4u);
  EXPECT_EQ(v->chunkBitOffsets.front(), 0u);
  EXPECT_EQ(v->chunkBitOffsets.back(), v->payloadBits);
  EXPECT_EQ(v->chunkEscapeStarts.back(), v->numEscapes);
  EXPECT_EQ(v->numEscapes, info.numEscapes);
  for (uint8_t l : v->gapLengths)
    EXPECT_LE(l, 10u);
  for (uint8_t l : v->binLengths)
    EXPECT_LE(l, 10u);
  EXPECT_LE(v->binLengths.size(), 1024u);
  uint64_t entries = 0;
  for (uint64_t r = 0; r < rows; ++r)
    entries += v->rowCount(r);
  EXPECT_EQ(entries, info.numEntries);
  EXPECT_GT(info.numFillers, 0u);
  // The whole blob is accounted for: header, payload, escapes.
  EXPECT_EQ(blob.size(), info.headerBytes + info.codeBytes + info.escapeBytes);
  EXPECT_EQ(info.codeBytes, v->payloadBytes);
  // parseSZHeader understands stage 2 too.
  Result<SZHeader> h = parseSZHeader(blob.data(), blob.size());
  ASSERT_TRUE(h.isOk()) << h.message();
  EXPECT_EQ(h->entropy, SZEntropyStage::HuffmanRaw);
  ASSERT_EQ(h->chunks.size(), 4u);
  uint64_t fromChunks = 0;
  for (const SZChunkInfo &c : h->chunks)
    fromChunks += c.numEntries;
  EXPECT_EQ(fromChunks, info.numEntries);
  EXPECT_EQ(h->chunks[3].numRows, 2u);
  // A zstd-stage blob is not a raw view.
  p.entropy = SZEntropyStage::Huffman;
  std::vector<uint8_t> zstd = encodeOk(w, rows, cols, p);
  Result<SZRawView> notRaw = parseSZRawBlob(zstd.data(), zstd.size());
  ASSERT_FALSE(notRaw.isOk());
  EXPECT_NE(notRaw.message().find("stage"), std::string::npos);
}

TEST(SZRaw, ClampedRadiusEscapesLargeBins) {
  // Values far apart at a tiny bound: bins beyond 2^(L-1) - 1 escape, and
  // escapes are stored bit-exactly.
  std::vector<float> w = {0.9f, -0.9f, 0.001f, 0.5f, -0.25f, 0.0f};
  SZParams p = rawParams(1e-5, SZPredictor::Lorenzo);
  p.rawMaxCodeLength = 8;
  SZEncodeInfo info;
  std::vector<uint8_t> blob = encodeOk(w, 2, 3, p, &info);
  EXPECT_GE(info.numEscapes, 3u);
  Result<std::vector<float>> dec = decodeSZMatrix(blob.data(), blob.size());
  ASSERT_TRUE(dec.isOk());
  expectWithinBound(w, *dec, p.errorBound);
  EXPECT_EQ((*dec)[0], 0.9f);
  EXPECT_EQ((*dec)[1], -0.9f);
}

TEST(SZRaw, RejectsBadLengthLimits) {
  std::vector<float> w = makeSparse(4, 4, 0.5, 1);
  for (unsigned l : {0u, 7u, 17u, 24u}) {
    SZParams p = rawParams();
    p.rawMaxCodeLength = l;
    Result<std::vector<uint8_t>> r = encodeSZMatrix(w, 4, 4, p);
    ASSERT_FALSE(r.isOk()) << l;
    EXPECT_NE(r.message().find("length limit"), std::string::npos);
  }
  SZParams bad = rawParams();
  bad.entropy = SZEntropyStage(3);
  EXPECT_FALSE(encodeSZMatrix(w, 4, 4, bad).isOk());
}

TEST(SZRaw, ChunksDecodeAlone) {
  const uint64_t rows = 23, cols = 80;
  std::vector<float> w = makeSparse(rows, cols, 0.3, 4);
  for (SZPredictor pr : kPredictors) {
    SZParams p = rawParams(1e-3, pr);
    p.rowsPerChunk = 5;
    std::vector<uint8_t> blob = encodeOk(w, rows, cols, p);
    Result<std::vector<float>> full = decodeSZMatrix(blob.data(), blob.size());
    ASSERT_TRUE(full.isOk());
    for (uint64_t c = 5; c-- > 0;) {
      Result<std::vector<float>> part =
          decodeSZChunk(blob.data(), blob.size(), c);
      ASSERT_TRUE(part.isOk()) << part.message();
      ASSERT_EQ(part->size(), std::min<uint64_t>(5, rows - 5 * c) * cols);
      for (size_t i = 0; i < part->size(); ++i)
        ASSERT_EQ(bitsOf((*part)[i]), bitsOf((*full)[c * 5 * cols + i]));
    }
    EXPECT_FALSE(decodeSZChunk(blob.data(), blob.size(), 5).isOk());
  }
}

TEST(SZRaw, Deterministic) {
  std::vector<float> w = makeSparse(64, 64, 0.1, 2);
  EXPECT_EQ(encodeOk(w, 64, 64, rawParams()), encodeOk(w, 64, 64, rawParams()));
}

TEST(SZRaw, TruncatedBlobsRejected) {
  std::vector<float> w = makeSparse(20, 50, 0.3, 21);
  w[7] = 1e30f; // an escape, so the escape array is not empty
  SZParams p = rawParams();
  p.rowsPerChunk = 6;
  std::vector<uint8_t> blob = encodeOk(w, 20, 50, p);
  for (size_t len = 0; len < blob.size(); ++len) {
    Result<std::vector<float>> r = decodeSZMatrix(blob.data(), len);
    ASSERT_FALSE(r.isOk()) << "length " << len;
    ASSERT_EQ(r.message().rfind("sz: ", 0), 0u) << r.message();
    ASSERT_FALSE(parseSZRawBlob(blob.data(), len).isOk()) << len;
  }
  std::vector<uint8_t> longer = blob;
  longer.push_back(0);
  EXPECT_FALSE(decodeSZMatrix(longer.data(), longer.size()).isOk());
  EXPECT_FALSE(parseSZRawBlob(longer.data(), longer.size()).isOk());
}

TEST(SZRaw, CorruptedBlobsRejectedOrWellFormed) {
  std::vector<float> w = makeSparse(30, 64, 0.25, 33);
  SZParams p = rawParams(1e-3, SZPredictor::Linear);
  p.rowsPerChunk = 8;
  std::vector<uint8_t> blob = encodeOk(w, 30, 64, p);
  Result<SZRawView> v = parseSZRawBlob(blob.data(), blob.size());
  ASSERT_TRUE(v.isOk());
  size_t payloadStart = size_t(v->payload - blob.data());
  std::mt19937_64 rng(7);
  unsigned rejected = 0, headerFlips = 0, headerRejected = 0;
  const unsigned trials = 3000;
  for (unsigned t = 0; t < trials; ++t) {
    std::vector<uint8_t> bad = blob;
    size_t at = rng() % bad.size();
    bad[at] ^= uint8_t(1 + rng() % 255);
    bool inHeader = at < payloadStart;
    headerFlips += inHeader;
    Result<std::vector<float>> r = decodeSZMatrix(bad.data(), bad.size());
    // The full parse (what the lowering runs) agrees with the decoder.
    EXPECT_EQ(parseSZRawBlob(bad.data(), bad.size()).isOk(), r.isOk()) << at;
    if (!r.isOk()) {
      ++rejected;
      headerRejected += inHeader;
      EXPECT_EQ(r.message().rfind("sz: ", 0), 0u) << r.message();
      continue;
    }
    EXPECT_EQ(r->size(), 30u * 64u);
  }
  EXPECT_EQ(headerRejected, headerFlips); // the checksum covers the header
  EXPECT_GT(rejected, trials / 2);
}

TEST(SZRaw, HeaderChecksumNamesTheProblem) {
  std::vector<float> w = makeSparse(16, 64, 0.5, 2);
  std::vector<uint8_t> blob = encodeOk(w, 16, 64, rawParams());
  std::vector<uint8_t> bad = blob;
  bad[17] ^= 1; // cols
  Result<std::vector<float>> r = decodeSZMatrix(bad.data(), bad.size());
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.message().find("checksum"), std::string::npos) << r.message();
  // The stage byte itself: an unknown stage is named.
  bad = blob;
  bad[6] = 9;
  r = decodeSZMatrix(bad.data(), bad.size());
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.message().find("entropy stage"), std::string::npos);
}

TEST(SZRaw, SmallerThanItsZstdFramesOnPrunedLayers) {
  // LeNet-300-100 ip1 shape at 8 % density: stage 2 pays no zstd frame
  // overhead and codes the gaps with Huffman; it stays within 10 % of
  // Huffman + zstd.
  std::vector<float> w = makeSparse(300, 784, 0.08, 12);
  SZParams raw = rawParams(1e-3), huff = raw;
  huff.entropy = SZEntropyStage::Huffman;
  size_t rawBytes = encodeOk(w, 300, 784, raw).size();
  size_t huffBytes = encodeOk(w, 300, 784, huff).size();
  EXPECT_LT(double(rawBytes), 1.10 * double(huffBytes))
      << rawBytes << " vs " << huffBytes;
}

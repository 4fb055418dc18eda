//===- SZTest.cpp - SZ-style error-bounded encoding -----------------------===//

#include "cw/Codec/SZ.h"
#include "SZTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace cw::codec;
using cw::codec::testing::encodeOk;
using cw::codec::testing::makeSparse;

namespace {

bool isPositiveZero(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return bits == 0;
}

/// Asserts the SZ guarantee: zeros decode to +0.0f exactly, every other value
/// within eb (checked in double and in float).
void expectWithinBound(const std::vector<float> &orig,
                       const std::vector<float> &dec, double eb,
                       const std::string &what) {
  ASSERT_EQ(orig.size(), dec.size()) << what;
  for (size_t i = 0; i < orig.size(); ++i) {
    if (orig[i] == 0.0f) {
      ASSERT_TRUE(isPositiveZero(dec[i]))
          << what << ": pruned weight " << i << " decoded as " << dec[i];
      continue;
    }
    ASSERT_LE(std::fabs(double(orig[i]) - double(dec[i])), eb)
        << what << ": weight " << i << " " << orig[i] << " -> " << dec[i];
    ASSERT_LE(std::fabs(orig[i] - dec[i]), float(eb)) << what << " " << i;
  }
}

std::vector<float> roundTrip(const std::vector<float> &w, uint64_t rows,
                             uint64_t cols, const SZParams &p,
                             SZEncodeInfo *info = nullptr) {
  std::vector<uint8_t> blob = encodeOk(w, rows, cols, p, info);
  if (blob.empty())
    return {};
  uint64_t r = 99, c = 99;
  Result<std::vector<float>> dec =
      decodeSZMatrix(blob.data(), blob.size(), &r, &c);
  EXPECT_TRUE(dec.isOk()) << dec.message();
  if (!dec)
    return {};
  EXPECT_EQ(r, rows);
  EXPECT_EQ(c, cols);
  return *dec;
}

const SZPredictor kPredictors[] = {SZPredictor::Prev, SZPredictor::Lorenzo,
                                   SZPredictor::Linear};
const SZEntropyStage kStages[] = {SZEntropyStage::Huffman,
                                  SZEntropyStage::Zstd};

} // namespace

TEST(SZ, ParsePredictor) {
  for (SZPredictor p : kPredictors) {
    Result<SZPredictor> r = parsePredictor(predictorName(p));
    ASSERT_TRUE(r.isOk());
    EXPECT_EQ(*r, p);
  }
  Result<SZPredictor> bad = parsePredictor("cubic");
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.message().find("cubic"), std::string::npos);
}

TEST(SZ, BoundHoldsAcrossSeedsBoundsAndShapes) {
  const std::pair<uint64_t, uint64_t> shapes[] = {
      {0, 0}, {0, 7}, {9, 0}, {1, 1}, {1, 600}, {13, 37}, {40, 100}};
  const double bounds[] = {1e-4, 1e-3, 1e-2, 1e-1};
  unsigned cases = 0;
  for (uint64_t seed = 0; seed < 6; ++seed)
    for (auto [rows, cols] : shapes)
      for (double eb : bounds) {
        double density = (seed % 3 == 0) ? 1.0 : 0.02 + 0.15 * double(seed);
        std::vector<float> w = makeSparse(rows, cols, density, seed * 31 + 7);
        SZParams p;
        p.errorBound = eb;
        p.predictor = kPredictors[(seed + cases) % 3];
        p.entropy = kStages[cases % 2];
        p.rowsPerChunk = (seed % 2) ? 0 : 8;
        SZEncodeInfo info;
        std::vector<float> dec = roundTrip(w, rows, cols, p, &info);
        expectWithinBound(
            w, dec, eb,
            "seed " + std::to_string(seed) + " " + std::to_string(rows) + "x" +
                std::to_string(cols) + " eb " + std::to_string(eb));
        EXPECT_LE(info.maxAbsError, eb);
        ++cases;
      }
  EXPECT_EQ(cases, 6u * 7u * 4u);
}

TEST(SZ, EveryPredictorAndStageRoundTrips) {
  // Smooth rows (where the linear predictor shines) and random ones.
  const uint64_t rows = 24, cols = 200;
  std::vector<float> smooth(rows * cols);
  for (uint64_t i = 0; i < smooth.size(); ++i)
    smooth[i] = float(0.3 * std::sin(0.01 * double(i)) + 0.001);
  std::vector<float> random = makeSparse(rows, cols, 0.3, 42);
  for (const std::vector<float> *w : {&smooth, &random})
    for (SZPredictor pr : kPredictors)
      for (SZEntropyStage st : kStages)
        for (double eb : {1e-4, 1e-2}) {
          SZParams p;
          p.errorBound = eb;
          p.predictor = pr;
          p.entropy = st;
          p.rowsPerChunk = 5;
          SZEncodeInfo info;
          std::vector<float> dec = roundTrip(*w, rows, cols, p, &info);
          expectWithinBound(*w, dec, eb, predictorName(pr));
          if (w == &smooth)
            EXPECT_EQ(info.numEscapes, 0u) << predictorName(pr);
        }
  // On a smooth signal the linear predictor needs smaller bins.
  SZParams p;
  p.errorBound = 1e-5;
  SZEncodeInfo lin, lor;
  p.predictor = SZPredictor::Linear;
  roundTrip(smooth, rows, cols, p, &lin);
  p.predictor = SZPredictor::Lorenzo;
  roundTrip(smooth, rows, cols, p, &lor);
  EXPECT_LT(lin.codeEntropyBits, lor.codeEntropyBits);
}

TEST(SZ, HeaderRecordsParameters) {
  std::vector<float> w = makeSparse(10, 30, 0.5, 3);
  SZParams p;
  p.errorBound = 0.003;
  p.predictor = SZPredictor::Linear;
  p.rowsPerChunk = 4;
  p.binRadius = 100;
  Result<std::vector<uint8_t>> blob = encodeSZMatrix(w, 10, 30, p);
  ASSERT_TRUE(blob.isOk()) << blob.message();
  ASSERT_EQ(std::memcmp(blob->data(), "CWSZ", 4), 0);
  Result<SZHeader> h = parseSZHeader(blob->data(), blob->size());
  ASSERT_TRUE(h.isOk()) << h.message();
  EXPECT_EQ(h->rows, 10u);
  EXPECT_EQ(h->cols, 30u);
  EXPECT_EQ(h->errorBound, 0.003);
  EXPECT_EQ(h->predictor, SZPredictor::Linear);
  EXPECT_EQ(h->entropy, SZEntropyStage::Huffman);
  EXPECT_EQ(h->binRadius, 100u);
  EXPECT_EQ(h->rowsPerChunk, 4u);
  ASSERT_EQ(h->chunks.size(), 3u);
  EXPECT_EQ(h->chunks[2].firstRow, 8u);
  EXPECT_EQ(h->chunks[2].numRows, 2u);
}

TEST(SZ, SpecialShapes) {
  for (SZEntropyStage st : kStages) {
    SZParams p;
    p.entropy = st;
    // 1x1 nonzero and zero.
    expectWithinBound({0.5f}, roundTrip({0.5f}, 1, 1, p), p.errorBound, "1x1");
    expectWithinBound({0.0f}, roundTrip({0.0f}, 1, 1, p), p.errorBound,
                      "1x1 zero");
    // All zero (negative zeros count as pruned and decode as +0).
    std::vector<float> zeros(50 * 40, 0.0f);
    zeros[7] = -0.0f;
    SZEncodeInfo info;
    expectWithinBound(zeros, roundTrip(zeros, 50, 40, p, &info), p.errorBound,
                      "zeros");
    EXPECT_EQ(info.numEntries, 0u);
    // All nonzero.
    std::vector<float> full = makeSparse(30, 70, 1.0, 5);
    expectWithinBound(full, roundTrip(full, 30, 70, p, &info), p.errorBound,
                      "full");
    EXPECT_EQ(info.numNonzeros, 30u * 70u);
    // Empty.
    EXPECT_TRUE(roundTrip({}, 0, 0, p).empty());
    EXPECT_TRUE(roundTrip({}, 0, 12, p).empty());
    EXPECT_TRUE(roundTrip({}, 12, 0, p).empty());
  }
}

TEST(SZ, LongGapsUseExactZeroFillers) {
  const uint64_t rows = 6, cols = 3000;
  std::vector<float> w(rows * cols, 0.0f);
  w[0 * cols + 0] = 0.7f;
  w[0 * cols + 255] = -0.2f; // gap exactly 255, no filler
  w[0 * cols + 1000] = 0.3f; // gap 745: 2 fillers
  w[1 * cols + 2999] = 0.9f; // first nonzero of a row far away
  w[3 * cols + 256] = 0.1f;  // gap 257 from -1
  w[5 * cols + 510] = -0.5f;
  w[5 * cols + 2999] = 0.05f;
  for (SZPredictor pr : kPredictors)
    for (double eb : {1e-1, 1e-3, 1e-6}) {
      SZParams p;
      p.errorBound = eb;
      p.predictor = pr;
      SZEncodeInfo info;
      std::vector<float> dec = roundTrip(w, rows, cols, p, &info);
      expectWithinBound(w, dec, eb, "long gaps");
      EXPECT_EQ(info.numNonzeros, 7u);
      EXPECT_EQ(info.numFillers, 2u + 11u + 1u + 2u + 9u);
      EXPECT_EQ(info.numEntries, info.numNonzeros + info.numFillers);
    }
}

TEST(SZ, EscapesKeepUnpredictableValuesExact) {
  std::vector<float> w = {1e30f, -1e30f, 1e-30f, 3.0f,   -2.5e20f,
                          7e-8f, 1.0f,   -1.0f,  1e30f,  0.25f,
                          0.0f,  0.5f,   1e-38f, -3e38f, 3e38f};
  for (SZPredictor pr : kPredictors)
    for (SZEntropyStage st : kStages) {
      SZParams p;
      p.errorBound = 1e-9;
      p.predictor = pr;
      p.entropy = st;
      p.binRadius = 4;
      SZEncodeInfo info;
      std::vector<float> dec = roundTrip(w, 3, 5, p, &info);
      expectWithinBound(w, dec, p.errorBound, "escapes");
      EXPECT_GT(info.numEscapes, 5u);
      for (size_t i = 0; i < w.size(); ++i)
        if (std::fabs(w[i]) >= 1e20f)
          EXPECT_EQ(dec[i], w[i]) << i; // escaped: bit-exact
    }
  // A huge error bound: everything predictable, no overflow.
  SZParams big;
  big.errorBound = 1e300;
  expectWithinBound(w, roundTrip(w, 3, 5, big), big.errorBound, "huge eb");
}

TEST(SZ, RejectsBadInput) {
  std::vector<float> w = makeSparse(4, 4, 0.5, 1);
  SZParams p;
  for (double eb : {0.0, -1e-3, std::numeric_limits<double>::quiet_NaN(),
                    std::numeric_limits<double>::infinity()}) {
    p.errorBound = eb;
    Result<std::vector<uint8_t>> r = encodeSZMatrix(w, 4, 4, p);
    ASSERT_FALSE(r.isOk());
    EXPECT_NE(r.message().find("error bound"), std::string::npos);
  }
  p.errorBound = 1e-3;
  for (float bad : {std::numeric_limits<float>::quiet_NaN(),
                    std::numeric_limits<float>::infinity(),
                    -std::numeric_limits<float>::infinity()}) {
    std::vector<float> v = w;
    v[5] = bad;
    Result<std::vector<uint8_t>> r = encodeSZMatrix(v, 4, 4, p);
    ASSERT_FALSE(r.isOk());
    EXPECT_NE(r.message().find("NaN or Inf"), std::string::npos);
  }
  EXPECT_FALSE(encodeSZMatrix(w, 4, 5, p).isOk());
  SZParams q = p;
  q.binRadius = 0;
  EXPECT_FALSE(encodeSZMatrix(w, 4, 4, q).isOk());
  q = p;
  q.binRadius = 40000;
  EXPECT_FALSE(encodeSZMatrix(w, 4, 4, q).isOk());
  q = p;
  q.zstdLevel = 0;
  EXPECT_FALSE(encodeSZMatrix(w, 4, 4, q).isOk());
}

TEST(SZ, ChunkDecodesAlone) {
  const uint64_t rows = 50, cols = 90;
  std::vector<float> w = makeSparse(rows, cols, 0.2, 11);
  for (SZPredictor pr : kPredictors) {
    SZParams p;
    p.errorBound = 1e-3;
    p.predictor = pr;
    p.rowsPerChunk = 7;
    Result<std::vector<uint8_t>> blob = encodeSZMatrix(w, rows, cols, p);
    ASSERT_TRUE(blob.isOk());
    Result<std::vector<float>> full =
        decodeSZMatrix(blob->data(), blob->size());
    ASSERT_TRUE(full.isOk());
    Result<SZHeader> h = parseSZHeader(blob->data(), blob->size());
    ASSERT_TRUE(h.isOk());
    ASSERT_EQ(h->chunks.size(), 8u);
    // Decode the chunks in reverse order, each alone.
    for (uint64_t c = h->chunks.size(); c-- > 0;) {
      Result<std::vector<float>> part =
          decodeSZChunk(blob->data(), blob->size(), c);
      ASSERT_TRUE(part.isOk()) << part.message();
      ASSERT_EQ(part->size(), h->chunks[c].numRows * cols);
      for (size_t i = 0; i < part->size(); ++i)
        ASSERT_EQ((*part)[i], (*full)[c * 7 * cols + i]) << c << " " << i;
    }
    EXPECT_FALSE(decodeSZChunk(blob->data(), blob->size(), 8).isOk());
  }
}

TEST(SZ, Deterministic) {
  std::vector<float> w = makeSparse(64, 64, 0.1, 9);
  SZParams p;
  Result<std::vector<uint8_t>> a = encodeSZMatrix(w, 64, 64, p);
  Result<std::vector<uint8_t>> b = encodeSZMatrix(w, 64, 64, p);
  ASSERT_TRUE(a.isOk() && b.isOk());
  EXPECT_EQ(*a, *b);
}

TEST(SZ, ClusteredMatrixDenseReconstruction) {
  ClusteredMatrix m = makeSyntheticClustered(40, 120, 0.1, 16, 4);
  SZParams p;
  p.errorBound = 1e-3;
  EncodingStats st;
  SZEncodeInfo info;
  Result<std::vector<uint8_t>> blob = encodeSZClustered(m, p, &st, &info);
  ASSERT_TRUE(blob.isOk()) << blob.message();
  EXPECT_EQ(st.codebookBytes, 0u);
  EXPECT_GT(st.entropyFloorBits, 0.0);
  EXPECT_DOUBLE_EQ(st.entropyFloorBits,
                   info.codeEntropyBits + info.gapEntropyBits);
  EXPECT_EQ(info.numNonzeros, m.countNonzeros());
  Result<std::vector<float>> dec = decodeSZMatrix(blob->data(), blob->size());
  ASSERT_TRUE(dec.isOk());
  expectWithinBound(m.toDense(), *dec, p.errorBound, "clustered");
  // Bad clustered input is rejected.
  m.indices[3] = 200;
  EXPECT_FALSE(encodeSZClustered(m, p).isOk());
}

TEST(SZ, TruncatedBlobsRejected) {
  std::vector<float> w = makeSparse(20, 50, 0.3, 21);
  for (SZEntropyStage st : kStages) {
    SZParams p;
    p.rowsPerChunk = 6;
    p.entropy = st;
    Result<std::vector<uint8_t>> blob = encodeSZMatrix(w, 20, 50, p);
    ASSERT_TRUE(blob.isOk());
    for (size_t len = 0; len < blob->size(); ++len) {
      std::vector<uint8_t> cut(blob->begin(), blob->begin() + len);
      Result<std::vector<float>> r = decodeSZMatrix(cut.data(), cut.size());
      ASSERT_FALSE(r.isOk()) << "length " << len;
      ASSERT_FALSE(r.message().empty());
    }
    // Trailing junk is rejected too.
    std::vector<uint8_t> longer = *blob;
    longer.push_back(0);
    EXPECT_FALSE(decodeSZMatrix(longer.data(), longer.size()).isOk());
  }
  EXPECT_FALSE(decodeSZMatrix(nullptr, 0).isOk());
}

TEST(SZ, CorruptedBlobsNeverCrash) {
  std::vector<float> w = makeSparse(30, 64, 0.25, 33);
  for (SZEntropyStage st : kStages) {
    SZParams p;
    p.rowsPerChunk = 8;
    p.entropy = st;
    p.errorBound = 1e-3;
    Result<std::vector<uint8_t>> blob = encodeSZMatrix(w, 30, 64, p);
    ASSERT_TRUE(blob.isOk());
    std::mt19937_64 rng(7);
    unsigned rejected = 0;
    const unsigned trials = 1500;
    for (unsigned t = 0; t < trials; ++t) {
      std::vector<uint8_t> bad = *blob;
      unsigned flips = 1 + rng() % 3;
      for (unsigned f = 0; f < flips; ++f)
        bad[rng() % bad.size()] ^= uint8_t(1 + rng() % 255);
      uint64_t rows = 0, cols = 0;
      Result<std::vector<float>> r =
          decodeSZMatrix(bad.data(), bad.size(), &rows, &cols);
      if (!r.isOk()) {
        ++rejected;
        EXPECT_EQ(r.message().rfind("sz: ", 0), 0u) << r.message();
        continue;
      }
      // A flip inside the raw escape array may go unnoticed: the result
      // must still be a well-formed matrix of the same shape.
      EXPECT_EQ(r->size(), rows * cols);
      EXPECT_EQ(rows, 30u);
      EXPECT_EQ(cols, 64u);
      for (size_t c = 0; c < 4; ++c)
        EXPECT_TRUE(decodeSZChunk(bad.data(), bad.size(), c).isOk());
    }
    EXPECT_GT(rejected, trials * 9 / 10);
  }
}

TEST(SZ, CorruptedPayloadReportsZstdError) {
  std::vector<float> w = makeSparse(16, 64, 0.5, 2);
  SZParams p;
  Result<std::vector<uint8_t>> blob = encodeSZMatrix(w, 16, 64, p);
  ASSERT_TRUE(blob.isOk());
  Result<SZHeader> h = parseSZHeader(blob->data(), blob->size());
  ASSERT_TRUE(h.isOk());
  // Flip a byte in the middle of chunk 0's gap section: the frame checksum
  // (or the frame parser) catches it and the message names zstd.
  const SZChunkInfo &c0 = h->chunks[0];
  std::vector<uint8_t> bad = *blob;
  bad[c0.offset + c0.rowCountBytes + c0.gapBytes / 2] ^= 0x55;
  Result<std::vector<float>> r = decodeSZMatrix(bad.data(), bad.size());
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.message().find("gap section of chunk 0"), std::string::npos)
      << r.message();
  // A header byte flip is caught by the header hash.
  bad = *blob;
  bad[17] ^= 1; // cols
  r = decodeSZMatrix(bad.data(), bad.size());
  ASSERT_FALSE(r.isOk());
  EXPECT_NE(r.message().find("checksum"), std::string::npos) << r.message();
}

TEST(SZ, DecodeIntoCallerBuffer) {
  std::vector<float> w = makeSparse(12, 40, 0.3, 8);
  Result<std::vector<uint8_t>> blob = encodeSZMatrix(w, 12, 40, SZParams());
  ASSERT_TRUE(blob.isOk());
  Result<std::vector<float>> ref = decodeSZMatrix(blob->data(), blob->size());
  ASSERT_TRUE(ref.isOk());
  std::vector<float> out(12 * 40, 123.0f); // stale content is overwritten
  ASSERT_TRUE(
      decodeSZMatrixInto(blob->data(), blob->size(), out.data(), out.size())
          .isOk());
  EXPECT_EQ(out, *ref);
  EXPECT_FALSE(
      decodeSZMatrixInto(blob->data(), blob->size(), out.data(), 100).isOk());
}

TEST(SZ, ConstantValuesQuantiseExactly) {
  // Every value identical: bin symbol 1 (q = 0) everywhere except where the
  // predictor restarts at 0 (q = 1); the 1x1 case in SpecialShapes covers a
  // one-symbol Huffman code.
  std::vector<float> w(20 * 30, 0.0f);
  for (size_t i = 0; i < w.size(); i += 3)
    w[i] = 0.125f;
  for (SZPredictor pr : kPredictors)
    for (SZEntropyStage st : kStages) {
      SZParams p;
      p.predictor = pr;
      p.entropy = st;
      p.errorBound = 0.0625; // 0.125 is exactly one bin (2*eb) away from 0
      SZEncodeInfo info;
      expectWithinBound(w, roundTrip(w, 20, 30, p, &info), p.errorBound,
                        "constant");
      EXPECT_EQ(info.numEscapes, 0u);
      EXPECT_EQ(info.maxAbsError, 0.0);
    }
}

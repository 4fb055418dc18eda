//===- RelativeIndexTest.cpp - Relative-index sparse rows and the csr codec
//===//

#include "cw/Codec/RelativeIndex.h"
#include "cw/Codec/Entropy.h"
#include "cw/Codec/HuffmanCodec.h"
#include "cw/Codec/Matrix.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>

using namespace cw::codec;

namespace {

ClusteredMatrix csrShape(unsigned shape, unsigned seed) {
  std::mt19937_64 rng(seed);
  switch (shape) {
  case 0: // 0 rows
    return makeSyntheticClustered(0, 9, 0.1, 4, seed);
  case 1: { // 0 cols
    ClusteredMatrix m;
    m.rows = 6;
    m.cols = 0;
    m.codebook = {0.25f, 0.5f};
    return m;
  }
  case 2: // 1x1
    return makeSyntheticClustered(1, 1, 1.0, 1, seed);
  case 3: { // all zero, no codebook
    ClusteredMatrix m = makeSyntheticClustered(11, 23, 0.0, 4, seed);
    m.codebook.clear();
    return m;
  }
  case 4: // all nonzero
    return makeSyntheticClustered(7, 41, 1.0, 16, seed);
  case 5: // one cluster
    return makeSyntheticClustered(15, 50, 0.3, 1, seed);
  case 6: // 256 clusters
    return makeSyntheticClustered(30, 300, 0.7, 256, seed);
  case 7: // long gaps: fillers with small gapBits
    return makeSyntheticClustered(20, 3000, 0.003, 8, seed);
  case 8: // nonzero only in the last column of each row
  {
    ClusteredMatrix m;
    m.rows = 9;
    m.cols = 700;
    m.codebook = {1, 2, 3};
    m.indices.assign(m.rows * m.cols, 0);
    for (uint64_t r = 0; r < m.rows; ++r)
      m.indices[r * m.cols + m.cols - 1] = uint16_t(1 + r % 3);
    return m;
  }
  default: {
    uint64_t rows = 1 + rng() % 60, cols = 1 + rng() % 400;
    double density = double(rng() % 101) / 100.0;
    unsigned k = 1 + rng() % 48;
    return makeSyntheticClustered(rows, cols, density, k, seed);
  }
  }
}

} // namespace

TEST(RelativeIndex, DeepCompressionFigure2) {
  // Nonzeros at columns 1, 4 and 15 of a 16-column row, 3-bit gaps: the
  // jump from 4 to 15 skips 10 zeros > 7, so a filler zero sits at column
  // 4 + 8 = 12 and the last entry skips columns 13 and 14.
  ClusteredMatrix m;
  m.rows = 1;
  m.cols = 16;
  m.codebook = {1, 2, 3};
  m.indices.assign(16, 0);
  m.indices[1] = 3;
  m.indices[4] = 1;
  m.indices[15] = 2;
  auto s = buildRelativeIndex(m, 3);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(s->gaps, (std::vector<uint32_t>{1, 2, 7, 2}));
  EXPECT_EQ(s->indices, (std::vector<uint32_t>{3, 1, 0, 2}));
  EXPECT_EQ(s->fillers, 1u);
  EXPECT_EQ(s->rowBegin, (std::vector<uint64_t>{0, 4}));
  auto back = expandRelativeIndex(*s, 3);
  ASSERT_TRUE(back) << back.message();
  EXPECT_EQ(back->indices, m.indices);
  // With 4-bit gaps no filler is needed.
  auto s4 = buildRelativeIndex(m, 4);
  ASSERT_TRUE(s4);
  EXPECT_EQ(s4->gaps, (std::vector<uint32_t>{1, 2, 10}));
  EXPECT_EQ(s4->fillers, 0u);
}

TEST(RelativeIndex, RowsAreIndependentAndFillersExact) {
  ClusteredMatrix m;
  m.rows = 3;
  m.cols = 40;
  m.codebook = {1};
  m.indices.assign(120, 0);
  m.indices[39] = 1;     // row 0: 39 zeros, then a nonzero
  m.indices[40 + 0] = 1; // row 1: column 0
  m.indices[80 + 8] = 1; // row 2: 8 zeros then a nonzero (one filler)
  auto s = buildRelativeIndex(m, 3);
  ASSERT_TRUE(s);
  // Row 0: fillers at 7, 15, 23, 31 (each covers 8 columns), then gap 7.
  EXPECT_EQ(s->rowEntries(0), 5u);
  EXPECT_EQ(s->rowEntries(1), 1u);
  EXPECT_EQ(s->rowEntries(2), 2u);
  EXPECT_EQ(s->gaps, (std::vector<uint32_t>{7, 7, 7, 7, 7, 0, 7, 0}));
  EXPECT_EQ(s->indices, (std::vector<uint32_t>{0, 0, 0, 0, 1, 1, 0, 1}));
  EXPECT_EQ(s->fillers, 5u);
}

TEST(RelativeIndex, RoundTripsEveryGapWidth) {
  for (unsigned shape = 0; shape < 12; ++shape)
    for (unsigned gapBits = 3; gapBits <= 8; ++gapBits) {
      ClusteredMatrix m = csrShape(shape, shape * 13 + gapBits);
      auto s = buildRelativeIndex(m, gapBits);
      ASSERT_TRUE(s) << s.message();
      for (uint32_t g : s->gaps)
        ASSERT_LT(g, 1u << gapBits);
      EXPECT_EQ(s->numEntries() - s->fillers, m.countNonzeros());
      auto back = expandRelativeIndex(*s, unsigned(m.codebook.size()));
      ASSERT_TRUE(back) << back.message();
      EXPECT_EQ(back->indices, m.indices) << "shape " << shape;
    }
}

TEST(RelativeIndex, RejectsBadStreams) {
  ClusteredMatrix m = makeSyntheticClustered(4, 30, 0.3, 4, 1);
  EXPECT_FALSE(buildRelativeIndex(m, 2));
  EXPECT_FALSE(buildRelativeIndex(m, 9));
  auto s = buildRelativeIndex(m, 4);
  ASSERT_TRUE(s);
  ASSERT_GT(s->numEntries(), 0u);
  auto bad = *s;
  bad.gaps[0] = 16;
  EXPECT_FALSE(expandRelativeIndex(bad, 4));
  bad = *s;
  bad.indices[0] = 5;
  EXPECT_FALSE(expandRelativeIndex(bad, 4));
  bad = *s;
  bad.rowBegin[1] = bad.rowBegin[2] + 1;
  EXPECT_FALSE(expandRelativeIndex(bad, 4));
  bad = *s;
  bad.gaps.pop_back();
  EXPECT_FALSE(expandRelativeIndex(bad, 4));
  bad = *s;
  for (uint64_t e = bad.rowBegin[0]; e < bad.rowBegin[1]; ++e)
    bad.gaps[e] = 15; // runs past the row end
  EXPECT_FALSE(expandRelativeIndex(bad, 4));
}

//===----------------------------------------------------------------------===//
// The csr matrix codec (CWRI)
//===----------------------------------------------------------------------===//

TEST(CsrMatrix, RoundTripsEveryConfiguration) {
  for (unsigned shape = 0; shape < 12; ++shape)
    for (unsigned seed = 0; seed < 2; ++seed)
      for (unsigned gapBits = 3; gapBits <= 8; ++gapBits)
        for (unsigned combo = 0; combo < 4; ++combo) {
          ClusteredMatrix m = csrShape(shape, seed * 101 + shape * 7 + gapBits);
          CsrParams p;
          p.gapBits = gapBits;
          p.huffmanIndices = combo & 1;
          p.huffmanGaps = combo & 2;
          p.rowsPerChunk = 1 + (seed * 5 + gapBits) % 9;
          p.maxCodeLength = shape == 6 ? 9 + gapBits % 4 : 8 + gapBits;
          EncodingStats stats;
          auto blob = encodeCsrMatrix(m, p, &stats);
          ASSERT_TRUE(blob) << blob.message();
          EXPECT_EQ(stats.blobBytes, blob->size());
          EXPECT_EQ(stats.codebookBytes, 4 * m.codebook.size());
          auto back = decodeCsrMatrix(blob->data(), blob->size());
          ASSERT_TRUE(back) << back.message() << " shape " << shape
                            << " gapBits " << gapBits << " combo " << combo;
          EXPECT_EQ(back->rows, m.rows);
          EXPECT_EQ(back->cols, m.cols);
          ASSERT_EQ(back->indices, m.indices)
              << "shape " << shape << " gapBits " << gapBits << " combo "
              << combo;
          auto again = encodeCsrMatrix(m, p);
          ASSERT_TRUE(again);
          EXPECT_EQ(*again, *blob);
        }
}

TEST(CsrMatrix, StatsAndReportAgree) {
  ClusteredMatrix m = makeSyntheticClustered(40, 500, 0.05, 16, 3);
  for (unsigned combo = 0; combo < 4; ++combo) {
    CsrParams p;
    p.gapBits = 3; // forces fillers
    p.huffmanIndices = combo & 1;
    p.huffmanGaps = combo & 2;
    EncodingStats stats;
    auto blob = encodeCsrMatrix(m, p, &stats);
    ASSERT_TRUE(blob);
    auto rep = analyzeCsrMatrix(m, p);
    ASSERT_TRUE(rep) << rep.message();
    auto s = buildRelativeIndex(m, 3);
    ASSERT_TRUE(s);
    EXPECT_GT(rep->fillers, 0u);
    EXPECT_EQ(rep->fillers, s->fillers);
    EXPECT_EQ(rep->entries, s->numEntries());
    EXPECT_EQ(rep->nonzeros, m.countNonzeros());
    EXPECT_NEAR(rep->gaps.floorBits, entropyFloorBits(s->gaps), 1e-6);
    EXPECT_NEAR(rep->indices.floorBits, entropyFloorBits(s->indices), 1e-6);
    EXPECT_NEAR(stats.entropyFloorBits,
                rep->gaps.floorBits + rep->indices.floorBits, 1e-6);
    EXPECT_EQ(rep->blobBytes, blob->size());
    auto view = parseCsrBlob(blob->data(), blob->size());
    ASSERT_TRUE(view);
    EXPECT_EQ(view->headerBytes, rep->headerBytes);
    EXPECT_EQ(view->payloadBits,
              rep->gaps.payloadBits + rep->indices.payloadBits);
    if (!p.huffmanGaps)
      EXPECT_EQ(rep->gaps.payloadBits, 3 * rep->entries);
    if (!p.huffmanIndices)
      EXPECT_EQ(rep->indices.payloadBits, 5 * rep->entries); // k = 16
    // Huffman never does worse than fixed width, never beats the floor.
    EXPECT_GE(double(rep->gaps.payloadBits) + 1e-6, rep->gaps.floorBits);
    EXPECT_GE(double(rep->indices.payloadBits) + 1e-6, rep->indices.floorBits);
  }
}

TEST(CsrMatrix, EntropyTargetOnClusteredLaplaceWeights) {
  // The statistics of AlexNet fc6 after Deep Compression (9 % density, 32
  // clusters) on 512 of its 4096 rows; the benchmark measures all of them.
  ClusteredMatrix m = makeSyntheticClustered(512, 9216, 0.09, 32, 42);
  for (unsigned gapBits : {5u, 8u}) {
    CsrParams p;
    p.gapBits = gapBits;
    auto rep = analyzeCsrMatrix(m, p);
    ASSERT_TRUE(rep) << rep.message();
    EXPECT_LE(rep->indices.ratioToFloor(), 1.03)
        << "index stream " << rep->indices.payloadBits << " bits vs floor "
        << rep->indices.floorBits;
    EXPECT_LE(rep->gaps.ratioToFloor(), 1.03)
        << "gap stream " << rep->gaps.payloadBits << " bits vs floor "
        << rep->gaps.floorBits;
    // And the whole blob (headers, tables, counts) stays within 3 % too.
    EXPECT_LE(double(rep->blobBytes * 8),
              1.03 * (rep->gaps.floorBits + rep->indices.floorBits));
  }
}

TEST(CsrMatrix, DecodesOneChunkInIsolation) {
  ClusteredMatrix m = makeSyntheticClustered(50, 333, 0.1, 32, 8);
  CsrParams p;
  p.rowsPerChunk = 8;
  for (unsigned combo = 0; combo < 4; ++combo) {
    p.huffmanIndices = combo & 1;
    p.huffmanGaps = combo & 2;
    auto blob = encodeCsrMatrix(m, p);
    ASSERT_TRUE(blob);
    auto view = parseCsrBlob(blob->data(), blob->size());
    ASSERT_TRUE(view) << view.message();
    ASSERT_EQ(view->numChunks, 7u);
    EXPECT_EQ(view->chunkRows(6), 2u);
    for (uint32_t c : {6u, 2u, 0u}) {
      std::vector<uint16_t> out(size_t(view->chunkRows(c)) * m.cols, 0xFFFF);
      ASSERT_TRUE(decodeCsrChunk(*view, c, out.data()));
      std::vector<uint16_t> expect(
          m.indices.begin() + uint64_t(c) * 8 * m.cols,
          m.indices.begin() + (uint64_t(c) * 8 + view->chunkRows(c)) * m.cols);
      EXPECT_EQ(out, expect) << "chunk " << c;
    }
    EXPECT_FALSE(decodeCsrChunk(*view, 7, nullptr));
    auto s = buildRelativeIndex(m, p.gapBits);
    ASSERT_TRUE(s);
    for (uint32_t r = 0; r < m.rows; ++r)
      EXPECT_EQ(view->rowEntryCount(r), s->rowEntries(r));
  }
}

TEST(CsrMatrix, RowBitOffsetsLetDecodingStartAtAnyRow) {
  // A row's offset is where the previous row's entries end: re-encoding the
  // matrix one row per chunk puts chunk boundaries at the same relative bit
  // positions, so the per-row sizes must agree.
  for (unsigned shape = 0; shape < 12; ++shape) {
    ClusteredMatrix m = csrShape(shape, 100 + shape);
    CsrParams p;
    p.gapBits = 4;
    p.rowsPerChunk = 7;
    auto blob = encodeCsrMatrix(m, p);
    ASSERT_TRUE(blob) << blob.message();
    auto view = parseCsrBlob(blob->data(), blob->size());
    ASSERT_TRUE(view) << view.message();
    auto offsets = csrRowBitOffsets(*view);
    ASSERT_TRUE(offsets) << offsets.message();
    ASSERT_EQ(offsets->size(), m.rows + 1);
    for (uint32_t c = 0; c < view->numChunks; ++c)
      EXPECT_EQ((*offsets)[view->chunkFirstRow(c)], view->chunkBitOffsets[c]);
    EXPECT_EQ(offsets->back(), view->payloadBits);

    p.rowsPerChunk = 1;
    auto perRow = encodeCsrMatrix(m, p);
    ASSERT_TRUE(perRow);
    auto rowView = parseCsrBlob(perRow->data(), perRow->size());
    ASSERT_TRUE(rowView);
    for (uint32_t r = 0; r < m.rows; ++r)
      EXPECT_EQ((*offsets)[r + 1] - (*offsets)[r],
                rowView->chunkBitOffsets[r + 1] - rowView->chunkBitOffsets[r])
          << "shape " << shape << " row " << r;
  }
}

TEST(CsrMatrix, RejectsBadInput) {
  ClusteredMatrix m = makeSyntheticClustered(4, 40, 0.3, 4, 1);
  CsrParams p;
  p.gapBits = 2;
  EXPECT_FALSE(encodeCsrMatrix(m, p));
  p.gapBits = 9;
  EXPECT_FALSE(encodeCsrMatrix(m, p));
  p.gapBits = 5;
  p.rowsPerChunk = 0;
  EXPECT_FALSE(encodeCsrMatrix(m, p));
  p.rowsPerChunk = 8;
  p.maxCodeLength = 0;
  EXPECT_FALSE(encodeCsrMatrix(m, p));
  p.maxCodeLength = 16;
  m.codebook[1] = std::numeric_limits<float>::infinity();
  auto r = encodeCsrMatrix(m, p);
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("csr"), std::string::npos);
  m.codebook[1] = 0.1f;
  m.indices[3] = 9; // index > k
  EXPECT_FALSE(encodeCsrMatrix(m, p));
}

TEST(CsrMatrix, CorruptedBlobsRejected) {
  ClusteredMatrix m = makeSyntheticClustered(21, 90, 0.15, 16, 4);
  for (unsigned combo = 0; combo < 4; ++combo) {
    CsrParams p;
    p.gapBits = 3 + combo;
    p.huffmanIndices = combo & 1;
    p.huffmanGaps = combo & 2;
    p.rowsPerChunk = 4;
    auto blob = encodeCsrMatrix(m, p);
    ASSERT_TRUE(blob);
    for (size_t cut = 0; cut < blob->size(); ++cut)
      EXPECT_FALSE(decodeCsrMatrix(blob->data(), cut))
          << "combo " << combo << " truncated at " << cut;
    std::vector<uint8_t> longer = *blob;
    longer.push_back(0);
    EXPECT_FALSE(decodeCsrMatrix(longer.data(), longer.size()));
    std::mt19937_64 rng(combo + 17);
    unsigned accepted = 0;
    for (int trial = 0; trial < 800; ++trial) {
      std::vector<uint8_t> bad = *blob;
      unsigned flips = 1 + rng() % 3;
      for (unsigned f = 0; f < flips; ++f)
        bad[rng() % bad.size()] ^= uint8_t(1 + rng() % 255);
      auto r = decodeCsrMatrix(bad.data(), bad.size());
      if (r) {
        ++accepted;
        ASSERT_EQ(r->indices.size(), m.indices.size());
        for (uint16_t i : r->indices)
          ASSERT_LE(i, 16u);
      }
    }
    EXPECT_LT(accepted, 800u);
  }
}

TEST(CsrMatrix, HeaderFieldsValidatedBehindTheChecksum) {
  ClusteredMatrix m = makeSyntheticClustered(12, 50, 0.2, 8, 6);
  CsrParams p;
  p.rowsPerChunk = 5;
  auto blob = encodeCsrMatrix(m, p);
  ASSERT_TRUE(blob);
  auto view = parseCsrBlob(blob->data(), blob->size());
  ASSERT_TRUE(view);
  size_t checksumAt = view->headerBytes - 4;
  auto patched = [&](size_t off, uint8_t value) {
    std::vector<uint8_t> b = *blob;
    b[off] = value;
    uint32_t c = huffmanCodecChecksum(b.data(), checksumAt);
    std::memcpy(b.data() + checksumAt, &c, 4);
    return decodeCsrMatrix(b.data(), b.size());
  };
  EXPECT_FALSE(patched(4, 9)); // version
  EXPECT_FALSE(patched(5, 2)); // gapBits
  EXPECT_FALSE(patched(5, 9));
  EXPECT_FALSE(patched(6, 7));   // unknown flag
  EXPECT_FALSE(patched(7, 5));   // indexBits for k = 8 is 4
  EXPECT_FALSE(patched(8, 30));  // rows: chunk count mismatch
  EXPECT_FALSE(patched(17, 2));  // k = 520
  EXPECT_FALSE(patched(18, 33)); // countBits
  EXPECT_FALSE(patched(19, 0));  // length limit 0 with Huffman streams
  EXPECT_FALSE(patched(19, 3));  // tables longer than the limit
  EXPECT_FALSE(patched(20, 0));  // rowsPerChunk
  EXPECT_FALSE(patched(24, 1));  // numChunks
  EXPECT_FALSE(patched(28, 0));  // payloadBits
  // A row claiming more entries than fit: the counts sit just before the
  // checksum.
  size_t countsAt = checksumAt - view->rowCountBytes;
  EXPECT_FALSE(patched(countsAt, 0xFF));
  // cols shrunk: entries fall past the row end.
  EXPECT_FALSE(patched(12, 10));
  std::vector<uint8_t> b = *blob;
  b[13] ^= 0x40; // cols grown without fixing the checksum
  auto r = decodeCsrMatrix(b.data(), b.size());
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("checksum"), std::string::npos);
}

//===----------------------------------------------------------------------===//
// The lane-interleaved csr payload (flags bit 2)
//===----------------------------------------------------------------------===//

namespace {

CsrParams lanesParams(unsigned gapBits, unsigned maxCodeLength = 8) {
  CsrParams p;
  p.gapBits = gapBits;
  p.maxCodeLength = maxCodeLength;
  p.lanes = kCsrLanes;
  return p;
}

/// Every third row empty, every fifth row fully nonzero.
ClusteredMatrix emptyAndDenseRows(uint64_t rows, uint64_t cols, unsigned k,
                                  unsigned seed) {
  ClusteredMatrix m = makeSyntheticClustered(rows, cols, 0.1, k, seed);
  for (uint64_t r = 0; r < rows; ++r)
    for (uint64_t c = 0; c < cols; ++c) {
      uint16_t &i = m.indices[r * cols + c];
      if (r % 3 == 1)
        i = 0;
      else if (r % 5 == 0)
        i = uint16_t(1 + (r + c) % k);
    }
  return m;
}

uint16_t payloadWord(const CsrBlobView &v, uint64_t word) {
  return uint16_t(v.payload[2 * word] | v.payload[2 * word + 1] << 8);
}

/// Re-seals a patched header so that parseCsrBlob gets past the checksum.
void resealCsr(std::vector<uint8_t> &b, size_t checksumAt) {
  uint32_t c = huffmanCodecChecksum(b.data(), checksumAt);
  std::memcpy(b.data() + checksumAt, &c, 4);
}

} // namespace

TEST(CsrLanes, RoundTripsShapesGapWidthsAndCodeLimits) {
  struct Shape {
    uint64_t rows, cols;
    double density;
    unsigned k;
  };
  const Shape shapes[] = {
      {0, 9, 0.1, 4},        {6, 0, 0.0, 2},       {1, 1, 1.0, 1},
      {1, 300, 0.1, 2},      {15, 40, 0.3, 32},    {16, 9, 1.0, 100},
      {17, 500, 0.05, 32},   {20, 100, 0.0, 4},    {100, 64, 0.5, 2},
      {100, 3000, 0.01, 32}, {33, 2000, 0.2, 100}, {47, 700, 0.002, 1}};
  unsigned seed = 0;
  for (unsigned maxLen : {7u, 8u})
    for (unsigned gapBits = 3; gapBits <= 8; ++gapBits)
      for (size_t shape = 0; shape <= std::size(shapes); ++shape) {
        // gapBits 8 has up to 256 gap symbols: only an 8-bit limit holds it.
        if (gapBits == 8 && maxLen == 7)
          continue;
        ++seed;
        ClusteredMatrix m;
        if (shape == std::size(shapes)) {
          m = emptyAndDenseRows(37, 90, 32, seed);
        } else {
          const Shape &s = shapes[shape];
          m = makeSyntheticClustered(s.rows, s.cols, s.density, s.k, seed);
          if (s.density == 0.0)
            m.codebook.clear(); // all zero, k = 0
        }
        CsrParams p = lanesParams(gapBits, maxLen);
        p.rowsPerChunk = 5; // ignored with lanes
        EncodingStats stats;
        auto blob = encodeCsrMatrix(m, p, &stats);
        ASSERT_TRUE(blob) << blob.message() << " shape " << shape << " gapBits "
                          << gapBits << " maxLen " << maxLen;
        EXPECT_EQ(stats.blobBytes, blob->size());
        EXPECT_EQ(stats.codebookBytes, 4 * m.codebook.size());
        auto view = parseCsrBlob(blob->data(), blob->size());
        ASSERT_TRUE(view) << view.message();
        EXPECT_EQ(view->lanes, kCsrLanes);
        EXPECT_EQ(view->rowsPerChunk, kCsrLanes);
        EXPECT_EQ(view->maxCodeLength, maxLen);
        EXPECT_EQ(view->numChunks, (m.rows + 15) / 16);
        EXPECT_EQ((*blob)[6], 7u); // both Huffman flags and the lanes flag
        for (uint64_t o : view->chunkBitOffsets)
          EXPECT_EQ(o % 16, 0u);
        EXPECT_EQ(view->payloadBytes * 8, view->payloadBits);

        auto back = decodeCsrMatrix(blob->data(), blob->size());
        ASSERT_TRUE(back) << back.message() << " shape " << shape << " gapBits "
                          << gapBits << " maxLen " << maxLen;
        EXPECT_EQ(back->rows, m.rows);
        EXPECT_EQ(back->cols, m.cols);
        ASSERT_EQ(back->indices, m.indices) << "shape " << shape << " gapBits "
                                            << gapBits << " maxLen " << maxLen;

        auto again = encodeCsrMatrix(m, p);
        ASSERT_TRUE(again);
        EXPECT_EQ(*again, *blob);
        auto rep = analyzeCsrMatrix(m, p);
        ASSERT_TRUE(rep) << rep.message();
        EXPECT_EQ(rep->blobBytes, blob->size());
        EXPECT_EQ(rep->headerBytes, view->headerBytes);
        EXPECT_EQ(rep->gaps.payloadBits + rep->indices.payloadBits +
                      rep->paddingBits,
                  view->payloadBits);

        // Rows share words: no per-row offsets.
        auto offsets = csrRowBitOffsets(*view);
        ASSERT_FALSE(offsets);
        EXPECT_NE(offsets.message().find("lane-interleaved"),
                  std::string::npos);
        if (view->numChunks) {
          std::vector<uint16_t> out(size_t(view->chunkRows(0)) * m.cols);
          std::vector<uint64_t> rowOffsets(view->chunkRows(0));
          EXPECT_FALSE(decodeCsrChunk(*view, 0, out.data(), rowOffsets.data()));
        }
      }
}

TEST(CsrLanes, WordsAreThePlainRowsInLockstepRefillOrder) {
  // Checks the layout against the plain one: replaying the refill rule over
  // the lanes blob must hand each lane exactly the bits of its row in a
  // one-row-per-chunk plain blob with the same codes, zero-padded.
  for (unsigned shape = 0; shape < 12; ++shape) {
    ClusteredMatrix m = shape == 11 ? emptyAndDenseRows(50, 77, 8, 3)
                                    : csrShape(shape, 300 + shape);
    if (m.codebook.size() > 100)
      continue; // 256 clusters need codes longer than 8 bits
    unsigned gapBits = 3 + shape % 5;
    CsrParams plain = lanesParams(gapBits);
    plain.lanes = 0;
    plain.rowsPerChunk = 1;
    auto lanesBlob = encodeCsrMatrix(m, lanesParams(gapBits));
    auto plainBlob = encodeCsrMatrix(m, plain);
    ASSERT_TRUE(lanesBlob) << lanesBlob.message() << " shape " << shape;
    ASSERT_TRUE(plainBlob) << plainBlob.message();
    auto lv = parseCsrBlob(lanesBlob->data(), lanesBlob->size());
    auto pv = parseCsrBlob(plainBlob->data(), plainBlob->size());
    ASSERT_TRUE(lv && pv);
    ASSERT_EQ(lv->gapLengths, pv->gapLengths);
    ASSERT_EQ(lv->indexLengths, pv->indexLengths);
    auto s = buildRelativeIndex(m, gapBits);
    ASSERT_TRUE(s);
    for (uint32_t g = 0; g < lv->numChunks; ++g) {
      const uint32_t first = lv->chunkFirstRow(g), lanes = lv->chunkRows(g);
      uint64_t word = lv->chunkBitOffsets[g] / 16, maxEntries = 0;
      for (uint32_t l = 0; l < lanes; ++l)
        maxEntries = std::max(maxEntries, s->rowEntries(first + l));
      std::vector<std::vector<uint16_t>> laneWords(kCsrLanes);
      int count[kCsrLanes] = {};
      for (uint64_t step = 0; step < maxEntries; ++step) {
        for (uint32_t l = 0; l < lanes; ++l)
          if (s->rowEntries(first + l) > step && count[l] < 16) {
            laneWords[l].push_back(payloadWord(*lv, word++));
            count[l] += 16;
          }
        for (uint32_t l = 0; l < lanes; ++l)
          if (s->rowEntries(first + l) > step) {
            uint64_t e = s->rowBegin[first + l] + step;
            count[l] -=
                lv->gapLengths[s->gaps[e]] + lv->indexLengths[s->indices[e]];
            ASSERT_GE(count[l], 0);
          }
      }
      EXPECT_EQ(word * 16, lv->chunkBitOffsets[g + 1]) << "group " << g;
      for (uint32_t l = 0; l < lanes; ++l) {
        const uint64_t begin = pv->chunkBitOffsets[first + l],
                       end = pv->chunkBitOffsets[first + l + 1];
        EXPECT_GE(laneWords[l].size() * 16, end - begin);
        BitReader r(pv->payload, pv->payloadBytes, end);
        for (size_t j = 0; j < laneWords[l].size(); ++j) {
          r.seek(begin + 16 * j);
          uint64_t expect =
              r.read(unsigned(std::min<uint64_t>(16, r.remaining())));
          ASSERT_EQ(laneWords[l][j], expect)
              << "shape " << shape << " row " << first + l << " word " << j;
        }
      }
    }
  }
}

TEST(CsrLanes, DecodesOneChunkInIsolation) {
  ClusteredMatrix m = makeSyntheticClustered(50, 333, 0.1, 32, 8);
  auto blob = encodeCsrMatrix(m, lanesParams(5));
  ASSERT_TRUE(blob) << blob.message();
  auto view = parseCsrBlob(blob->data(), blob->size());
  ASSERT_TRUE(view) << view.message();
  ASSERT_EQ(view->numChunks, 4u);
  EXPECT_EQ(view->chunkRows(3), 2u);
  for (uint32_t c : {3u, 1u, 0u, 2u}) {
    std::vector<uint16_t> out(size_t(view->chunkRows(c)) * m.cols, 0xFFFF);
    Status st = decodeCsrChunk(*view, c, out.data());
    ASSERT_TRUE(st) << st.message();
    std::vector<uint16_t> expect(
        m.indices.begin() + uint64_t(c) * 16 * m.cols,
        m.indices.begin() + (uint64_t(c) * 16 + view->chunkRows(c)) * m.cols);
    EXPECT_EQ(out, expect) << "chunk " << c;
  }
  EXPECT_FALSE(decodeCsrChunk(*view, 4, nullptr));
  auto s = buildRelativeIndex(m, 5);
  ASSERT_TRUE(s);
  for (uint32_t r = 0; r < m.rows; ++r)
    EXPECT_EQ(view->rowEntryCount(r), s->rowEntries(r));
}

TEST(CsrLanes, EncoderRejectsUnsupportedParams) {
  ClusteredMatrix m = makeSyntheticClustered(20, 60, 0.2, 8, 2);
  auto rejects = [&](const CsrParams &p, const char *what) {
    auto r = encodeCsrMatrix(m, p);
    ASSERT_FALSE(r) << what;
    EXPECT_NE(r.message().find(what), std::string::npos) << r.message();
    EXPECT_FALSE(analyzeCsrMatrix(m, p));
  };
  for (unsigned lanes : {1u, 8u, 32u}) {
    CsrParams p = lanesParams(5);
    p.lanes = lanes;
    rejects(p, "lanes must be 0 or 16");
  }
  for (unsigned combo = 0; combo < 3; ++combo) {
    CsrParams p = lanesParams(5);
    p.huffmanIndices = combo & 1;
    p.huffmanGaps = combo & 2;
    rejects(p, "Huffman-coded");
  }
  CsrParams p = lanesParams(5, 9);
  rejects(p, "maxCodeLength <= 8");
  p.maxCodeLength = kHuffmanDefaultMaxLength;
  rejects(p, "maxCodeLength <= 8");
  p.maxCodeLength = 0;
  rejects(p, "maxCodeLength");
  // 200 clusters cannot be coded in 7 bits.
  ClusteredMatrix wide = makeSyntheticClustered(16, 400, 1.0, 200, 5);
  auto r = encodeCsrMatrix(wide, lanesParams(5, 7));
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("index code"), std::string::npos) << r.message();
  // rowsPerChunk is ignored, even 0.
  p = lanesParams(5);
  p.rowsPerChunk = 0;
  auto ok = encodeCsrMatrix(m, p);
  ASSERT_TRUE(ok) << ok.message();
  auto view = parseCsrBlob(ok->data(), ok->size());
  ASSERT_TRUE(view);
  EXPECT_EQ(view->rowsPerChunk, 16u);
}

TEST(CsrLanes, CorruptedBlobsRejected) {
  ClusteredMatrix m = makeSyntheticClustered(37, 90, 0.15, 16, 4);
  for (unsigned gapBits : {3u, 6u}) {
    auto blob = encodeCsrMatrix(m, lanesParams(gapBits, 7));
    ASSERT_TRUE(blob) << blob.message();
    auto view = parseCsrBlob(blob->data(), blob->size());
    ASSERT_TRUE(view);
    for (size_t cut = 0; cut < blob->size(); ++cut)
      EXPECT_FALSE(decodeCsrMatrix(blob->data(), cut))
          << "gapBits " << gapBits << " truncated at " << cut;
    std::vector<uint8_t> longer = *blob;
    longer.push_back(0);
    EXPECT_FALSE(decodeCsrMatrix(longer.data(), longer.size()));
    // Random damage anywhere, then in the payload only (which no checksum
    // covers): an error or some matrix, never a crash or an index past k
    // (the sanitized build checks the column bounds).
    std::mt19937_64 rng(gapBits + 17);
    unsigned accepted = 0, payloadAccepted = 0;
    for (int trial = 0; trial < 1600; ++trial) {
      bool payloadOnly = trial % 2;
      std::vector<uint8_t> bad = *blob;
      unsigned flips = 1 + rng() % 3;
      for (unsigned f = 0; f < flips; ++f) {
        size_t at = payloadOnly ? view->headerBytes +
                                      rng() % (bad.size() - view->headerBytes)
                                : rng() % bad.size();
        bad[at] ^= uint8_t(1u << rng() % 8);
      }
      auto r = decodeCsrMatrix(bad.data(), bad.size());
      if (r) {
        ++(payloadOnly ? payloadAccepted : accepted);
        ASSERT_EQ(r->indices.size(), m.indices.size());
        for (uint16_t i : r->indices)
          ASSERT_LE(i, 16u);
      }
    }
    EXPECT_LT(accepted, 800u);
    EXPECT_LT(payloadAccepted, 800u);
  }
}

TEST(CsrLanes, ChunkWordsAndPaddingValidated) {
  // One row, so every word is lane 0's; pick one whose bits end inside a
  // word so that the last word has padding.
  ClusteredMatrix m;
  std::vector<uint8_t> blob;
  CsrReport rep;
  for (unsigned seed = 0;; ++seed) {
    ASSERT_LT(seed, 50u);
    m = makeSyntheticClustered(1, 200, 0.3, 8, seed);
    auto b = encodeCsrMatrix(m, lanesParams(5));
    auto r = analyzeCsrMatrix(m, lanesParams(5));
    ASSERT_TRUE(b && r);
    blob = *b;
    rep = *r;
    if (rep.paddingBits > 0)
      break;
  }
  auto view = parseCsrBlob(blob.data(), blob.size());
  ASSERT_TRUE(view);
  const size_t checksumAt = view->headerBytes - 4;
  const size_t lastOffsetAt = checksumAt - view->rowCountBytes - 8;
  auto decode = [](const std::vector<uint8_t> &b) {
    return decodeCsrMatrix(b.data(), b.size());
  };
  auto expectError = [&](const std::vector<uint8_t> &b, const char *what) {
    auto r = decode(b);
    ASSERT_FALSE(r) << what;
    EXPECT_NE(r.message().find(what), std::string::npos) << r.message();
  };
  auto setPayloadBits = [&](std::vector<uint8_t> &b, uint64_t bits) {
    std::memcpy(b.data() + 28, &bits, 8);
    std::memcpy(b.data() + lastOffsetAt, &bits, 8);
    resealCsr(b, checksumAt);
  };
  ASSERT_TRUE(decode(blob));

  // The top bit of the last word lies past the row's bits.
  std::vector<uint8_t> b = blob;
  b.back() ^= 0x80;
  expectError(b, "padding");

  // A word too many, a word too few.
  b = blob;
  b.push_back(0);
  b.push_back(0);
  setPayloadBits(b, view->payloadBits + 16);
  expectError(b, "words unused");
  b = blob;
  b.resize(b.size() - 2);
  setPayloadBits(b, view->payloadBits - 16);
  expectError(b, "runs out of words");

  // Offsets that are not whole words.
  b = blob;
  b.push_back(0);
  setPayloadBits(b, view->payloadBits + 8);
  expectError(b, "16-bit words");
}

TEST(CsrLanes, HeaderFieldsValidatedBehindTheChecksum) {
  ClusteredMatrix m = makeSyntheticClustered(40, 50, 0.2, 8, 6);
  auto blob = encodeCsrMatrix(m, lanesParams(4));
  ASSERT_TRUE(blob);
  auto view = parseCsrBlob(blob->data(), blob->size());
  ASSERT_TRUE(view);
  const size_t checksumAt = view->headerBytes - 4;
  auto patched = [&](size_t off, uint8_t value) {
    std::vector<uint8_t> b = *blob;
    b[off] = value;
    resealCsr(b, checksumAt);
    return decodeCsrMatrix(b.data(), b.size());
  };
  auto expectError = [&](size_t off, uint8_t value, const char *what) {
    auto r = patched(off, value);
    ASSERT_FALSE(r) << what;
    EXPECT_NE(r.message().find(what), std::string::npos) << r.message();
  };
  // Flag tampering without resealing is rejected; clearing only the lanes
  // bit leaves a consistent plain header, which the checksum catches.
  for (uint8_t flags : {3, 5, 6, 15}) {
    std::vector<uint8_t> b = *blob;
    b[6] = flags;
    auto r = decodeCsrMatrix(b.data(), b.size());
    ASSERT_FALSE(r);
    if (flags == 3)
      EXPECT_NE(r.message().find("checksum"), std::string::npos) << r.message();
  }
  // Resealed: each rule on its own.
  expectError(6, 15, "unknown flags");
  expectError(6, 6, "Huffman"); // index table absent: tables misparse
  expectError(19, 9, "above 8");
  expectError(20, 8, "rows per chunk");
  // The first chunk offset past [0] moved by half a word.
  const size_t offsetsAt =
      checksumAt - view->rowCountBytes - 8 * (uint64_t(view->numChunks) + 1);
  std::vector<uint8_t> b = *blob;
  uint64_t o1 = view->chunkBitOffsets[1] + 8;
  std::memcpy(b.data() + offsetsAt + 8, &o1, 8);
  resealCsr(b, checksumAt);
  auto r = decodeCsrMatrix(b.data(), b.size());
  ASSERT_FALSE(r);
  EXPECT_NE(r.message().find("not a whole number of 16-bit words"),
            std::string::npos)
      << r.message();
  // Read as the plain layout, the interleaved words do not decode.
  EXPECT_FALSE(patched(6, 3));
}

TEST(CsrLanes, PayloadCloseToPlainOnClusteredLaplaceWeights) {
  // fc-like statistics on a unit-test scale (4 % density, 32 clusters).
  // Measured payload bits, plain (16-bit code limit, 64 rows per chunk) vs
  // lanes (8-bit limit; padding is the lanes' zero word tails):
  //   gapBits 4: 226027 vs 232656 (+2.9 %, 3858 padding)
  //   gapBits 5: 210922 vs 216240 (+2.5 %, 3837 padding)
  //   gapBits 6: 196385 vs 201456 (+2.6 %, 3653 padding)
  //   gapBits 8: 188112 vs 204784 (+8.9 %: 256 gap symbols in 8 bits)
  ClusteredMatrix m = makeSyntheticClustered(256, 2048, 0.04, 32, 11);
  for (unsigned gapBits : {4u, 5u, 6u, 8u}) {
    CsrParams plain;
    plain.gapBits = gapBits;
    auto plainRep = analyzeCsrMatrix(m, plain);
    auto lanesRep = analyzeCsrMatrix(m, lanesParams(gapBits));
    ASSERT_TRUE(plainRep && lanesRep);
    EXPECT_EQ(plainRep->paddingBits, 0u);
    uint64_t plainBits =
        plainRep->gaps.payloadBits + plainRep->indices.payloadBits;
    uint64_t lanesBits = lanesRep->gaps.payloadBits +
                         lanesRep->indices.payloadBits + lanesRep->paddingBits;
    EXPECT_LE(double(lanesBits), 1.10 * double(plainBits))
        << "gapBits " << gapBits;
  }
}

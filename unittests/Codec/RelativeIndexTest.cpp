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

//===- RelativeIndex.h - Relative-index sparse rows -------------*- C++ -*-===//
//
// Deep Compression §4 / Fig. 2: a sparse row is a list of entries
// (gap, clusterIndex). Every row is coded on its own, starting before its
// first column (position -1).
//
// Gap convention. The stored gap of an entry at column p whose predecessor
// entry is at column q (q = -1 for the first entry of a row) is
//     gap = p - q - 1          (the number of zero columns skipped)
// and must fit `gapBits` bits (3..8), i.e. 0 <= gap <= 2^gapBits - 1, so all
// 2^gapBits field values are used and a decoder advances by gap + 1.
// Filler entries. When a nonzero lies further away (p - q - 1 > 2^gapBits - 1)
// the encoder first emits filler entries (gap = 2^gapBits - 1, index 0), each
// standing for an explicit zero at column q + 2^gapBits, until the nonzero is
// in reach - exactly the padding zero of Deep Compression Fig. 2. Index 0
// decodes to a zero weight, so a decoder need not distinguish fillers.
// Trailing zeros of a row cost nothing: the number of entries per row is
// stored separately (see HuffmanCodec.h).
//
// The symbol streams (gaps over 0..2^gapBits-1, indices over 0..k) are exposed
// so that they can be fixed-width packed or Huffman-coded.
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_RELATIVEINDEX_H
#define CW_CODEC_RELATIVEINDEX_H

#include "cw/Codec/Matrix.h"
#include "cw/Codec/Status.h"

#include <cstdint>
#include <vector>

namespace cw::codec {

constexpr unsigned kRelativeIndexMinGapBits = 3;
constexpr unsigned kRelativeIndexMaxGapBits = 8;

struct RelativeIndexStreams {
  unsigned gapBits = 0;
  uint64_t rows = 0;
  uint64_t cols = 0;
  /// Per entry, the stored gap (0 .. 2^gapBits - 1).
  std::vector<uint32_t> gaps;
  /// Per entry, the cluster index (0 for a filler).
  std::vector<uint32_t> indices;
  /// rows + 1 offsets: row r owns entries [rowBegin[r], rowBegin[r + 1]).
  std::vector<uint64_t> rowBegin;
  /// Number of filler entries among the entries.
  uint64_t fillers = 0;

  uint64_t numEntries() const { return gaps.size(); }
  uint64_t rowEntries(uint64_t r) const {
    return rowBegin[r + 1] - rowBegin[r];
  }
};

/// Appends one row's entries (and counts fillers) to `gaps` / `indices`.
void appendRelativeIndexRow(const uint16_t *row, uint64_t cols,
                            unsigned gapBits, std::vector<uint32_t> &gaps,
                            std::vector<uint32_t> &indices,
                            uint64_t *fillers = nullptr);

/// Builds the streams for every row of `m`. Errors: gapBits outside 3..8, an
/// invalid matrix.
Result<RelativeIndexStreams> buildRelativeIndex(const ClusteredMatrix &m,
                                                unsigned gapBits);

/// Reconstructs the index matrix (codebook left empty). Errors: gaps that do
/// not fit gapBits, an entry past the end of its row, an index above
/// `numClusters`, inconsistent row offsets.
Result<ClusteredMatrix> expandRelativeIndex(const RelativeIndexStreams &s,
                                            unsigned numClusters);

} // namespace cw::codec

#endif // CW_CODEC_RELATIVEINDEX_H

//===- WaveletCodec.h - Wavelet-tree matrix encoding ------------*- C++ -*-===//
//
// Succinct Compression (§3-5): the clustered matrix is laid out as a
// "runtime-accessible sequence" and stored in wavelet trees (WaveletTree.h,
// a level-wise wavelet matrix over rank/select vectors, RankSelect.h);
// inference reads weights through access / rank / select without
// decompressing. Three layouts (modes):
//
//   Element (0): S = the cluster index of every position, row-major,
//     n = rows * cols, alphabet [0, max(k + 1, 2)).
//     weight(r, c) = S.access(r * cols + c).
//   Block (1): every row is cut into bpr = ceil(cols / B) blocks of B
//     consecutive elements (the last one zero-padded past cols); each block
//     is one symbol, its pattern id in a dictionary of the distinct blocks,
//     ids ordered by decreasing frequency (ties: lexicographically smaller
//     pattern first), so id 0 is the most frequent block (the all-zero block
//     in a pruned layer). S = ids row-major, n = rows * bpr, alphabet
//     [0, max(D, 2)). weight(r, c) = dict[S.access(r * bpr + c / B)][c % B].
//   Sparse (2): the (relative position, value) tuples of the nonzeros. With
//     g gap bits and escape E = 2^g - 1, a nonzero at column c of a row whose
//     previous nonzero is at column p (p = -1 at the row start) skips
//     d = c - p - 1 zeros and is coded as floor(d / E) escape symbols E
//     (each skips E zeros and carries no value) followed by the gap symbol
//     d mod E. Gap symbols of all rows form the sequence G (alphabet 2^g);
//     the nonzeros' cluster indices minus one form the sequence V (alphabet
//     [0, max(k, 2))), one entry per non-escape gap symbol. Trailing zeros
//     of a row cost nothing. A row table gives each row's first tuple and
//     first value, so any row decodes on its own. An escape needs no filler
//     value: V has one entry per non-escape symbol of G, so the value of a
//     non-escape tuple t is V[t - G.rank(E, t)] (the row table's value
//     start saves that rank when walking a row).
//
// There is no sequential entropy-coded stream: every row (every element in
// the element and block modes) is addressable, so rowsPerChunk does not
// apply; WaveletCodecView::decodeRows decodes any row range in isolation.
//
// Blob layout (little-endian; the header is one 64-byte line and every
// section starts at a 64-byte-aligned offset, so every rank line is
// cache-line aligned when the blob is):
//
//   offset size  field
//    0     4     magic "CWWT"
//    4     1     version = 1
//    5     1     mode: 0 element, 1 block, 2 sparse
//    6     2     k, number of clusters (0..256)
//    8     8     rows
//   16     8     cols                        (rows * cols < 2^37)
//   24     4     param: block mode B (1..64), sparse mode g (1..16), else 0
//   28     4     header check: FNV-1a 32 of bytes 0..27 then 32..63
//   32     8     offset of section 0
//   40     8     offset of section 1 (0 when absent)
//   48     8     offset of section 2 (0 when absent)
//   56     8     blob size in bytes
//
//   Sections are contiguous: section 0 starts at 64, each next one right
//   after the previous, the last one ends at the blob size.
//   Element: section 0 = wavelet tree of S.
//   Block:   section 0 = wavelet tree of S; section 1 = dictionary:
//            u64 D, then D * B u16 cluster indices (pattern p's entry j at
//            byte 8 + 2 (p B + j) of the section), zero-padded to 64 bytes.
//   Sparse:  section 0 = wavelet tree of G; section 1 = wavelet tree of V;
//            section 2 = row table: rows + 1 entries of 8 bytes, entry r =
//            u32 tupleStart[r] (index in G of row r's first gap symbol),
//            u32 valueStart[r] (index in V of row r's first value);
//            entry rows = (|G|, |V|); zero-padded to 64 bytes.
//
// The codebook is not in the blob (Matrix.h). Stats: blobBytes is the whole
// blob; entropyFloorBits is n * H0 of the coded sequence(s): S in the element
// and block modes (the dictionary excluded), G plus V in the sparse mode.
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_WAVELETCODEC_H
#define CW_CODEC_WAVELETCODEC_H

#include "cw/Codec/Matrix.h"
#include "cw/Codec/Status.h"
#include "cw/Codec/WaveletTree.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cw::codec {

enum class WaveletMode : uint8_t { Element = 0, Block = 1, Sparse = 2 };

/// "element", "block" or "sparse": the #cw.wavelet mode keyword.
const char *waveletModeName(WaveletMode mode);

struct WaveletParams {
  WaveletMode mode = WaveletMode::Element;
  /// Block mode: elements per block along a row, 1..64.
  unsigned blockSize = 4;
  /// Sparse mode: bits per gap symbol, 1..16; 0 picks the g that minimises
  /// |G| * g.
  unsigned gapBits = 0;
};

Result<std::vector<uint8_t>>
encodeWaveletMatrix(const ClusteredMatrix &m, const WaveletParams &p,
                    EncodingStats *stats = nullptr);

/// Reference decoder: the indices (codebook left empty).
Result<ClusteredMatrix> decodeWaveletMatrix(const uint8_t *data, size_t size);

/// The header check word (bytes 28..31) of a 64-byte header.
uint32_t waveletHeaderCheck(const uint8_t *header);

/// A parsed, read-only view over a "CWWT" blob (no copy). parse() checks the
/// header, the sections, every rank/select vector, that every symbol is in
/// range, the row table, and each row's value count; decodeRows() also
/// checks that the columns of a sparse row stay inside the matrix.
class WaveletCodecView {
public:
  WaveletCodecView() = default;
  static Result<WaveletCodecView> parse(const uint8_t *data, size_t size);

  WaveletMode mode() const { return md; }
  uint64_t rows() const { return nRows; }
  uint64_t cols() const { return nCols; }
  unsigned numClusters() const { return k; }
  /// Block size (block mode), gap bits (sparse mode), 0 (element mode).
  unsigned param() const { return prm; }

  /// The coded sequence: S (element, block) or G (sparse).
  const WaveletTreeView &sequence() const { return seq; }
  /// Sparse mode: V, the cluster indices minus one of the nonzeros.
  const WaveletTreeView &values() const { return vals; }

  /// access / rank / select over sequence() (see WaveletTree.h: rank counts
  /// in [0, i), select is 0-based and returns size() when absent).
  uint32_t access(uint64_t i) const { return seq.access(i); }
  uint64_t rank(uint64_t c, uint64_t i) const { return seq.rank(c, i); }
  uint64_t select(uint64_t c, uint64_t j) const { return seq.select(c, j); }

  /// Block mode: number of patterns and entry j of pattern id.
  uint64_t numPatterns() const { return nPatterns; }
  uint16_t patternEntry(uint64_t id, unsigned j) const {
    return uint16_t(dict[2 * (id * prm + j)] | dict[2 * (id * prm + j) + 1]
                                                   << 8);
  }
  /// Sparse mode: row r's first tuple in G and first value in V (r <= rows).
  uint64_t rowTupleStart(uint64_t r) const {
    return rs::loadLE32(rowTable + 8 * r);
  }
  uint64_t rowValueStart(uint64_t r) const {
    return rs::loadLE32(rowTable + 8 * r + 4);
  }

  /// Cluster index at (r, c), r < rows, c < cols. Element and block modes:
  /// one access (O(levels) ranks); sparse mode walks row r's tuples.
  uint16_t weight(uint64_t r, uint64_t c) const;

  /// Decodes rows [rowBegin, rowEnd) (rowBegin <= rowEnd <= rows) into out,
  /// (rowEnd - rowBegin) * cols row-major cluster indices. Uses nothing
  /// outside those rows' share of the sequences.
  Status decodeRows(uint64_t rowBegin, uint64_t rowEnd, uint16_t *out) const;

private:
  WaveletTreeView seq;
  WaveletTreeView vals;
  const uint8_t *dict = nullptr;
  const uint8_t *rowTable = nullptr;
  uint64_t nRows = 0, nCols = 0, nPatterns = 0;
  unsigned k = 0, prm = 0;
  WaveletMode md = WaveletMode::Element;
};

} // namespace cw::codec

#endif // CW_CODEC_WAVELETCODEC_H

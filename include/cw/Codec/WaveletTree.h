//===- WaveletTree.h - Level-wise wavelet tree (wavelet matrix) -*- C++ -*-===//
//
// A balanced, pointer-free wavelet tree over a sequence S[0..n) of symbols
// from [0, sigma): the *wavelet matrix* of Claude & Navarro (SPIRE 2012).
// It has L = ceil(log2 sigma) levels (0 when sigma == 1), each a rank/select
// bit vector of exactly n bits (RankSelect.h), so the whole structure is a
// few contiguous arrays and every operation is L rank or select steps:
//
//   level 0 holds the most significant of the L symbol bits, in sequence
//   order; level l holds bit (L - 1 - l) of every symbol, in the order that
//   results from stably partitioning level l - 1's order by its bit, zeros
//   first. z_l = number of zeros of level l.
//
//   access(i):   for l: b = B_l[i]; i = b ? z_l + rank1_l(i) : rank0_l(i).
//   rank(c, i):  occurrences of c in [0, i): walk p (from 0) and i through the
//                levels along c's bits as above; the answer is i - p.
//   select(c, j): 0-based: the position of the occurrence of c of rank j
//                (the (j+1)-th c), or n when c occurs at most j times: walk
//                p down to the last level, then pos = p + j and back up:
//                pos = b ? select1_l(pos - z_l) : select0_l(pos).
//
// Serialised layout (little-endian uint64 words; the structure's size is a
// multiple of 64 bytes and, placed at a 64-byte-aligned offset, every rank
// line is cache-line aligned):
//
//   word 0      n       sequence length, n < 2^37
//   word 1      sigma   alphabet size, 1 <= sigma <= 2^32
//   word 2      L       levels = ceil(log2 sigma)
//   words 3..7  0       reserved
//   offsets     ceil(L / 8) * 8 words: word l (l < L) is the byte offset,
//               from the start of the wavelet tree, of level l's bit vector;
//               the rest are zero. Level 0 starts right after this table and
//               level l + 1 right after level l (no gaps).
//   levels      L RankSelect vectors of n bits each (RankSelect.h layout).
//
// Space: n * L bits plus the rank/select overhead (about 15 %) plus 64 bytes
// per level and 64..128 bytes of header; compare with n * H0 (Entropy.h).
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_WAVELETTREE_H
#define CW_CODEC_WAVELETTREE_H

#include "cw/Codec/RankSelect.h"
#include "cw/Codec/Status.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cw::codec {

namespace wt {
constexpr unsigned kMaxLevels = 32;
constexpr uint64_t kHeaderBytes = 64;
constexpr uint64_t kMaxSigma = uint64_t(1) << 32;
/// ceil(log2 sigma) (0 for sigma <= 1).
unsigned levelsFor(uint64_t sigma);
} // namespace wt

/// Builds the wavelet matrix of seq[0..n) over [0, sigma) and appends its
/// serialised bytes to `out`. Fails on a symbol >= sigma, sigma outside
/// [1, 2^32] or n >= 2^37. Deterministic.
Status appendWaveletTree(std::vector<uint8_t> &out, const uint32_t *seq,
                         uint64_t n, uint64_t sigma);
Status appendWaveletTree(std::vector<uint8_t> &out, const uint16_t *seq,
                         uint64_t n, uint64_t sigma);

/// A read-only view over a serialised wavelet tree (no copy).
class WaveletTreeView {
public:
  WaveletTreeView() = default;

  /// Parses the tree starting at `data` (`size` may be larger than the
  /// tree). Verifies the header, the offset table, every level (see
  /// RankSelectView::parse) and that every symbol is < sigma.
  static Result<WaveletTreeView> parse(const uint8_t *data, size_t size);

  uint64_t size() const { return n; }
  uint64_t alphabetSize() const { return sigma; }
  unsigned levels() const { return numLevels; }
  uint64_t serializedBytes() const { return bytes; }
  const RankSelectView &level(unsigned l) const { return lv[l]; }
  uint64_t levelZeros(unsigned l) const { return z[l]; }

  /// S[i], i < size().
  uint32_t access(uint64_t i) const {
    uint32_t sym = 0;
    for (unsigned l = 0; l < numLevels; ++l) {
      bool bit;
      uint64_t r1 = lv[l].accessRank1(i, bit);
      i = bit ? z[l] + r1 : i - r1;
      sym = sym << 1 | uint32_t(bit);
    }
    return sym;
  }
  /// Occurrences of c in [0, i), i <= size(); 0 when c >= sigma.
  uint64_t rank(uint64_t c, uint64_t i) const;
  /// Position of the occurrence of c of rank j (0-based), or size() when c
  /// occurs at most j times (or c >= sigma).
  uint64_t select(uint64_t c, uint64_t j) const;
  /// Occurrences of c in the whole sequence.
  uint64_t count(uint64_t c) const { return rank(c, n); }
  /// Number of symbols < c in [begin, end) (begin <= end <= size()).
  uint64_t countLess(uint64_t c, uint64_t begin, uint64_t end) const;
  /// Writes S[begin..end) to out (begin <= end <= size()). Walks whole
  /// levels with one cursor per symbol prefix instead of L ranks per symbol
  /// when the range is long enough to pay for ~2 sigma cursor ranks.
  void extract(uint64_t begin, uint64_t end, uint32_t *out) const;

private:
  RankSelectView lv[wt::kMaxLevels];
  uint64_t z[wt::kMaxLevels] = {};
  uint64_t n = 0;
  uint64_t sigma = 1;
  uint64_t bytes = 0;
  unsigned numLevels = 0;
};

} // namespace cw::codec

#endif // CW_CODEC_WAVELETTREE_H

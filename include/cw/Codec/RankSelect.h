//===- RankSelect.h - Rank/select bit vectors, one cache line per rank -*- C++
//-*-===//
//
// A static bit vector with constant-time rank and fast select, laid out so
// that rank touches exactly one 64-byte cache line: every line holds one
// metadata word followed by 7 data words (448 bits). The serialised form is
// what the wavelet tree embeds in a blob and what generated code reads.
//
// Serialised layout (every field a little-endian uint64 word; word w is at
// byte 8*w of the vector, and the vector's total size is a multiple of 64
// bytes so that vectors placed back to back stay line-aligned):
//
//   word 0        n      number of bits, n < 2^37
//   word 1        ones   number of set bits
//   words 2..7    0      reserved (the header fills one 64-byte line)
//   lines         numLines = floor(n / 448) + 1 lines of 8 words each;
//                 line L occupies words 8 + 8L .. 8 + 8L + 7:
//     word 0 (meta):
//       bits  0..36  abs: number of ones in bits [0, 448 L)
//       bits 37..45  ones in data words 0..1 of this line
//       bits 46..54  ones in data words 0..3 of this line
//       bits 55..63  ones in data words 0..5 of this line
//     words 1..7 (data word j = 0..6): bits [448 L + 64 j, 448 L + 64 j + 64)
//       LSB-first: bit i of the vector is bit (i % 64) of its word. Bits at
//       positions >= n are zero. When n % 448 == 0 the last line is a pure
//       sentinel (abs = ones, everything else zero), so rank(n) needs no
//       special case.
//   select1 samples  numS1 = ceil(ones / 4096) uint32 values, packed two per
//                 word (sample 2t in the low half of word t), then zero-padded
//                 to a whole word: S1[s] = the line holding the one of rank
//                 4096 s (the (4096 s)-th set bit, 0-based).
//   select0 samples  numS0 = ceil((n - ones) / 4096) uint32 values, same
//                 packing: S0[s] = the line holding the zero of rank 4096 s.
//   padding       zero words up to a multiple of 8 words.
//
// rank1(i) (ones in [0, i), 0 <= i <= n): L = i / 448, o = i % 448,
//   w = o / 64, b = o % 64; rank = abs(L) + prefix(L, w / 2)
//   + (w odd ? popcount(data[w - 1]) : 0) + popcount(data[w] & (2^b - 1)),
//   where prefix(L, 0) = 0 and prefix(L, 1..3) are the three 9-bit fields.
// select1(j) (0-based: the position of the set bit of rank j, j < ones):
//   s = j / 4096; search lines [S1[s], S1[s + 1]] (or up to the last line) for
//   the last line with abs <= j, then the word via the prefix fields and the
//   bit inside the word. select0 is symmetric with zeros before line L =
//   448 L - abs(L).
//
// Space: 64/448 = 14.3 % over the raw bits for the rank metadata (one word
// per line) plus 0.8 % for the select samples (32 bits per 4096 ones and per
// 4096 zeros) plus the 64-byte header.
//
// Views parse and fully verify a serialised vector (every meta word and
// sample is recomputed), so queries on a parsed view never read out of
// bounds and never loop forever.
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_RANKSELECT_H
#define CW_CODEC_RANKSELECT_H

#include "cw/Codec/Status.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace cw::codec {

namespace rs {
/// Data bits per 64-byte line.
constexpr uint64_t kLineBits = 448;
constexpr uint64_t kLineBytes = 64;
/// Bytes of the vector header (one line).
constexpr uint64_t kHeaderBytes = 64;
/// Ones (zeros) between select samples.
constexpr uint64_t kSelectSample = 4096;
/// Bits of the absolute count in a meta word; n must be below 2^kAbsBits.
constexpr unsigned kAbsBits = 37;
constexpr uint64_t kMaxBits = (uint64_t(1) << kAbsBits) - 1;

/// Little-endian 64-bit load from any address.
inline uint64_t loadLE64(const uint8_t *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
#else
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
#endif
}
inline uint32_t loadLE32(const uint8_t *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
#else
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
#endif
}
inline unsigned popcount64(uint64_t x) {
  return unsigned(__builtin_popcountll(x));
}
/// Position of the set bit of rank r (0-based) in x; r < popcount(x).
unsigned selectInWord(uint64_t x, unsigned r);

/// Number of lines of a vector of n bits.
inline uint64_t numLines(uint64_t n) { return n / kLineBits + 1; }
/// Total serialised size in bytes of a vector of n bits with `ones` ones.
uint64_t serializedBytes(uint64_t n, uint64_t ones);
} // namespace rs

/// Serialises the first `numBits` bits of `bits` (LSB-first: bit i is
/// bits[i / 64] >> (i % 64) & 1; bits past numBits are ignored) and appends
/// the little-endian bytes to `out`. Fails when numBits >= 2^37.
Status appendRankSelect(std::vector<uint8_t> &out, const uint64_t *bits,
                        uint64_t numBits);

/// A read-only view over a serialised rank/select vector (no copy).
class RankSelectView {
public:
  RankSelectView() = default;

  /// Parses the vector that starts at `data`; `size` may be larger than the
  /// vector (serializedBytes() says how much it occupies). Verifies every
  /// meta word, padding bit and select sample.
  static Result<RankSelectView> parse(const uint8_t *data, size_t size);

  uint64_t size() const { return n; }
  uint64_t numOnes() const { return ones; }
  uint64_t numZeros() const { return n - ones; }
  uint64_t serializedBytes() const { return rs::serializedBytes(n, ones); }

  /// Bit i (i < size()).
  bool access(uint64_t i) const {
    uint64_t line = i / rs::kLineBits, o = i - line * rs::kLineBits;
    uint64_t w = rs::loadLE64(lines + line * rs::kLineBytes + 8 + (o >> 6) * 8);
    return (w >> (o & 63)) & 1;
  }
  /// Ones in [0, i), 0 <= i <= size().
  uint64_t rank1(uint64_t i) const {
    uint64_t line = i / rs::kLineBits;
    unsigned o = unsigned(i - line * rs::kLineBits);
    const uint8_t *p = lines + line * rs::kLineBytes;
    uint64_t meta = rs::loadLE64(p);
    unsigned w = o >> 6, pair = w >> 1;
    uint64_t r = meta & rs::kMaxBits;
    if (pair)
      r += (meta >> (rs::kAbsBits + 9 * (pair - 1))) & 511;
    if (w & 1)
      r += rs::popcount64(rs::loadLE64(p + 8 * w));
    uint64_t word = rs::loadLE64(p + 8 + 8 * w);
    r += rs::popcount64(word & ((uint64_t(1) << (o & 63)) - 1));
    return r;
  }
  /// Zeros in [0, i), 0 <= i <= size().
  uint64_t rank0(uint64_t i) const { return i - rank1(i); }
  /// Bit i (i < size()) into `bit` and rank1(i) as the result, from one
  /// cache line: the step of a wavelet-tree access.
  uint64_t accessRank1(uint64_t i, bool &bit) const {
    uint64_t line = i / rs::kLineBits;
    unsigned o = unsigned(i - line * rs::kLineBits);
    const uint8_t *p = lines + line * rs::kLineBytes;
    uint64_t meta = rs::loadLE64(p);
    unsigned w = o >> 6, pair = w >> 1;
    uint64_t r = meta & rs::kMaxBits;
    if (pair)
      r += (meta >> (rs::kAbsBits + 9 * (pair - 1))) & 511;
    if (w & 1)
      r += rs::popcount64(rs::loadLE64(p + 8 * w));
    uint64_t word = rs::loadLE64(p + 8 + 8 * w);
    bit = (word >> (o & 63)) & 1;
    r += rs::popcount64(word & ((uint64_t(1) << (o & 63)) - 1));
    return r;
  }
  /// Position of the set bit of rank j (0-based); size() when j >= numOnes().
  uint64_t select1(uint64_t j) const;
  /// Position of the zero bit of rank j (0-based); size() when j >=
  /// numZeros().
  uint64_t select0(uint64_t j) const;

  /// Start of the serialised vector.
  const uint8_t *data() const { return base; }

private:
  uint64_t lineAbs(uint64_t line) const {
    return rs::loadLE64(lines + line * rs::kLineBytes) & rs::kMaxBits;
  }
  uint64_t lineZerosBefore(uint64_t line) const {
    return line * rs::kLineBits - lineAbs(line);
  }
  uint32_t sample1(uint64_t s) const { return rs::loadLE32(s1 + 4 * s); }
  uint32_t sample0(uint64_t s) const { return rs::loadLE32(s0 + 4 * s); }

  const uint8_t *base = nullptr;
  const uint8_t *lines = nullptr;
  const uint8_t *s1 = nullptr;
  const uint8_t *s0 = nullptr;
  uint64_t n = 0;
  uint64_t ones = 0;
  uint64_t nLines = 0;
};

} // namespace cw::codec

#endif // CW_CODEC_RANKSELECT_H

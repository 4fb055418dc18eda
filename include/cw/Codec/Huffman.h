//===- Huffman.h - Length-limited canonical Huffman codes -------*- C++ -*-===//
//
// Canonical Huffman coding for the cw codecs (Deep Compression §4): cluster
// indices, relative-index gaps, SZ quantisation bins.
//
// Construction. buildHuffmanLengths() computes optimal code lengths under a
// length limit L (1..kHuffmanMaxLength, default 16) with the package-merge
// algorithm (Larmore & Hirschberg): every length is <= L and, for two or more
// used symbols, the Kraft sum is exactly 1. Symbols with count 0 get length 0
// (no code). One used symbol gets length 1; no used symbol gives all zeros.
// Alphabets hold at most 65536 symbols.
//
// Canonical assignment. Codes are assigned in order of (length, symbol) as in
// DEFLATE: the first code of length l is (first code of length l-1 + number
// of codes of length l-1) << 1. Bit order: the cw bit stream is LSB-first
// (BitStream.h), so HuffmanCode::codes holds each canonical code BIT-REVERSED:
// writing codes[s] with BitWriter::write(codes[s], lengths[s]) puts the most
// significant bit of the canonical code first in the stream, and a decoder
// that peeks N bits (N >= the code length) finds the code in the low bits of
// the peeked value and can index a table with them directly.
//
// Serialised code lengths (byte-aligned, little endian):
//   u32 alphabetSize          number of symbols (0..65536)
//   u32 packedBytes           size of the packed field that follows
//   u8  packed[packedBytes]   LSB-first bit stream of 5-bit items, read until
//                             alphabetSize lengths are known:
//                               0..24  the length of the next symbol (0 = no
//                                      code for it)
//                               31     a run of zero lengths: a 16-bit field
//                                      r follows, the run covers r + 1 symbols
//                               25..30 invalid
//                             The encoder emits runs for 4 or more zeros.
//                             Unused high bits of the last byte are zero.
//
// Decode table (HuffmanDecodeTable), buildable from the lengths alone and
// made of plain arrays so that generated code can embed it as constants.
// A decoder peeks W >= maxLength bits into `window` (stream order, LSB first)
// and looks up
//   e = primary[window & (2^lookupBits - 1)]
// Entry packing (uint32_t):
//   bit 31 = 0  leaf:  bits 0..15 symbol, bits 16..20 code length (1..24);
//                      a length of 0 marks an unused slot (invalid code).
//   bit 31 = 1  link:  bits 0..23 offset into `secondary`, bits 24..28 the
//                      number s of extra bits; then
//                      e = secondary[offset + ((window >> lookupBits) &
//                                               (2^s - 1))]
//                      which is a leaf entry (the length is the full code
//                      length, including the lookupBits primary bits).
// lookupBits = min(requested lookup bits, maxLength), so for short codes (or
// small limits L) the primary table is a full 2^maxLength table and no link
// entries exist.
// Multi-symbol table: multi[window & (2^lookupBits - 1)] resolves up to three
// whole codes that lie inside the lookupBits window at once (a run of short
// codes, e.g. the 1-bit zero of a sparse matrix). Packing (uint64_t):
//   bits 0..7   count c (0..3; 0 = the first code is longer than the window
//               or invalid: use `primary`)
//   bits 8..15  total length in bits of the c codes
//   bits 16+16i symbol i (i < c)
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_HUFFMAN_H
#define CW_CODEC_HUFFMAN_H

#include "cw/Codec/BitStream.h"
#include "cw/Codec/Status.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cw::codec {

/// The longest code length the library supports (lengths fit 5 bits).
constexpr unsigned kHuffmanMaxLength = 24;
/// The default length limit.
constexpr unsigned kHuffmanDefaultMaxLength = 16;
/// The largest alphabet.
constexpr uint32_t kHuffmanMaxAlphabet = 65536;
/// Default width of the primary decode table index.
constexpr unsigned kHuffmanDefaultLookupBits = 11;

/// A canonical code: per symbol its length (0 = unused) and its bit-reversed
/// canonical code, ready for BitWriter::write(codes[s], lengths[s]).
struct HuffmanCode {
  std::vector<uint8_t> lengths;
  std::vector<uint32_t> codes;
  /// The longest length present (0 for an empty code).
  unsigned maxLength = 0;

  /// Total coded size in bits of a stream with the given symbol counts.
  uint64_t costBits(const std::vector<uint64_t> &counts) const;
};

/// Optimal length-limited code lengths (package-merge) for `counts`.
/// Errors: alphabet larger than 65536, maxLength outside 1..24, or more used
/// symbols than 2^maxLength.
Result<std::vector<uint8_t>>
buildHuffmanLengths(const std::vector<uint64_t> &counts,
                    unsigned maxLength = kHuffmanDefaultMaxLength);

/// Sum over used symbols of 2^(kHuffmanMaxLength - length): the Kraft sum
/// scaled by 2^24 (a valid prefix code has at most 2^24).
uint64_t huffmanKraftSum(const std::vector<uint8_t> &lengths);

/// Assigns canonical codes to `lengths`. Errors: a length above 24, an
/// alphabet above 65536, or lengths that violate the Kraft inequality.
/// Incomplete codes (Kraft sum < 1, e.g. a single symbol) are accepted.
Result<HuffmanCode>
makeCanonicalHuffmanCode(const std::vector<uint8_t> &lengths);

/// buildHuffmanLengths followed by makeCanonicalHuffmanCode.
Result<HuffmanCode>
buildHuffmanCode(const std::vector<uint64_t> &counts,
                 unsigned maxLength = kHuffmanDefaultMaxLength);

/// Writes symbol `s`'s code. The symbol must have a code (length > 0).
inline void encodeHuffmanSymbol(BitWriter &w, const HuffmanCode &code,
                                uint32_t s) {
  assert(s < code.lengths.size() && code.lengths[s] > 0 &&
         "symbol without a code");
  w.write(code.codes[s], code.lengths[s]);
}

/// Appends the serialised code lengths (layout above) to `out`.
void serializeHuffmanLengths(const std::vector<uint8_t> &lengths,
                             std::vector<uint8_t> &out);
/// Parses serialised code lengths at the reader's position and advances it.
/// Checks the item grammar, the alphabet size, that the packed field is
/// exactly consumed, and the Kraft inequality.
Result<std::vector<uint8_t>> deserializeHuffmanLengths(ByteReader &r);

/// The table-driven decoder (entry packing in the comment at the top).
struct HuffmanDecodeTable {
  unsigned lookupBits = 0;
  /// The longest code length (0 for an empty code: every lookup is invalid).
  unsigned maxLength = 0;
  uint32_t primaryMask = 0;
  std::vector<uint32_t> primary;
  std::vector<uint32_t> secondary;
  std::vector<uint64_t> multi;

  static constexpr uint32_t kLinkFlag = 0x80000000u;
  static uint32_t entryLength(uint32_t leaf) { return (leaf >> 16) & 31; }
  static uint32_t entrySymbol(uint32_t leaf) { return leaf & 0xFFFF; }
  static constexpr unsigned kMultiMaxSymbols = 3;
  static unsigned multiCount(uint64_t m) { return unsigned(m & 0xFF); }
  static unsigned multiLength(uint64_t m) { return unsigned((m >> 8) & 0xFF); }
  static uint32_t multiSymbol(uint64_t m, unsigned i) {
    return uint32_t((m >> (16 + 16 * i)) & 0xFFFF);
  }

  /// The leaf entry for the code at the low bits of `window`, which must hold
  /// at least maxLength stream bits. entryLength() == 0 means invalid code.
  uint32_t lookup(uint64_t window) const {
    uint32_t e = primary[window & primaryMask];
    if (e & kLinkFlag) {
      unsigned extra = (e >> 24) & 31;
      e = secondary[(e & 0xFFFFFF) +
                    ((window >> lookupBits) & ((uint64_t(1) << extra) - 1))];
    }
    return e;
  }
};

/// Builds the decode table from code lengths alone. `lookupBits` in 1..16.
Result<HuffmanDecodeTable>
buildHuffmanDecodeTable(const std::vector<uint8_t> &lengths,
                        unsigned lookupBits = kHuffmanDefaultLookupBits);

/// Decodes one symbol. Errors: an invalid code, or a code running past the
/// end of the reader's stream (the reader is left unchanged on error).
Status decodeHuffmanSymbol(const HuffmanDecodeTable &table, BitReader &r,
                           uint32_t &symbol);

/// Decodes `count` symbols into `out` (resolving several symbols per peek).
Status decodeHuffmanSymbols(const HuffmanDecodeTable &table, BitReader &r,
                            uint64_t count, uint32_t *out);

} // namespace cw::codec

#endif // CW_CODEC_HUFFMAN_H

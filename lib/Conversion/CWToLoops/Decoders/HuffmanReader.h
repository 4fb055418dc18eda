//===- HuffmanReader.h - One symbol stream read in generated code -*- C++
//-*-===//
//
// The one place generated decoders read a Huffman-coded (or fixed-width)
// symbol: csr's gaps and indices, huffman's indices, sz's gaps and bins. A
// Huffman code is embedded as a flat 2^L decode table (L = its longest code
// length), built by the codec (Huffman.h: entry = symbol | length << 16), so
// one peek of L bits and one load resolve a symbol.
//
//===----------------------------------------------------------------------===//
#ifndef CW_LIB_CONVERSION_DECODERS_HUFFMANREADER_H
#define CW_LIB_CONVERSION_DECODERS_HUFFMANREADER_H

#include "cw/Conversion/DecodeEmitter.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace mlir::cw {

/// The longest Huffman code the generated decoders handle (one 2^16 table).
constexpr unsigned kMaxLoweredCodeLength = 16;

struct SymbolReader {
  Value table;       // flat decode table (Huffman) or null (fixed width)
  unsigned bits = 0; // lookup width (Huffman) or field width; 0: no field
  bool huffman = false;

  /// A fixed-width field of `bits` bits (0: an absent field, always 0).
  static SymbolReader fixedWidth(unsigned bits) {
    SymbolReader r;
    r.bits = bits;
    return r;
  }

  /// Decodes the symbol at the low bits of an already-peeked `window` (i64,
  /// at least `bits` valid bits); returns (symbol, bits used), both i64.
  std::pair<Value, Value> fromWindow(DecodeEmitter &e, OpBuilder &b,
                                     Location loc, Value window) const;
  /// Reads the symbol at bit `pos` of `words`; returns (symbol as i64, new
  /// bit position).
  std::pair<Value, Value> read(DecodeEmitter &e, OpBuilder &b, Location loc,
                               Value words, Value pos) const;

private:
  /// The table entry of the `bits`-bit code prefix `low`: (symbol, length).
  std::pair<Value, Value> lookup(DecodeEmitter &e, OpBuilder &b, Location loc,
                                 Value low) const;
};

/// A reader over the Huffman code with `lengths`, its table embedded as the
/// global `name`. A code with no symbol gets a 1-bit table that is never
/// read. Errors (reported through `e`): codes longer than
/// kMaxLoweredCodeLength, lengths the codec rejects.
FailureOr<SymbolReader> makeHuffmanReader(DecodeEmitter &e, StringRef name,
                                          const std::vector<uint8_t> &lengths);

} // namespace mlir::cw

#endif // CW_LIB_CONVERSION_DECODERS_HUFFMANREADER_H

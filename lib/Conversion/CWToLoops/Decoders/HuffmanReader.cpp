//===- HuffmanReader.cpp - One symbol stream read in generated code -------===//

#include "HuffmanReader.h"
#include "cw/Codec/Huffman.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <algorithm>

using namespace mlir;
namespace codec = ::cw::codec;

namespace mlir::cw {

std::pair<Value, Value> SymbolReader::lookup(DecodeEmitter &e, OpBuilder &b,
                                             Location loc, Value low) const {
  Value entry =
      memref::LoadOp::create(b, loc, table, ValueRange{e.toIndex(b, loc, low)});
  Value entry64 = arith::ExtUIOp::create(b, loc, b.getI64Type(), entry);
  Value symbol =
      arith::AndIOp::create(b, loc, entry64, e.constI64(b, loc, 0xFFFF));
  Value length = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, entry64, e.constI64(b, loc, 16)),
      e.constI64(b, loc, 31));
  return {symbol, length};
}

std::pair<Value, Value> SymbolReader::fromWindow(DecodeEmitter &e, OpBuilder &b,
                                                 Location loc,
                                                 Value window) const {
  if (bits == 0)
    return {e.constI64(b, loc, 0), e.constI64(b, loc, 0)};
  Value low = arith::AndIOp::create(
      b, loc, window, e.constI64(b, loc, (int64_t(1) << bits) - 1));
  if (!huffman)
    return {low, e.constI64(b, loc, bits)};
  return lookup(e, b, loc, low);
}

std::pair<Value, Value> SymbolReader::read(DecodeEmitter &e, OpBuilder &b,
                                           Location loc, Value words,
                                           Value pos) const {
  if (bits == 0)
    return {e.constI64(b, loc, 0), pos};
  Value low = e.peekBits(b, loc, words, pos, bits); // already `bits` wide
  if (!huffman)
    return {low, arith::AddIOp::create(b, loc, pos, e.constI64(b, loc, bits))};
  auto [symbol, length] = lookup(e, b, loc, low);
  return {symbol, arith::AddIOp::create(b, loc, pos, length)};
}

FailureOr<SymbolReader> makeHuffmanReader(DecodeEmitter &e, StringRef name,
                                          const std::vector<uint8_t> &lengths) {
  SymbolReader reader;
  reader.huffman = true;
  unsigned longest = 0;
  for (uint8_t l : lengths)
    longest = std::max<unsigned>(longest, l);
  if (longest == 0) {
    // No symbol: nothing is ever decoded with this table.
    reader.bits = 1;
    reader.table = e.getI32Table(e.getBuilder(), e.getLoc(), name, {0, 0});
    return reader;
  }
  if (longest > kMaxLoweredCodeLength) {
    e.emitError() << "cannot lower a Huffman code of " << longest
                  << " bits: the generated decoder supports at most "
                  << kMaxLoweredCodeLength;
    return failure();
  }
  auto table = codec::buildHuffmanDecodeTable(lengths, longest);
  if (!table) {
    e.emitError() << "cannot build the " << name
                  << " decode table: " << table.message();
    return failure();
  }
  if (table->lookupBits != longest || !table->secondary.empty()) {
    e.emitError() << "cannot build the " << name
                  << " decode table: the codec made a two-level table";
    return failure();
  }
  reader.bits = longest;
  reader.table =
      e.getI32Table(e.getBuilder(), e.getLoc(), name, table->primary);
  return reader;
}

} // namespace mlir::cw

//===- HuffmanDecoders.cpp - Decode loops for #cw.csr and #cw.huffman -----===//
//
// Both read the blob through the codec's parsed views (HuffmanCodec.h) and
// embed, as read-only globals, the LSB-first payload, the chunk bit offsets
// and a flat decode table per Huffman code: 2^L entries for the longest code
// length L, so one peek of L bits and one load resolve a symbol
// (entry = symbol | length << 16, the codec's leaf packing).
//
//===----------------------------------------------------------------------===//

#include "Decoders.h"
#include "cw/Codec/HuffmanCodec.h"
#include "cw/Conversion/DecodeEmitter.h"
#include "cw/Dialect/CW/CWAttrs.h"
#include "cw/Dialect/CW/CWLoweringInterface.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::cw;
namespace codec = ::cw::codec;

namespace {

/// A symbol reader for one stream: a Huffman code or a fixed-width field.
struct SymbolReader {
  Value table;       // flat decode table (Huffman) or null (fixed width)
  unsigned bits = 0; // lookup width (Huffman) or field width
  bool huffman = false;

  /// Returns (symbol as i64, new bit position).
  std::pair<Value, Value> read(DecodeEmitter &e, OpBuilder &b, Location loc,
                               Value words, Value pos) const {
    if (bits == 0) // an absent field (an index of a k = 0 matrix)
      return {e.constI64(b, loc, 0), pos};
    Value window = e.peekBits(b, loc, words, pos, bits);
    if (!huffman)
      return {window, arith::AddIOp::create(b, loc, pos,
                                            e.constI64(b, loc, bits))};
    Value entry = memref::LoadOp::create(b, loc, table,
                                         ValueRange{e.toIndex(b, loc, window)});
    Value entry64 = arith::ExtUIOp::create(b, loc, b.getI64Type(), entry);
    Value symbol = arith::AndIOp::create(b, loc, entry64,
                                         e.constI64(b, loc, 0xFFFF));
    Value length = arith::AndIOp::create(
        b, loc,
        arith::ShRUIOp::create(b, loc, entry64, e.constI64(b, loc, 16)),
        e.constI64(b, loc, 31));
    return {symbol, arith::AddIOp::create(b, loc, pos, length)};
  }
};

/// A flat 2^L decode table for `lengths` (L = the longest length used).
FailureOr<SymbolReader> makeHuffmanReader(DecodeEmitter &e, StringRef name,
                                          const std::vector<uint8_t> &lengths) {
  unsigned longest = 0;
  for (uint8_t l : lengths)
    longest = std::max<unsigned>(longest, l);
  if (longest == 0)
    longest = 1;
  if (longest > 16) {
    e.emitError() << "cannot lower a Huffman code of " << longest
                  << " bits: the generated decoder supports at most 16";
    return failure();
  }
  auto table = codec::buildHuffmanDecodeTable(lengths, longest);
  if (!table) {
    e.emitError() << table.message();
    return failure();
  }
  if (table->lookupBits != longest || !table->secondary.empty()) {
    e.emitError() << "unexpected two-level Huffman table";
    return failure();
  }
  SymbolReader reader;
  reader.huffman = true;
  reader.bits = longest;
  reader.table = e.getI32Table(e.getBuilder(), e.getLoc(), name,
                               table->primary);
  return reader;
}

/// Emits: for each chunk, for each of its rows, `rowBody(row, pos) -> pos`.
void emitChunkedRows(
    DecodeEmitter &e, uint64_t rows, uint64_t rowsPerChunk, Value offsets,
    uint64_t numChunks,
    function_ref<Value(OpBuilder &, Location, Value row, Value pos)> rowBody) {
  OpBuilder &b = e.getBuilder();
  Location loc = e.getLoc();
  Value c0 = e.constIndex(b, loc, 0), c1 = e.constIndex(b, loc, 1);
  scf::ForOp::create(
      b, loc, c0, e.constIndex(b, loc, numChunks), c1, ValueRange{},
      [&](OpBuilder &cb, Location cl, Value chunk, ValueRange) {
        Value start = memref::LoadOp::create(cb, cl, offsets, ValueRange{chunk});
        Value first = arith::MulIOp::create(
            cb, cl, chunk, e.constIndex(cb, cl, rowsPerChunk));
        Value last = arith::MinUIOp::create(
            cb, cl,
            arith::AddIOp::create(cb, cl, first,
                                  e.constIndex(cb, cl, rowsPerChunk)),
            e.constIndex(cb, cl, rows));
        scf::ForOp::create(
            cb, cl, first, last, e.constIndex(cb, cl, 1), ValueRange{start},
            [&](OpBuilder &rb, Location rl, Value row, ValueRange args) {
              e.beginRow(rb, rl, row);
              Value pos = rowBody(rb, rl, row, args[0]);
              e.endRow(rb, rl, row);
              scf::YieldOp::create(rb, rl, pos);
            });
        scf::YieldOp::create(cb, cl);
      });
}

struct CsrDecoder
    : public DecodeLoweringAttrInterface::ExternalModel<CsrDecoder,
                                                        CsrEncodingAttr> {
  LogicalResult emitDecodeLoops(Attribute, DecodeEmitter &e) const {
    ArrayRef<uint8_t> blob = e.getBlob();
    auto view = codec::parseCsrBlob(blob.data(), blob.size());
    if (!view)
      return e.emitError() << view.message();
    OpBuilder &b = e.getBuilder();
    Location loc = e.getLoc();

    SymbolReader gaps, indices;
    if (view->huffmanGaps) {
      auto r = makeHuffmanReader(e, "gap_table", view->gapLengths);
      if (failed(r))
        return failure();
      gaps = *r;
    } else {
      gaps.bits = view->gapBits;
    }
    if (view->huffmanIndices) {
      auto r = makeHuffmanReader(e, "index_table", view->indexLengths);
      if (failed(r))
        return failure();
      indices = *r;
    } else {
      indices.bits = view->indexBits;
    }
    Value payload = e.getWordTable(
        b, loc, "payload", ArrayRef<uint8_t>(view->payload, view->payloadBytes));
    Value counts = e.getWordTable(
        b, loc, "row_counts",
        ArrayRef<uint8_t>(view->rowCounts, view->rowCountBytes));
    Value offsets = e.getI64Table(b, loc, "chunk_offsets",
                                  view->chunkBitOffsets);
    unsigned countBits = view->countBits;

    emitChunkedRows(
        e, view->rows, view->rowsPerChunk, offsets, view->numChunks,
        [&](OpBuilder &rb, Location rl, Value row, Value pos) -> Value {
          Value count;
          if (countBits == 0) {
            count = e.constIndex(rb, rl, 0);
          } else {
            Value countPos = arith::MulIOp::create(
                rb, rl, e.toI64(rb, rl, row), e.constI64(rb, rl, countBits));
            count = e.toIndex(rb, rl,
                              e.peekBits(rb, rl, counts, countPos, countBits));
          }
          Value zero64 = e.constI64(rb, rl, 0);
          auto loop = scf::ForOp::create(
              rb, rl, e.constIndex(rb, rl, 0), count, e.constIndex(rb, rl, 1),
              ValueRange{pos, zero64},
              [&](OpBuilder &eb, Location el, Value, ValueRange args) {
                auto [gap, p1] = gaps.read(e, eb, el, payload, args[0]);
                auto [index, p2] = indices.read(e, eb, el, payload, p1);
                Value col = arith::AddIOp::create(eb, el, args[1], gap);
                // Fillers carry index 0, which the codebook table maps to 0.
                e.visitCluster(eb, el, row, e.toIndex(eb, el, col), index);
                Value next =
                    arith::AddIOp::create(eb, el, col, e.constI64(eb, el, 1));
                scf::YieldOp::create(eb, el, ValueRange{p2, next});
              });
          return loop.getResult(0);
        });
    return success();
  }
};

struct HuffmanDecoder
    : public DecodeLoweringAttrInterface::ExternalModel<HuffmanDecoder,
                                                        HuffmanEncodingAttr> {
  LogicalResult emitDecodeLoops(Attribute, DecodeEmitter &e) const {
    ArrayRef<uint8_t> blob = e.getBlob();
    auto view = codec::parseHuffmanBlob(blob.data(), blob.size());
    if (!view)
      return e.emitError() << view.message();
    OpBuilder &b = e.getBuilder();
    Location loc = e.getLoc();
    auto reader = makeHuffmanReader(e, "table", view->lengths);
    if (failed(reader))
      return failure();
    Value payload = e.getWordTable(
        b, loc, "payload", ArrayRef<uint8_t>(view->payload, view->payloadBytes));
    Value offsets = e.getI64Table(b, loc, "chunk_offsets",
                                  view->chunkBitOffsets);
    uint64_t cols = view->cols;
    emitChunkedRows(
        e, view->rows, view->rowsPerChunk, offsets, view->numChunks,
        [&](OpBuilder &rb, Location rl, Value row, Value pos) -> Value {
          auto loop = scf::ForOp::create(
              rb, rl, e.constIndex(rb, rl, 0), e.constIndex(rb, rl, cols),
              e.constIndex(rb, rl, 1), ValueRange{pos},
              [&](OpBuilder &cb, Location cl, Value col, ValueRange args) {
                auto [index, next] = reader->read(e, cb, cl, payload, args[0]);
                e.visitCluster(cb, cl, row, col, index);
                scf::YieldOp::create(cb, cl, next);
              });
          return loop.getResult(0);
        });
    return success();
  }
};

} // namespace

void ::cw::attachCsrDecoder(MLIRContext *ctx) {
  CsrEncodingAttr::attachInterface<CsrDecoder>(*ctx);
}

void ::cw::attachHuffmanDecoder(MLIRContext *ctx) {
  HuffmanEncodingAttr::attachInterface<HuffmanDecoder>(*ctx);
}

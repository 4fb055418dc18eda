//===- SZDecoder.cpp - Decode loops for #cw.sz ----------------------------===//
//
// DeepSZ's values decoded in place: the loops walk the codec's stage-2
// layout (SZ.h, "Stage 2"): per chunk from its bit offset and first escape,
// per row its entry count, per entry a gap code then a bin code, each
// resolved by one peek into a flat 2^L decode table (entry = symbol |
// length << 16). The value is predicted from the reconstructed values
// carried in the loops and dequantised with the codec's arithmetic exactly:
// binary64 `pred + twoEb * q` (two roundings, no fast-math flags, so no FMA
// contraction) truncated to binary32, or the escaped fp32 value for bin 0.
// The escape array gets one padding element so the load can run ahead of
// the select branch-free.
//
// Only stage 2 is lowered: the zstd stages would need libzstd at run time.
// The lowering decodes the whole blob once with the codec first, so the
// loops only ever see a payload whose every code, column and chunk end is
// known to be valid.
//
//===----------------------------------------------------------------------===//

#include "Decoders.h"
#include "HuffmanReader.h"
#include "cw/Codec/Huffman.h"
#include "cw/Codec/SZ.h"
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

/// The loop-carried predictor state: r[i-1], r[i-2] (f32) and the number of
/// entries since the last reset (i64).
struct State {
  Value r1, r2, seen;
};

struct SZDecoder
    : public DecodeLoweringAttrInterface::ExternalModel<SZDecoder,
                                                        SZEncodingAttr> {
  LogicalResult emitDecodeLoops(Attribute, DecodeEmitter &e) const {
    ArrayRef<uint8_t> blob = e.getBlob();
    auto header = codec::parseSZHeader(blob.data(), blob.size());
    if (!header)
      return e.emitError() << "malformed #cw.sz blob: " << header.message();
    if (header->entropy != codec::SZEntropyStage::HuffmanRaw)
      return e.emitError()
             << "cannot lower a #cw.sz blob with entropy stage "
             << unsigned(header->entropy)
             << " (zstd): generated code decodes stage 2 (raw Huffman); "
                "re-encode the weights with cw-encode";
    auto view = codec::parseSZRawBlob(blob.data(), blob.size(),
                                      /*checkPayload=*/true);
    if (!view)
      return e.emitError() << "malformed #cw.sz blob: " << view.message();
    if (view->rows != e.getRows() || view->cols != e.getCols())
      return e.emitError() << "#cw.sz blob holds a " << view->rows << "x"
                           << view->cols << " matrix, the weight is "
                           << e.getRows() << "x" << e.getCols();

    auto gaps = makeHuffmanReader(e, "gap_table", view->gapLengths);
    if (failed(gaps))
      return failure();
    auto bins = makeHuffmanReader(e, "bin_table", view->binLengths);
    if (failed(bins))
      return failure();
    OpBuilder &b = e.getBuilder();
    Location loc = e.getLoc();
    Value payload =
        e.getWordTable(b, loc, "payload",
                       ArrayRef<uint8_t>(view->payload, view->payloadBytes));
    Value counts =
        e.getWordTable(b, loc, "row_counts",
                       ArrayRef<uint8_t>(view->rowCounts, view->rowCountBytes));
    Value offsets =
        e.getI64Table(b, loc, "chunk_offsets", view->chunkBitOffsets);
    Value escStarts =
        e.getI64Table(b, loc, "chunk_escapes", view->chunkEscapeStarts);
    std::vector<float> escapeValues;
    for (uint64_t i = 0; i < view->numEscapes; ++i)
      escapeValues.push_back(view->escape(i));
    escapeValues.push_back(0.0f); // read ahead of the select
    Value escapes = e.getF32Table(b, loc, "escapes", escapeValues);

    Params p{*gaps,
             *bins,
             payload,
             counts,
             escapes,
             view->predictor,
             2.0 * view->errorBound,
             view->countBits};
    const int64_t rowsPerChunk = view->rowsPerChunk;
    e.forEachChunk(
        view->numChunks(), rowsPerChunk,
        [&](OpBuilder &cb, Location cl, Value chunk, Value first, Value last) {
          Value pos =
              memref::LoadOp::create(cb, cl, offsets, ValueRange{chunk});
          Value esc =
              memref::LoadOp::create(cb, cl, escStarts, ValueRange{chunk});
          // The predictor resets at every chunk.
          Value zero = arith::ConstantFloatOp::create(cb, cl, cb.getF32Type(),
                                                      APFloat(0.0f));
          Value zero64 = e.constI64(cb, cl, 0);
          scf::ForOp::create(
              cb, cl, first, last, e.constIndex(cb, cl, 1),
              ValueRange{pos, esc, zero, zero, zero64},
              [&](OpBuilder &rb, Location rl, Value row, ValueRange args) {
                e.beginRow(rb, rl, row);
                State s{args[2], args[3], args[4]};
                if (p.predictor == codec::SZPredictor::Prev)
                  s = State{zero, zero, zero64};
                auto out = emitRow(e, rb, rl, p, row, args[0], args[1], s);
                e.endRow(rb, rl, row);
                scf::YieldOp::create(rb, rl, out);
              });
        });
    return success();
  }

  struct Params {
    SymbolReader gaps, bins;
    Value payload, counts, escapes;
    codec::SZPredictor predictor;
    double twoEb;
    unsigned countBits;
  };

  /// The entries of one row; returns (pos, esc, r1, r2, seen) after it.
  static SmallVector<Value> emitRow(DecodeEmitter &e, OpBuilder &b,
                                    Location loc, const Params &p, Value row,
                                    Value pos, Value esc, State s) {
    Value count = e.constIndex(b, loc, 0);
    if (p.countBits) {
      Value at = arith::MulIOp::create(b, loc, e.toI64(b, loc, row),
                                       e.constI64(b, loc, p.countBits));
      count = e.toIndex(b, loc, e.peekBits(b, loc, p.counts, at, p.countBits));
    }
    Value next = e.constI64(b, loc, 0); // the column after the previous entry
    auto loop = scf::ForOp::create(
        b, loc, e.constIndex(b, loc, 0), count, e.constIndex(b, loc, 1),
        ValueRange{pos, next, esc, s.r1, s.r2, s.seen},
        [&](OpBuilder &eb, Location el, Value, ValueRange a) {
          auto [gap, p1] = p.gaps.read(e, eb, el, p.payload, a[0]);
          // col = next + gap - 1 (gaps count from the previous column).
          Value col = arith::SubIOp::create(
              eb, el, arith::AddIOp::create(eb, el, a[1], gap),
              e.constI64(eb, el, 1));
          auto [sym, p2] = p.bins.read(e, eb, el, p.payload, p1);
          Value value =
              emitValue(e, eb, el, p, sym, a[2], State{a[3], a[4], a[5]});
          Value isEscape = arith::CmpIOp::create(
              eb, el, arith::CmpIPredicate::eq, sym, e.constI64(eb, el, 0));
          Value esc1 = arith::AddIOp::create(
              eb, el, a[2],
              arith::ExtUIOp::create(eb, el, eb.getI64Type(), isEscape));
          e.visit(eb, el, row, e.toIndex(eb, el, col), value);
          Value next1 =
              arith::AddIOp::create(eb, el, col, e.constI64(eb, el, 1));
          Value seen1 =
              arith::AddIOp::create(eb, el, a[5], e.constI64(eb, el, 1));
          scf::YieldOp::create(eb, el,
                               ValueRange{p2, next1, esc1, value, a[3], seen1});
        });
    return {loop.getResult(0), loop.getResult(2), loop.getResult(3),
            loop.getResult(4), loop.getResult(5)};
  }

  /// The reconstruction of bin symbol `sym` (escaped when 0), as the codec
  /// computes it: float(pred + twoEb * double(unzigzag(sym - 1))).
  static Value emitValue(DecodeEmitter &e, OpBuilder &b, Location loc,
                         const Params &p, Value sym, Value esc, State s) {
    Type f64 = b.getF64Type(), f32 = b.getF32Type();
    Value r1 = arith::ExtFOp::create(b, loc, f64, s.r1);
    Value pred = r1;
    if (p.predictor == codec::SZPredictor::Linear) {
      Value two =
          arith::ConstantFloatOp::create(b, loc, b.getF64Type(), APFloat(2.0));
      Value r2 = arith::ExtFOp::create(b, loc, f64, s.r2);
      Value linear = arith::SubFOp::create(
          b, loc, arith::MulFOp::create(b, loc, two, r1), r2);
      Value full = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge,
                                         s.seen, e.constI64(b, loc, 2));
      pred = arith::SelectOp::create(b, loc, full, linear, r1);
    }
    // unzigzag(z) = (z >> 1) ^ -(z & 1), z = sym - 1.
    Value one = e.constI64(b, loc, 1);
    Value z = arith::SubIOp::create(b, loc, sym, one);
    Value q = arith::XOrIOp::create(
        b, loc, arith::ShRUIOp::create(b, loc, z, one),
        arith::SubIOp::create(b, loc, e.constI64(b, loc, 0),
                              arith::AndIOp::create(b, loc, z, one)));
    Value twoEb = arith::ConstantFloatOp::create(b, loc, b.getF64Type(),
                                                 APFloat(p.twoEb));
    Value prod = arith::MulFOp::create(b, loc, twoEb,
                                       arith::SIToFPOp::create(b, loc, f64, q));
    Value rec = arith::TruncFOp::create(
        b, loc, f32, arith::AddFOp::create(b, loc, pred, prod));
    Value escaped = memref::LoadOp::create(b, loc, p.escapes,
                                           ValueRange{e.toIndex(b, loc, esc)});
    Value isEscape = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                           sym, e.constI64(b, loc, 0));
    return arith::SelectOp::create(b, loc, isEscape, escaped, rec);
  }
};

} // namespace

void ::cw::attachSZDecoder(MLIRContext *ctx) {
  SZEncodingAttr::attachInterface<SZDecoder>(*ctx);
}

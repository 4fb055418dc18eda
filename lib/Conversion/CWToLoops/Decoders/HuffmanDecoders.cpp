//===- HuffmanDecoders.cpp - Decode loops for #cw.csr and #cw.huffman -----===//
//
// Both read the blob through the codec's parsed views (HuffmanCodec.h) and
// embed, as read-only globals, the LSB-first payload, the chunk bit offsets
// and a flat decode table per Huffman code: 2^L entries for the longest code
// length L, so one peek of L bits and one load resolve a symbol
// (entry = symbol | length << 16, the codec's leaf packing).
//
//===----------------------------------------------------------------------===//

#include "CsrLanes.h"
#include "Decoders.h"
#include "HuffmanReader.h"
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

/// The plain form: one stream, row after row, chunk after chunk. Embeds the
/// payload (as words) and the chunk bit offsets, and emits for each chunk,
/// for each of its rows, `rowBody(payload, row, pos) -> pos`.
void emitChunkedRows(DecodeEmitter &e, ArrayRef<uint8_t> payloadBytes,
                     ArrayRef<uint64_t> chunkBitOffsets, uint64_t rowsPerChunk,
                     function_ref<Value(OpBuilder &, Location, Value payload,
                                        Value row, Value pos)>
                         rowBody) {
  OpBuilder &b = e.getBuilder();
  Location loc = e.getLoc();
  Value payload = e.getWordTable(b, loc, "payload", payloadBytes);
  Value offsets = e.getI64Table(b, loc, "chunk_offsets", chunkBitOffsets);
  e.forEachChunk(
      chunkBitOffsets.size() - 1, rowsPerChunk,
      [&](OpBuilder &cb, Location cl, Value chunk, Value first, Value last) {
        Value start =
            memref::LoadOp::create(cb, cl, offsets, ValueRange{chunk});
        scf::ForOp::create(
            cb, cl, first, last, e.constIndex(cb, cl, 1), ValueRange{start},
            [&](OpBuilder &rb, Location rl, Value row, ValueRange args) {
              e.beginRow(rb, rl, row);
              Value pos = rowBody(rb, rl, payload, row, args[0]);
              e.endRow(rb, rl, row);
              scf::YieldOp::create(rb, rl, pos);
            });
      });
}

/// A contiguous run of rows decoded as one independent stream.
struct Lane {
  uint64_t firstRow = 0; // a row with entries
  uint64_t entries = 0;
  uint64_t startBit = 0;
};

/// Splits the rows into at most `maxLanes` runs of about equal entry counts,
/// each starting at a row with entries.
std::vector<Lane> splitIntoLanes(const codec::CsrBlobView &view,
                                 ArrayRef<uint64_t> rowBits,
                                 unsigned maxLanes) {
  uint64_t total = 0;
  for (uint32_t r = 0; r < view.rows; ++r)
    total += view.rowEntryCount(r);
  std::vector<Lane> lanes;
  uint64_t seen = 0;
  for (uint32_t r = 0; r < view.rows; ++r) {
    uint64_t n = view.rowEntryCount(r);
    if (n == 0)
      continue;
    // Open a new lane when this row starts past the next equal share.
    if (lanes.empty() ||
        (lanes.size() < maxLanes && seen * maxLanes >= lanes.size() * total))
      lanes.push_back({r, 0, rowBits[r]});
    lanes.back().entries += n;
    seen += n;
  }
  return lanes;
}

/// One independent stream of an interleaved kernel: the initial values of
/// its state (the accumulator excluded) and how many steps it takes.
struct LaneParams {
  SmallVector<uint64_t, 4> init;
  uint64_t steps = 0;
};

/// Emits the interleaved loops over `lanes`: their state is `init` (i64, or
/// index where `isIndex`) plus the consumer's accumulator; `step` advances
/// one lane's state by one weight. All lanes step together as long as the
/// shortest lane lasts, then each finishes alone. With `threads` > 1 the
/// lanes form that many groups, one scf.parallel iteration each, reading
/// their parameters from a small constant table.
void emitLanes(
    DecodeEmitter &e, ArrayRef<LaneParams> lanes, ArrayRef<bool> isIndex,
    unsigned threads,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)> step) {
  OpBuilder &b = e.getBuilder();
  Location loc = e.getLoc();
  WeightConsumer &consumer = e.getConsumer();
  unsigned fields = isIndex.size(), stateSize = fields + 1;
  using ParamFn =
      function_ref<Value(OpBuilder &, Location, unsigned lane, unsigned f)>;
  // Field `fields` of a lane is its step count.
  auto emitGroup = [&](OpBuilder &gb, Location gl, unsigned count,
                       ParamFn param, Value common) {
    SmallVector<Value> state;
    for (unsigned l = 0; l < count; ++l) {
      for (unsigned f = 0; f < fields; ++f) {
        Value v = param(gb, gl, l, f);
        state.push_back(isIndex[f] ? e.toIndex(gb, gl, v) : v);
      }
      state.push_back(consumer.zeroAccumulator(gb, gl));
    }
    auto together = scf::ForOp::create(
        gb, gl, e.constIndex(gb, gl, 0), common, e.constIndex(gb, gl, 1), state,
        [&](OpBuilder &lb, Location ll, Value, ValueRange args) {
          SmallVector<Value> out;
          for (unsigned l = 0; l < count; ++l)
            out.append(step(lb, ll, args.slice(l * stateSize, stateSize)));
          scf::YieldOp::create(lb, ll, out);
        });
    for (unsigned l = 0; l < count; ++l)
      scf::ForOp::create(
          gb, gl, common, e.toIndex(gb, gl, param(gb, gl, l, fields)),
          e.constIndex(gb, gl, 1),
          together.getResults().slice(l * stateSize, stateSize),
          [&](OpBuilder &lb, Location ll, Value, ValueRange args) {
            scf::YieldOp::create(lb, ll, step(lb, ll, args));
          });
  };
  auto field = [&](const LaneParams &lane, unsigned f) -> uint64_t {
    return f < fields ? lane.init[f] : lane.steps;
  };

  unsigned groups = std::max(1u, threads);
  if (groups == 1) {
    // One thread: the lane parameters are compile-time constants.
    uint64_t common = lanes.front().steps;
    for (const LaneParams &lane : lanes)
      common = std::min(common, lane.steps);
    emitGroup(
        b, loc, lanes.size(),
        [&](OpBuilder &pb, Location pl, unsigned l, unsigned f) -> Value {
          return e.constI64(pb, pl, int64_t(field(lanes[l], f)));
        },
        e.constIndex(b, loc, common));
    return;
  }
  unsigned perGroup = (lanes.size() + groups - 1) / groups;
  unsigned width = fields + 1;
  std::vector<uint64_t> table(size_t(groups) * perGroup * width, 0);
  std::vector<uint64_t> commons(groups, 0);
  for (unsigned g = 0; g < groups; ++g) {
    uint64_t common = UINT64_MAX;
    for (unsigned l = 0; l < perGroup; ++l) {
      size_t lane = size_t(g) * perGroup + l;
      // Padding lanes take no steps.
      LaneParams empty;
      empty.init.assign(fields, 0);
      const LaneParams &ln = lane < lanes.size() ? lanes[lane] : empty;
      for (unsigned f = 0; f < width; ++f)
        table[lane * width + f] = field(ln, f);
      common = std::min(common, ln.steps);
    }
    commons[g] = common;
  }
  Value laneTable = e.getI64Table(b, loc, "lanes", table);
  Value commonTable = e.getI64Table(b, loc, "lane_common", commons);
  scf::ParallelOp::create(
      b, loc, ValueRange{e.constIndex(b, loc, 0)},
      ValueRange{e.constIndex(b, loc, groups)},
      ValueRange{e.constIndex(b, loc, 1)},
      [&](OpBuilder &pb, Location pl, ValueRange ivs) {
        Value g = ivs[0];
        Value base = arith::MulIOp::create(
            pb, pl, g, e.constIndex(pb, pl, perGroup * width));
        Value common = e.toIndex(
            pb, pl, memref::LoadOp::create(pb, pl, commonTable, ValueRange{g}));
        emitGroup(
            pb, pl, perGroup,
            [&](OpBuilder &qb, Location ql, unsigned l, unsigned f) -> Value {
              Value at = arith::AddIOp::create(
                  qb, ql, base, e.constIndex(qb, ql, l * width + f));
              return memref::LoadOp::create(qb, ql, laneTable, ValueRange{at});
            },
            common);
      });
}

/// The interleaved form of the csr loop for consumers that accumulate in
/// registers: the layer's rows are cut into lanes (independent streams,
/// starting at row bit offsets the codec computes at compile time) and one
/// loop advances every lane by one entry per iteration, so the lanes'
/// serial bit-position chains overlap instead of waiting on each other.
void emitInterleavedCsr(DecodeEmitter &e, const codec::CsrBlobView &view,
                        const SymbolReader &gaps, const SymbolReader &indices,
                        Value payload, Value counts, ArrayRef<Lane> lanes,
                        unsigned threads) {
  OpBuilder &b = e.getBuilder();
  Location loc = e.getLoc();
  WeightConsumer &consumer = e.getConsumer();
  Type accType = consumer.getAccumulatorType(b);
  Type i64 = b.getI64Type(), idx = b.getIndexType();
  unsigned countBits = view.countBits;
  unsigned windowBits = gaps.bits + indices.bits;
  uint64_t rows = view.rows;

  consumer.zeroOutput(b, loc);
  Value codebook = e.getCodebookTable(b, loc);

  auto countOf = [&](OpBuilder &ob, Location ol, Value row) -> Value {
    Value at = arith::MulIOp::create(ob, ol, e.toI64(ob, ol, row),
                                     e.constI64(ob, ol, countBits));
    return e.peekBits(ob, ol, counts, at, countBits);
  };

  // Lane state: bit position, entries left in the row and next column
  // (packed), row, the row's accumulator.
  auto step = [&](OpBuilder &sb, Location sl, ValueRange st) {
    // `packed` holds the entries left in the row (high 32 bits) and the next
    // column (low 32 bits): one register instead of two, so four lanes'
    // hot state fits the general registers without spills.
    Value pos = st[0], packed = st[1], row = st[2], acc = st[3];
    Value window = e.peekBitsUnaligned(sb, sl, payload, pos, windowBits);
    auto [gap, gapLen] = gaps.fromWindow(e, sb, sl, window);
    Value rest = arith::ShRUIOp::create(sb, sl, window, gapLen);
    auto [index, indexLen] = indices.fromWindow(e, sb, sl, rest);
    pos = arith::AddIOp::create(
        sb, sl, pos, arith::AddIOp::create(sb, sl, gapLen, indexLen));
    Value withGap = arith::AddIOp::create(sb, sl, packed, gap);
    Value col = arith::AndIOp::create(sb, sl, withGap,
                                      e.constI64(sb, sl, 0xFFFFFFFFll));
    // Fillers carry index 0, which the codebook table maps to 0.
    Value w = memref::LoadOp::create(sb, sl, codebook,
                                     ValueRange{e.toIndex(sb, sl, index)});
    acc = consumer.accumulate(sb, sl, acc, e.toIndex(sb, sl, col), w);
    // next = col + 1, left = left - 1, in one add.
    packed = arith::AddIOp::create(sb, sl, withGap,
                                   e.constI64(sb, sl, 1 - (int64_t(1) << 32)));
    Value rowDone =
        arith::CmpIOp::create(sb, sl, arith::CmpIPredicate::ult, packed,
                              e.constI64(sb, sl, int64_t(1) << 32));
    auto ifOp = scf::IfOp::create(sb, sl, TypeRange{i64, idx, accType}, rowDone,
                                  /*withElseRegion=*/true);
    {
      OpBuilder tb = OpBuilder::atBlockEnd(ifOp.thenBlock());
      Location tl = sl;
      consumer.storeAccumulator(tb, tl, row, acc);
      // Move to the next row with entries (rows without any stay 0).
      Value start = arith::AddIOp::create(tb, tl, row, e.constIndex(tb, tl, 1));
      auto skip = scf::WhileOp::create(
          tb, tl, TypeRange{idx}, ValueRange{start},
          [&](OpBuilder &wb, Location wl, ValueRange args) {
            Value inRange =
                arith::CmpIOp::create(wb, wl, arith::CmpIPredicate::ult,
                                      args[0], e.constIndex(wb, wl, rows));
            Value empty = arith::CmpIOp::create(
                wb, wl, arith::CmpIPredicate::eq, countOf(wb, wl, args[0]),
                e.constI64(wb, wl, 0));
            scf::ConditionOp::create(
                wb, wl, arith::AndIOp::create(wb, wl, inRange, empty), args);
          },
          [&](OpBuilder &wb, Location wl, ValueRange args) {
            scf::YieldOp::create(
                wb, wl,
                ValueRange{arith::AddIOp::create(wb, wl, args[0],
                                                 e.constIndex(wb, wl, 1))});
          });
      Value nextRow = skip.getResult(0);
      Value newPacked = arith::ShLIOp::create(tb, tl, countOf(tb, tl, nextRow),
                                              e.constI64(tb, tl, 32));
      scf::YieldOp::create(
          tb, tl,
          ValueRange{newPacked, nextRow, consumer.zeroAccumulator(tb, tl)});
    }
    {
      OpBuilder eb = OpBuilder::atBlockEnd(ifOp.elseBlock());
      scf::YieldOp::create(eb, sl, ValueRange{packed, row, acc});
    }
    return SmallVector<Value>{pos, ifOp.getResult(0), ifOp.getResult(1),
                              ifOp.getResult(2)};
  };

  std::vector<LaneParams> params;
  for (const Lane &lane : lanes)
    params.push_back(
        {{lane.startBit, uint64_t(view.rowEntryCount(lane.firstRow)) << 32,
          lane.firstRow},
         lane.entries});
  emitLanes(e, params, {false, false, true}, threads, step);
}

struct CsrDecoder
    : public DecodeLoweringAttrInterface::ExternalModel<CsrDecoder,
                                                        CsrEncodingAttr> {
  LogicalResult emitDecodeLoops(Attribute, DecodeEmitter &e) const {
    ArrayRef<uint8_t> blob = e.getBlob();
    auto view = codec::parseCsrBlob(blob.data(), blob.size());
    if (!view)
      return e.emitError() << view.message();
    if (view->lanes)
      return emitCsrLaneLoops(e, *view);
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
    Value counts =
        e.getWordTable(b, loc, "row_counts",
                       ArrayRef<uint8_t>(view->rowCounts, view->rowCountBytes));
    unsigned countBits = view->countBits;

    if ((e.getInterleave() > 1 || e.getThreads() > 1) &&
        e.getConsumer().getAccumulatorType(b) && countBits > 0 &&
        gaps.bits + indices.bits <= 57) {
      auto rowBits = codec::csrRowBitOffsets(*view);
      if (!rowBits)
        return e.emitError() << rowBits.message();
      unsigned threads = std::max(1u, e.getThreads());
      std::vector<Lane> lanes =
          splitIntoLanes(*view, *rowBits, e.getInterleave() * threads);
      if (!lanes.empty()) {
        Value bytes = e.getByteStream(
            b, loc, "payload_bytes",
            ArrayRef<uint8_t>(view->payload, view->payloadBytes));
        emitInterleavedCsr(e, *view, gaps, indices, bytes, counts, lanes,
                           threads);
        return success();
      }
    }

    emitChunkedRows(
        e, ArrayRef<uint8_t>(view->payload, view->payloadBytes),
        view->chunkBitOffsets, view->rowsPerChunk,
        [&](OpBuilder &rb, Location rl, Value payload, Value row,
            Value pos) -> Value {
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
    uint64_t cols = view->cols;
    WeightConsumer &consumer = e.getConsumer();
    if ((e.getInterleave() > 1 || e.getThreads() > 1) &&
        consumer.getAccumulatorType(b) && view->rows > 0 && cols > 0) {
      auto rowBits = codec::huffmanRowBitOffsets(*view);
      if (!rowBits)
        return e.emitError() << rowBits.message();
      // Lanes of equal row counts (every row holds `cols` symbols).
      uint64_t numLanes = std::min<uint64_t>(
          view->rows, e.getInterleave() * std::max(1u, e.getThreads()));
      uint64_t perLane = (view->rows + numLanes - 1) / numLanes;
      std::vector<LaneParams> lanes;
      for (uint64_t first = 0; first < view->rows; first += perLane) {
        uint64_t n = std::min<uint64_t>(perLane, view->rows - first);
        lanes.push_back({{(*rowBits)[first], 0, first}, n * cols});
      }
      Value bytes =
          e.getByteStream(b, loc, "payload_bytes",
                          ArrayRef<uint8_t>(view->payload, view->payloadBytes));
      consumer.zeroOutput(b, loc);
      Value codebook = e.getCodebookTable(b, loc);
      Type idx = b.getIndexType();
      Type accType = consumer.getAccumulatorType(b);
      // Lane state: bit position, column, row, the row's accumulator.
      auto step = [&](OpBuilder &sb, Location sl,
                      ValueRange st) -> SmallVector<Value> {
        Value pos = st[0], col = st[1], row = st[2], acc = st[3];
        Value window = e.peekBitsUnaligned(sb, sl, bytes, pos, reader->bits);
        auto [index, len] = reader->fromWindow(e, sb, sl, window);
        pos = arith::AddIOp::create(sb, sl, pos, len);
        Value w = memref::LoadOp::create(sb, sl, codebook,
                                         ValueRange{e.toIndex(sb, sl, index)});
        acc = consumer.accumulate(sb, sl, acc, col, w);
        Value nextCol =
            arith::AddIOp::create(sb, sl, col, e.constIndex(sb, sl, 1));
        Value rowDone =
            arith::CmpIOp::create(sb, sl, arith::CmpIPredicate::eq, nextCol,
                                  e.constIndex(sb, sl, cols));
        auto ifOp = scf::IfOp::create(sb, sl, TypeRange{idx, idx, accType},
                                      rowDone, /*withElseRegion=*/true);
        {
          OpBuilder tb = OpBuilder::atBlockEnd(ifOp.thenBlock());
          consumer.storeAccumulator(tb, sl, row, acc);
          scf::YieldOp::create(
              tb, sl,
              ValueRange{
                  e.constIndex(tb, sl, 0),
                  arith::AddIOp::create(tb, sl, row, e.constIndex(tb, sl, 1)),
                  consumer.zeroAccumulator(tb, sl)});
        }
        {
          OpBuilder eb = OpBuilder::atBlockEnd(ifOp.elseBlock());
          scf::YieldOp::create(eb, sl, ValueRange{nextCol, row, acc});
        }
        return {pos, ifOp.getResult(0), ifOp.getResult(1), ifOp.getResult(2)};
      };
      emitLanes(e, lanes, {false, true, true}, e.getThreads(), step);
      return success();
    }
    emitChunkedRows(
        e, ArrayRef<uint8_t>(view->payload, view->payloadBytes),
        view->chunkBitOffsets, view->rowsPerChunk,
        [&](OpBuilder &rb, Location rl, Value payload, Value row,
            Value pos) -> Value {
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

//===- BloomierDecoder.cpp - Decode loops for #cw.bloomier ----------------===//
//
// Weightless §3 in generated code: every position (row, col) is queried
// exactly as bloomierQuery does (Bloomier.h, "Query"): fmix64 of the global
// position plus the chunk's seed, a multiply-shift segment, k disjoint
// offset fields of the hash, the XOR of the k t-bit cells and the mask.
// A value below the cluster count is a weight (codebook[value]); anything
// else is a zero. Only the stored weights (~8 % nonzeros + ~K/2^t of the
// zeros) reach the multiply: each block of a row is queried by a branch-free
// loop (which LLVM vectorises), compacted, and only then visited, so the
// random stored/zero pattern costs no branch mispredictions.
//
// Globals: the cell payload as the blob holds it (little-endian 32-bit
// words for t = 8 and 16, LSB-first 64-bit words read with peekBits
// otherwise) and the chunk table (seed, firstCell, S, lgL per chunk, i64).
// The chunk's parameters are loaded once per chunk, outside the position
// loops.
//
//===----------------------------------------------------------------------===//

#include "Decoders.h"
#include "cw/Codec/Bloomier.h"
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

/// fmix64 (MurmurHash3's finaliser), in wrapping i64 arithmetic.
Value fmix64(DecodeEmitter &e, OpBuilder &b, Location loc, Value h) {
  Value s33 = e.constI64(b, loc, 33);
  auto xorShift = [&](Value v) {
    return arith::XOrIOp::create(b, loc, v,
                                 arith::ShRUIOp::create(b, loc, v, s33));
  };
  h = xorShift(h);
  h = arith::MulIOp::create(b, loc, h,
                            e.constI64(b, loc, int64_t(0xff51afd7ed558ccdULL)));
  h = xorShift(h);
  h = arith::MulIOp::create(b, loc, h,
                            e.constI64(b, loc, int64_t(0xc4ceb9fe1a85ec53ULL)));
  return xorShift(h);
}

/// How the t-bit cells are read from the payload global. For t = 8 and 16 a
/// cell never straddles an aligned 32-bit word, so the payload is an i32
/// table (its bytes as little-endian words): one word load, a shift and a
/// mask per probe. LLVM turns that load into a hardware gather when it
/// vectorises the query loop (vpgatherqd on AVX-512), where byte or 16-bit
/// loads would be scalarised lane by lane into inserts. Other widths read
/// LSB-first 64-bit words with peekBits.
struct CellReader {
  Value table;
  unsigned bits;

  bool inWords() const { return bits == 8 || bits == 16; }

  /// Cell `index` (i64) as an i64.
  Value read(DecodeEmitter &e, OpBuilder &b, Location loc, Value index) const {
    if (inWords()) {
      const unsigned perWordLog2 = bits == 8 ? 2 : 1;
      Value word = arith::ShRUIOp::create(b, loc, index,
                                          e.constI64(b, loc, perWordLog2));
      Value v = memref::LoadOp::create(b, loc, table,
                                       ValueRange{e.toIndex(b, loc, word)});
      Value slot = arith::AndIOp::create(
          b, loc, index, e.constI64(b, loc, (1 << perWordLog2) - 1));
      Value shift =
          arith::MulIOp::create(b, loc, slot, e.constI64(b, loc, bits));
      Value w = arith::ExtUIOp::create(b, loc, b.getI64Type(), v);
      return arith::AndIOp::create(
          b, loc, arith::ShRUIOp::create(b, loc, w, shift),
          e.constI64(b, loc, (int64_t(1) << bits) - 1));
    }
    Value bit = arith::MulIOp::create(b, loc, index, e.constI64(b, loc, bits));
    return e.peekBits(b, loc, table, bit, bits);
  }
};

struct BloomierDecoder
    : public DecodeLoweringAttrInterface::ExternalModel<BloomierDecoder,
                                                        BloomierEncodingAttr> {
  LogicalResult emitDecodeLoops(Attribute, DecodeEmitter &e) const {
    ArrayRef<uint8_t> blob = e.getBlob();
    auto view = codec::parseBloomier(blob.data(), blob.size());
    if (!view)
      return e.emitError() << "malformed #cw.bloomier blob: " << view.message();
    if (view->rows != e.getRows() || view->cols != e.getCols())
      return e.emitError() << "#cw.bloomier blob holds a " << view->rows << "x"
                           << view->cols << " matrix, the weight is "
                           << e.getRows() << "x" << e.getCols();
    if (view->numClusters != e.getCodebook().size())
      return e.emitError() << "#cw.bloomier blob has " << view->numClusters
                           << " clusters but the codebook has "
                           << e.getCodebook().size();

    OpBuilder &b = e.getBuilder();
    Location loc = e.getLoc();
    const unsigned k = view->hashes, t = view->cellBits;
    const int64_t cols = int64_t(view->cols);
    const int64_t rowsPerChunk = view->rowsPerChunk;

    // Globals: cells in their blob form, and the chunk table.
    ArrayRef<uint8_t> cellBytes(view->cells, view->cellBytes);
    CellReader cells{Value(), t};
    if (cells.inWords()) {
      std::vector<uint32_t> words((cellBytes.size() + 3) / 4, 0);
      for (size_t i = 0; i < cellBytes.size(); ++i)
        words[i / 4] |= uint32_t(cellBytes[i]) << (8 * (i % 4));
      cells.table = e.getI32Table(b, loc, "cells", words);
    } else {
      cells.table = e.getWordTable(b, loc, "cells", cellBytes);
    }
    std::vector<uint64_t> chunkTable;
    for (const codec::BloomierChunk &c : view->chunks) {
      chunkTable.push_back(c.seed);
      chunkTable.push_back(c.firstCell);
      chunkTable.push_back(c.segmentCount);
      chunkTable.push_back(c.segmentLengthLog2);
    }
    Value chunks = e.getI64Table(b, loc, "chunks", chunkTable);
    const bool anyCluster = view->numClusters > 0;
    // Per-row scratch of the column blocks (see emitColumns), on the stack
    // of the kernel's entry block.
    const int64_t block = std::max<int64_t>(1, std::min<int64_t>(cols, 1024));
    Value scratch = memref::AllocaOp::create(
        b, loc, MemRefType::get({block}, b.getI32Type()));

    e.forEachChunk(
        view->chunks.size(), rowsPerChunk,
        [&](OpBuilder &cb, Location cl, Value chunk, Value first, Value last) {
          auto field = [&](int64_t i) -> Value {
            Value at = arith::AddIOp::create(
                cb, cl,
                arith::MulIOp::create(cb, cl, chunk, e.constIndex(cb, cl, 4)),
                e.constIndex(cb, cl, i));
            return memref::LoadOp::create(cb, cl, chunks, ValueRange{at});
          };
          Value seed = field(0), firstCell = field(1), segs = field(2),
                lg = field(3);
          Value one = e.constI64(cb, cl, 1);
          Value lMask = arith::SubIOp::create(
              cb, cl, arith::ShLIOp::create(cb, cl, one, lg), one);
          // Probe i reads cell firstCell + ((seg + i) << lg) + field_i.
          SmallVector<Value> probeBase, probeShift;
          for (unsigned i = 0; i < k; ++i) {
            Value iv = e.constI64(cb, cl, i);
            probeBase.push_back(arith::AddIOp::create(
                cb, cl, firstCell, arith::ShLIOp::create(cb, cl, iv, lg)));
            probeShift.push_back(arith::MulIOp::create(cb, cl, iv, lg));
          }
          Value nonEmpty = arith::CmpIOp::create(
              cb, cl, arith::CmpIPredicate::ne, segs, e.constI64(cb, cl, 0));
          scf::ForOp::create(
              cb, cl, first, last, e.constIndex(cb, cl, 1), ValueRange{},
              [&](OpBuilder &rb, Location rl, Value row, ValueRange) {
                e.beginRow(rb, rl, row);
                if (anyCluster) {
                  auto ifOp = scf::IfOp::create(rb, rl, nonEmpty,
                                                /*withElseRegion=*/false);
                  OpBuilder ib = ifOp.getThenBodyBuilder();
                  // Key of column 0: row * C + seed (the codec's p + seed).
                  Value rowKey = arith::AddIOp::create(
                      ib, rl,
                      arith::MulIOp::create(ib, rl, e.toI64(ib, rl, row),
                                            e.constI64(ib, rl, cols)),
                      seed);
                  emitColumns(e, ib, rl, row, rowKey, segs, lg, lMask,
                              probeBase, probeShift, cells, scratch, block,
                              cols, t, view->numClusters);
                }
                e.endRow(rb, rl, row);
                scf::YieldOp::create(rb, rl);
              });
        });
    return success();
  }

  /// The query of every column of `row`, visiting the stored weights. Per
  /// block of columns: (1) a branch-free map computing every position's
  /// cluster + 1 (0 for a zero) into `scratch`, (2) an in-place compaction
  /// of the nonzeros to (column << 16 | cluster + 1), (3) the visits. The
  /// data-dependent branch of a per-position scf.if (taken ~20 % of the time
  /// at random) would mispredict on most stored weights; the map loop also
  /// leaves LLVM free to vectorise the hash.
  static void emitColumns(DecodeEmitter &e, OpBuilder &b, Location loc,
                          Value row, Value rowKey, Value segs, Value lg,
                          Value lMask, ArrayRef<Value> probeBase,
                          ArrayRef<Value> probeShift, const CellReader &cells,
                          Value scratch, int64_t block, int64_t cols,
                          unsigned t, unsigned numClusters) {
    Type i32 = b.getI32Type();
    Value c0 = e.constIndex(b, loc, 0), c1 = e.constIndex(b, loc, 1);
    scf::ForOp::create(
        b, loc, c0, e.constIndex(b, loc, cols), e.constIndex(b, loc, block),
        ValueRange{}, [&](OpBuilder &bb, Location bl, Value start, ValueRange) {
          Value n = arith::MinUIOp::create(
              bb, bl, e.constIndex(bb, bl, block),
              arith::SubIOp::create(bb, bl, e.constIndex(bb, bl, cols), start));
          Value blockKey =
              arith::AddIOp::create(bb, bl, rowKey, e.toI64(bb, bl, start));
          // (1) Map: scratch[j] = query(start + j).
          scf::ForOp::create(
              bb, bl, c0, n, c1, ValueRange{},
              [&](OpBuilder &pb, Location pl, Value j, ValueRange) {
                Value key =
                    arith::AddIOp::create(pb, pl, blockKey, e.toI64(pb, pl, j));
                Value x = emitQuery(e, pb, pl, key, segs, lg, lMask, probeBase,
                                    probeShift, cells, t);
                // Values 0..K-1 are clusters 1..K; the rest (most zeros)
                // read 0.
                Value stored =
                    arith::CmpIOp::create(pb, pl, arith::CmpIPredicate::ult, x,
                                          e.constI64(pb, pl, numClusters));
                Value v = arith::SelectOp::create(
                    pb, pl, stored,
                    arith::AddIOp::create(pb, pl, x, e.constI64(pb, pl, 1)),
                    e.constI64(pb, pl, 0));
                memref::StoreOp::create(pb, pl,
                                        arith::TruncIOp::create(pb, pl, i32, v),
                                        scratch, ValueRange{j});
                scf::YieldOp::create(pb, pl);
              });
          // (2) Compaction: cnt <= j, so each entry is read before any
          // write can reach it.
          auto compact = scf::ForOp::create(
              bb, bl, c0, n, c1, ValueRange{c0},
              [&](OpBuilder &pb, Location pl, Value j, ValueRange args) {
                Value v =
                    memref::LoadOp::create(pb, pl, scratch, ValueRange{j});
                Value jj = arith::IndexCastUIOp::create(pb, pl, i32, j);
                Value packed = arith::OrIOp::create(
                    pb, pl,
                    arith::ShLIOp::create(pb, pl, jj, e.constI32(pb, pl, 16)),
                    v);
                memref::StoreOp::create(pb, pl, packed, scratch,
                                        ValueRange{args[0]});
                Value nz = arith::CmpIOp::create(
                    pb, pl, arith::CmpIPredicate::ne, v, e.constI32(pb, pl, 0));
                Value next = arith::AddIOp::create(
                    pb, pl, args[0],
                    arith::IndexCastUIOp::create(
                        pb, pl, pb.getIndexType(),
                        arith::ExtUIOp::create(pb, pl, i32, nz)));
                scf::YieldOp::create(pb, pl, next);
              });
          // (3) Visits.
          scf::ForOp::create(
              bb, bl, c0, compact.getResult(0), c1, ValueRange{},
              [&](OpBuilder &pb, Location pl, Value i, ValueRange) {
                Value packed =
                    memref::LoadOp::create(pb, pl, scratch, ValueRange{i});
                Value j = arith::ShRUIOp::create(pb, pl, packed,
                                                 e.constI32(pb, pl, 16));
                Value col =
                    arith::AddIOp::create(pb, pl, start, e.toIndex(pb, pl, j));
                Value cluster = arith::AndIOp::create(
                    pb, pl, packed, e.constI32(pb, pl, 0xFFFF));
                e.visitCluster(pb, pl, row, col, cluster);
                scf::YieldOp::create(pb, pl);
              });
          scf::YieldOp::create(bb, bl);
        });
  }

  /// The codec's query of global key position + seed: the XOR of the k
  /// cells and the mask, as an i64 (a cluster when below K).
  static Value emitQuery(DecodeEmitter &e, OpBuilder &b, Location loc,
                         Value key, Value segs, Value lg, Value lMask,
                         ArrayRef<Value> probeBase, ArrayRef<Value> probeShift,
                         const CellReader &cells, unsigned t) {
    Value h = fmix64(e, b, loc, key);
    Value hi = arith::ShRUIOp::create(b, loc, h, e.constI64(b, loc, 32));
    // seg = (hi * S) >> 32 < S; the product fits 64 bits.
    Value seg =
        arith::ShRUIOp::create(b, loc, arith::MulIOp::create(b, loc, hi, segs),
                               e.constI64(b, loc, 32));
    Value segBase = arith::ShLIOp::create(b, loc, seg, lg);
    Value x = arith::AndIOp::create(b, loc, hi,
                                    e.constI64(b, loc, (int64_t(1) << t) - 1));
    for (size_t i = 0; i < probeBase.size(); ++i) {
      Value field =
          i == 0 ? h : arith::ShRUIOp::create(b, loc, h, probeShift[i]);
      Value cell = arith::AddIOp::create(
          b, loc, arith::AddIOp::create(b, loc, probeBase[i], segBase),
          arith::AndIOp::create(b, loc, field, lMask));
      x = arith::XOrIOp::create(b, loc, x, cells.read(e, b, loc, cell));
    }
    return x;
  }
};

} // namespace

void ::cw::attachBloomierDecoder(MLIRContext *ctx) {
  BloomierEncodingAttr::attachInterface<BloomierDecoder>(*ctx);
}

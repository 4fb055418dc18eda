//===- CsrLanesDecoder.cpp - Lockstep SIMD loops for lane-interleaved csr -===//
//
// A #cw.csr<lanes = 16> blob holds each group of 16 consecutive rows as one
// word stream that 16 SIMD lanes read in lockstep (the layout and the refill
// order are the codec's, HuffmanCodec.h). Per step every lane refills its
// 32-bit bit buffer with one masked expand-load when it holds fewer than 16
// bits, decodes one gap and one cluster index through two flat lookup
// tables each (length, value), and either multiplies the weight with the
// input gathered at its column (batch-1 matmul: the 16 row sums stay in one
// vector) or records (column, weight) in a scratch buffer that the
// consumer's per-row protocol then replays (batch > 1, conv, decode: each
// weight is still decoded once).
//
// With simd=avx512vbmi the tables of a 7-bit peek (128 bytes) live in two
// zmm registers each and are read with vpermi2b, and a codebook of up to 32
// entries with vpermi2ps; otherwise the tables are globals read with
// vector.gather (portable, slower).
//
//===----------------------------------------------------------------------===//

#include "CsrLanes.h"
#include "cw/Codec/Huffman.h"
#include "cw/Dialect/CW/CWOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::cw;
namespace codec = ::cw::codec;

namespace {

constexpr unsigned kLanes = codec::kCsrLanes;
/// The peek width whose tables fit two zmm registers (vpermi2b's reach).
constexpr unsigned kRegisterPeekBits = 7;
/// Groups decoded in one loop, at most: more lane states spill registers.
constexpr unsigned kMaxGroupsPerLoop = 4;

/// A length table and a value table over every `peekBits`-bit prefix.
struct ByteTables {
  std::vector<uint8_t> lengths, values;
};

FailureOr<ByteTables> buildTables(DecodeEmitter &e, StringRef what,
                                  const std::vector<uint8_t> &codeLengths,
                                  unsigned peekBits,
                                  function_ref<uint8_t(uint32_t)> valueOf) {
  auto code = codec::makeCanonicalHuffmanCode(codeLengths);
  if (!code)
    return e.emitError() << "#cw.csr " << what << " code: " << code.message();
  size_t size = size_t(1) << peekBits;
  ByteTables t;
  // Prefixes that start no code (an incomplete code) decode as length 0;
  // a verified blob never reaches them.
  t.lengths.assign(size, 0);
  t.values.assign(size, 0);
  for (uint32_t s = 0; s < codeLengths.size(); ++s) {
    unsigned l = codeLengths[s];
    if (l == 0)
      continue;
    if (l > peekBits)
      return e.emitError() << "#cw.csr " << what << " code of " << l
                           << " bits exceeds the " << peekBits
                           << "-bit lookup of the lane decoder";
    for (size_t high = 0; high < (size >> l); ++high) {
      size_t at = code->codes[s] | (high << l);
      t.lengths[at] = uint8_t(l);
      t.values[at] = valueOf(s);
    }
  }
  return t;
}

class LaneKernel {
public:
  LaneKernel(DecodeEmitter &e, const codec::CsrBlobView &view)
      : e(e), view(view), b(e.getBuilder()), loc(e.getLoc()) {}
  LogicalResult emit();

private:
  /// One table read per lane: a register pair (vbmi) or a global (generic).
  struct Table {
    Value lo, hi, global;
  };
  // Lane state layout (ValueRange positions).
  enum : unsigned { kBuf, kCount, kCol, kPtr, kAcc };

  Value splatI32(OpBuilder &ob, Location ol, int32_t v) {
    return arith::ConstantOp::create(ob, ol, vI32,
                                     DenseElementsAttr::get(vI32, v));
  }
  Value zeroF32(OpBuilder &ob, Location ol) {
    return arith::ConstantOp::create(ob, ol, vF32, ob.getZeroAttr(vF32));
  }
  Table makeTable(StringRef name, ArrayRef<uint8_t> bytes);
  Value lookup(OpBuilder &ob, Location ol, const Table &t, Value buf);
  Value permuteBytes(OpBuilder &ob, Location ol, Value lo, Value idx, Value hi);
  SmallVector<Value> initialState(OpBuilder &ob, Location ol, Value wordStart);
  SmallVector<Value> step(OpBuilder &ob, Location ol, ValueRange st,
                          Value active, Value stepIndex, Value scratchBase);
  void emitBlock(OpBuilder &ob, Location ol, Value block, Value scratchBase);
  void finishGroup(OpBuilder &ob, Location ol, Value group, ValueRange st,
                   Value scratchBase);

  DecodeEmitter &e;
  const codec::CsrBlobView &view;
  OpBuilder &b;
  Location loc;
  WeightConsumer *consumer = nullptr;
  bool vbmi = false, accumulate = false, codebookInRegs = false;
  unsigned peekBits = 0, groupsPerLoop = 1;
  uint64_t numGroups = 0, numBlocks = 0, maxSteps = 0;
  VectorType vI32, vF32, vI1, vI16, vI8x64;
  Value payload, groupTable, blockTable, countTable;
  Table gapLen, gapStep, indexLen, indexValue;
  Value codebookLo, codebookHi, codebookTable;
  Value scratchCols, scratchWeights;
};

LaneKernel::Table LaneKernel::makeTable(StringRef name,
                                        ArrayRef<uint8_t> bytes) {
  Table t;
  t.global = e.getI8Table(b, loc, name, bytes);
  if (vbmi) {
    auto half = [&](int64_t at) {
      return vector::LoadOp::create(b, loc, vI8x64, t.global,
                                    ValueRange{e.constIndex(b, loc, at)});
    };
    t.lo = half(0);
    t.hi = half(64);
  }
  return t;
}

Value LaneKernel::permuteBytes(OpBuilder &ob, Location ol, Value lo, Value idx,
                               Value hi) {
  Value bytes = vector::BitCastOp::create(ob, ol, vI8x64, idx);
  Value r = PermuteOp::create(ob, ol, vI8x64, lo, bytes, hi);
  return vector::BitCastOp::create(ob, ol, vI32, r);
}

/// The table entry of each lane's next `peekBits` bits, as i32 lanes.
Value LaneKernel::lookup(OpBuilder &ob, Location ol, const Table &t,
                         Value buf) {
  if (vbmi) {
    // vpermi2b indexes with the low 7 bits of each byte: byte 0 of a lane
    // is its peek; the other three bytes read junk, masked off.
    Value r = permuteBytes(ob, ol, t.lo, buf, t.hi);
    return arith::AndIOp::create(ob, ol, r, splatI32(ob, ol, 0xFF));
  }
  Value peek = arith::AndIOp::create(
      ob, ol, buf, splatI32(ob, ol, int32_t((1u << peekBits) - 1)));
  auto vI8 = VectorType::get({kLanes}, ob.getI8Type());
  Value all =
      arith::ConstantOp::create(ob, ol, vI1, DenseElementsAttr::get(vI1, true));
  Value pass = arith::ConstantOp::create(ob, ol, vI8, ob.getZeroAttr(vI8));
  Value v = vector::GatherOp::create(ob, ol, vI8, t.global,
                                     ValueRange{e.constIndex(ob, ol, 0)}, peek,
                                     all, pass);
  return arith::ExtUIOp::create(ob, ol, vI32, v);
}

SmallVector<Value> LaneKernel::initialState(OpBuilder &ob, Location ol,
                                            Value wordStart) {
  SmallVector<Value> st{splatI32(ob, ol, 0), splatI32(ob, ol, 0),
                        // Columns advance by gap + 1 from -1.
                        splatI32(ob, ol, -1), wordStart};
  if (accumulate)
    st.push_back(zeroF32(ob, ol));
  return st;
}

/// One entry of every lane; `active` (null: all lanes) masks the lanes whose
/// rows still have entries: the others keep their state and accumulator.
SmallVector<Value> LaneKernel::step(OpBuilder &ob, Location ol, ValueRange st,
                                    Value active, Value stepIndex,
                                    Value scratchBase) {
  Value buf = st[kBuf], count = st[kCount], col = st[kCol], ptr = st[kPtr];
  Value c16 = splatI32(ob, ol, 16), c0 = splatI32(ob, ol, 0);
  auto maskWith = [&](Value m) {
    return active ? arith::AndIOp::create(ob, ol, m, active) : m;
  };
  auto onlyActive = [&](Value v) {
    return active ? arith::SelectOp::create(ob, ol, active, v, c0) : v;
  };

  // Refill: lanes below 16 bits take the next words in lane order.
  Value need = maskWith(
      arith::CmpIOp::create(ob, ol, arith::CmpIPredicate::ult, count, c16));
  Value noWords = arith::ConstantOp::create(ob, ol, vI16, ob.getZeroAttr(vI16));
  Value words = vector::ExpandLoadOp::create(ob, ol, vI16, payload,
                                             ValueRange{ptr}, need, noWords);
  Value needBits =
      LLVM::BitcastOp::create(ob, ol, ob.getIntegerType(kLanes), need);
  Value taken = LLVM::CtPopOp::create(ob, ol, needBits);
  ptr = arith::AddIOp::create(
      ob, ol, ptr,
      arith::IndexCastUIOp::create(ob, ol, ob.getIndexType(), taken));
  Value wide = arith::ExtUIOp::create(ob, ol, vI32, words);
  buf = arith::OrIOp::create(ob, ol, buf,
                             arith::ShLIOp::create(ob, ol, wide, count));
  count = arith::AddIOp::create(ob, ol, count,
                                arith::SelectOp::create(ob, ol, need, c16, c0));

  // Gap, then index.
  Value gapBits = onlyActive(lookup(ob, ol, gapLen, buf));
  Value advance = lookup(ob, ol, gapStep, buf);
  buf = arith::ShRUIOp::create(ob, ol, buf, gapBits);
  count = arith::SubIOp::create(ob, ol, count, gapBits);
  Value indexBits = onlyActive(lookup(ob, ol, indexLen, buf));
  Value index = lookup(ob, ol, indexValue, buf);
  buf = arith::ShRUIOp::create(ob, ol, buf, indexBits);
  count = arith::SubIOp::create(ob, ol, count, indexBits);
  col = arith::AddIOp::create(ob, ol, col, advance);

  // The weight; fillers and the zero cluster are masked out.
  Value nonzero, weight;
  if (codebookInRegs) {
    // Index values are cluster - 1, 0xFF for a zero.
    nonzero = arith::CmpIOp::create(ob, ol, arith::CmpIPredicate::ult, index,
                                    splatI32(ob, ol, 0x80));
    weight = PermuteOp::create(ob, ol, vF32, codebookLo, index, codebookHi);
  } else {
    nonzero =
        arith::CmpIOp::create(ob, ol, arith::CmpIPredicate::ne, index, c0);
    weight = vector::GatherOp::create(ob, ol, vF32, codebookTable,
                                      ValueRange{e.constIndex(ob, ol, 0)},
                                      index, nonzero, zeroF32(ob, ol));
  }
  nonzero = maskWith(nonzero);

  SmallVector<Value> out{buf, count, col, ptr};
  if (accumulate) {
    Value x = consumer->gatherInputs(ob, ol, col, nonzero);
    out.push_back(vector::FMAOp::create(ob, ol, weight, x, st[kAcc]));
    return out;
  }
  weight = arith::SelectOp::create(ob, ol, nonzero, weight, zeroF32(ob, ol));
  Value at = arith::AddIOp::create(
      ob, ol, scratchBase,
      arith::MulIOp::create(ob, ol, stepIndex, e.constIndex(ob, ol, kLanes)));
  vector::StoreOp::create(ob, ol, col, scratchCols, ValueRange{at});
  vector::StoreOp::create(ob, ol, weight, scratchWeights, ValueRange{at});
  return out;
}

/// Stores a finished group's sums, or replays its scratch row by row.
void LaneKernel::finishGroup(OpBuilder &ob, Location ol, Value group,
                             ValueRange st, Value scratchBase) {
  Value firstRow =
      arith::MulIOp::create(ob, ol, group, e.constIndex(ob, ol, kLanes));
  if (accumulate) {
    // Padding groups (past the last) store nothing.
    Value real = arith::CmpIOp::create(ob, ol, arith::CmpIPredicate::ult, group,
                                       e.constIndex(ob, ol, numGroups));
    auto ifOp = scf::IfOp::create(ob, ol, real, /*withElseRegion=*/false);
    OpBuilder tb = ifOp.getThenBodyBuilder();
    SmallVector<int32_t> iota;
    for (unsigned l = 0; l < kLanes; ++l)
      iota.push_back(int32_t(l));
    Value lanes = arith::ConstantOp::create(
        tb, ol, vI32, DenseElementsAttr::get(vI32, ArrayRef<int32_t>(iota)));
    Value first32 =
        arith::IndexCastOp::create(tb, ol, tb.getI32Type(), firstRow);
    Value rowsOfLanes = arith::AddIOp::create(
        tb, ol, lanes, vector::BroadcastOp::create(tb, ol, vI32, first32));
    Value inRange =
        arith::CmpIOp::create(tb, ol, arith::CmpIPredicate::ult, rowsOfLanes,
                              splatI32(tb, ol, int32_t(view.rows)));
    consumer->storeLanes(tb, ol, firstRow, st[kAcc], inRange);
    return;
  }
  // Replay: lane l's weights, in order, are the scratch's column l.
  scf::ForOp::create(
      ob, ol, e.constIndex(ob, ol, 0), e.constIndex(ob, ol, kLanes),
      e.constIndex(ob, ol, 1), ValueRange{},
      [&](OpBuilder &lb, Location ll, Value lane, ValueRange) {
        Value row = arith::AddIOp::create(lb, ll, firstRow, lane);
        Value real =
            arith::CmpIOp::create(lb, ll, arith::CmpIPredicate::ult, row,
                                  e.constIndex(lb, ll, view.rows));
        auto ifOp = scf::IfOp::create(lb, ll, real, /*withElseRegion=*/false);
        OpBuilder tb = ifOp.getThenBodyBuilder();
        Value n = memref::LoadOp::create(tb, ll, countTable, ValueRange{row});
        n = arith::IndexCastUIOp::create(tb, ll, tb.getIndexType(), n);
        e.beginRow(tb, ll, row);
        Value base = arith::AddIOp::create(tb, ll, scratchBase, lane);
        scf::ForOp::create(
            tb, ll, e.constIndex(tb, ll, 0), n, e.constIndex(tb, ll, 1),
            ValueRange{}, [&](OpBuilder &sb, Location sl, Value s, ValueRange) {
              Value at = arith::AddIOp::create(
                  sb, sl, base,
                  arith::MulIOp::create(sb, sl, s,
                                        e.constIndex(sb, sl, kLanes)));
              Value col =
                  memref::LoadOp::create(sb, sl, scratchCols, ValueRange{at});
              Value w = memref::LoadOp::create(sb, sl, scratchWeights,
                                               ValueRange{at});
              e.visit(
                  sb, sl, row,
                  arith::IndexCastOp::create(sb, sl, sb.getIndexType(), col),
                  w);
              scf::YieldOp::create(sb, sl);
            });
        e.endRow(tb, ll, row);
        scf::YieldOp::create(lb, ll);
      });
}

/// Groups block * G .. block * G + G - 1: together while all have entries,
/// then each alone under its lane mask.
void LaneKernel::emitBlock(OpBuilder &ob, Location ol, Value block,
                           Value scratchBase) {
  auto load = [&](OpBuilder &lb, Value table, Value at) -> Value {
    Value v = memref::LoadOp::create(lb, ol, table, ValueRange{at});
    return arith::IndexCastUIOp::create(lb, ol, lb.getIndexType(), v);
  };
  SmallVector<Value> groups, state, ends;
  for (unsigned i = 0; i < groupsPerLoop; ++i) {
    Value g = arith::AddIOp::create(
        ob, ol,
        arith::MulIOp::create(ob, ol, block,
                              e.constIndex(ob, ol, groupsPerLoop)),
        e.constIndex(ob, ol, i));
    Value at = arith::MulIOp::create(ob, ol, g, e.constIndex(ob, ol, 2));
    groups.push_back(g);
    state.append(initialState(ob, ol, load(ob, groupTable, at)));
    ends.push_back(
        load(ob, groupTable,
             arith::AddIOp::create(ob, ol, at, e.constIndex(ob, ol, 1))));
  }
  unsigned width = state.size() / groupsPerLoop;
  Value common = load(ob, blockTable, block);
  auto together = scf::ForOp::create(
      ob, ol, e.constIndex(ob, ol, 0), common, e.constIndex(ob, ol, 1), state,
      [&](OpBuilder &lb, Location ll, Value s, ValueRange args) {
        SmallVector<Value> next;
        for (unsigned i = 0; i < groupsPerLoop; ++i)
          next.append(step(lb, ll, args.slice(i * width, width), Value(), s,
                           scratchBase));
        scf::YieldOp::create(lb, ll, next);
      });
  for (unsigned i = 0; i < groupsPerLoop; ++i) {
    Value counts = vector::LoadOp::create(
        ob, ol, vI32, countTable,
        ValueRange{arith::MulIOp::create(ob, ol, groups[i],
                                         e.constIndex(ob, ol, kLanes))});
    auto alone = scf::ForOp::create(
        ob, ol, common, ends[i], e.constIndex(ob, ol, 1),
        together.getResults().slice(i * width, width),
        [&](OpBuilder &lb, Location ll, Value s, ValueRange args) {
          Value s32 = arith::IndexCastOp::create(lb, ll, lb.getI32Type(), s);
          Value active = arith::CmpIOp::create(
              lb, ll, arith::CmpIPredicate::ugt, counts,
              vector::BroadcastOp::create(lb, ll, vI32, s32));
          scf::YieldOp::create(lb, ll,
                               step(lb, ll, args, active, s, scratchBase));
        });
    finishGroup(ob, ol, groups[i], alone.getResults(), scratchBase);
  }
}

LogicalResult LaneKernel::emit() {
  consumer = &e.getConsumer();
  vbmi = e.getSimd() == SimdLevel::AVX512VBMI &&
         view.maxCodeLength <= kRegisterPeekBits;
  accumulate = consumer->supportsLanes();
  codebookInRegs = vbmi && view.k <= 2 * kLanes;
  peekBits = vbmi ? kRegisterPeekBits : std::max(1u, view.maxCodeLength);
  // Never more groups per loop than the layer has.
  groupsPerLoop = accumulate
                      ? unsigned(std::clamp<uint64_t>(
                            std::min(e.getInterleave(), kMaxGroupsPerLoop), 1,
                            std::max<uint64_t>(1, view.numChunks)))
                      : 1;
  vI32 = VectorType::get({kLanes}, b.getI32Type());
  vF32 = VectorType::get({kLanes}, b.getF32Type());
  vI1 = VectorType::get({kLanes}, b.getI1Type());
  vI16 = VectorType::get({kLanes}, b.getI16Type());
  vI8x64 = VectorType::get({64}, b.getI8Type());

  // Compile-time group parameters, from the blob's offsets and counts.
  numGroups = view.numChunks;
  numBlocks = (numGroups + groupsPerLoop - 1) / groupsPerLoop;
  uint64_t paddedGroups = numBlocks * groupsPerLoop;
  std::vector<uint32_t> counts(paddedGroups * kLanes, 0);
  for (uint32_t r = 0; r < view.rows; ++r)
    counts[r] = view.rowEntryCount(r);
  std::vector<uint64_t> groupParams(paddedGroups * 2, 0), blockCommon;
  std::vector<uint64_t> minSteps(paddedGroups, 0);
  uint64_t payloadWords = view.payloadBits / 16;
  for (uint64_t g = 0; g < paddedGroups; ++g) {
    uint64_t lo = UINT64_MAX, hi = 0;
    for (unsigned l = 0; l < kLanes; ++l) {
      lo = std::min<uint64_t>(lo, counts[g * kLanes + l]);
      hi = std::max<uint64_t>(hi, counts[g * kLanes + l]);
    }
    groupParams[2 * g] =
        g < numGroups ? view.chunkBitOffsets[g] / 16 : payloadWords;
    groupParams[2 * g + 1] = hi;
    minSteps[g] = lo;
    maxSteps = std::max(maxSteps, hi);
  }
  for (uint64_t k = 0; k < numBlocks; ++k) {
    uint64_t common = UINT64_MAX;
    for (unsigned i = 0; i < groupsPerLoop; ++i)
      common = std::min(common, minSteps[k * groupsPerLoop + i]);
    blockCommon.push_back(common);
  }
  if (view.cols >= (uint64_t(1) << 31) || maxSteps >= (uint64_t(1) << 31))
    return e.emitError() << "#cw.csr lanes: the lane decoder needs columns "
                            "and row entry counts below 2^31";

  // Globals and register tables.
  std::vector<uint16_t> words(payloadWords + kLanes, 0);
  for (uint64_t w = 0; w < payloadWords; ++w)
    words[w] = uint16_t(view.payload[2 * w] | view.payload[2 * w + 1] << 8);
  payload = e.getI16Table(b, loc, "lane_words", words);
  groupTable = e.getI64Table(b, loc, "lane_groups", groupParams);
  blockTable = e.getI64Table(b, loc, "lane_common", blockCommon);
  countTable = e.getI32Table(b, loc, "lane_counts", counts);

  auto gaps = buildTables(e, "gap", view.gapLengths, peekBits,
                          [](uint32_t gap) { return uint8_t(gap + 1); });
  auto indices = buildTables(
      e, "index", view.indexLengths, peekBits, [&](uint32_t cluster) {
        if (!codebookInRegs)
          return uint8_t(cluster);
        return cluster == 0 ? uint8_t(0xFF) : uint8_t(cluster - 1);
      });
  if (failed(gaps) || failed(indices))
    return failure();
  if (view.gapLengths.size() > 255 || view.indexLengths.size() > 256)
    return e.emitError() << "#cw.csr lanes: alphabets must fit a byte";
  gapLen = makeTable("lane_gap_len", gaps->lengths);
  gapStep = makeTable("lane_gap_step", gaps->values);
  indexLen = makeTable("lane_index_len", indices->lengths);
  indexValue = makeTable("lane_index_value", indices->values);
  if (codebookInRegs) {
    std::vector<float> padded(2 * kLanes, 0.0f);
    llvm::copy(e.getCodebook(), padded.begin());
    Value table = e.getF32Table(b, loc, "lane_codebook", padded);
    codebookLo = vector::LoadOp::create(b, loc, vF32, table,
                                        ValueRange{e.constIndex(b, loc, 0)});
    codebookHi = vector::LoadOp::create(
        b, loc, vF32, table, ValueRange{e.constIndex(b, loc, kLanes)});
  } else {
    codebookTable = e.getCodebookTable(b, loc);
  }

  // Threads take contiguous ranges of blocks, each with its own scratch.
  unsigned threads = unsigned(std::min<uint64_t>(
      std::max(1u, e.getThreads()), std::max<uint64_t>(1, numBlocks)));
  uint64_t perThread = (numBlocks + threads - 1) / threads;
  uint64_t scratchPerThread = std::max<uint64_t>(1, maxSteps) * kLanes;
  if (!accumulate) {
    auto scratchType = [&](Type t) {
      return MemRefType::get({int64_t(threads * scratchPerThread)}, t);
    };
    // Freed by the buffer-deallocation pipeline.
    scratchCols = memref::AllocOp::create(b, loc, scratchType(b.getI32Type()));
    scratchWeights =
        memref::AllocOp::create(b, loc, scratchType(b.getF32Type()));
  }
  auto emitRange = [&](OpBuilder &ob, Location ol, Value thread) {
    Value first =
        arith::MulIOp::create(ob, ol, thread, e.constIndex(ob, ol, perThread));
    Value last = arith::MinUIOp::create(
        ob, ol,
        arith::AddIOp::create(ob, ol, first, e.constIndex(ob, ol, perThread)),
        e.constIndex(ob, ol, numBlocks));
    Value scratchBase = arith::MulIOp::create(
        ob, ol, thread, e.constIndex(ob, ol, scratchPerThread));
    scf::ForOp::create(
        ob, ol, first, last, e.constIndex(ob, ol, 1), ValueRange{},
        [&](OpBuilder &lb, Location ll, Value block, ValueRange) {
          emitBlock(lb, ll, block, scratchBase);
          scf::YieldOp::create(lb, ll);
        });
  };
  if (threads == 1) {
    emitRange(b, loc, e.constIndex(b, loc, 0));
    return success();
  }
  scf::ParallelOp::create(b, loc, ValueRange{e.constIndex(b, loc, 0)},
                          ValueRange{e.constIndex(b, loc, threads)},
                          ValueRange{e.constIndex(b, loc, 1)},
                          [&](OpBuilder &pb, Location pl, ValueRange ivs) {
                            if (!accumulate)
                              e.getConsumer().beginThread(pb, pl, ivs[0],
                                                          threads);
                            emitRange(pb, pl, ivs[0]);
                            if (!accumulate)
                              e.getConsumer().endThread();
                          });
  return success();
}

} // namespace

LogicalResult mlir::cw::emitCsrLaneLoops(DecodeEmitter &e,
                                         const codec::CsrBlobView &view) {
  return LaneKernel(e, view).emit();
}

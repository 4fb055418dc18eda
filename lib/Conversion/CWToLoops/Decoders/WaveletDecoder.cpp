//===- WaveletDecoder.cpp - Decode loops for #cw.wavelet ------------------===//
//
// The wavelet trees of the blob (WaveletCodec.h) are embedded as read-only
// word tables, rank lines and all, and the generated code decodes the
// sequence from their bit vectors at run time. A fused layer reads its
// sequence front to back, so instead of one access() per symbol (L dependent
// rank steps) the loops walk the tree sequentially, as
// WaveletTreeView::extract does: one cursor per (level, symbol prefix) holds
// the level position of the next symbol with that prefix (symbols sharing a
// prefix keep their sequence order in every level of a wavelet matrix). The
// cursors are set up once per call from position 0 with generated rank1 (the
// codec's one-line rank: meta word plus popcounts).
//
// Two walks:
//  * plain: every symbol costs L bit reads and cursor steps. Cursors hold
//    physical bit addresses into the word table: a rank line is one meta
//    word and 7 data words, so a step past a 512-bit line boundary skips the
//    meta word, and a read is one load and one shift.
//  * zero-skipping, for a pruned layer whose sequence is mostly symbol 0
//    (element mode, or block mode when pattern 0 is the all-zero block):
//    symbol 0 follows the all-zero prefix through every level, so for each
//    level the loops keep the zero path's cursor and the distance d_l to the
//    next 1 bit on it (found with count-trailing-zeros over whole words).
//    The next min_l d_l symbols are zeros and are skipped at once; the
//    symbol after them leaves the zero path at the first level whose d_l is
//    that minimum, and its remaining levels are read with the plain cursors.
//    A switch on that exit level runs code specialised to it (which levels
//    step their cursors, which one scans): 1.3x faster than one branch-free
//    body for every exit level on AlexNet fc8 (22.4 -> 18.0 ms, batch 1).
//    Work is per nonzero symbol, not per weight. Each level's embedded copy
//    gets a 1 bit at position n (past the data, where the layout keeps
//    zeros and no rank reads) so a scan always ends inside its level.
//
// Modes: element (one symbol per weight), block (one pattern id per block
// of B weights, expanded through the dictionary, an i8/i16 table) and sparse
// (gap symbols G and values V walked side by side with plain walks; escapes
// skip columns without a value; per-row tuple counts from the row table).
//
//===----------------------------------------------------------------------===//

#include "Decoders.h"
#include "cw/Codec/WaveletCodec.h"
#include "cw/Conversion/DecodeEmitter.h"
#include "cw/Dialect/CW/CWAttrs.h"
#include "cw/Dialect/CW/CWLoweringInterface.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::cw;
namespace codec = ::cw::codec;
namespace rs = ::cw::codec::rs;

namespace {

/// Cursor arrays up to this many entries live on the stack, larger ones
/// (block mode with a big dictionary) on the heap, freed by the
/// buffer-deallocation pipeline that follows the conversion (an explicit
/// memref.dealloc is rejected there).
constexpr uint64_t kMaxStackCursors = 4096;
/// Skip zeros when at least this share of the symbols is 0: a skipped
/// nonzero costs about 2.5 plain symbols (measured on 300x784, 32 clusters).
constexpr double kSkipMinZeroShare = 0.6;

/// Called for each decoded symbol: (row, index of the symbol in the row as
/// an `index`, symbol as i64).
using SymbolVisitor =
    function_ref<void(OpBuilder &, Location, Value, Value, Value)>;

/// One embedded wavelet tree and the loops that walk it sequentially.
class TreeWalker {
public:
  /// Embeds the bytes of `tree` (serialised at `start`) as the word table
  /// `name` and emits the cursor set-up for a walk from position 0 at the
  /// builder (before the loops).
  static TreeWalker create(DecodeEmitter &e, StringRef name,
                           const codec::WaveletTreeView &tree,
                           const uint8_t *start);

  /// The level-0 cursor of a plain walk from position 0, which the loops
  /// carry as an iteration argument.
  Value startCursor() const { return start0; }
  /// Emits the decode of the symbol at `cursor0` (plain walk): (symbol as
  /// i64, the next level-0 cursor).
  std::pair<Value, Value> next(OpBuilder &b, Location loc, Value cursor0);

  /// Emits `for row: beginRow; visit every symbol; endRow` over a sequence
  /// of rows * perRow symbols, plain walk.
  void emitPlainRows(DecodeEmitter &e, uint64_t perRow, SymbolVisitor visit);
  /// The same with zero-skipping: `visit` sees the nonzero symbols only.
  void emitSkipRows(DecodeEmitter &e, uint64_t perRow, SymbolVisitor visit);

private:
  explicit TreeWalker(DecodeEmitter &e) : e(&e) {}
  /// One zero-skipping step from the zero-path cursors `z` and distances `d`
  /// past k = min d zeros: the nonzero symbol there and the updated z and d.
  struct Skip {
    Value symbol;
    SmallVector<Value> z, d;
  };
  Skip skipOne(OpBuilder &b, Location loc, ValueRange z, ValueRange d, Value k);
  Value minDistance(OpBuilder &b, Location loc, ValueRange d);
  void setUp(OpBuilder &b, Location loc);
  Value rank1(OpBuilder &b, Location loc, unsigned level, Value pos);
  Value physical(OpBuilder &b, Location loc, Value lineBase, Value pos);
  Value physical(OpBuilder &b, Location loc, unsigned level, Value pos) {
    return physical(b, loc, i64(b, loc, int64_t(64 * (lineWord[level] + 1))),
                    pos);
  }
  Value readBit(OpBuilder &b, Location loc, Value cursor);
  /// A plain cursor step at `level` under the symbol's `prefix` (i64, the
  /// bits of the levels above): reads the bit at the prefix's cursor,
  /// advances that cursor and returns prefix << 1 | bit.
  Value step(OpBuilder &b, Location loc, unsigned level, Value prefix);
  Value advance(OpBuilder &b, Location loc, Value cursor);
  Value scan(OpBuilder &b, Location loc, Value lineBase, Value pos);
  Value popcount(OpBuilder &b, Location loc, Value x);
  Value i64(OpBuilder &b, Location loc, int64_t v) {
    return e->constI64(b, loc, v);
  }

  DecodeEmitter *e;
  Value words, cursors, start0;
  /// Logical level positions of the zero path (prefix 0) at set-up.
  SmallVector<Value> zeroPath;
  unsigned levels = 0;
  /// Per level: word index of its first rank line, number of zeros, number
  /// of prefixes (cursors) and the index of its first cursor.
  SmallVector<uint64_t> lineWord, zeros, prefixes, cursorBase;
};

TreeWalker TreeWalker::create(DecodeEmitter &e, StringRef name,
                              const codec::WaveletTreeView &tree,
                              const uint8_t *start) {
  TreeWalker w(e);
  w.levels = tree.levels();
  uint64_t sigma = tree.alphabetSize(), total = 0;
  std::vector<uint8_t> bytes(start, start + tree.serializedBytes());
  for (unsigned l = 0; l < w.levels; ++l) {
    // parse() checked the layout: levels follow a header of whole lines and
    // are whole lines each, so every line is 64-byte aligned in the table
    // (advance() relies on it).
    uint64_t offset = uint64_t(tree.level(l).data() - start);
    w.lineWord.push_back((offset + rs::kHeaderBytes) / 8);
    w.zeros.push_back(tree.levelZeros(l));
    w.prefixes.push_back(((sigma - 1) >> (w.levels - l)) + 1);
    w.cursorBase.push_back(total);
    total += w.prefixes.back();
    // The scan sentinel: bit n of the level (its last line always holds it).
    uint64_t n = tree.size();
    uint64_t bit =
        64 * (w.lineWord[l] + 8 * (n / rs::kLineBits) + 1) + n % rs::kLineBits;
    bytes[bit / 8] |= uint8_t(1u << (bit % 8));
  }
  OpBuilder &b = e.getBuilder();
  Location loc = e.getLoc();
  w.words = e.getWordTable(b, loc, name, bytes);
  if (w.levels > 1) {
    auto type = MemRefType::get({int64_t(total)}, b.getI64Type());
    w.cursors = total > kMaxStackCursors
                    ? Value(memref::AllocOp::create(b, loc, type))
                    : Value(memref::AllocaOp::create(b, loc, type));
  }
  w.setUp(b, loc);
  return w;
}

Value TreeWalker::popcount(OpBuilder &b, Location loc, Value x) {
  // SWAR popcount; LLVM recognises the idiom and emits ctpop (and turns
  // popcount((x & -x) - 1) into cttz).
  auto shr = [&](Value v, int64_t s) {
    return arith::ShRUIOp::create(b, loc, v, i64(b, loc, s));
  };
  auto andc = [&](Value v, uint64_t m) {
    return arith::AndIOp::create(b, loc, v, i64(b, loc, int64_t(m)));
  };
  x = arith::SubIOp::create(b, loc, x, andc(shr(x, 1), 0x5555555555555555ull));
  x = arith::AddIOp::create(b, loc, andc(x, 0x3333333333333333ull),
                            andc(shr(x, 2), 0x3333333333333333ull));
  x = andc(arith::AddIOp::create(b, loc, x, shr(x, 4)), 0x0F0F0F0F0F0F0F0Full);
  return shr(arith::MulIOp::create(b, loc, x, i64(b, loc, 0x0101010101010101)),
             56);
}

Value TreeWalker::rank1(OpBuilder &b, Location loc, unsigned level, Value pos) {
  // RankSelect.h: rank = abs + prefix field of the word pair
  // + popcount(data[w - 1]) if w is odd + popcount(data[w] & (2^bit - 1)).
  Value line = arith::DivUIOp::create(b, loc, pos, i64(b, loc, rs::kLineBits));
  Value o = arith::RemUIOp::create(b, loc, pos, i64(b, loc, rs::kLineBits));
  Value metaIdx = arith::AddIOp::create(
      b, loc, i64(b, loc, int64_t(lineWord[level])),
      arith::ShLIOp::create(b, loc, line, i64(b, loc, 3)));
  auto load = [&](Value idx) -> Value {
    return memref::LoadOp::create(b, loc, words,
                                  ValueRange{e->toIndex(b, loc, idx)});
  };
  Value meta = load(metaIdx);
  Value w = arith::ShRUIOp::create(b, loc, o, i64(b, loc, 6));
  Value pair = arith::ShRUIOp::create(b, loc, w, i64(b, loc, 1));
  Value zero = i64(b, loc, 0), one = i64(b, loc, 1);
  Value rank =
      arith::AndIOp::create(b, loc, meta, i64(b, loc, int64_t(rs::kMaxBits)));
  // Field pair - 1 sits at bit 37 + 9 (pair - 1) = 28 + 9 pair.
  Value field = arith::AndIOp::create(
      b, loc,
      arith::ShRUIOp::create(
          b, loc, meta,
          arith::AddIOp::create(
              b, loc, i64(b, loc, rs::kAbsBits - 9),
              arith::MulIOp::create(b, loc, pair, i64(b, loc, 9)))),
      i64(b, loc, 511));
  Value hasPair =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, pair, zero);
  rank = arith::AddIOp::create(
      b, loc, rank, arith::SelectOp::create(b, loc, hasPair, field, zero));
  // Data word j is word 1 + j of the line: data[w - 1] is at meta + w.
  Value prev =
      popcount(b, loc, load(arith::AddIOp::create(b, loc, metaIdx, w)));
  Value odd =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                            arith::AndIOp::create(b, loc, w, one), zero);
  rank = arith::AddIOp::create(
      b, loc, rank, arith::SelectOp::create(b, loc, odd, prev, zero));
  Value word = load(arith::AddIOp::create(
      b, loc, metaIdx, arith::AddIOp::create(b, loc, w, one)));
  Value mask = arith::SubIOp::create(
      b, loc,
      arith::ShLIOp::create(b, loc, one,
                            arith::AndIOp::create(b, loc, o, i64(b, loc, 63))),
      one);
  return arith::AddIOp::create(
      b, loc, rank,
      popcount(b, loc, arith::AndIOp::create(b, loc, word, mask)));
}

Value TreeWalker::physical(OpBuilder &b, Location loc, Value lineBase,
                           Value pos) {
  // lineBase = 64 * (lineWord + 1): 512 * (pos / 448) + pos % 448 past it.
  Value line = arith::DivUIOp::create(b, loc, pos, i64(b, loc, rs::kLineBits));
  Value o = arith::RemUIOp::create(b, loc, pos, i64(b, loc, rs::kLineBits));
  Value base = arith::AddIOp::create(
      b, loc, lineBase, arith::MulIOp::create(b, loc, line, i64(b, loc, 512)));
  return arith::AddIOp::create(b, loc, base, o);
}

Value TreeWalker::readBit(OpBuilder &b, Location loc, Value cursor) {
  Value idx = arith::ShRUIOp::create(b, loc, cursor, i64(b, loc, 6));
  Value word = memref::LoadOp::create(b, loc, words,
                                      ValueRange{e->toIndex(b, loc, idx)});
  Value shift = arith::AndIOp::create(b, loc, cursor, i64(b, loc, 63));
  return arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, word, shift), i64(b, loc, 1));
}

Value TreeWalker::advance(OpBuilder &b, Location loc, Value cursor) {
  // The next bit; past a line's last data bit, skip the next line's meta.
  Value next = arith::AddIOp::create(b, loc, cursor, i64(b, loc, 1));
  Value atLine = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq,
      arith::AndIOp::create(b, loc, next, i64(b, loc, 511)), i64(b, loc, 0));
  return arith::AddIOp::create(
      b, loc, next,
      arith::SelectOp::create(b, loc, atLine, i64(b, loc, 64), i64(b, loc, 0)));
}

Value TreeWalker::scan(OpBuilder &b, Location loc, Value lineBase, Value pos) {
  // Whole words from the cursor on until one holds a 1 bit (the sentinel
  // bounds the loop); the distance counts data bits only.
  Type i64Type = b.getI64Type();
  Value start = physical(b, loc, lineBase, pos);
  auto loop = scf::WhileOp::create(
      b, loc, TypeRange{i64Type, i64Type, i64Type},
      ValueRange{start, i64(b, loc, 0)},
      [&](OpBuilder &bb, Location bl, ValueRange args) {
        Value idx = arith::ShRUIOp::create(bb, bl, args[0], i64(bb, bl, 6));
        Value word = memref::LoadOp::create(
            bb, bl, words, ValueRange{e->toIndex(bb, bl, idx)});
        Value rest = arith::ShRUIOp::create(
            bb, bl, word,
            arith::AndIOp::create(bb, bl, args[0], i64(bb, bl, 63)));
        Value empty = arith::CmpIOp::create(bb, bl, arith::CmpIPredicate::eq,
                                            rest, i64(bb, bl, 0));
        scf::ConditionOp::create(bb, bl, empty,
                                 ValueRange{args[0], args[1], rest});
      },
      [&](OpBuilder &ab, Location al, ValueRange args) {
        Value off = arith::AndIOp::create(ab, al, args[0], i64(ab, al, 63));
        Value dist = arith::AddIOp::create(
            ab, al, args[1],
            arith::SubIOp::create(ab, al, i64(ab, al, 64), off));
        // The next word: cursor - off + 64, then past a meta word.
        Value nextWord = arith::AddIOp::create(
            ab, al, arith::SubIOp::create(ab, al, args[0], off),
            i64(ab, al, 64));
        Value atLine = arith::CmpIOp::create(
            ab, al, arith::CmpIPredicate::eq,
            arith::AndIOp::create(ab, al, nextWord, i64(ab, al, 511)),
            i64(ab, al, 0));
        Value cursor = arith::AddIOp::create(
            ab, al, nextWord,
            arith::SelectOp::create(ab, al, atLine, i64(ab, al, 64),
                                    i64(ab, al, 0)));
        scf::YieldOp::create(ab, al, ValueRange{cursor, dist});
      });
  // Trailing zeros of the nonzero word: popcount((w & -w) - 1).
  Value w = loop.getResult(2);
  Value lowest = arith::AndIOp::create(
      b, loc, w, arith::SubIOp::create(b, loc, i64(b, loc, 0), w));
  Value tz =
      popcount(b, loc, arith::SubIOp::create(b, loc, lowest, i64(b, loc, 1)));
  return arith::AddIOp::create(b, loc, loop.getResult(1), tz);
}

void TreeWalker::setUp(OpBuilder &b, Location loc) {
  zeroPath.clear();
  if (levels == 0) {
    start0 = i64(b, loc, 0);
    return;
  }
  if (levels == 1) {
    zeroPath.push_back(i64(b, loc, 0));
    start0 = physical(b, loc, 0u, zeroPath[0]);
    return;
  }
  // Logical positions first: the prefix-q cursor of level l at position p
  // has children p - rank1(p) (bit 0, level l + 1 prefix 2q) and
  // z_l + rank1(p) (bit 1, prefix 2q + 1).
  Value c0 = e->constIndex(b, loc, 0), c1 = e->constIndex(b, loc, 1);
  memref::StoreOp::create(b, loc, i64(b, loc, 0), cursors, ValueRange{c0});
  for (unsigned l = 0; l + 1 < levels; ++l) {
    scf::ForOp::create(
        b, loc, c0, e->constIndex(b, loc, prefixes[l]), c1, ValueRange{},
        [&](OpBuilder &qb, Location ql, Value q, ValueRange) {
          Value at = arith::AddIOp::create(
              qb, ql, q, e->constIndex(qb, ql, cursorBase[l]));
          Value pos = memref::LoadOp::create(qb, ql, cursors, ValueRange{at});
          Value r1 = rank1(qb, ql, l, pos);
          Value child0 = arith::AddIOp::create(
              qb, ql, e->constIndex(qb, ql, cursorBase[l + 1]),
              arith::ShLIOp::create(qb, ql, q, c1));
          memref::StoreOp::create(qb, ql,
                                  arith::SubIOp::create(qb, ql, pos, r1),
                                  cursors, ValueRange{child0});
          Value child1 = arith::AddIOp::create(qb, ql, child0, c1);
          Value inRange = arith::CmpIOp::create(
              qb, ql, arith::CmpIPredicate::ult, child1,
              e->constIndex(qb, ql, cursorBase[l + 1] + prefixes[l + 1]));
          scf::IfOp::create(qb, ql, inRange, [&](OpBuilder &ib, Location il) {
            Value v = arith::AddIOp::create(ib, il,
                                            i64(ib, il, int64_t(zeros[l])), r1);
            memref::StoreOp::create(ib, il, v, cursors, ValueRange{child1});
            scf::YieldOp::create(ib, il);
          });
          scf::YieldOp::create(qb, ql);
        });
  }
  for (unsigned l = 0; l < levels; ++l)
    zeroPath.push_back(memref::LoadOp::create(
        b, loc, cursors, ValueRange{e->constIndex(b, loc, cursorBase[l])}));
  // Then physical addresses, level by level.
  for (unsigned l = 0; l < levels; ++l) {
    Value first = e->constIndex(b, loc, cursorBase[l]);
    scf::ForOp::create(
        b, loc, first, e->constIndex(b, loc, cursorBase[l] + prefixes[l]), c1,
        ValueRange{}, [&](OpBuilder &qb, Location ql, Value at, ValueRange) {
          Value pos = memref::LoadOp::create(qb, ql, cursors, ValueRange{at});
          memref::StoreOp::create(qb, ql, physical(qb, ql, l, pos), cursors,
                                  ValueRange{at});
          scf::YieldOp::create(qb, ql);
        });
  }
  start0 = memref::LoadOp::create(b, loc, cursors, ValueRange{c0});
}

Value TreeWalker::step(OpBuilder &b, Location loc, unsigned level,
                       Value prefix) {
  Value slot =
      arith::AddIOp::create(b, loc, e->constIndex(b, loc, cursorBase[level]),
                            e->toIndex(b, loc, prefix));
  Value cursor = memref::LoadOp::create(b, loc, cursors, ValueRange{slot});
  Value bit = readBit(b, loc, cursor);
  memref::StoreOp::create(b, loc, advance(b, loc, cursor), cursors,
                          ValueRange{slot});
  return arith::OrIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, prefix, i64(b, loc, 1)), bit);
}

std::pair<Value, Value> TreeWalker::next(OpBuilder &b, Location loc,
                                         Value cursor0) {
  if (levels == 0)
    return {i64(b, loc, 0), cursor0};
  Value symbol = readBit(b, loc, cursor0);
  Value next0 = advance(b, loc, cursor0);
  for (unsigned l = 1; l < levels; ++l)
    symbol = step(b, loc, l, symbol);
  return {symbol, next0};
}

/// Emits `for row: beginRow; body(row, state) -> state; endRow` with the
/// walk state carried across rows.
void emitRows(
    DecodeEmitter &e, ValueRange init,
    function_ref<SmallVector<Value>(OpBuilder &, Location, Value, ValueRange)>
        body) {
  OpBuilder &b = e.getBuilder();
  Location loc = e.getLoc();
  scf::ForOp::create(
      b, loc, e.constIndex(b, loc, 0), e.constIndex(b, loc, e.getRows()),
      e.constIndex(b, loc, 1), init,
      [&](OpBuilder &rb, Location rl, Value row, ValueRange state) {
        e.beginRow(rb, rl, row);
        SmallVector<Value> next = body(rb, rl, row, state);
        e.endRow(rb, rl, row);
        scf::YieldOp::create(rb, rl, next);
      });
}

void TreeWalker::emitPlainRows(DecodeEmitter &e, uint64_t perRow,
                               SymbolVisitor visit) {
  emitRows(e, start0,
           [&](OpBuilder &rb, Location rl, Value row, ValueRange state) {
             auto loop = scf::ForOp::create(
                 rb, rl, e.constIndex(rb, rl, 0), e.constIndex(rb, rl, perRow),
                 e.constIndex(rb, rl, 1), state,
                 [&](OpBuilder &cb, Location cl, Value t, ValueRange args) {
                   auto [symbol, cursor] = next(cb, cl, args[0]);
                   visit(cb, cl, row, t, symbol);
                   scf::YieldOp::create(cb, cl, cursor);
                 });
             return SmallVector<Value>(loop.getResults());
           });
}

Value TreeWalker::minDistance(OpBuilder &b, Location loc, ValueRange d) {
  Value k = d[0];
  for (unsigned l = 1; l < d.size(); ++l)
    k = arith::MinUIOp::create(b, loc, k, d[l]);
  return k;
}

TreeWalker::Skip TreeWalker::skipOne(OpBuilder &b, Location loc, ValueRange z,
                                     ValueRange d, Value k) {
  unsigned numLevels = levels;
  // ls: the first level whose next zero-path bit (after k) is 1, where the
  // symbol leaves the zero path.
  Value ls = e->constIndex(b, loc, numLevels - 1);
  for (unsigned l = numLevels - 1; l-- > 0;) {
    Value hit =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d[l], k);
    ls = arith::SelectOp::create(b, loc, hit, e->constIndex(b, loc, l), ls);
  }
  Value kPlus1 = arith::AddIOp::create(b, loc, k, i64(b, loc, 1));
  // One case per exit level, so each case does only its own work: levels up
  // to ls consumed k zeros and this symbol's bit (distances drop by k + 1
  // before ls), later levels only the k zeros; level ls scans for its next
  // 1 bit; the levels after it are plain cursor steps under the symbol's
  // prefix.
  Type i64Type = b.getI64Type();
  SmallVector<Type> types(2 * numLevels + 1, i64Type);
  SmallVector<int64_t> cases;
  for (unsigned j = 0; j + 1 < numLevels; ++j)
    cases.push_back(j);
  auto sw = scf::IndexSwitchOp::create(b, loc, types, ls, cases, cases.size());
  auto emitCase = [&](Region &region, unsigned j) {
    Block *block = b.createBlock(&region);
    OpBuilder cb = OpBuilder::atBlockEnd(block);
    SmallVector<Value> nz, nd;
    for (unsigned l = 0; l < numLevels; ++l)
      nz.push_back(arith::AddIOp::create(cb, loc, z[l], l <= j ? kPlus1 : k));
    for (unsigned l = 0; l < numLevels; ++l)
      nd.push_back(
          l == j ? scan(cb, loc, i64(cb, loc, int64_t(64 * (lineWord[j] + 1))),
                        nz[j])
                 : arith::SubIOp::create(cb, loc, d[l], l < j ? kPlus1 : k));
    Value symbol = i64(cb, loc, 1);
    for (unsigned l = j + 1; l < numLevels; ++l)
      symbol = step(cb, loc, l, symbol);
    SmallVector<Value> yield{symbol};
    yield.append(nz);
    yield.append(nd);
    scf::YieldOp::create(cb, loc, yield);
  };
  {
    OpBuilder::InsertionGuard guard(b);
    for (unsigned j = 0; j + 1 < numLevels; ++j)
      emitCase(sw.getCaseRegions()[j], j);
    emitCase(sw.getDefaultRegion(), numLevels - 1);
  }
  Skip out;
  out.symbol = sw.getResult(0);
  for (unsigned l = 0; l < numLevels; ++l) {
    out.z.push_back(sw.getResult(1 + l));
    out.d.push_back(sw.getResult(1 + numLevels + l));
  }
  return out;
}

void TreeWalker::emitSkipRows(DecodeEmitter &e, uint64_t perRow,
                              SymbolVisitor visit) {
  OpBuilder &b = e.getBuilder();
  Location loc = e.getLoc();
  if (levels == 0) // every symbol is 0
    return emitRows(e, ValueRange{},
                    [](OpBuilder &, Location, Value, ValueRange) {
                      return SmallVector<Value>{};
                    });
  unsigned numLevels = levels;
  // State: zero-path logical cursors z_l, then distances d_l.
  SmallVector<Value> init(zeroPath);
  for (unsigned l = 0; l < numLevels; ++l)
    init.push_back(scan(b, loc, i64(b, loc, int64_t(64 * (lineWord[l] + 1))),
                        zeroPath[l]));
  Type i64Type = b.getI64Type();
  emitRows(
      e, init, [&](OpBuilder &rb, Location rl, Value row, ValueRange state) {
        // while (k = min d < symbols left in the row): handle one nonzero.
        SmallVector<Value> whileInit{i64(rb, rl, 0)};
        whileInit.append(state.begin(), state.end());
        SmallVector<Type> condTypes(2 * numLevels + 2, i64Type);
        auto loop = scf::WhileOp::create(
            rb, rl, condTypes, whileInit,
            [&](OpBuilder &bb, Location bl, ValueRange args) {
              Value k =
                  minDistance(bb, bl, args.slice(1 + numLevels, numLevels));
              Value left = arith::SubIOp::create(
                  bb, bl, i64(bb, bl, int64_t(perRow)), args[0]);
              Value more = arith::CmpIOp::create(
                  bb, bl, arith::CmpIPredicate::ult, k, left);
              SmallVector<Value> pass(args.begin(), args.end());
              pass.push_back(k);
              scf::ConditionOp::create(bb, bl, more, pass);
            },
            [&](OpBuilder &ab, Location al, ValueRange args) {
              Value k = args.back();
              Value col = arith::AddIOp::create(ab, al, args[0], k);
              Skip skip = skipOne(ab, al, args.slice(1, numLevels),
                                  args.slice(1 + numLevels, numLevels), k);
              visit(ab, al, row, e.toIndex(ab, al, col), skip.symbol);
              SmallVector<Value> yield{
                  arith::AddIOp::create(ab, al, col, i64(ab, al, 1))};
              yield.append(skip.z);
              yield.append(skip.d);
              scf::YieldOp::create(ab, al, yield);
            });
        // The rest of the row is zeros: every zero path moves past it.
        Value left = arith::SubIOp::create(rb, rl, i64(rb, rl, int64_t(perRow)),
                                           loop.getResult(0));
        SmallVector<Value> next;
        for (unsigned l = 0; l < numLevels; ++l)
          next.push_back(
              arith::AddIOp::create(rb, rl, loop.getResult(1 + l), left));
        for (unsigned l = 0; l < numLevels; ++l)
          next.push_back(arith::SubIOp::create(
              rb, rl, loop.getResult(1 + numLevels + l), left));
        return next;
      });
}

/// Whether to skip zeros: symbol 0 means "all weights zero" and is common.
bool preferSkip(const codec::WaveletTreeView &tree) {
  uint64_t n = tree.size();
  return n != 0 && double(tree.rank(0, n)) >= kSkipMinZeroShare * double(n);
}

LogicalResult emitElement(DecodeEmitter &e, const codec::WaveletCodecView &view,
                          const uint8_t *blob) {
  auto seq =
      TreeWalker::create(e, "seq", view.sequence(), blob + rs::kHeaderBytes);
  auto visit = [&](OpBuilder &vb, Location vl, Value row, Value col,
                   Value symbol) { e.visitCluster(vb, vl, row, col, symbol); };
  if (preferSkip(view.sequence()))
    seq.emitSkipRows(e, e.getCols(), visit);
  else
    seq.emitPlainRows(e, e.getCols(), visit);
  return success();
}

LogicalResult emitBlock(DecodeEmitter &e, const codec::WaveletCodecView &view,
                        const uint8_t *blob) {
  OpBuilder &b = e.getBuilder();
  Location loc = e.getLoc();
  uint64_t blockSize = view.param(), cols = e.getCols();
  uint64_t perRow = (cols + blockSize - 1) / blockSize;
  // The dictionary as one table of cluster indices, pattern-major.
  uint64_t entries = view.numPatterns() * blockSize;
  bool zeroFirst = view.numPatterns() > 0;
  Value dict;
  if (view.numClusters() <= 255) {
    std::vector<uint8_t> d(entries);
    for (uint64_t i = 0; i < entries; ++i)
      d[i] = uint8_t(view.patternEntry(i / blockSize, unsigned(i % blockSize)));
    dict = e.getI8Table(b, loc, "dict", d);
  } else {
    std::vector<uint16_t> d(entries);
    for (uint64_t i = 0; i < entries; ++i)
      d[i] = view.patternEntry(i / blockSize, unsigned(i % blockSize));
    dict = e.getI16Table(b, loc, "dict", d);
  }
  for (unsigned j = 0; zeroFirst && j < blockSize; ++j)
    zeroFirst = view.patternEntry(0, j) == 0;
  auto seq =
      TreeWalker::create(e, "seq", view.sequence(), blob + rs::kHeaderBytes);
  auto visit = [&](OpBuilder &tb, Location tl, Value row, Value t, Value id) {
    Value first =
        arith::MulIOp::create(tb, tl, t, e.constIndex(tb, tl, blockSize));
    Value entry0 = arith::MulIOp::create(tb, tl, e.toIndex(tb, tl, id),
                                         e.constIndex(tb, tl, blockSize));
    // The last block of a row may stop short of blockSize columns.
    Value width = e.constIndex(tb, tl, blockSize);
    if (cols % blockSize)
      width = arith::MinUIOp::create(
          tb, tl, width,
          arith::SubIOp::create(tb, tl, e.constIndex(tb, tl, cols), first));
    scf::ForOp::create(
        tb, tl, e.constIndex(tb, tl, 0), width, e.constIndex(tb, tl, 1),
        ValueRange{}, [&](OpBuilder &jb, Location jl, Value j, ValueRange) {
          Value cluster = memref::LoadOp::create(
              jb, jl, dict,
              ValueRange{arith::AddIOp::create(jb, jl, entry0, j)});
          Value col = arith::AddIOp::create(jb, jl, first, j);
          e.visitCluster(jb, jl, row, col, cluster);
          scf::YieldOp::create(jb, jl);
        });
  };
  // Pattern 0 is the most frequent block; skip it when it is all zeros.
  if (zeroFirst && preferSkip(view.sequence()))
    seq.emitSkipRows(e, perRow, visit);
  else
    seq.emitPlainRows(e, perRow, visit);
  return success();
}

/// The columns of every sparse row stay inside the matrix (parse() leaves
/// that to decodeRows); the generated loops store without bounds checks.
LogicalResult checkSparseColumns(DecodeEmitter &e,
                                 const codec::WaveletCodecView &view) {
  const codec::WaveletTreeView &gaps = view.sequence();
  std::vector<uint32_t> g(gaps.size());
  gaps.extract(0, gaps.size(), g.data());
  uint64_t esc = (uint64_t(1) << view.param()) - 1;
  for (uint64_t r = 0; r < view.rows(); ++r) {
    uint64_t col = 0;
    for (uint64_t t = view.rowTupleStart(r); t < view.rowTupleStart(r + 1);
         ++t) {
      col += g[t];
      if (g[t] == esc)
        continue;
      if (col >= view.cols())
        return e.emitError() << "malformed #cw.wavelet blob: sparse row " << r
                             << " runs past column " << view.cols();
      ++col;
    }
  }
  return success();
}

LogicalResult emitSparse(DecodeEmitter &e, const codec::WaveletCodecView &view,
                         const uint8_t *blob) {
  if (failed(checkSparseColumns(e, view)))
    return failure();
  OpBuilder &b = e.getBuilder();
  Location loc = e.getLoc();
  // Section 1 (the value tree); parse() checked the section offsets.
  uint64_t valueOffset = rs::loadLE64(blob + 40);
  std::vector<uint32_t> tupleStart(view.rows() + 1);
  for (uint64_t r = 0; r <= view.rows(); ++r)
    tupleStart[r] = uint32_t(view.rowTupleStart(r));
  Value rowTable = e.getI32Table(b, loc, "row_tuples", tupleStart);
  auto gaps =
      TreeWalker::create(e, "gaps", view.sequence(), blob + rs::kHeaderBytes);
  auto values =
      TreeWalker::create(e, "values", view.values(), blob + valueOffset);
  int64_t esc = (int64_t(1) << view.param()) - 1;
  Value init[] = {gaps.startCursor(), values.startCursor()};
  emitRows(
      e, init, [&](OpBuilder &rb, Location rl, Value row, ValueRange state) {
        Value t0 = memref::LoadOp::create(rb, rl, rowTable, ValueRange{row});
        Value t1 =
            memref::LoadOp::create(rb, rl, rowTable,
                                   ValueRange{arith::AddIOp::create(
                                       rb, rl, row, e.constIndex(rb, rl, 1))});
        Value count = e.toIndex(rb, rl, arith::SubIOp::create(rb, rl, t1, t0));
        Value col0 = e.constI64(rb, rl, 0);
        auto loop = scf::ForOp::create(
            rb, rl, e.constIndex(rb, rl, 0), count, e.constIndex(rb, rl, 1),
            ValueRange{state[0], state[1], col0},
            [&](OpBuilder &tb, Location tl, Value, ValueRange args) {
              auto [gap, nextGap] = gaps.next(tb, tl, args[0]);
              Value col = arith::AddIOp::create(tb, tl, args[2], gap);
              Value isValue =
                  arith::CmpIOp::create(tb, tl, arith::CmpIPredicate::ne, gap,
                                        e.constI64(tb, tl, esc));
              // A value tuple: decode V, visit, step past the column. An escape
              // only skips its columns.
              auto ifOp =
                  scf::IfOp::create(tb, tl, TypeRange{tb.getI64Type()}, isValue,
                                    /*withElseRegion=*/true);
              {
                OpBuilder::InsertionGuard guard(tb);
                tb.setInsertionPointToStart(ifOp.thenBlock());
                auto [value, nextValue] = values.next(tb, tl, args[1]);
                Value cluster =
                    arith::AddIOp::create(tb, tl, value, e.constI64(tb, tl, 1));
                e.visitCluster(tb, tl, row, e.toIndex(tb, tl, col), cluster);
                scf::YieldOp::create(tb, tl, nextValue);
                tb.setInsertionPointToStart(ifOp.elseBlock());
                scf::YieldOp::create(tb, tl, args[1]);
              }
              Value step =
                  arith::ExtUIOp::create(tb, tl, tb.getI64Type(), isValue);
              Value nextCol = arith::AddIOp::create(tb, tl, col, step);
              scf::YieldOp::create(
                  tb, tl, ValueRange{nextGap, ifOp.getResult(0), nextCol});
            });
        return SmallVector<Value>{loop.getResult(0), loop.getResult(1)};
      });
  return success();
}

struct WaveletDecoder
    : public DecodeLoweringAttrInterface::ExternalModel<WaveletDecoder,
                                                        WaveletEncodingAttr> {
  LogicalResult emitDecodeLoops(Attribute, DecodeEmitter &e) const {
    ArrayRef<uint8_t> blob = e.getBlob();
    auto view = codec::WaveletCodecView::parse(blob.data(), blob.size());
    if (!view)
      return e.emitError() << view.message();
    // The cw.weights verifier checked shape, cluster count and mode.
    switch (view->mode()) {
    case codec::WaveletMode::Element:
      return emitElement(e, *view, blob.data());
    case codec::WaveletMode::Block:
      return emitBlock(e, *view, blob.data());
    case codec::WaveletMode::Sparse:
      return emitSparse(e, *view, blob.data());
    }
    llvm_unreachable("unknown wavelet mode");
  }
};

} // namespace

void ::cw::attachWaveletDecoder(MLIRContext *ctx) {
  WaveletEncodingAttr::attachInterface<WaveletDecoder>(*ctx);
}

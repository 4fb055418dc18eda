//===- DecodeEmitter.h - What an encoding's decode loops build on -*- C++
//-*-===//
//
// The fused lowering hands each encoding a DecodeEmitter. The encoding reads
// its blob through its codec at compile time and emits loops; the emitter
// gives it read-only globals, the bit-stream peek every LSB-first code
// shares, and the hooks through which decoded weights reach the consumer
// (multiply-accumulate for cw.matmul / cw.conv2d, stores for cw.decode).
//
//===----------------------------------------------------------------------===//
#ifndef CW_CONVERSION_DECODEEMITTER_H
#define CW_CONVERSION_DECODEEMITTER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Value.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir::cw {

/// What the decoded weights are used for. Rows are output features, columns
/// inputs (the codec's [rows, cols] view of the weight).
class WeightConsumer {
public:
  virtual ~WeightConsumer() = default;
  /// Called once before the decode loops, at function scope.
  virtual void setUp(OpBuilder &b, Location loc) {}
  virtual void beginRow(OpBuilder &b, Location loc, Value row) = 0;
  /// One decoded weight (f32) at (row, col); row and col are `index`.
  virtual void visit(OpBuilder &b, Location loc, Value row, Value col,
                     Value weight) = 0;
  virtual void endRow(OpBuilder &b, Location loc, Value row) = 0;
  /// Bracket the body of a parallel loop (scf.parallel over `threads`
  /// iterations, `thread` its index) whose iterations call
  /// beginRow/visit/endRow: state those keep in memory between calls (a
  /// row's sums) must be private to the thread. beginThread is called at the
  /// start of the body, endThread once it is built.
  virtual void beginThread(OpBuilder &b, Location loc, Value thread,
                           unsigned threads) {}
  virtual void endThread() {}

  /// Register accumulation, for decoders that interleave several rows' streams
  /// in one loop (each row's sum then lives in SSA values, not in memory).
  /// A null type means the consumer does not support it; the protocol is
  /// then: setUp, zeroOutput, per row zero/accumulate.../store; rows never
  /// stored must read as zero.
  virtual Type getAccumulatorType(OpBuilder &b) { return {}; }
  virtual void zeroOutput(OpBuilder &b, Location loc) {}
  virtual Value zeroAccumulator(OpBuilder &b, Location loc) { return {}; }
  /// acc + w * (the inputs of column `col`).
  virtual Value accumulate(OpBuilder &b, Location loc, Value acc, Value col,
                           Value weight) {
    return {};
  }
  virtual void storeAccumulator(OpBuilder &b, Location loc, Value row,
                                Value acc) {}

  /// SIMD lanes, for decoders that run consecutive rows in lockstep, one per
  /// vector lane (batch-1 matmul only). Protocol: setUp, then per group of
  /// N rows the lanes' products summed in a vector<Nxf32> and stored with
  /// storeLanes; the groups cover every row.
  virtual bool supportsLanes() { return false; }
  /// The inputs at columns `cols` (vector<Nxi32>) where `mask` is set, 0.0
  /// elsewhere.
  virtual Value gatherInputs(OpBuilder &b, Location loc, Value cols,
                             Value mask) {
    return {};
  }
  /// Writes the sums of rows firstRow .. firstRow + N - 1 where `mask` is set.
  virtual void storeLanes(OpBuilder &b, Location loc, Value firstRow,
                          Value sums, Value mask) {}
  /// Called once after the decode loops, at function scope.
  virtual void tearDown(OpBuilder &b, Location loc) {}
};

/// The vector instructions a decoder may use beyond the portable vector
/// dialect (from convert-cw-to-loops' `simd` option).
enum class SimdLevel {
  Generic,
  /// AVX-512 with VBMI and VBMI2: byte permutes (vpermi2b) as 128-entry
  /// register-resident lookup tables, word expand-loads.
  AVX512VBMI,
};

class DecodeEmitter {
public:
  DecodeEmitter(OpBuilder &builder, Location loc, ModuleOp module,
                std::string symbolPrefix, ArrayRef<uint8_t> blob,
                ArrayRef<float> codebook, uint64_t rows, uint64_t cols,
                WeightConsumer &consumer);

  OpBuilder &getBuilder() { return builder; }
  WeightConsumer &getConsumer() { return consumer; }
  /// How many independent streams a decoder may interleave in one loop
  /// (1: none), from convert-cw-to-loops' `interleave` option.
  unsigned getInterleave() const { return interleave; }
  void setInterleave(unsigned n) { interleave = n ? n : 1; }
  /// How many threads a decoder may split the layer over (scf.parallel,
  /// lowered to OpenMP by the pipeline), from the `threads` option.
  unsigned getThreads() const { return threads; }
  void setThreads(unsigned n) { threads = n ? n : 1; }
  SimdLevel getSimd() const { return simd; }
  void setSimd(SimdLevel level) { simd = level; }
  Location getLoc() const { return loc; }
  ArrayRef<uint8_t> getBlob() const { return blob; }
  ArrayRef<float> getCodebook() const { return codebook; }
  uint64_t getRows() const { return rows; }
  uint64_t getCols() const { return cols; }
  InFlightDiagnostic emitError() const;

  /// Read-only globals (one per call, named after the layer; a table equal
  /// to one the module already has reuses that global). Bytes are
  /// reinterpreted as little-endian 64-bit words and padded with two zero
  /// words, so peekBits may read one word past any valid position.
  Value getWordTable(OpBuilder &b, Location loc, StringRef suffix,
                     ArrayRef<uint8_t> bytes);
  Value getI8Table(OpBuilder &b, Location loc, StringRef suffix,
                   ArrayRef<uint8_t> values);
  Value getI16Table(OpBuilder &b, Location loc, StringRef suffix,
                    ArrayRef<uint16_t> values);
  Value getI32Table(OpBuilder &b, Location loc, StringRef suffix,
                    ArrayRef<uint32_t> values);
  Value getI64Table(OpBuilder &b, Location loc, StringRef suffix,
                    ArrayRef<uint64_t> values);
  Value getF32Table(OpBuilder &b, Location loc, StringRef suffix,
                    ArrayRef<float> values);
  /// Tables are created where the builder stands; call these before
  /// building loops, or use the hoisting of visitCluster.
  /// The codebook as an f32 table with entry 0 = 0.0 (a pruned zero) and
  /// entry c = codebook[c - 1], so cluster indices look up directly.
  Value getCodebookTable(OpBuilder &b, Location loc);

  /// The next `numBits` (1..57) bits of an LSB-first stream held in a word
  /// table, starting at bit `bitPos` (i64), as an i64.
  Value peekBits(OpBuilder &b, Location loc, Value words, Value bitPos,
                 unsigned numBits);
  /// A byte global for peekBitsUnaligned (padded with 8 zero bytes).
  Value getByteStream(OpBuilder &b, Location loc, StringRef suffix,
                      ArrayRef<uint8_t> bytes);
  /// peekBits over a byte stream: one unaligned 64-bit load (little-endian
  /// targets) instead of two aligned ones.
  Value peekBitsUnaligned(OpBuilder &b, Location loc, Value bytes, Value bitPos,
                          unsigned numBits);
  /// Like peekBits with a run-time width `numBits` (i64, 0..57).
  Value peekBitsDynamic(OpBuilder &b, Location loc, Value words, Value bitPos,
                        Value numBits);

  /// Consumer hooks.
  void beginRow(OpBuilder &b, Location loc, Value row) {
    consumer.beginRow(b, loc, row);
  }
  void visit(OpBuilder &b, Location loc, Value row, Value col, Value weight) {
    consumer.visit(b, loc, row, col, weight);
  }
  /// Visits codebook entry `cluster` (an integer; 0 = zero) at (row, col).
  void visitCluster(OpBuilder &b, Location loc, Value row, Value col,
                    Value cluster);
  void endRow(OpBuilder &b, Location loc, Value row) {
    consumer.endRow(b, loc, row);
  }

  /// Emits `for chunk in [0, numChunks)` at the builder's position; `body`
  /// gets the chunk's rows [first, last) = [chunk * rowsPerChunk,
  /// min(first + rowsPerChunk, rows)) as indices. The loop's yield is added
  /// after the body.
  void forEachChunk(uint64_t numChunks, uint64_t rowsPerChunk,
                    function_ref<void(OpBuilder &, Location, Value chunk,
                                      Value first, Value last)>
                        body);

  /// Small arithmetic helpers for decoders.
  Value constIndex(OpBuilder &b, Location loc, int64_t v);
  Value constI64(OpBuilder &b, Location loc, int64_t v);
  Value constI32(OpBuilder &b, Location loc, int32_t v);
  Value toIndex(OpBuilder &b, Location loc, Value v);
  Value toI64(OpBuilder &b, Location loc, Value v);

private:
  Value getGlobal(OpBuilder &b, Location loc, StringRef suffix,
                  Type elementType, int64_t count, ArrayRef<char> rawData);
  /// The name of a constant global of `type` holding exactly `data`, if any.
  std::optional<std::string> findEqualGlobal(MemRefType type,
                                             ArrayRef<char> data);

  OpBuilder &builder;
  Location loc;
  ModuleOp module;
  std::string symbolPrefix;
  ArrayRef<uint8_t> blob;
  ArrayRef<float> codebook;
  uint64_t rows, cols;
  WeightConsumer &consumer;
  Block *kernelEntry;
  Value codebookTable;
  unsigned interleave = 1;
  unsigned threads = 1;
  SimdLevel simd = SimdLevel::Generic;
};

} // namespace mlir::cw

#endif // CW_CONVERSION_DECODEEMITTER_H

//===- DecodeEmitter.cpp - What an encoding's decode loops build on -------===//

#include "cw/Conversion/DecodeEmitter.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"

#include <cstring>

using namespace mlir;
using namespace mlir::cw;

DecodeEmitter::DecodeEmitter(OpBuilder &builder, Location loc, ModuleOp module,
                             std::string symbolPrefix, ArrayRef<uint8_t> blob,
                             ArrayRef<float> codebook, uint64_t rows,
                             uint64_t cols, WeightConsumer &consumer)
    : builder(builder), loc(loc), module(module),
      symbolPrefix(std::move(symbolPrefix)), blob(blob), codebook(codebook),
      rows(rows), cols(cols), consumer(consumer),
      kernelEntry(builder.getInsertionBlock()) {}

InFlightDiagnostic DecodeEmitter::emitError() const {
  return mlir::emitError(loc);
}

Value DecodeEmitter::getGlobal(OpBuilder &b, Location l, StringRef suffix,
                               Type elementType, int64_t count,
                               ArrayRef<char> rawData) {
  // memref.global needs a non-empty type: keep at least one element.
  std::vector<char> padded(rawData.begin(), rawData.end());
  unsigned elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  if (count == 0) {
    count = 1;
    padded.assign(elementBytes, 0);
  }
  auto type = MemRefType::get({count}, elementType);
  std::string name = symbolPrefix + "_" + suffix.str();
  SymbolTable symbols(module);
  if (!symbols.lookup(name)) {
    // Kernels for the same weights (one per function or batch) build equal
    // tables: share one global. LLVM's constmerge cannot always do it, since
    // a global whose address reaches an intrinsic call keeps its address
    // significant.
    if (std::optional<std::string> same = findEqualGlobal(type, padded))
      return memref::GetGlobalOp::create(b, l, type, *same);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    auto tensorType = RankedTensorType::get({count}, elementType);
    auto blobData = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        ArrayRef<char>(padded), /*align=*/64);
    auto init =
        DenseResourceElementsAttr::get(tensorType, name, std::move(blobData));
    auto global = memref::GlobalOp::create(
        b, l, name, b.getStringAttr("private"), type, init,
        /*constant=*/true, b.getI64IntegerAttr(64));
    symbols.insert(global);
  }
  return memref::GetGlobalOp::create(b, l, type, name);
}

std::optional<std::string> DecodeEmitter::findEqualGlobal(MemRefType type,
                                                          ArrayRef<char> data) {
  for (auto global : module.getOps<memref::GlobalOp>()) {
    if (!global.getConstant() || global.getType() != type)
      continue;
    auto init = llvm::dyn_cast_or_null<DenseResourceElementsAttr>(
        global.getInitialValueAttr());
    if (!init)
      continue;
    AsmResourceBlob *existing = init.getRawHandle().getBlob();
    if (existing && existing->getData() == data)
      return global.getSymName().str();
  }
  return std::nullopt;
}

Value DecodeEmitter::getWordTable(OpBuilder &b, Location l, StringRef suffix,
                                  ArrayRef<uint8_t> bytes) {
  size_t words = (bytes.size() + 7) / 8 + 2;
  std::vector<char> raw(words * 8, 0);
  if (!bytes.empty())
    std::memcpy(raw.data(), bytes.data(), bytes.size());
  return getGlobal(b, l, suffix, b.getI64Type(), int64_t(words), raw);
}

Value DecodeEmitter::getByteStream(OpBuilder &b, Location l, StringRef suffix,
                                   ArrayRef<uint8_t> bytes) {
  // Eight zero bytes of padding: an unaligned peek reads 8 bytes from any
  // byte of the stream.
  std::vector<char> raw(bytes.size() + 8, 0);
  if (!bytes.empty())
    std::memcpy(raw.data(), bytes.data(), bytes.size());
  return getGlobal(b, l, suffix, b.getI8Type(), int64_t(raw.size()), raw);
}

template <typename T> static ArrayRef<char> asChars(ArrayRef<T> values) {
  return ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                        values.size() * sizeof(T));
}

Value DecodeEmitter::getI8Table(OpBuilder &b, Location l, StringRef suffix,
                                ArrayRef<uint8_t> values) {
  return getGlobal(b, l, suffix, b.getI8Type(), values.size(), asChars(values));
}
Value DecodeEmitter::getI16Table(OpBuilder &b, Location l, StringRef suffix,
                                 ArrayRef<uint16_t> values) {
  return getGlobal(b, l, suffix, b.getI16Type(), values.size(),
                   asChars(values));
}
Value DecodeEmitter::getI32Table(OpBuilder &b, Location l, StringRef suffix,
                                 ArrayRef<uint32_t> values) {
  return getGlobal(b, l, suffix, b.getI32Type(), values.size(),
                   asChars(values));
}
Value DecodeEmitter::getI64Table(OpBuilder &b, Location l, StringRef suffix,
                                 ArrayRef<uint64_t> values) {
  return getGlobal(b, l, suffix, b.getI64Type(), values.size(),
                   asChars(values));
}
Value DecodeEmitter::getF32Table(OpBuilder &b, Location l, StringRef suffix,
                                 ArrayRef<float> values) {
  return getGlobal(b, l, suffix, b.getF32Type(), values.size(),
                   asChars(values));
}

Value DecodeEmitter::getCodebookTable(OpBuilder &b, Location l) {
  std::vector<float> table;
  table.reserve(codebook.size() + 1);
  table.push_back(0.0f);
  table.insert(table.end(), codebook.begin(), codebook.end());
  return getF32Table(b, l, "codebook", table);
}

void DecodeEmitter::forEachChunk(
    uint64_t numChunks, uint64_t rowsPerChunk,
    function_ref<void(OpBuilder &, Location, Value, Value, Value)> body) {
  OpBuilder &b = builder;
  scf::ForOp::create(b, loc, constIndex(b, loc, 0),
                     constIndex(b, loc, int64_t(numChunks)),
                     constIndex(b, loc, 1), ValueRange{},
                     [&](OpBuilder &cb, Location cl, Value chunk, ValueRange) {
                       Value step = constIndex(cb, cl, int64_t(rowsPerChunk));
                       Value first = arith::MulIOp::create(cb, cl, chunk, step);
                       Value last = arith::MinUIOp::create(
                           cb, cl, arith::AddIOp::create(cb, cl, first, step),
                           constIndex(cb, cl, int64_t(rows)));
                       body(cb, cl, chunk, first, last);
                       scf::YieldOp::create(cb, cl);
                     });
}

Value DecodeEmitter::constIndex(OpBuilder &b, Location l, int64_t v) {
  return arith::ConstantIndexOp::create(b, l, v);
}
Value DecodeEmitter::constI64(OpBuilder &b, Location l, int64_t v) {
  return arith::ConstantIntOp::create(b, l, v, 64);
}
Value DecodeEmitter::constI32(OpBuilder &b, Location l, int32_t v) {
  return arith::ConstantIntOp::create(b, l, v, 32);
}
Value DecodeEmitter::toIndex(OpBuilder &b, Location l, Value v) {
  if (v.getType().isIndex())
    return v;
  return arith::IndexCastUIOp::create(b, l, b.getIndexType(), v);
}
Value DecodeEmitter::toI64(OpBuilder &b, Location l, Value v) {
  if (v.getType().isInteger(64))
    return v;
  if (v.getType().isIndex())
    return arith::IndexCastUIOp::create(b, l, b.getI64Type(), v);
  return arith::ExtUIOp::create(b, l, b.getI64Type(), v);
}

Value DecodeEmitter::peekBitsDynamic(OpBuilder &b, Location l, Value words,
                                     Value bitPos, Value numBits) {
  // word = pos >> 6, off = pos & 63;
  // bits = (w[word] >> off) | ((w[word + 1] << 1) << (63 - off))
  // (the split shift avoids an undefined shift by 64 when off == 0).
  Value six = constI64(b, l, 6), mask63 = constI64(b, l, 63),
        one = constI64(b, l, 1);
  Value wordIdx = arith::ShRUIOp::create(b, l, bitPos, six);
  Value off = arith::AndIOp::create(b, l, bitPos, mask63);
  Value idx0 = toIndex(b, l, wordIdx);
  Value idx1 = arith::AddIOp::create(b, l, idx0, constIndex(b, l, 1));
  Value w0 = memref::LoadOp::create(b, l, words, ValueRange{idx0});
  Value w1 = memref::LoadOp::create(b, l, words, ValueRange{idx1});
  Value lo = arith::ShRUIOp::create(b, l, w0, off);
  Value hi = arith::ShLIOp::create(b, l, arith::ShLIOp::create(b, l, w1, one),
                                   arith::SubIOp::create(b, l, mask63, off));
  Value all = arith::OrIOp::create(b, l, lo, hi);
  Value mask = arith::SubIOp::create(
      b, l, arith::ShLIOp::create(b, l, one, numBits), one);
  return arith::AndIOp::create(b, l, all, mask);
}

Value DecodeEmitter::peekBits(OpBuilder &b, Location l, Value words,
                              Value bitPos, unsigned numBits) {
  assert(numBits >= 1 && numBits <= 57 && "peek 1..57 bits");
  return peekBitsDynamic(b, l, words, bitPos, constI64(b, l, numBits));
}

Value DecodeEmitter::peekBitsUnaligned(OpBuilder &b, Location l, Value bytes,
                                       Value bitPos, unsigned numBits) {
  assert(numBits >= 1 && numBits <= 57 && "peek 1..57 bits");
  // One unaligned little-endian 8-byte load at byte pos / 8, shifted by
  // pos % 8: the vector<8xi8> load lowers to a plain 64-bit load.
  Value byteIdx =
      toIndex(b, l, arith::ShRUIOp::create(b, l, bitPos, constI64(b, l, 3)));
  auto bytesType = VectorType::get({8}, b.getI8Type());
  Value v = vector::LoadOp::create(b, l, bytesType, bytes, ValueRange{byteIdx});
  Value word =
      vector::BitCastOp::create(b, l, VectorType::get({1}, b.getI64Type()), v);
  Value w = vector::ExtractOp::create(b, l, word, ArrayRef<int64_t>{0});
  Value shifted = arith::ShRUIOp::create(
      b, l, w, arith::AndIOp::create(b, l, bitPos, constI64(b, l, 7)));
  return arith::AndIOp::create(b, l, shifted,
                               constI64(b, l, (int64_t(1) << numBits) - 1));
}

void DecodeEmitter::visitCluster(OpBuilder &b, Location l, Value row, Value col,
                                 Value cluster) {
  if (!codebookTable) {
    // Hoisted to the kernel's entry block: loops being built are not yet
    // attached to their parents.
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kernelEntry);
    codebookTable = getCodebookTable(b, l);
  }
  Value weight = memref::LoadOp::create(b, l, codebookTable,
                                        ValueRange{toIndex(b, l, cluster)});
  consumer.visit(b, l, row, col, weight);
}

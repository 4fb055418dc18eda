//===- CWAttrs.cpp - Weight encoding attributes ---------------------------===//
//
// Parameter verification for the encoding attributes. The codec-facing
// interface methods live in CWEncodings.cpp.
//
//===----------------------------------------------------------------------===//

#include "cw/Dialect/CW/CWAttrs.h"
#include "cw/Codec/HuffmanCodec.h"
#include "cw/Dialect/CW/CWDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::cw;

#include "cw/Dialect/CW/CWEnums.cpp.inc"
#include "cw/Dialect/CW/CWInterfaces.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "cw/Dialect/CW/CWAttrs.cpp.inc"

void CWDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "cw/Dialect/CW/CWAttrs.cpp.inc"
      >();
}

std::pair<uint64_t, uint64_t> mlir::cw::matrixDims(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return {1, 1};
  uint64_t cols = 1;
  for (int64_t d : shape.drop_front())
    cols *= uint64_t(d);
  return {uint64_t(shape.front()), cols};
}

static LogicalResult checkRange(function_ref<InFlightDiagnostic()> emitError,
                                StringRef attr, StringRef param, uint64_t value,
                                uint64_t lo, uint64_t hi, StringRef why = "") {
  if (value >= lo && value <= hi)
    return success();
  InFlightDiagnostic diag = emitError();
  diag << "#cw." << attr << ": " << param << " must be in [" << lo << ", " << hi
       << "], got " << value;
  if (!why.empty())
    diag << " (" << why << ")";
  return diag;
}

LogicalResult CsrEncodingAttr::verify(function_ref<InFlightDiagnostic()> err,
                                      unsigned gapBits, bool huffmanIndices,
                                      bool huffmanGaps, unsigned rowsPerChunk,
                                      unsigned maxCodeLength, unsigned lanes) {
  if (failed(checkRange(err, "csr", "gap_bits", gapBits, 3, 8,
                        "relative indices use 3 to 8 bits")))
    return failure();
  if (failed(checkRange(err, "csr", "max_code_length", maxCodeLength, 2, 16)))
    return failure();
  if (failed(
          checkRange(err, "csr", "rows_per_chunk", rowsPerChunk, 1, 1u << 30)))
    return failure();
  if (lanes == 0)
    return success();
  if (lanes != ::cw::codec::kCsrLanes)
    return err() << "#cw.csr: lanes must be 0 or " << ::cw::codec::kCsrLanes
                 << ", got " << lanes;
  if (!huffmanIndices || !huffmanGaps)
    return err() << "#cw.csr: lanes = " << lanes
                 << " needs huffman_indices and huffman_gaps";
  return checkRange(err, "csr", "max_code_length", maxCodeLength, 2,
                    ::cw::codec::kCsrLanesMaxCodeLength,
                    "an entry of the lane-interleaved layout takes at most 16 "
                    "bits");
}

LogicalResult
HuffmanEncodingAttr::verify(function_ref<InFlightDiagnostic()> err,
                            unsigned maxCodeLength, unsigned rowsPerChunk) {
  if (failed(
          checkRange(err, "huffman", "max_code_length", maxCodeLength, 2, 16)))
    return failure();
  return checkRange(err, "huffman", "rows_per_chunk", rowsPerChunk, 1,
                    1u << 30);
}

LogicalResult
BloomierEncodingAttr::verify(function_ref<InFlightDiagnostic()> err,
                             unsigned cellBits, unsigned hashes, uint64_t cells,
                             uint64_t, unsigned rowsPerChunk) {
  if (failed(checkRange(err, "bloomier", "cell_bits", cellBits, 2, 16,
                        "t bits per cell")))
    return failure();
  // The bound also catches a negative value, which the parser wraps.
  if (failed(checkRange(err, "bloomier", "cells", cells, 0, uint64_t(1) << 40,
                        "0: the encoder chooses")))
    return failure();
  return checkRange(err, "bloomier", "hashes", hashes, 2, 4,
                    "k hash functions; k >= 2 is needed to peel");
}

LogicalResult
WaveletEncodingAttr::verify(function_ref<InFlightDiagnostic()> err, WaveletMode,
                            unsigned blockSize) {
  return checkRange(err, "wavelet", "block_size", blockSize, 1, 64);
}

LogicalResult SZEncodingAttr::verify(function_ref<InFlightDiagnostic()> err,
                                     APFloat errorBoundValue, Predictor,
                                     unsigned rowsPerChunk) {
  double errorBound = errorBoundValue.convertToDouble();
  if (!(errorBound > 0) || !std::isfinite(errorBound))
    return err() << "#cw.sz: error_bound must be a positive finite number, got "
                 << errorBound;
  return checkRange(err, "sz", "rows_per_chunk", rowsPerChunk, 1, 1u << 30);
}

bool DenseEncodingAttr::requiresCodebook() const { return true; }

Attribute DenseEncodingAttr::parse(AsmParser &parser, Type) {
  if (succeeded(parser.parseOptionalLess())) {
    parser.emitError(parser.getCurrentLocation(),
                     "#cw.dense takes no parameters");
    return {};
  }
  return get(parser.getContext());
}

void DenseEncodingAttr::print(AsmPrinter &) const {}
bool CsrEncodingAttr::requiresCodebook() const { return true; }
bool HuffmanEncodingAttr::requiresCodebook() const { return true; }
bool BloomierEncodingAttr::requiresCodebook() const { return true; }
bool WaveletEncodingAttr::requiresCodebook() const { return true; }
bool SZEncodingAttr::requiresCodebook() const { return false; }

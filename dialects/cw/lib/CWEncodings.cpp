//===- CWEncodings.cpp - Encoding attributes bound to their codecs --------===//
//
// The only place where attribute parameters meet codec parameters. Every
// blob is parsed by its codec: the dialect never reads a bit layout itself.
//
//===----------------------------------------------------------------------===//

#include "cw/Dialect/CW/CWAttrs.h"

#include "cw/Codec/Bloomier.h"
#include "cw/Codec/DenseCodec.h"
#include "cw/Codec/HuffmanCodec.h"
#include "cw/Codec/SZ.h"
#include "cw/Codec/WaveletCodec.h"

using namespace mlir;
using namespace mlir::cw;
namespace codec = ::cw::codec;

using EmitErrorFn = function_ref<InFlightDiagnostic()>;

StringRef DenseEncodingAttr::getEncodingName() const { return "dense"; }
StringRef CsrEncodingAttr::getEncodingName() const { return "csr"; }
StringRef HuffmanEncodingAttr::getEncodingName() const { return "huffman"; }
StringRef BloomierEncodingAttr::getEncodingName() const { return "bloomier"; }
StringRef WaveletEncodingAttr::getEncodingName() const { return "wavelet"; }
StringRef SZEncodingAttr::getEncodingName() const { return "sz"; }

//===----------------------------------------------------------------------===//
// Shared checks for encodings that store cluster indices
//===----------------------------------------------------------------------===//

/// Checks a decoded index matrix against the weight's shape and codebook.
static LogicalResult checkIndices(StringRef name,
                                  const codec::ClusteredMatrix &m,
                                  ArrayRef<int64_t> shape, unsigned numClusters,
                                  EmitErrorFn emitError) {
  auto [rows, cols] = matrixDims(shape);
  if (m.rows != rows || m.cols != cols)
    return emitError() << "#cw." << name << " blob holds a " << m.rows << "x"
                       << m.cols << " matrix, but the weight needs " << rows
                       << "x" << cols;
  for (uint16_t i : m.indices)
    if (i > numClusters)
      return emitError() << "#cw." << name << " blob refers to cluster " << i
                         << " but the codebook has " << numClusters
                         << " entries";
  return success();
}

static std::vector<float> applyCodebook(const codec::ClusteredMatrix &m,
                                        ArrayRef<float> codebook) {
  std::vector<float> values(m.indices.size(), 0.0f);
  for (size_t i = 0; i < m.indices.size(); ++i)
    if (uint16_t c = m.indices[i])
      values[i] = codebook[c - 1];
  return values;
}

/// verifyBlob / referenceDecode for an index encoding whose reference decoder
/// is `decode(data, size) -> Result<ClusteredMatrix>`.
template <typename DecodeFn>
static LogicalResult
verifyIndexBlob(StringRef name, DecodeFn decode, ArrayRef<uint8_t> blob,
                ArrayRef<int64_t> shape, unsigned numClusters,
                EmitErrorFn emitError) {
  codec::Result<codec::ClusteredMatrix> m = decode(blob.data(), blob.size());
  if (!m)
    return emitError() << "malformed #cw." << name << " blob: " << m.message();
  return checkIndices(name, *m, shape, numClusters, emitError);
}

template <typename DecodeFn>
static FailureOr<std::vector<float>>
decodeIndexBlob(StringRef name, DecodeFn decode, ArrayRef<uint8_t> blob,
                ArrayRef<float> codebook, ArrayRef<int64_t> shape,
                EmitErrorFn emitError) {
  codec::Result<codec::ClusteredMatrix> m = decode(blob.data(), blob.size());
  if (!m)
    return emitError() << "malformed #cw." << name << " blob: " << m.message();
  if (failed(checkIndices(name, *m, shape, codebook.size(), emitError)))
    return failure();
  return applyCodebook(*m, codebook);
}

template <typename T>
static FailureOr<std::vector<uint8_t>>
takeBlob(StringRef name, codec::Result<T> result, EmitErrorFn emitError) {
  if (!result)
    return emitError() << "#cw." << name
                       << " encoding failed: " << result.message();
  return std::move(*result);
}

//===----------------------------------------------------------------------===//
// #cw.dense
//===----------------------------------------------------------------------===//

LogicalResult DenseEncodingAttr::verifyBlob(ArrayRef<uint8_t> blob,
                                            ArrayRef<int64_t> shape,
                                            unsigned numClusters,
                                            EmitErrorFn emitError) const {
  return verifyIndexBlob("dense", codec::decodeDenseMatrix, blob, shape,
                         numClusters, emitError);
}

FailureOr<std::vector<float>> DenseEncodingAttr::referenceDecode(
    ArrayRef<uint8_t> blob, ArrayRef<float> codebook, ArrayRef<int64_t> shape,
    EmitErrorFn emitError) const {
  return decodeIndexBlob("dense", codec::decodeDenseMatrix, blob, codebook,
                         shape, emitError);
}

FailureOr<std::vector<uint8_t>>
DenseEncodingAttr::encode(const codec::ClusteredMatrix &clustered,
                          ArrayRef<float>, codec::EncodingStats &stats,
                          Attribute &resolved, EmitErrorFn emitError) const {
  resolved = *this;
  return takeBlob("dense", codec::encodeDenseMatrix(clustered, {}, &stats),
                  emitError);
}

//===----------------------------------------------------------------------===//
// #cw.csr
//===----------------------------------------------------------------------===//

LogicalResult CsrEncodingAttr::verifyBlob(ArrayRef<uint8_t> blob,
                                          ArrayRef<int64_t> shape,
                                          unsigned numClusters,
                                          EmitErrorFn emitError) const {
  auto view = codec::parseCsrBlob(blob.data(), blob.size());
  if (!view)
    return emitError() << "malformed #cw.csr blob: " << view.message();
  if (view->gapBits != getGapBits() ||
      view->huffmanIndices != getHuffmanIndices() ||
      view->huffmanGaps != getHuffmanGaps() || view->lanes != getLanes())
    return emitError() << "#cw.csr blob was encoded with gap_bits = "
                       << view->gapBits << ", huffman_indices = "
                       << (view->huffmanIndices ? "true" : "false")
                       << ", huffman_gaps = "
                       << (view->huffmanGaps ? "true" : "false")
                       << ", lanes = " << view->lanes << ", which the type "
                       << *this << " does not state";
  if (view->k != numClusters)
    return emitError() << "#cw.csr blob has " << view->k
                       << " clusters but the codebook has " << numClusters;
  return verifyIndexBlob("csr", codec::decodeCsrMatrix, blob, shape,
                         numClusters, emitError);
}

FailureOr<std::vector<float>> CsrEncodingAttr::referenceDecode(
    ArrayRef<uint8_t> blob, ArrayRef<float> codebook, ArrayRef<int64_t> shape,
    EmitErrorFn emitError) const {
  return decodeIndexBlob("csr", codec::decodeCsrMatrix, blob, codebook, shape,
                         emitError);
}

FailureOr<std::vector<uint8_t>>
CsrEncodingAttr::encode(const codec::ClusteredMatrix &clustered,
                        ArrayRef<float>, codec::EncodingStats &stats,
                        Attribute &resolved, EmitErrorFn emitError) const {
  codec::CsrParams params;
  params.gapBits = getGapBits();
  params.huffmanIndices = getHuffmanIndices();
  params.huffmanGaps = getHuffmanGaps();
  params.rowsPerChunk = getRowsPerChunk();
  params.maxCodeLength = getMaxCodeLength();
  params.lanes = getLanes();
  resolved = *this;
  return takeBlob("csr", codec::encodeCsrMatrix(clustered, params, &stats),
                  emitError);
}

//===----------------------------------------------------------------------===//
// #cw.huffman
//===----------------------------------------------------------------------===//

LogicalResult HuffmanEncodingAttr::verifyBlob(ArrayRef<uint8_t> blob,
                                              ArrayRef<int64_t> shape,
                                              unsigned numClusters,
                                              EmitErrorFn emitError) const {
  auto view = codec::parseHuffmanBlob(blob.data(), blob.size());
  if (!view)
    return emitError() << "malformed #cw.huffman blob: " << view.message();
  if (view->k != numClusters)
    return emitError() << "#cw.huffman blob has " << view->k
                       << " clusters but the codebook has " << numClusters;
  return verifyIndexBlob("huffman", codec::decodeHuffmanMatrix, blob, shape,
                         numClusters, emitError);
}

FailureOr<std::vector<float>> HuffmanEncodingAttr::referenceDecode(
    ArrayRef<uint8_t> blob, ArrayRef<float> codebook, ArrayRef<int64_t> shape,
    EmitErrorFn emitError) const {
  return decodeIndexBlob("huffman", codec::decodeHuffmanMatrix, blob, codebook,
                         shape, emitError);
}

FailureOr<std::vector<uint8_t>>
HuffmanEncodingAttr::encode(const codec::ClusteredMatrix &clustered,
                            ArrayRef<float>, codec::EncodingStats &stats,
                            Attribute &resolved, EmitErrorFn emitError) const {
  codec::HuffmanParams params;
  params.rowsPerChunk = getRowsPerChunk();
  params.maxCodeLength = getMaxCodeLength();
  resolved = *this;
  return takeBlob("huffman",
                  codec::encodeHuffmanMatrix(clustered, params, &stats),
                  emitError);
}

//===----------------------------------------------------------------------===//
// #cw.sz
//===----------------------------------------------------------------------===//

static codec::SZPredictor toCodec(Predictor p) {
  switch (p) {
  case Predictor::prev:
    return codec::SZPredictor::Prev;
  case Predictor::lorenzo:
    return codec::SZPredictor::Lorenzo;
  case Predictor::linear:
    return codec::SZPredictor::Linear;
  }
  llvm_unreachable("unknown predictor");
}

LogicalResult SZEncodingAttr::verifyBlob(ArrayRef<uint8_t> blob,
                                         ArrayRef<int64_t> shape, unsigned,
                                         EmitErrorFn emitError) const {
  auto header = codec::parseSZHeader(blob.data(), blob.size());
  if (!header)
    return emitError() << "malformed #cw.sz blob: " << header.message();
  auto [rows, cols] = matrixDims(shape);
  if (header->rows != rows || header->cols != cols)
    return emitError() << "#cw.sz blob holds a " << header->rows << "x"
                       << header->cols << " matrix, but the weight needs "
                       << rows << "x" << cols;
  double bound = getErrorBound().convertToDouble();
  if (header->errorBound > bound)
    return emitError() << "#cw.sz blob was encoded with error bound "
                       << header->errorBound << ", above the type's " << bound;
  if (header->predictor != toCodec(getPredictor()))
    return emitError() << "#cw.sz blob uses predictor '"
                       << codec::predictorName(header->predictor)
                       << "', the type says '"
                       << stringifyPredictor(getPredictor()) << "'";
  return success();
}

FailureOr<std::vector<float>>
SZEncodingAttr::referenceDecode(ArrayRef<uint8_t> blob, ArrayRef<float>,
                                ArrayRef<int64_t> shape,
                                EmitErrorFn emitError) const {
  uint64_t rows = 0, cols = 0;
  auto values = codec::decodeSZMatrix(blob.data(), blob.size(), &rows, &cols);
  if (!values)
    return emitError() << "malformed #cw.sz blob: " << values.message();
  auto dims = matrixDims(shape);
  if (rows != dims.first || cols != dims.second)
    return emitError() << "#cw.sz blob holds a " << rows << "x" << cols
                       << " matrix, but the weight needs " << dims.first << "x"
                       << dims.second;
  return std::move(*values);
}

FailureOr<std::vector<uint8_t>>
SZEncodingAttr::encode(const codec::ClusteredMatrix &clustered,
                       ArrayRef<float> dense, codec::EncodingStats &stats,
                       Attribute &resolved, EmitErrorFn emitError) const {
  codec::SZParams params;
  params.errorBound = getErrorBound().convertToDouble();
  params.predictor = toCodec(getPredictor());
  params.rowsPerChunk = getRowsPerChunk();
  // Stage 2 (raw Huffman, no zstd) is what the generated loops decode, so
  // the blob in the IR is exactly what the binary holds. The zstd stages
  // stay in the codec for size comparisons (DeepSZ's Huffman + zstd).
  params.entropy = codec::SZEntropyStage::HuffmanRaw;
  std::vector<float> values(dense.begin(), dense.end());
  resolved = *this;
  return takeBlob("sz",
                  codec::encodeSZMatrix(values, clustered.rows, clustered.cols,
                                        params, &stats),
                  emitError);
}

//===----------------------------------------------------------------------===//
// #cw.bloomier
//===----------------------------------------------------------------------===//

LogicalResult BloomierEncodingAttr::verifyBlob(ArrayRef<uint8_t> blob,
                                               ArrayRef<int64_t> shape,
                                               unsigned numClusters,
                                               EmitErrorFn emitError) const {
  auto view = codec::parseBloomier(blob.data(), blob.size());
  if (!view)
    return emitError() << "malformed #cw.bloomier blob: " << view.message();
  auto [rows, cols] = matrixDims(shape);
  if (view->rows != rows || view->cols != cols)
    return emitError() << "#cw.bloomier blob holds a " << view->rows << "x"
                       << view->cols << " matrix, but the weight needs " << rows
                       << "x" << cols;
  if (view->numClusters != numClusters)
    return emitError() << "#cw.bloomier blob has " << view->numClusters
                       << " clusters but the codebook has " << numClusters;
  if (view->cellBits != getCellBits() || view->hashes != getHashes() ||
      (getCells() != 0 && view->totalCells != getCells()))
    return emitError() << "#cw.bloomier blob has cell_bits = " << view->cellBits
                       << ", hashes = " << view->hashes
                       << ", cells = " << view->totalCells
                       << ", which the type " << *this << " does not state";
  return success();
}

FailureOr<std::vector<float>> BloomierEncodingAttr::referenceDecode(
    ArrayRef<uint8_t> blob, ArrayRef<float> codebook, ArrayRef<int64_t> shape,
    EmitErrorFn emitError) const {
  return decodeIndexBlob(
      "bloomier",
      [](const uint8_t *d, size_t n) {
        return codec::decodeBloomierMatrix(d, n);
      },
      blob, codebook, shape, emitError);
}

FailureOr<std::vector<uint8_t>>
BloomierEncodingAttr::encode(const codec::ClusteredMatrix &clustered,
                             ArrayRef<float>, codec::EncodingStats &stats,
                             Attribute &resolved, EmitErrorFn emitError) const {
  codec::BloomierParams params;
  params.cellBits = getCellBits();
  params.hashes = getHashes();
  params.rowsPerChunk = getRowsPerChunk();
  if (getSeed() != 0)
    params.seed = getSeed();
  // A requested table size becomes cells per nonzero; segment rounding per
  // chunk makes the total approximate, and the type records the exact one.
  if (uint64_t nonzeros = clustered.countNonzeros(); getCells() && nonzeros)
    params.cellsPerKey = double(getCells()) / double(nonzeros);
  auto blob = takeBlob("bloomier",
                       codec::encodeBloomierMatrix(clustered, params, &stats),
                       emitError);
  if (failed(blob))
    return failure();
  auto view = codec::parseBloomier(blob->data(), blob->size());
  if (!view)
    return emitError() << "#cw.bloomier: " << view.message();
  resolved = BloomierEncodingAttr::get(getContext(), getCellBits(), getHashes(),
                                       view->totalCells, params.seed,
                                       view->rowsPerChunk);
  return blob;
}

//===----------------------------------------------------------------------===//
// #cw.wavelet
//===----------------------------------------------------------------------===//

static codec::WaveletMode toCodec(WaveletMode mode) {
  switch (mode) {
  case WaveletMode::element:
    return codec::WaveletMode::Element;
  case WaveletMode::block:
    return codec::WaveletMode::Block;
  case WaveletMode::sparse:
    return codec::WaveletMode::Sparse;
  }
  llvm_unreachable("unknown wavelet mode");
}

LogicalResult WaveletEncodingAttr::verifyBlob(ArrayRef<uint8_t> blob,
                                              ArrayRef<int64_t> shape,
                                              unsigned numClusters,
                                              EmitErrorFn emitError) const {
  auto view = codec::WaveletCodecView::parse(blob.data(), blob.size());
  if (!view)
    return emitError() << "malformed #cw.wavelet blob: " << view.message();
  auto [rows, cols] = matrixDims(shape);
  if (view->rows() != rows || view->cols() != cols)
    return emitError() << "#cw.wavelet blob holds a " << view->rows() << "x"
                       << view->cols() << " matrix, but the weight needs "
                       << rows << "x" << cols;
  if (view->numClusters() != numClusters)
    return emitError() << "#cw.wavelet blob has " << view->numClusters()
                       << " clusters but the codebook has " << numClusters;
  if (view->mode() != toCodec(getMode()))
    return emitError() << "#cw.wavelet blob is in "
                       << codec::waveletModeName(view->mode())
                       << " mode, which the type " << *this
                       << " does not state";
  return success();
}

FailureOr<std::vector<float>> WaveletEncodingAttr::referenceDecode(
    ArrayRef<uint8_t> blob, ArrayRef<float> codebook, ArrayRef<int64_t> shape,
    EmitErrorFn emitError) const {
  return decodeIndexBlob("wavelet", codec::decodeWaveletMatrix, blob, codebook,
                         shape, emitError);
}

FailureOr<std::vector<uint8_t>>
WaveletEncodingAttr::encode(const codec::ClusteredMatrix &clustered,
                            ArrayRef<float>, codec::EncodingStats &stats,
                            Attribute &resolved, EmitErrorFn emitError) const {
  codec::WaveletParams params;
  params.mode = toCodec(getMode());
  params.blockSize = getBlockSize();
  resolved = *this;
  return takeBlob("wavelet",
                  codec::encodeWaveletMatrix(clustered, params, &stats),
                  emitError);
}

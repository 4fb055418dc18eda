//===- CWEncodings.cpp - Encoding attributes bound to their codecs --------===//
//
// The only place where attribute parameters meet codec parameters. Every
// blob is parsed by its codec: the dialect never reads a bit layout itself.
//
//===----------------------------------------------------------------------===//

#include "cw/Dialect/CW/CWAttrs.h"

#include "cw/Codec/DenseCodec.h"

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
                                  ArrayRef<int64_t> shape,
                                  unsigned numClusters, EmitErrorFn emitError) {
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
static LogicalResult verifyIndexBlob(StringRef name, DecodeFn decode,
                                     ArrayRef<uint8_t> blob,
                                     ArrayRef<int64_t> shape,
                                     unsigned numClusters,
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

FailureOr<std::vector<float>>
DenseEncodingAttr::referenceDecode(ArrayRef<uint8_t> blob,
                                   ArrayRef<float> codebook,
                                   ArrayRef<int64_t> shape,
                                   EmitErrorFn emitError) const {
  return decodeIndexBlob("dense", codec::decodeDenseMatrix, blob, codebook,
                         shape, emitError);
}

FailureOr<std::vector<uint8_t>> DenseEncodingAttr::encode(
    const codec::ClusteredMatrix &clustered, ArrayRef<float>,
    codec::EncodingStats &stats, Attribute &resolved,
    EmitErrorFn emitError) const {
  resolved = *this;
  return takeBlob("dense", codec::encodeDenseMatrix(clustered, {}, &stats),
                  emitError);
}

//===----------------------------------------------------------------------===//
// Encodings whose codec binding lands next
//===----------------------------------------------------------------------===//

#define CW_PENDING_CODEC(Attr)                                                 \
  LogicalResult Attr::verifyBlob(ArrayRef<uint8_t>, ArrayRef<int64_t>,         \
                                 unsigned, EmitErrorFn) const {                \
    return success();                                                          \
  }                                                                            \
  FailureOr<std::vector<float>> Attr::referenceDecode(                         \
      ArrayRef<uint8_t>, ArrayRef<float>, ArrayRef<int64_t>,                   \
      EmitErrorFn emitError) const {                                           \
    return emitError() << "codec pending";                                     \
  }                                                                            \
  FailureOr<std::vector<uint8_t>> Attr::encode(                                \
      const codec::ClusteredMatrix &, ArrayRef<float>, codec::EncodingStats &, \
      Attribute &, EmitErrorFn emitError) const {                              \
    return emitError() << "codec pending";                                     \
  }
CW_PENDING_CODEC(CsrEncodingAttr)
CW_PENDING_CODEC(HuffmanEncodingAttr)
CW_PENDING_CODEC(BloomierEncodingAttr)
CW_PENDING_CODEC(WaveletEncodingAttr)
CW_PENDING_CODEC(SZEncodingAttr)

//===- CWEncodings.cpp - Encoding attributes bound to their codecs --------===//

#include "cw/Dialect/CW/CWAttrs.h"

using namespace mlir;
using namespace mlir::cw;

StringRef DenseEncodingAttr::getEncodingName() const { return "dense"; }
StringRef CsrEncodingAttr::getEncodingName() const { return "csr"; }
StringRef HuffmanEncodingAttr::getEncodingName() const { return "huffman"; }
StringRef BloomierEncodingAttr::getEncodingName() const { return "bloomier"; }
StringRef WaveletEncodingAttr::getEncodingName() const { return "wavelet"; }
StringRef SZEncodingAttr::getEncodingName() const { return "sz"; }

// Codec bindings (filled in when the codec library lands).
#define CW_PENDING_CODEC(Attr)                                                 \
  LogicalResult Attr::verifyBlob(ArrayRef<uint8_t>, ArrayRef<int64_t>,         \
                                 unsigned,                                     \
                                 function_ref<InFlightDiagnostic()>) const {   \
    return success();                                                          \
  }                                                                            \
  FailureOr<std::vector<float>> Attr::referenceDecode(                         \
      ArrayRef<uint8_t>, ArrayRef<float>, ArrayRef<int64_t>,                   \
      function_ref<InFlightDiagnostic()> emitError) const {                    \
    return emitError() << "codec pending";                                     \
  }                                                                            \
  FailureOr<std::vector<uint8_t>> Attr::encode(                                \
      const ::cw::codec::ClusteredMatrix &, ArrayRef<float>,                   \
      ::cw::codec::EncodingStats &, Attribute &,                               \
      function_ref<InFlightDiagnostic()> emitError) const {                    \
    return emitError() << "codec pending";                                     \
  }
CW_PENDING_CODEC(DenseEncodingAttr)
CW_PENDING_CODEC(CsrEncodingAttr)
CW_PENDING_CODEC(HuffmanEncodingAttr)
CW_PENDING_CODEC(BloomierEncodingAttr)
CW_PENDING_CODEC(WaveletEncodingAttr)
CW_PENDING_CODEC(SZEncodingAttr)

//===- Decoders.h - Decode-loop models of the encodings ---------*- C++ -*-===//
#ifndef CW_LIB_CONVERSION_DECODERS_H
#define CW_LIB_CONVERSION_DECODERS_H

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace cw {
// Each attaches one encoding's DecodeLoweringAttrInterface model.
void attachDenseDecoder(mlir::MLIRContext *ctx);
void attachCsrDecoder(mlir::MLIRContext *ctx);
void attachHuffmanDecoder(mlir::MLIRContext *ctx);
void attachBloomierDecoder(mlir::MLIRContext *ctx);
void attachWaveletDecoder(mlir::MLIRContext *ctx);
void attachSZDecoder(mlir::MLIRContext *ctx);
} // namespace cw

#endif // CW_LIB_CONVERSION_DECODERS_H

//===- Registration.cpp - Attach the encodings' decode-loop models --------===//

#include "Decoders/Decoders.h"
#include "cw/Conversion/Passes.h"
#include "cw/Dialect/CW/CWDialect.h"

#include "mlir/IR/DialectRegistry.h"

void cw::registerDecodeLoweringModels(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, mlir::cw::CWDialect *) {
    attachDenseDecoder(ctx);
    attachCsrDecoder(ctx);
    attachHuffmanDecoder(ctx);
    attachBloomierDecoder(ctx);
    attachSZDecoder(ctx);
    attachWaveletDecoder(ctx);
  });
}

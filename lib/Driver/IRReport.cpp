//===- IRReport.cpp - The compression report of an encoded model ----------===//

#include "cw/Driver/IRReport.h"

#include "cw/Dialect/CW/CWOps.h"

using namespace mlir;
using namespace mlir::cw;

namespace cw {

FailureOr<ModelReport> reportFromIR(ModuleOp module) {
  ModelReport report;
  unsigned index = 0;
  WalkResult r = module.walk([&](WeightsOp op) {
    auto type = op.getResult().getType();
    EncodingAttrInterface encoding = type.getEncodingInterface();
    FailureOr<ArrayRef<uint8_t>> blob = op.getBlob();
    if (failed(blob)) {
      op.emitError("cannot report: the weight blob is not available");
      return WalkResult::interrupt();
    }
    std::vector<float> codebook = op.getCodebookValues();
    FailureOr<std::vector<float>> values =
        encoding.referenceDecode(*blob, codebook, type.getShape(), [&]() {
          return op.emitError("cannot report: ");
        });
    if (failed(values))
      return WalkResult::interrupt();

    LayerReport l;
    l.name =
        op.getName() ? op.getName()->str() : "weights" + std::to_string(index);
    ++index;
    l.kind = "decode";
    for (Operation *user : op->getUsers()) {
      if (isa<MatmulOp>(user))
        l.kind = "matmul";
      else if (isa<Conv2DOp>(user))
        l.kind = "conv2d";
    }
    l.shape.assign(type.getShape().begin(), type.getShape().end());
    l.weights = values->size();
    for (float v : *values)
      l.nonzeros += v != 0.0f;
    l.clusters = codebook.size();
    l.encoding = encoding.getEncodingName().str();
    llvm::raw_string_ostream os(l.attribute);
    os << type.getEncoding();
    l.originalBytes = uint64_t(values->size()) * 4;
    l.blobBytes = blob->size();
    l.codebookBytes = uint64_t(codebook.size()) * 4;
    l.encodedBytes =
        (encoding.getEncodedSizeInBits(*blob, codebook.size()) + 7) / 8;
    report.layers.push_back(std::move(l));
    return WalkResult::advance();
  });
  if (r.wasInterrupted())
    return failure();
  return report;
}

} // namespace cw

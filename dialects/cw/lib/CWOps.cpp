//===- CWOps.cpp - cw operations ------------------------------------------===//

#include "cw/Dialect/CW/CWOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::cw;

#define GET_OP_CLASSES
#include "cw/Dialect/CW/CWOps.cpp.inc"

//===----------------------------------------------------------------------===//
// WeightsOp
//===----------------------------------------------------------------------===//

FailureOr<ArrayRef<uint8_t>> WeightsOp::getBlob() {
  Attribute data = getData();
  if (auto resource = llvm::dyn_cast<DenseResourceElementsAttr>(data)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return failure();
    ArrayRef<char> bytes = blob->getData();
    return ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(bytes.data()),
                             bytes.size());
  }
  if (auto dense = llvm::dyn_cast<DenseIntElementsAttr>(data)) {
    ArrayRef<char> raw = dense.getRawData();
    if (dense.isSplat() && dense.getNumElements() != 1)
      return failure(); // a splat's raw data is a single element
    return ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(raw.data()),
                             raw.size());
  }
  return failure();
}

std::vector<float> WeightsOp::getCodebookValues() {
  std::vector<float> values;
  if (auto codebook = getCodebook())
    for (APFloat v : codebook->getValues<APFloat>())
      values.push_back(v.convertToFloat());
  return values;
}

LogicalResult WeightsOp::verify() {
  auto type = getResult().getType();
  auto dataType = llvm::dyn_cast<ShapedType>(getData().getType());
  if (!dataType || dataType.getRank() != 1 ||
      !dataType.getElementType().isInteger(8))
    return emitOpError() << "data must be a 1-D tensor of i8 bytes (a "
                            "dense_resource blob), got "
                         << getData().getType();
  if (!llvm::isa<DenseResourceElementsAttr, DenseIntElementsAttr>(getData()))
    return emitOpError() << "data must be a dense_resource or dense i8 "
                            "attribute";
  EncodingAttrInterface encoding = type.getEncodingInterface();
  unsigned numClusters = 0;
  if (auto codebook = getCodebook()) {
    auto cbType = llvm::cast<ShapedType>(codebook->getType());
    if (cbType.getRank() != 1)
      return emitOpError() << "codebook must be 1-D, got " << cbType;
    if (cbType.getNumElements() > 256)
      return emitOpError() << "codebook has " << cbType.getNumElements()
                           << " entries, at most 256 are supported";
    numClusters = unsigned(cbType.getNumElements());
    for (APFloat v : codebook->getValues<APFloat>())
      if (!v.isFinite())
        return emitOpError() << "codebook holds a NaN or Inf centroid";
    if (!encoding.requiresCodebook())
      return emitOpError() << "#cw." << encoding.getEncodingName()
                           << " stores values and takes no codebook";
  } else if (encoding.requiresCodebook()) {
    return emitOpError() << "#cw." << encoding.getEncodingName()
                         << " stores cluster indices and needs a codebook";
  }
  if (auto dense = llvm::dyn_cast<DenseIntElementsAttr>(getData()))
    if (dense.isSplat() && dense.getNumElements() != 1)
      return emitOpError() << "data must hold the blob's bytes, not a splat";
  FailureOr<ArrayRef<uint8_t>> blob = getBlob();
  if (failed(blob))
    return success(); // elided resource: nothing more to check
  // The declared length is what the rest of the IR (and readers) see.
  if (int64_t(blob->size()) != dataType.getNumElements())
    return emitOpError() << "data is declared as " << dataType << " but its "
                         << "blob holds " << blob->size() << " bytes";
  return encoding.verifyBlob(*blob, type.getShape(), numClusters,
                             [&]() { return emitOpError(); });
}

//===----------------------------------------------------------------------===//
// DecodeOp
//===----------------------------------------------------------------------===//

LogicalResult DecodeOp::verify() {
  auto weightsType = getWeights().getType();
  RankedTensorType expected = weightsType.getDecodedType();
  if (getResult().getType() != expected)
    return emitOpError() << "result type " << getResult().getType()
                         << " does not match the decoded type " << expected
                         << " of " << weightsType;
  return success();
}

OpFoldResult DecodeOp::fold(FoldAdaptor) {
  auto weights = getWeights().getDefiningOp<WeightsOp>();
  if (!weights)
    return {};
  FailureOr<ArrayRef<uint8_t>> blob = weights.getBlob();
  if (failed(blob))
    return {};
  auto type = weights.getResult().getType();
  std::vector<float> codebook = weights.getCodebookValues();
  // A malformed blob is a verifier error of cw.weights; folding stays silent
  // and leaves the op in place.
  bool failedDecode = false;
  FailureOr<std::vector<float>> values =
      type.getEncodingInterface().referenceDecode(
          *blob, codebook, type.getShape(), [&]() {
            failedDecode = true;
            return getOperation()->emitRemark("cw.decode not folded");
          });
  if (failed(values) || failedDecode)
    return {};
  return DenseElementsAttr::get(getResult().getType(), ArrayRef(*values));
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  auto inputType = llvm::cast<RankedTensorType>(getInput().getType());
  auto weightsType = getWeights().getType();
  auto resultType = llvm::cast<RankedTensorType>(getResult().getType());
  if (inputType.getRank() != 2 && inputType.getRank() != 3)
    return emitOpError() << "input must be [M, K] or [B, M, K], got "
                         << inputType;
  if (weightsType.getShape().size() != 2)
    return emitOpError() << "weights must be [N, K] (one row per output), got "
                         << weightsType;
  if (inputType.getElementType() != weightsType.getElementType() ||
      resultType.getElementType() != weightsType.getElementType())
    return emitOpError() << "element types disagree: input " << inputType
                         << ", weights " << weightsType << ", result "
                         << resultType;
  int64_t k = inputType.getShape().back();
  int64_t n = weightsType.getShape()[0];
  int64_t wk = weightsType.getShape()[1];
  if (!ShapedType::isDynamic(k) && k != wk)
    return emitOpError() << "inner dimensions disagree: input " << inputType
                         << " has K = " << k << " but weights " << weightsType
                         << " have K = " << wk;
  SmallVector<int64_t> expected(inputType.getShape());
  expected.back() = n;
  if (resultType.getRank() != inputType.getRank())
    return emitOpError() << "result " << resultType
                         << " must have the rank of input " << inputType;
  for (auto [want, got] : llvm::zip(expected, resultType.getShape()))
    if (!ShapedType::isDynamic(want) && !ShapedType::isDynamic(got) &&
        want != got)
      return emitOpError() << "result " << resultType
                           << " does not match input " << inputType
                           << " times weights " << weightsType
                           << " (expected last dimension " << n << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  auto inputType = llvm::cast<RankedTensorType>(getInput().getType());
  auto weightsType = getWeights().getType();
  auto biasType = llvm::cast<RankedTensorType>(getBias().getType());
  auto resultType = llvm::cast<RankedTensorType>(getResult().getType());
  ArrayRef<int64_t> w = weightsType.getShape();
  if (inputType.getRank() != 4)
    return emitOpError() << "input must be NHWC [N, H, W, IC], got "
                         << inputType;
  if (w.size() != 4)
    return emitOpError() << "weights must be [OC, KH, KW, IC], got "
                         << weightsType;
  if (resultType.getRank() != 4)
    return emitOpError() << "result must be NHWC [N, OH, OW, OC], got "
                         << resultType;
  if (inputType.getElementType() != weightsType.getElementType() ||
      resultType.getElementType() != weightsType.getElementType() ||
      biasType.getElementType() != weightsType.getElementType())
    return emitOpError() << "element types disagree: input " << inputType
                         << ", weights " << weightsType << ", bias " << biasType
                         << ", result " << resultType;
  if (getPad().size() != 4)
    return emitOpError() << "pad must have 4 entries [top, bottom, left, "
                            "right], got "
                         << getPad().size();
  if (getStride().size() != 2 || getDilation().size() != 2)
    return emitOpError() << "stride and dilation must have 2 entries [y, x]";
  for (int64_t p : getPad())
    if (p < 0)
      return emitOpError() << "pad entries must be >= 0, got " << p;
  for (int64_t s : llvm::concat<const int64_t>(getStride(), getDilation()))
    if (s < 1)
      return emitOpError() << "stride and dilation entries must be >= 1, got "
                           << s;
  ArrayRef<int64_t> in = inputType.getShape();
  if (!ShapedType::isDynamic(in[3]) && in[3] != w[3])
    return emitOpError() << "input channels disagree: input " << inputType
                         << " has IC = " << in[3] << " but weights "
                         << weightsType << " have IC = " << w[3];
  if (biasType.getRank() != 1 ||
      (biasType.getShape()[0] != w[0] && biasType.getShape()[0] != 1))
    return emitOpError() << "bias " << biasType << " must be [" << w[0]
                         << "] (or [1]) for weights " << weightsType;
  ArrayRef<int64_t> pad = getPad(), stride = getStride(), dil = getDilation();
  int64_t expected[4] = {in[0], ShapedType::kDynamic, ShapedType::kDynamic,
                         w[0]};
  for (int i = 0; i < 2; ++i) {
    int64_t size = in[1 + i];
    if (ShapedType::isDynamic(size))
      continue;
    // Checked: pad and dilation are arbitrary attribute values.
    std::optional<int64_t> padded = llvm::checkedAdd(size, pad[2 * i]);
    if (padded)
      padded = llvm::checkedAdd(*padded, pad[2 * i + 1]);
    std::optional<int64_t> extent = llvm::checkedMul(w[1 + i] - 1, dil[i]);
    if (!padded || !extent)
      return emitOpError() << "padded input or dilated kernel size "
                              "overflows (pad "
                           << pad[2 * i] << ", " << pad[2 * i + 1]
                           << ", dilation " << dil[i] << ")";
    int64_t span = *padded - *extent;
    if (span < 1)
      return emitOpError() << "kernel " << weightsType << " does not fit input "
                           << inputType << " with the given pad and dilation";
    expected[1 + i] = (span - 1) / stride[i] + 1;
  }
  ArrayRef<int64_t> out = resultType.getShape();
  for (int i = 0; i < 4; ++i)
    if (!ShapedType::isDynamic(expected[i]) && !ShapedType::isDynamic(out[i]) &&
        expected[i] != out[i])
      return emitOpError() << "result " << resultType << " does not match "
                           << "input " << inputType << " convolved with "
                           << weightsType << ": expected dimension " << i
                           << " = " << expected[i];
  return success();
}

//===----------------------------------------------------------------------===//
// PermuteOp
//===----------------------------------------------------------------------===//

LogicalResult PermuteOp::verify() {
  auto table = llvm::cast<VectorType>(getLow().getType());
  auto indices = llvm::cast<VectorType>(getIndices().getType());
  Type element = table.getElementType();
  bool bytes = table.getShape() == ArrayRef<int64_t>{64} &&
               element.isInteger(8) && indices == table;
  bool floats = table.getShape() == ArrayRef<int64_t>{16} && element.isF32() &&
                indices.getShape() == ArrayRef<int64_t>{16} &&
                indices.getElementType().isInteger(32);
  if (!bytes && !floats)
    return emitOpError("expects vector<64xi8> tables with vector<64xi8> "
                       "indices or vector<16xf32> tables with vector<16xi32> "
                       "indices, got ")
           << table << " and " << indices;
  return success();
}

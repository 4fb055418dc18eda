//===- Reference.cpp - Express a cw model in plain TOSA again -------------===//

#include "cw/Driver/Reference.h"

#include "cw/Dialect/CW/CWOps.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace mlir::cw;

namespace cw {
namespace {

/// The weight's dense values through the codec's reference decoder.
FailureOr<std::vector<float>> referenceValues(Operation *user, Value weights) {
  auto op = weights.getDefiningOp<WeightsOp>();
  if (!op)
    return user->emitError("cannot build the reference: weights must come "
                           "from cw.weights");
  FailureOr<ArrayRef<uint8_t>> blob = op.getBlob();
  if (failed(blob))
    return user->emitError("cannot build the reference: the weight blob is "
                           "not available (elided resource?)");
  auto type = op.getResult().getType();
  std::vector<float> codebook = op.getCodebookValues();
  return type.getEncodingInterface().referenceDecode(
      *blob, codebook, type.getShape(),
      [&]() { return user->emitError("cannot build the reference: "); });
}

Value floatConst(ImplicitLocOpBuilder &b, ArrayRef<int64_t> shape,
                 ArrayRef<float> values) {
  auto type = RankedTensorType::get(shape, b.getF32Type());
  return tosa::ConstOp::create(b, type, DenseElementsAttr::get(type, values));
}

Value reshape(ImplicitLocOpBuilder &b, Value v, ArrayRef<int64_t> shape) {
  auto from = llvm::cast<RankedTensorType>(v.getType());
  if (from.getShape() == shape)
    return v;
  auto type = RankedTensorType::get(shape, from.getElementType());
  return tosa::ReshapeOp::create(b, type, v, tosa::getTosaConstShape(b, shape));
}

LogicalResult rewriteMatmul(MatmulOp op) {
  FailureOr<std::vector<float>> w = referenceValues(op, op.getWeights());
  if (failed(w))
    return failure();
  ArrayRef<int64_t> ws = op.getWeights().getType().getShape();
  int64_t n = ws[0], k = ws[1];
  // [N, K] -> [1, K, N].
  std::vector<float> kn(size_t(n * k));
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < k; ++c)
      kn[size_t(c * n + r)] = (*w)[size_t(r * k + c)];
  ImplicitLocOpBuilder b(op.getLoc(), op);
  auto inType = llvm::cast<RankedTensorType>(op.getInput().getType());
  if (!inType.hasStaticShape())
    return op.emitError("cannot build the reference: dynamic input shape");
  int64_t m = inType.getNumElements() / k;
  Value x = reshape(b, op.getInput(), {1, m, k});
  Value wc = floatConst(b, {1, k, n}, kn);
  Value zp = floatConst(b, {1}, {0.0f});
  auto resultType = RankedTensorType::get({1, m, n}, b.getF32Type());
  Value y = tosa::MatMulOp::create(b, resultType, x, wc, zp, zp);
  y = reshape(b, y, op.getResult().getType().getShape());
  op.replaceAllUsesWith(y);
  op.erase();
  return success();
}

LogicalResult rewriteConv(Conv2DOp op) {
  FailureOr<std::vector<float>> w = referenceValues(op, op.getWeights());
  if (failed(w))
    return failure();
  ImplicitLocOpBuilder b(op.getLoc(), op);
  Value wc = floatConst(b, op.getWeights().getType().getShape(), *w);
  Value zp = floatConst(b, {1}, {0.0f});
  OperationState state(op.getLoc(), tosa::Conv2DOp::getOperationName());
  state.addOperands({op.getInput(), wc, op.getBias(), zp, zp});
  state.addAttribute("pad", op.getPadAttr());
  state.addAttribute("stride", op.getStrideAttr());
  state.addAttribute("dilation", op.getDilationAttr());
  state.addAttribute("acc_type", TypeAttr::get(b.getF32Type()));
  state.addTypes(op.getResult().getType());
  Operation *conv = b.create(state);
  op.replaceAllUsesWith(conv->getResult(0));
  op.erase();
  return success();
}

LogicalResult rewriteDecode(DecodeOp op) {
  FailureOr<std::vector<float>> w = referenceValues(op, op.getWeights());
  if (failed(w))
    return failure();
  ImplicitLocOpBuilder b(op.getLoc(), op);
  Value c = floatConst(b, op.getResult().getType().getShape(), *w);
  op.replaceAllUsesWith(c);
  op.erase();
  return success();
}

} // namespace

LogicalResult rewriteToReference(ModuleOp module) {
  SmallVector<Operation *> work;
  module.walk([&](Operation *op) {
    if (isa<MatmulOp, Conv2DOp, DecodeOp>(op))
      work.push_back(op);
  });
  for (Operation *op : work) {
    LogicalResult r = success();
    if (auto mm = dyn_cast<MatmulOp>(op))
      r = rewriteMatmul(mm);
    else if (auto conv = dyn_cast<Conv2DOp>(op))
      r = rewriteConv(conv);
    else
      r = rewriteDecode(cast<DecodeOp>(op));
    if (failed(r))
      return failure();
  }
  SmallVector<WeightsOp> dead;
  module.walk([&](WeightsOp w) {
    if (w->use_empty())
      dead.push_back(w);
  });
  for (WeightsOp w : dead)
    w.erase();
  WalkResult left = module.walk([](Operation *op) {
    if (isa<CWDialect>(op->getDialect())) {
      op->emitError("cannot build the reference: ")
          << op->getName() << " is still used";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(left.wasInterrupted());
}

} // namespace cw

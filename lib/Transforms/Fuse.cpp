//===- Fuse.cpp - cw-fuse stage: multiply from encoded weights ------------===//

#include "StageUtils.h"

#include "cw/Dialect/CW/CWOps.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"

using namespace mlir;
namespace cw {

/// Whether `value` is a constant whose elements are all zero.
static bool isZeroConstant(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return false;
  auto elements = dyn_cast<DenseElementsAttr>(attr);
  if (!elements)
    return false;
  if (isa<FloatType>(elements.getElementType()))
    return llvm::all_of(elements.getValues<APFloat>(),
                        [](const APFloat &v) { return v.isZero(); });
  if (isa<IntegerType>(elements.getElementType()))
    return llvm::all_of(elements.getValues<APInt>(),
                        [](const APInt &v) { return v.isZero(); });
  return false;
}

static bool isF32Tensor(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.getElementType().isF32();
}

LogicalResult runFuseStage(ModuleOp module, const StageOptions &options) {
  llvm::DenseMap<Operation *, std::string> names;
  for (const WeightLayer &layer : findWeightLayers(module))
    names[layer.consumer] = layer.name;

  SmallVector<Operation *> candidates;
  module.walk([&](Operation *op) {
    if (isa<tosa::MatMulOp, tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(op))
      candidates.push_back(op);
  });

  for (Operation *op : candidates) {
    Value operand = op->getOperand(1);
    FailureOr<TracedValue> traced = traceThroughLayoutOps(operand);
    if (failed(traced))
      continue;
    auto decode = traced->source.getDefiningOp<mlir::cw::DecodeOp>();
    if (!decode)
      continue; // not a cw weight: nothing to fuse
    std::string name = names.lookup(op);
    auto keep = [&](const Twine &why) {
      if (options.remarks)
        emitRemark(op->getLoc())
            << options.passName << ": layer '" << name << "' not fused (" << why
            << "); it keeps reading its weight through cw.decode";
    };
    if (isa<tosa::DepthwiseConv2DOp>(op)) {
      keep("cw has no fused depthwise convolution");
      continue;
    }
    LayerKind kind =
        isa<tosa::MatMulOp>(op) ? LayerKind::Matmul : LayerKind::Conv2D;
    // The operand must be exactly the decoded weight in the kind's layout.
    StridedView view = traced->view;
    auto operandType = cast<RankedTensorType>(operand.getType());
    FailureOr<StridedView> expected =
        encodedViewOfOperand(kind, operandType.getShape());
    auto weightsType = decode.getWeights().getType();
    bool layoutOk = false;
    if (succeeded(expected)) {
      // Compose: encoded index -> operand offset -> decoded offset.
      SmallVector<int64_t> operandToDecoded;
      operandToDecoded.reserve(view.getNumElements());
      view.forEachOffset(
          [&](int64_t offset) { operandToDecoded.push_back(offset); });
      layoutOk = ArrayRef<int64_t>(expected->shape) == weightsType.getShape();
      int64_t next = 0;
      if (layoutOk)
        expected->forEachOffset([&](int64_t offset) {
          layoutOk &= operandToDecoded[offset] == next++;
        });
    }
    if (!layoutOk) {
      keep("its weight layout is not the encoded [outputs, inputs] layout");
      continue;
    }
    OpBuilder builder(op);
    Value fused;
    if (auto matmul = dyn_cast<tosa::MatMulOp>(op)) {
      if (!isF32Tensor(matmul.getA()) || !isF32Tensor(matmul.getResult())) {
        keep("only f32 matmuls are fused");
        continue;
      }
      if (!isZeroConstant(matmul.getAZp()) ||
          !isZeroConstant(matmul.getBZp())) {
        keep("its zero points are not constant zeros");
        continue;
      }
      fused = mlir::cw::MatmulOp::create(builder, op->getLoc(),
                                         matmul.getResult().getType(),
                                         matmul.getA(), decode.getWeights());
    } else {
      auto conv = cast<tosa::Conv2DOp>(op);
      if (!isF32Tensor(conv.getInput()) || !isF32Tensor(conv.getBias()) ||
          !isF32Tensor(conv.getResult()) || !conv.getAccType().isF32()) {
        keep("only f32 convolutions with f32 accumulation are fused");
        continue;
      }
      if (!isZeroConstant(conv.getInputZp()) ||
          !isZeroConstant(conv.getWeightZp())) {
        keep("its zero points are not constant zeros");
        continue;
      }
      fused = mlir::cw::Conv2DOp::create(
          builder, op->getLoc(), conv.getResult().getType(), conv.getInput(),
          decode.getWeights(), conv.getBias(), conv.getPadAttr(),
          conv.getStrideAttr(), conv.getDilationAttr());
    }
    op->getResult(0).replaceAllUsesWith(fused);
    // The decode chain and the zero points die with the op.
    SmallVector<Operation *> operandDefs;
    for (Value v : op->getOperands())
      if (Operation *def = v.getDefiningOp())
        operandDefs.push_back(def);
    op->erase();
    eraseIfDead(operandDefs);
  }
  return success();
}

} // namespace cw

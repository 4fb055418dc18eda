//===- WeightLayers.cpp - Find the weight layers of a TOSA model ----------===//

#include "cw/Transforms/WeightLayers.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"

#include <cstring>
#include <optional>

using namespace mlir;
namespace cw {

StringRef layerKindName(LayerKind kind) {
  switch (kind) {
  case LayerKind::Matmul:
    return "matmul";
  case LayerKind::Conv2D:
    return "conv2d";
  case LayerKind::DepthwiseConv2D:
    return "depthwise_conv2d";
  }
  return "layer";
}

//===----------------------------------------------------------------------===//
// StridedView
//===----------------------------------------------------------------------===//

StridedView StridedView::rowMajor(ArrayRef<int64_t> shape) {
  StridedView view;
  view.shape.assign(shape.begin(), shape.end());
  view.strides.resize(shape.size());
  int64_t stride = 1;
  for (int64_t i = int64_t(shape.size()) - 1; i >= 0; --i) {
    view.strides[i] = stride;
    stride *= shape[i];
  }
  return view;
}

int64_t StridedView::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

LogicalResult StridedView::transpose(ArrayRef<int32_t> perms) {
  if (perms.size() != shape.size())
    return failure();
  SmallVector<bool> seen(shape.size(), false);
  SmallVector<int64_t> newShape, newStrides;
  for (int32_t p : perms) {
    if (p < 0 || size_t(p) >= shape.size() || seen[p])
      return failure();
    seen[p] = true;
    newShape.push_back(shape[p]);
    newStrides.push_back(strides[p]);
  }
  shape = std::move(newShape);
  strides = std::move(newStrides);
  return success();
}

LogicalResult StridedView::reshape(ArrayRef<int64_t> newShape) {
  int64_t total = 1;
  for (int64_t d : newShape) {
    if (d <= 0)
      return failure();
    total *= d;
  }
  if (total != getNumElements())
    return failure();
  // The old dimensions that matter (size 1 dimensions carry no layout).
  SmallVector<int64_t> oldShape, oldStrides;
  for (auto [d, s] : llvm::zip(shape, strides))
    if (d != 1) {
      oldShape.push_back(d);
      oldStrides.push_back(s);
    }
  SmallVector<int64_t> result(newShape.size(), 0);
  size_t oi = 0, ni = 0;
  while (ni < newShape.size()) {
    if (newShape[ni] == 1) {
      ++ni;
      continue;
    }
    if (oi >= oldShape.size())
      return failure();
    // Smallest groups of old and new dimensions with equal products.
    int64_t oldProduct = oldShape[oi], newProduct = newShape[ni];
    size_t oj = oi + 1, nj = ni + 1;
    while (oldProduct != newProduct) {
      if (oldProduct < newProduct) {
        if (oj >= oldShape.size())
          return failure();
        oldProduct *= oldShape[oj++];
      } else {
        if (nj >= newShape.size())
          return failure();
        newProduct *= newShape[nj++];
      }
    }
    // The old group must be contiguous to be merged or split.
    for (size_t k = oi; k + 1 < oj; ++k)
      if (oldStrides[k] != oldStrides[k + 1] * oldShape[k + 1])
        return failure();
    result[nj - 1] = oldStrides[oj - 1];
    for (size_t k = nj - 1; k > ni; --k)
      result[k - 1] = result[k] * newShape[k];
    oi = oj;
    ni = nj;
  }
  if (oi != oldShape.size())
    return failure();
  shape.assign(newShape.begin(), newShape.end());
  strides = std::move(result);
  return success();
}

void StridedView::forEachOffset(function_ref<void(int64_t)> fn) const {
  int64_t n = getNumElements();
  if (n == 0)
    return;
  size_t rank = shape.size();
  if (rank == 0) {
    fn(0);
    return;
  }
  SmallVector<int64_t> index(rank, 0);
  int64_t offset = 0;
  int64_t inner = shape[rank - 1], innerStride = strides[rank - 1];
  for (int64_t done = 0; done < n; done += inner) {
    for (int64_t i = 0; i < inner; ++i)
      fn(offset + i * innerStride);
    // Advance the outer dimensions like an odometer.
    for (int64_t d = int64_t(rank) - 2; d >= 0; --d) {
      offset += strides[d];
      if (++index[d] < shape[d])
        break;
      offset -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
}

bool StridedView::isRowMajor() const {
  StridedView canonical = rowMajor(shape);
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] != 1 && strides[i] != canonical.strides[i])
      return false;
  return true;
}

//===----------------------------------------------------------------------===//
// Orientation
//===----------------------------------------------------------------------===//

/// Applies the fixed transform of a layer kind: operand layout -> encoded.
static LogicalResult applyKindTransform(LayerKind kind, StridedView &view) {
  ArrayRef<int64_t> s = view.shape;
  switch (kind) {
  case LayerKind::Matmul: {
    // B is [1, K, N]; the encoded weight is [N, K].
    if (s.size() != 3 || s[0] != 1)
      return failure();
    int64_t k = s[1], n = s[2];
    if (failed(view.reshape({k, n})))
      return failure();
    return view.transpose({1, 0});
  }
  case LayerKind::Conv2D:
    return success(s.size() == 4);
  case LayerKind::DepthwiseConv2D: {
    // [KH, KW, C, M] -> [C, M, KH, KW] -> [C * M, KH * KW].
    if (s.size() != 4)
      return failure();
    int64_t kh = s[0], kw = s[1], c = s[2], m = s[3];
    if (failed(view.transpose({2, 3, 0, 1})))
      return failure();
    return view.reshape({c * m, kh * kw});
  }
  }
  return failure();
}

FailureOr<StridedView> encodedViewOfOperand(LayerKind kind,
                                            ArrayRef<int64_t> shape) {
  StridedView view = StridedView::rowMajor(shape);
  if (failed(applyKindTransform(kind, view)))
    return failure();
  return view;
}

FailureOr<SmallVector<int64_t>> encodedShapeOf(LayerKind kind,
                                               ArrayRef<int64_t> shape) {
  FailureOr<StridedView> view = encodedViewOfOperand(kind, shape);
  if (failed(view))
    return failure();
  return view->shape;
}

int64_t WeightLayer::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : encodedShape)
    n *= d;
  return n;
}

std::pair<uint64_t, uint64_t> WeightLayer::getMatrixDims() const {
  if (encodedShape.empty())
    return {1, 1};
  uint64_t cols = 1;
  for (int64_t d : ArrayRef<int64_t>(encodedShape).drop_front())
    cols *= uint64_t(d);
  return {uint64_t(encodedShape.front()), cols};
}

//===----------------------------------------------------------------------===//
// Tracing
//===----------------------------------------------------------------------===//

FailureOr<TracedValue> traceThroughLayoutOps(Value value) {
  TracedValue traced;
  Value current = value;
  while (Operation *def = current.getDefiningOp()) {
    if (auto reshape = dyn_cast<tosa::ReshapeOp>(def)) {
      traced.chain.push_back(def);
      current = reshape.getInput1();
    } else if (auto transpose = dyn_cast<tosa::TransposeOp>(def)) {
      traced.chain.push_back(def);
      current = transpose.getInput1();
    } else {
      break;
    }
  }
  traced.source = current;
  auto sourceType = dyn_cast<RankedTensorType>(current.getType());
  if (!sourceType || !sourceType.hasStaticShape())
    return failure();
  traced.view = StridedView::rowMajor(sourceType.getShape());
  for (Operation *op : llvm::reverse(traced.chain)) {
    if (auto transpose = dyn_cast<tosa::TransposeOp>(op)) {
      if (failed(traced.view.transpose(transpose.getPerms())))
        return failure();
      continue;
    }
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!resultType || !resultType.hasStaticShape() ||
        failed(traced.view.reshape(resultType.getShape())))
      return failure();
  }
  return traced;
}

//===----------------------------------------------------------------------===//
// Discovery
//===----------------------------------------------------------------------===//

static std::optional<std::string> nameFromLoc(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::optional<std::string> name = nameFromLoc(inner))
        return name;
  return std::nullopt;
}

static std::optional<LayerKind> kindOf(Operation *op) {
  if (isa<tosa::MatMulOp>(op))
    return LayerKind::Matmul;
  if (isa<tosa::Conv2DOp>(op))
    return LayerKind::Conv2D;
  if (isa<tosa::DepthwiseConv2DOp>(op))
    return LayerKind::DepthwiseConv2D;
  return std::nullopt;
}

static std::string describeSource(Value source) {
  if (Operation *def = source.getDefiningOp())
    return ("it comes from '" + def->getName().getStringRef() + "'").str();
  return "it is a block argument";
}

std::vector<WeightLayer> findWeightLayers(ModuleOp module) {
  std::vector<WeightLayer> layers;
  llvm::StringMap<unsigned> nameUses;
  llvm::DenseMap<std::pair<Operation *, unsigned>, unsigned> counters;
  llvm::DenseMap<Operation *, size_t> constOwner;

  module.walk([&](Operation *op) {
    std::optional<LayerKind> kind = kindOf(op);
    if (!kind)
      return;
    WeightLayer layer;
    layer.kind = *kind;
    layer.consumer = op;
    layer.operand = op->getOperand(1);

    // Name: the location's name, else <function>.<kind><index>.
    auto function = op->getParentOfType<FunctionOpInterface>();
    unsigned index = counters[{function.getOperation(), unsigned(*kind)}]++;
    std::string name;
    if (std::optional<std::string> locName = nameFromLoc(op->getLoc());
        locName && !locName->empty())
      name = *locName;
    else
      name = ((function ? function.getName() : StringRef("module")) + "." +
              layerKindName(*kind) + Twine(index))
                 .str();
    unsigned uses = nameUses[name]++;
    if (uses)
      name += "_" + std::to_string(uses);
    layer.name = name;

    auto operandType = dyn_cast<RankedTensorType>(layer.operand.getType());
    if (!operandType || !operandType.hasStaticShape()) {
      layer.reason = "its weight does not have a static shape";
      layers.push_back(std::move(layer));
      return;
    }
    FailureOr<SmallVector<int64_t>> encodedShape =
        encodedShapeOf(*kind, operandType.getShape());
    if (failed(encodedShape)) {
      layer.reason = "its weight has an unsupported shape (a batched matmul "
                     "weight?)";
      layers.push_back(std::move(layer));
      return;
    }
    layer.encodedShape = *encodedShape;
    if (!operandType.getElementType().isF32()) {
      llvm::raw_string_ostream os(layer.reason);
      os << "its weight is " << operandType.getElementType()
         << ", only f32 weights are compressed";
      layers.push_back(std::move(layer));
      return;
    }

    FailureOr<TracedValue> traced = traceThroughLayoutOps(layer.operand);
    auto constOp = succeeded(traced)
                       ? traced->source.getDefiningOp<tosa::ConstOp>()
                       : tosa::ConstOp();
    if (!constOp) {
      layer.reason =
          succeeded(traced)
              ? "its weight is not a constant (" +
                    describeSource(traced->source) + ")"
              : "its weight is reached through a reshape/transpose chain "
                "that is not a plain relayout";
      layers.push_back(std::move(layer));
      return;
    }
    StridedView view = traced->view;
    if (failed(applyKindTransform(*kind, view))) {
      layer.reason = "its weight layout cannot be expressed as a view of the "
                     "constant";
      layers.push_back(std::move(layer));
      return;
    }
    layer.constOp = constOp;
    layer.constView = std::move(view);
    // The ops from the constant to the consumer; any other user of their
    // results reads the constant too.
    llvm::SetVector<Operation *> chain;
    for (Value v = layer.operand; v != constOp.getResult();
         v = v.getDefiningOp()->getOperand(0))
      chain.insert(v.getDefiningOp());
    chain.insert(constOp);
    for (Operation *link : chain)
      for (Operation *user : link->getUsers())
        if (user != op && !chain.contains(user) && !layer.otherReader)
          layer.otherReader = user;
    auto [it, inserted] = constOwner.try_emplace(constOp, layers.size());
    if (!inserted) {
      layer.sharedConstant = true;
      layer.reason = "its weight constant is shared with layer '" +
                     layers[it->second].name + "'";
    }
    layers.push_back(std::move(layer));
  });
  return layers;
}

//===----------------------------------------------------------------------===//
// Reading and writing weights
//===----------------------------------------------------------------------===//

/// The constant's values in its own row-major order.
static FailureOr<std::vector<float>> readConstant(tosa::ConstOp constOp,
                                                  std::string &why) {
  ElementsAttr values = constOp.getValues();
  auto type = cast<ShapedType>(values.getType());
  if (!type.getElementType().isF32()) {
    why = "its weight constant is not f32";
    return failure();
  }
  int64_t n = type.getNumElements();
  std::vector<float> buffer;
  if (auto dense = dyn_cast<DenseElementsAttr>(values)) {
    buffer.assign(dense.value_begin<float>(), dense.value_end<float>());
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(values)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob) {
      why = "its dense_resource weight has no data (elided)";
      return failure();
    }
    ArrayRef<char> data = blob->getData();
    if (data.size() != size_t(n) * sizeof(float)) {
      why = "its dense_resource weight holds " + std::to_string(data.size()) +
            " bytes, not " + std::to_string(n * sizeof(float));
      return failure();
    }
    buffer.resize(n);
    std::memcpy(buffer.data(), data.data(), data.size());
  } else {
    why = "its weight constant is neither a dense literal nor a "
          "dense_resource";
    return failure();
  }
  if (int64_t(buffer.size()) != n) {
    why = "its weight constant has the wrong number of values";
    return failure();
  }
  return buffer;
}

FailureOr<std::vector<float>> readLayerWeights(const WeightLayer &layer,
                                               std::string &why) {
  if (!layer.constOp) {
    why = layer.reason;
    return failure();
  }
  FailureOr<std::vector<float>> buffer = readConstant(layer.constOp, why);
  if (failed(buffer))
    return failure();
  std::vector<float> values;
  values.reserve(buffer->size());
  layer.constView.forEachOffset(
      [&](int64_t offset) { values.push_back((*buffer)[offset]); });
  return values;
}

void writeLayerWeights(WeightLayer &layer, ArrayRef<float> values) {
  tosa::ConstOp constOp = layer.constOp;
  auto type = cast<RankedTensorType>(constOp.getValues().getType());
  std::vector<float> buffer(type.getNumElements(), 0.0f);
  size_t i = 0;
  layer.constView.forEachOffset(
      [&](int64_t offset) { buffer[offset] = values[i++]; });
  ElementsAttr attr;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(constOp.getValues()))
    attr = DenseResourceElementsAttr::get(
        type, resource.getRawHandle().getKey(),
        HeapAsmResourceBlob::allocateAndCopyInferAlign(
            ArrayRef<float>(buffer)));
  else
    attr = DenseElementsAttr::get(type, ArrayRef<float>(buffer));
  constOp.setValuesAttr(attr);
}

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

static Value reshapeTo(ImplicitLocOpBuilder &b, Value input,
                       ArrayRef<int64_t> shape) {
  auto inputType = cast<RankedTensorType>(input.getType());
  if (inputType.getShape() == shape)
    return input;
  auto type = RankedTensorType::get(shape, inputType.getElementType());
  return tosa::ReshapeOp::create(b, type, input,
                                 tosa::getTosaConstShape(b, shape));
}

static Value transposeBy(ImplicitLocOpBuilder &b, Value input,
                         ArrayRef<int32_t> perms) {
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  for (int32_t p : perms)
    shape.push_back(inputType.getDimSize(p));
  auto type = RankedTensorType::get(shape, inputType.getElementType());
  return tosa::TransposeOp::create(b, type, input,
                                   b.getDenseI32ArrayAttr(perms));
}

Value buildOperandFromEncoded(OpBuilder &builder, Location loc, LayerKind kind,
                              Value encoded, RankedTensorType operandType) {
  ImplicitLocOpBuilder b(loc, builder);
  ArrayRef<int64_t> s = operandType.getShape();
  switch (kind) {
  case LayerKind::Matmul:
    // [N, K] -> [K, N] -> [1, K, N].
    return reshapeTo(b, transposeBy(b, encoded, {1, 0}), s);
  case LayerKind::Conv2D:
    return reshapeTo(b, encoded, s);
  case LayerKind::DepthwiseConv2D:
    // [C * M, KH * KW] -> [C, M, KH, KW] -> [KH, KW, C, M].
    return transposeBy(b, reshapeTo(b, encoded, {s[2], s[3], s[0], s[1]}),
                       {2, 3, 0, 1});
  }
  return encoded;
}

//===----------------------------------------------------------------------===//
// Utilities
//===----------------------------------------------------------------------===//

void eraseIfDead(Operation *op) { eraseIfDead(ArrayRef<Operation *>(op)); }

void eraseIfDead(ArrayRef<Operation *> ops) {
  llvm::SetVector<Operation *> worklist;
  worklist.insert(ops.begin(), ops.end());
  while (!worklist.empty()) {
    Operation *current = worklist.pop_back_val();
    if (!isOpTriviallyDead(current))
      continue;
    SmallVector<Operation *> defs;
    for (Value operand : current->getOperands())
      if (Operation *def = operand.getDefiningOp())
        if (def != current && !llvm::is_contained(defs, def))
          defs.push_back(def);
    current->erase();
    for (Operation *def : defs)
      worklist.insert(def);
  }
}

std::string resourceKeyFor(StringRef layerName) {
  std::string key;
  for (char c : layerName)
    key += (llvm::isAlnum(c) || c == '_' || c == '.') ? c : '_';
  if (key.empty() || !(llvm::isAlpha(key[0]) || key[0] == '_'))
    key = "w_" + key;
  return key;
}

} // namespace cw

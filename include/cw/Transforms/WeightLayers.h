//===- WeightLayers.h - Find the weight layers of a TOSA model --*- C++ -*-===//
//
// A layer is a `tosa.matmul` (its B operand), a `tosa.conv2d` or a
// `tosa.depthwise_conv2d` (its weight operand). The weight may reach the
// layer through any chain of `tosa.reshape` / `tosa.transpose`; when the chain
// starts at a `tosa.const` the layer is compressible.
//
// Names. A layer is named after its op's location when that is a NameLoc (the
// ONNX importer puts the node name there; a FusedLoc's first NameLoc counts
// too), otherwise `<function>.<kind><index>` with the index counted per kind
// and function in op order (`main.matmul0`, `main.conv2d1`). Names repeated in
// one module get `_1`, `_2`, ... appended. Names do not depend on whether the
// weight is a constant, so they survive cw-encode.
//
// Orientation. Codecs see a weight as a matrix of rows = outputs. The
// *encoded shape* of a layer is
//   matmul            [N, K]       (tosa.matmul's B is [1, K, N])
//   conv2d            [OC, KH, KW, IC] (as tosa.conv2d stores it)
//   depthwise_conv2d  [C * M, KH * KW] (tosa stores [KH, KW, C, M])
// and `constView` maps it onto the constant's row-major buffer through the
// reshape/transpose chain, so that no layout work happens at run time.
//
//===----------------------------------------------------------------------===//
#ifndef CW_TRANSFORMS_WEIGHTLAYERS_H
#define CW_TRANSFORMS_WEIGHTLAYERS_H

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <string>
#include <vector>

namespace cw {

enum class LayerKind { Matmul, Conv2D, DepthwiseConv2D };

/// "matmul", "conv2d" or "depthwise_conv2d".
llvm::StringRef layerKindName(LayerKind kind);
/// Convolutions take the conv defaults (bits, gap bits); matmuls the FC ones.
inline bool isConvLayer(LayerKind kind) { return kind != LayerKind::Matmul; }

/// A strided view of a row-major buffer: element (i0, i1, ...) of the view is
/// buffer element sum(ij * strides[j]).
struct StridedView {
  llvm::SmallVector<int64_t> shape;
  llvm::SmallVector<int64_t> strides;

  static StridedView rowMajor(llvm::ArrayRef<int64_t> shape);
  int64_t getNumElements() const;
  /// tosa.transpose semantics: result dim i is input dim perms[i].
  mlir::LogicalResult transpose(llvm::ArrayRef<int32_t> perms);
  /// Reshape without copying; fails when the view's layout cannot be
  /// expressed with strides in the new shape.
  mlir::LogicalResult reshape(llvm::ArrayRef<int64_t> newShape);
  /// Calls fn with the buffer offset of every view element, in row-major
  /// order of the view.
  void forEachOffset(llvm::function_ref<void(int64_t)> fn) const;
  /// Whether the view is the row-major layout of its shape.
  bool isRowMajor() const;
};

struct WeightLayer {
  std::string name;
  LayerKind kind = LayerKind::Matmul;
  /// The tosa.matmul / tosa.conv2d / tosa.depthwise_conv2d.
  mlir::Operation *consumer = nullptr;
  /// The weight operand of the consumer (B of a matmul).
  mlir::Value operand;
  /// The encoded shape (file comment), known whenever the operand is static.
  llvm::SmallVector<int64_t> encodedShape;
  /// The weight constant; null when the weight is not a compressible
  /// constant (then `reason` says why).
  mlir::tosa::ConstOp constOp;
  std::string reason;
  /// The encoded matrix as a view of the constant's row-major buffer.
  StridedView constView;
  /// The constant also feeds an earlier layer, which compresses it.
  bool sharedConstant = false;
  /// An op besides this layer (another layer, or any other op) that reads the
  /// constant or its relayout chain; it sees the values the stages write.
  mlir::Operation *otherReader = nullptr;

  int64_t getNumElements() const;
  /// [rows, cols] as codecs see the encoded shape.
  std::pair<uint64_t, uint64_t> getMatrixDims() const;
  /// The consumer's location, for diagnostics.
  mlir::Location getLoc() const { return consumer->getLoc(); }
};

/// Every layer of `module`, in op order.
std::vector<WeightLayer> findWeightLayers(mlir::ModuleOp module);

/// The view that maps a layer's encoded shape onto its operand's row-major
/// layout (the layer kind's fixed transform), given the operand's shape.
mlir::FailureOr<StridedView>
encodedViewOfOperand(LayerKind kind, llvm::ArrayRef<int64_t> operandShape);

/// The encoded shape for a weight operand of `operandShape`.
mlir::FailureOr<llvm::SmallVector<int64_t>>
encodedShapeOf(LayerKind kind, llvm::ArrayRef<int64_t> operandShape);

/// The constant's values in encoded order (row-major in encodedShape).
/// Fails with `why` set for non-f32 weights and resources without data.
mlir::FailureOr<std::vector<float>> readLayerWeights(const WeightLayer &layer,
                                                     std::string &why);

/// Rewrites the layer's constant in place with `values` (encoded order). A
/// dense literal stays a dense literal, a dense_resource becomes a new
/// dense_resource.
void writeLayerWeights(WeightLayer &layer, llvm::ArrayRef<float> values);

/// Builds the tosa.transpose / tosa.reshape ops that turn `encoded` (a tensor
/// of the layer's encoded shape) into a value of `operandType`.
mlir::Value buildOperandFromEncoded(mlir::OpBuilder &builder,
                                    mlir::Location loc, LayerKind kind,
                                    mlir::Value encoded,
                                    mlir::RankedTensorType operandType);

/// Walks `value` back through tosa.reshape / tosa.transpose. Returns the
/// source value and the view of the source (row-major) that `value` is, or
/// failure when the chain is not expressible as a view.
struct TracedValue {
  mlir::Value source;
  StridedView view;
  /// The reshape/transpose ops from `value` back to `source`.
  llvm::SmallVector<mlir::Operation *> chain;
};
mlir::FailureOr<TracedValue> traceThroughLayoutOps(mlir::Value value);

/// Erases `op` if it has no uses and no side effects, then its operands'
/// defining ops that became dead, recursively.
void eraseIfDead(mlir::Operation *op);
void eraseIfDead(llvm::ArrayRef<mlir::Operation *> ops);

/// A valid resource key made from a layer name (letters, digits, `_`, `.`).
std::string resourceKeyFor(llvm::StringRef layerName);

} // namespace cw

#endif // CW_TRANSFORMS_WEIGHTLAYERS_H

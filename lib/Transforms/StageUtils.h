//===- StageUtils.h - Helpers shared by the compression stages --*- C++ -*-===//
#ifndef CW_LIB_TRANSFORMS_STAGEUTILS_H
#define CW_LIB_TRANSFORMS_STAGEUTILS_H

#include "cw/Transforms/Compression.h"

#include "mlir/IR/Diagnostics.h"

namespace cw {

/// The layer's settings: the defaults with its overrides applied (keys of
/// other stages are ignored; they were checked up front).
template <typename Settings>
mlir::FailureOr<Settings>
settingsForLayer(const Settings &defaults, const WeightLayer &layer,
                 llvm::ArrayRef<LayerOverride> overrides,
                 llvm::StringRef passName) {
  Settings settings = defaults;
  for (const LayerOverride &override : overrides) {
    if (override.layer != layer.name)
      continue;
    for (const auto &[key, value] : override.settings) {
      std::string error;
      if (settings.apply(key, value, error) == SettingResult::Invalid)
        return mlir::emitError(layer.getLoc())
               << passName << ": layer override '" << override.text
               << "': " << error;
    }
  }
  return settings;
}

/// The layer's weights in encoded order, or failure after a remark (when
/// options.remarks) saying why the layer is left alone.
inline mlir::FailureOr<std::vector<float>>
readWeightsOrRemark(const WeightLayer &layer, const StageOptions &options) {
  std::string why;
  mlir::FailureOr<std::vector<float>> values;
  if (layer.constOp && !layer.sharedConstant)
    values = readLayerWeights(layer, why);
  else
    why = layer.reason;
  if (mlir::failed(values) && options.remarks)
    mlir::emitRemark(layer.getLoc())
        << options.passName << ": layer '" << layer.name
        << "' left untouched: " << why;
  return values;
}

/// After a stage rewrote the layer's constant in place: says (when
/// options.remarks) that another op reads it and sees the `what` weights.
inline void remarkOtherReader(const WeightLayer &layer,
                              const StageOptions &options,
                              llvm::StringRef what) {
  if (!layer.otherReader || !options.remarks)
    return;
  mlir::emitRemark(layer.getLoc())
      << options.passName << ": layer '" << layer.name
      << "': its weight constant is also read by '"
      << layer.otherReader->getName() << "' at " << layer.otherReader->getLoc()
      << ", which now sees the " << what
      << " weights (and keeps the dense constant in the binary)";
}

} // namespace cw

#endif // CW_LIB_TRANSFORMS_STAGEUTILS_H

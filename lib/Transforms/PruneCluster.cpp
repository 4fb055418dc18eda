//===- PruneCluster.cpp - cw-prune and cw-cluster stages ------------------===//

#include "StageUtils.h"

#include "cw/Codec/Cluster.h"
#include "cw/Codec/Prune.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
namespace cw {

LogicalResult runPruneStage(ModuleOp module, const PruneSettings &defaults,
                            ArrayRef<LayerOverride> overrides,
                            const StageOptions &options) {
  std::vector<WeightLayer> layers = findWeightLayers(module);
  for (WeightLayer &layer : layers) {
    FailureOr<PruneSettings> settings =
        settingsForLayer(defaults, layer, overrides, options.passName);
    if (failed(settings))
      return failure();
    if (settings->skip)
      continue;
    FailureOr<std::vector<float>> values = readWeightsOrRemark(layer, options);
    if (failed(values))
      continue;
    if (int64_t(values->size()) < settings->minSize) {
      if (options.remarks)
        emitRemark(layer.getLoc())
            << options.passName << ": layer '" << layer.name << "' has "
            << values->size() << " weights, fewer than min-size "
            << settings->minSize << "; not pruned";
      continue;
    }
    if (settings->keepTrainedMask) {
      size_t zeros = llvm::count(*values, 0.0f);
      if (!values->empty() && double(zeros) >= PruneSettings::kTrainedSparsity *
                                                   double(values->size())) {
        if (options.remarks)
          emitRemark(layer.getLoc())
              << options.passName << ": layer '" << layer.name
              << "' is already "
              << llvm::formatv("{0:F1}", 100.0 * zeros / values->size())
              << "% zeros: taken as pruned by training, mask kept (pass "
                 "sparsity= or threshold= to prune it anyway)";
        continue;
      }
    }
    codec::PruneOptions pruneOptions =
        settings->threshold
            ? codec::PruneOptions::byThreshold(*settings->threshold)
            : codec::PruneOptions::bySparsity(*settings->sparsity);
    codec::Result<codec::PruneResult> pruned =
        codec::pruneByMagnitude(*values, pruneOptions);
    if (!pruned)
      return emitError(layer.getLoc())
             << options.passName << ": cannot prune layer '" << layer.name
             << "': " << pruned.message();
    writeLayerWeights(layer, pruned->weights);
    remarkOtherReader(layer, options, "pruned");
  }
  return success();
}

LogicalResult runClusterStage(ModuleOp module, const ClusterSettings &defaults,
                              ArrayRef<LayerOverride> overrides,
                              const StageOptions &options) {
  std::vector<WeightLayer> layers = findWeightLayers(module);
  for (WeightLayer &layer : layers) {
    FailureOr<ClusterSettings> settings =
        settingsForLayer(defaults, layer, overrides, options.passName);
    if (failed(settings))
      return failure();
    if (settings->skip)
      continue;
    FailureOr<std::vector<float>> values = readWeightsOrRemark(layer, options);
    if (failed(values))
      continue;
    codec::ClusterOptions clusterOptions;
    clusterOptions.k = 1u << settings->bitsFor(layer.kind);
    clusterOptions.init = settings->init;
    clusterOptions.maxIterations = settings->maxIterations;
    clusterOptions.seed = settings->seed;
    auto [rows, cols] = layer.getMatrixDims();
    codec::Result<codec::ClusteredMatrix> clustered =
        codec::clusterWeights(*values, rows, cols, clusterOptions);
    if (!clustered)
      return emitError(layer.getLoc())
             << options.passName << ": cannot cluster layer '" << layer.name
             << "': " << clustered.message();
    writeLayerWeights(layer, clustered->toDense());
    remarkOtherReader(layer, options, "clustered");
  }
  return success();
}

} // namespace cw

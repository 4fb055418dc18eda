//===- Passes.cpp - The pass wrappers around the compression stages -------===//

#include "cw/Transforms/Passes.h"
#include "cw/Dialect/CW/CWDialect.h"
#include "cw/Transforms/Compression.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

namespace cw {
#define GEN_PASS_DEF_CWPRUNE
#define GEN_PASS_DEF_CWCLUSTER
#define GEN_PASS_DEF_CWENCODE
#define GEN_PASS_DEF_CWFUSE
#define GEN_PASS_DEF_CWCOMPRESS
#include "cw/Transforms/Passes.h.inc"
} // namespace cw

using namespace mlir;
using namespace ::cw;

namespace {

// The option members are protected in the generated bases; these friends of
// each pass turn them into stage settings (shared by cw-compress).

template <typename P>
FailureOr<PruneSettings> pruneSettingsFrom(P &pass, StringRef passName);
template <typename P>
FailureOr<ClusterSettings> clusterSettingsFrom(P &pass, StringRef passName);
template <typename P>
FailureOr<EncodeSettings> encodeSettingsFrom(P &pass, StringRef passName);
template <typename P>
LogicalResult writeReport(P &pass, const ModelReport &report,
                          StringRef passName);

#define CW_SETTINGS_FRIENDS                                                    \
  template <typename P>                                                        \
  friend FailureOr<PruneSettings> pruneSettingsFrom(P &, StringRef);           \
  template <typename P>                                                        \
  friend FailureOr<ClusterSettings> clusterSettingsFrom(P &, StringRef);       \
  template <typename P>                                                        \
  friend FailureOr<EncodeSettings> encodeSettingsFrom(P &, StringRef);         \
  template <typename P>                                                        \
  friend LogicalResult writeReport(P &, const ModelReport &, StringRef);

static LogicalResult optionError(ModuleOp module, StringRef passName,
                                 const Twine &message) {
  return emitError(module.getLoc()) << passName << ": " << message;
}

template <typename P>
FailureOr<PruneSettings> pruneSettingsFrom(P &pass, StringRef passName) {
  PruneSettings settings;
  if (pass.sparsity.hasValue() && pass.threshold.hasValue()) {
    (void)optionError(pass.getOperation(), passName,
                      "set either sparsity= or threshold=, not both");
    return failure();
  }
  if (pass.threshold.hasValue()) {
    settings.threshold = double(pass.threshold);
    settings.sparsity.reset();
  } else {
    settings.sparsity = double(pass.sparsity);
    settings.keepTrainedMask = !pass.sparsity.hasValue();
  }
  settings.minSize = pass.minSize;
  std::string error;
  if (failed(settings.validate(error))) {
    (void)optionError(pass.getOperation(), passName, error);
    return failure();
  }
  return settings;
}

template <typename P>
FailureOr<ClusterSettings> clusterSettingsFrom(P &pass, StringRef passName) {
  ClusterSettings settings;
  if (pass.bits.hasValue())
    settings.bits = unsigned(pass.bits);
  settings.fcBits = pass.fcBits;
  settings.convBits = pass.convBits;
  settings.maxIterations = pass.maxIterations;
  settings.seed = pass.clusterSeed;
  std::string error;
  if (settings.apply("init", pass.init, error) == SettingResult::Invalid ||
      failed(settings.validate(error))) {
    (void)optionError(pass.getOperation(), passName, error);
    return failure();
  }
  return settings;
}

template <typename P>
FailureOr<EncodeSettings> encodeSettingsFrom(P &pass, StringRef passName) {
  EncodeSettings s;
  s.encoding = pass.encoding;
  if (pass.gapBits.hasValue())
    s.gapBits = unsigned(pass.gapBits);
  s.fcGapBits = pass.fcGapBits;
  s.convGapBits = pass.convGapBits;
  s.huffmanIndices = pass.huffmanIndices;
  s.huffmanGaps = pass.huffmanGaps;
  s.rowsPerChunk = pass.rowsPerChunk;
  s.maxCodeLength = pass.maxCodeLength;
  s.csrLanes = pass.csrLanes;
  s.cellBits = pass.cellBits;
  s.hashes = pass.hashes;
  s.cells = pass.cells;
  s.hashSeed = pass.hashSeed;
  s.waveletMode = pass.waveletMode;
  s.blockSize = pass.blockSize;
  s.errorBound = pass.errorBound;
  s.predictor = pass.predictor;
  std::string error;
  if (failed(s.validate(error))) {
    (void)optionError(pass.getOperation(), passName, error);
    return failure();
  }
  // Check the parameters of the chosen encoding now, for a clear message
  // before any layer is touched.
  ModuleOp module = pass.getOperation();
  for (LayerKind kind : {LayerKind::Matmul, LayerKind::Conv2D})
    if (failed(s.buildEncoding(module.getContext(), kind, [&]() {
          return emitError(module.getLoc()) << passName << ": ";
        })))
      return failure();
  return s;
}

template <typename P>
LogicalResult writeReport(P &pass, const ModelReport &report,
                          StringRef passName) {
  std::string error;
  if (!writeReportFiles(report, pass.reportPath, pass.reportJsonPath, error))
    return optionError(pass.getOperation(), passName, error);
  return success();
}

/// Parses and checks the `layer=` entries against the module's layers.
static FailureOr<std::vector<LayerOverride>>
overridesFor(ModuleOp module, ArrayRef<std::string> entries, StringRef passName,
             const PruneSettings *prune, const ClusterSettings *cluster,
             const EncodeSettings *encode) {
  FailureOr<std::vector<LayerOverride>> overrides =
      parseLayerOverrides(entries, module.getLoc(), passName);
  if (failed(overrides))
    return failure();
  if (overrides->empty())
    return overrides;
  std::vector<WeightLayer> layers = findWeightLayers(module);
  if (failed(checkLayerOverrides(*overrides, layers, module.getLoc(), passName,
                                 prune, cluster, encode)))
    return failure();
  return overrides;
}

struct CWPrunePass : public ::cw::impl::CWPruneBase<CWPrunePass> {
  using CWPruneBase::CWPruneBase;
  CW_SETTINGS_FRIENDS
  void runOnOperation() override {
    StringRef name = "cw-prune";
    ModuleOp module = getOperation();
    FailureOr<PruneSettings> settings = pruneSettingsFrom(*this, name);
    if (failed(settings))
      return signalPassFailure();
    auto overrides = overridesFor(module, layerOverrides, name, &*settings,
                                  nullptr, nullptr);
    if (failed(overrides) ||
        failed(runPruneStage(module, *settings, *overrides, {true, name})))
      return signalPassFailure();
  }
};

struct CWClusterPass : public ::cw::impl::CWClusterBase<CWClusterPass> {
  using CWClusterBase::CWClusterBase;
  CW_SETTINGS_FRIENDS
  void runOnOperation() override {
    StringRef name = "cw-cluster";
    ModuleOp module = getOperation();
    FailureOr<ClusterSettings> settings = clusterSettingsFrom(*this, name);
    if (failed(settings))
      return signalPassFailure();
    auto overrides = overridesFor(module, layerOverrides, name, nullptr,
                                  &*settings, nullptr);
    if (failed(overrides) ||
        failed(runClusterStage(module, *settings, *overrides, {true, name})))
      return signalPassFailure();
  }
};

struct CWEncodePass : public ::cw::impl::CWEncodeBase<CWEncodePass> {
  using CWEncodeBase::CWEncodeBase;
  CW_SETTINGS_FRIENDS
  void runOnOperation() override {
    StringRef name = "cw-encode";
    ModuleOp module = getOperation();
    FailureOr<EncodeSettings> settings = encodeSettingsFrom(*this, name);
    if (failed(settings))
      return signalPassFailure();
    auto overrides = overridesFor(module, layerOverrides, name, nullptr,
                                  nullptr, &*settings);
    if (failed(overrides))
      return signalPassFailure();
    ModelReport report;
    if (failed(runEncodeStage(module, *settings, *overrides, {true, name},
                              /*reference=*/nullptr, &report)) ||
        failed(writeReport(*this, report, name)))
      return signalPassFailure();
  }
};

struct CWFusePass : public ::cw::impl::CWFuseBase<CWFusePass> {
  using CWFuseBase::CWFuseBase;
  void runOnOperation() override {
    if (failed(runFuseStage(getOperation(), {true, "cw-fuse"})))
      return signalPassFailure();
  }
};

struct CWCompressPass : public ::cw::impl::CWCompressBase<CWCompressPass> {
  using CWCompressBase::CWCompressBase;
  CW_SETTINGS_FRIENDS
  void runOnOperation() override {
    StringRef name = "cw-compress";
    ModuleOp module = getOperation();
    FailureOr<PruneSettings> prune = pruneSettingsFrom(*this, name);
    if (failed(prune))
      return signalPassFailure();
    FailureOr<ClusterSettings> cluster = clusterSettingsFrom(*this, name);
    if (failed(cluster))
      return signalPassFailure();
    FailureOr<EncodeSettings> encode = encodeSettingsFrom(*this, name);
    if (failed(encode))
      return signalPassFailure();
    auto overrides = overridesFor(module, layerOverrides, name, &*prune,
                                  &*cluster, &*encode);
    if (failed(overrides))
      return signalPassFailure();
    // Errors are measured against the weights before pruning.
    ReferenceWeights reference = snapshotWeights(module);
    ModelReport report;
    StageOptions first{true, name}, quiet{false, name};
    if (failed(runPruneStage(module, *prune, *overrides, first)) ||
        failed(runClusterStage(module, *cluster, *overrides, quiet)) ||
        failed(runEncodeStage(module, *encode, *overrides, quiet, &reference,
                              &report)) ||
        (fuse && failed(runFuseStage(module, first))) ||
        failed(writeReport(*this, report, name)))
      return signalPassFailure();
  }
};

} // namespace

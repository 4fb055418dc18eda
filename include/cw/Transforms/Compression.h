//===- Compression.h - The compression stages, without a pass manager -*- C++
//-*-===//
//
// The work behind cw-prune, cw-cluster, cw-encode, cw-fuse and cw-compress,
// callable from any driver (cw-compile runs them in process). Each stage takes
// its settings for the whole model plus per-layer overrides; every stage
// reports errors through the MLIR diagnostic engine and returns failure.
//
// Per-layer overrides are the `layer=` entries of the passes:
// `NAME:key=value[:key=value...]` where the keys are the pass options of the
// stage (`sparsity`, `threshold`, `min-size`; `bits`, `init`, ...;
// `encoding`, `gap-bits`, `error-bound`, ...) and `skip=true` leaves the layer
// alone.
//
//===----------------------------------------------------------------------===//
#ifndef CW_TRANSFORMS_COMPRESSION_H
#define CW_TRANSFORMS_COMPRESSION_H

#include "cw/Codec/Cluster.h"
#include "cw/Transforms/Report.h"
#include "cw/Transforms/WeightLayers.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>
#include <vector>

namespace cw {

/// One `layer=` entry.
struct LayerOverride {
  std::string layer;
  std::vector<std::pair<std::string, std::string>> settings;
  std::string text; // the entry as written, for diagnostics
};

/// What applying one key=value to a stage's settings did.
enum class SettingResult { Applied, UnknownKey, Invalid };

struct PruneSettings {
  /// Exactly one of sparsity and threshold is set.
  std::optional<double> sparsity = 0.9;
  std::optional<double> threshold;
  int64_t minSize = 0;
  bool skip = false;
  /// Neither sparsity nor threshold was given (the default 0.9 applies):
  /// a layer whose weights are at least kTrainedSparsity exact zeros keeps
  /// its mask, since a model pruned by retraining must not be pruned again
  /// without it (a float layer never pruned has few exact zeros, even
  /// quantised: about 10 % for the 1/1024 steps of the test inputs).
  bool keepTrainedMask = false;
  static constexpr double kTrainedSparsity = 0.3;

  SettingResult apply(llvm::StringRef key, llvm::StringRef value,
                      std::string &error);
  mlir::LogicalResult validate(std::string &error) const;
};

struct ClusterSettings {
  /// When set, every layer uses it; otherwise fcBits / convBits by kind.
  std::optional<unsigned> bits;
  unsigned fcBits = 5;
  unsigned convBits = 8;
  codec::ClusterInit init = codec::ClusterInit::Linear;
  unsigned maxIterations = 1000;
  uint64_t seed = 0;
  bool skip = false;

  unsigned bitsFor(LayerKind kind) const {
    return bits ? *bits : isConvLayer(kind) ? convBits : fcBits;
  }
  SettingResult apply(llvm::StringRef key, llvm::StringRef value,
                      std::string &error);
  mlir::LogicalResult validate(std::string &error) const;
};

struct EncodeSettings {
  std::string encoding = "csr";
  /// csr: when set, every layer uses it; otherwise fcGapBits / convGapBits.
  /// 0 = auto: the encoder tries every width (3..8) and keeps the smallest
  /// blob (lossless either way; Deep Compression's fixed 5 / 8 bits cost
  /// filler entries on sparse rows and bits on dense ones).
  std::optional<unsigned> gapBits;
  unsigned fcGapBits = 0;
  unsigned convGapBits = 0;
  bool huffmanIndices = true;
  bool huffmanGaps = true;
  /// csr: 0 or codec::kCsrLanes (the lane-interleaved layout).
  unsigned csrLanes = 0;
  /// 0: the encoding's default.
  unsigned rowsPerChunk = 0;
  /// huffman, csr: 0 takes the encoding's default.
  unsigned maxCodeLength = 0;
  unsigned cellBits = 8;
  unsigned hashes = 3;
  uint64_t cells = 0;
  uint64_t hashSeed = 0;
  std::string waveletMode = "element";
  unsigned blockSize = 4;
  double errorBound = 1e-3;
  std::string predictor = "lorenzo";
  bool skip = false;

  SettingResult apply(llvm::StringRef key, llvm::StringRef value,
                      std::string &error);
  mlir::LogicalResult validate(std::string &error) const;
  /// csr: the gap width for a layer of `kind`, 0 for auto.
  unsigned gapBitsFor(LayerKind kind) const {
    return gapBits ? *gapBits : isConvLayer(kind) ? convGapBits : fcGapBits;
  }
  /// The encoding attribute for a layer of `kind` (verified; errors through
  /// emitError). An auto csr gap width builds the first candidate.
  mlir::FailureOr<mlir::Attribute>
  buildEncoding(mlir::MLIRContext *context, LayerKind kind,
                llvm::function_ref<mlir::InFlightDiagnostic()> emitError) const;
  /// Every attribute the encoder should try for a layer of `kind`: one,
  /// or one per gap width 3..8 for csr with an auto gap width.
  mlir::FailureOr<llvm::SmallVector<mlir::Attribute>> buildEncodingCandidates(
      mlir::MLIRContext *context, LayerKind kind,
      llvm::function_ref<mlir::InFlightDiagnostic()> emitError) const;
};

/// Parses `layer=` entries; malformed ones are reported at `loc`.
mlir::FailureOr<std::vector<LayerOverride>>
parseLayerOverrides(llvm::ArrayRef<std::string> entries, mlir::Location loc,
                    llvm::StringRef passName);

/// Checks that every override names a layer of `layers` and that each of its
/// keys is accepted (with a valid value) by at least one of the given stage
/// settings. Errors are reported at `loc`.
mlir::LogicalResult checkLayerOverrides(
    llvm::ArrayRef<LayerOverride> overrides, llvm::ArrayRef<WeightLayer> layers,
    mlir::Location loc, llvm::StringRef passName, const PruneSettings *prune,
    const ClusterSettings *cluster, const EncodeSettings *encode);

/// Weights of every compressible layer in encoded order, by layer name.
using ReferenceWeights = llvm::StringMap<std::vector<float>>;
ReferenceWeights snapshotWeights(mlir::ModuleOp module);

struct StageOptions {
  /// Emit a remark for every layer the stage leaves alone.
  bool remarks = true;
  /// The pass name that prefixes diagnostics.
  llvm::StringRef passName = "cw";
};

mlir::LogicalResult runPruneStage(mlir::ModuleOp module,
                                  const PruneSettings &defaults,
                                  llvm::ArrayRef<LayerOverride> overrides,
                                  const StageOptions &options);

mlir::LogicalResult runClusterStage(mlir::ModuleOp module,
                                    const ClusterSettings &defaults,
                                    llvm::ArrayRef<LayerOverride> overrides,
                                    const StageOptions &options);

/// Encodes every layer; `reference` (optional) holds the weights the report's
/// errors are measured against (default: the stage's input). Appends one
/// entry per encoded layer to `report` when given.
mlir::LogicalResult runEncodeStage(mlir::ModuleOp module,
                                   const EncodeSettings &defaults,
                                   llvm::ArrayRef<LayerOverride> overrides,
                                   const StageOptions &options,
                                   const ReferenceWeights *reference,
                                   ModelReport *report);

mlir::LogicalResult runFuseStage(mlir::ModuleOp module,
                                 const StageOptions &options);

} // namespace cw

#endif // CW_TRANSFORMS_COMPRESSION_H

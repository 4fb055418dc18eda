//===- Encode.cpp - cw-encode stage: constants to cw.weights --------------===//
//
// Goes through the encoding attribute interface only: the stage never knows
// a bit layout. Every blob is decoded again with the reference decoder and
// checked before it replaces the constant.
//
//===----------------------------------------------------------------------===//

#include "StageUtils.h"

#include "cw/Dialect/CW/CWOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
namespace cw {
using mlir::cw::EncodingAttrInterface;

namespace {
enum class Fidelity { Lossless, ErrorBounded, NonzerosExact };
} // namespace

static Fidelity fidelityOf(Attribute encoding) {
  if (isa<mlir::cw::SZEncodingAttr>(encoding))
    return Fidelity::ErrorBounded;
  if (isa<mlir::cw::BloomierEncodingAttr>(encoding))
    return Fidelity::NonzerosExact;
  return Fidelity::Lossless;
}

static std::string attrString(Attribute attr) {
  std::string s;
  llvm::raw_string_ostream os(s);
  attr.print(os);
  return s;
}

/// The layer as a clustered matrix over its distinct nonzero values.
static codec::ClusteredMatrix clusteredFrom(ArrayRef<float> values,
                                            uint64_t rows, uint64_t cols,
                                            bool withIndices) {
  codec::ClusteredMatrix m;
  m.rows = rows;
  m.cols = cols;
  for (float v : values)
    if (v != 0.0f)
      m.codebook.push_back(v);
  std::sort(m.codebook.begin(), m.codebook.end());
  m.codebook.erase(std::unique(m.codebook.begin(), m.codebook.end()),
                   m.codebook.end());
  if (!withIndices)
    return m;
  m.indices.reserve(values.size());
  for (float v : values) {
    if (v == 0.0f) {
      m.indices.push_back(0);
      continue;
    }
    auto it = std::lower_bound(m.codebook.begin(), m.codebook.end(), v);
    m.indices.push_back(uint16_t(1 + (it - m.codebook.begin())));
  }
  return m;
}

LogicalResult runEncodeStage(ModuleOp module, const EncodeSettings &defaults,
                             ArrayRef<LayerOverride> overrides,
                             const StageOptions &options,
                             const ReferenceWeights *reference,
                             ModelReport *report) {
  MLIRContext *ctx = module.getContext();
  std::vector<WeightLayer> layers = findWeightLayers(module);
  for (WeightLayer &layer : layers) {
    FailureOr<EncodeSettings> settings =
        settingsForLayer(defaults, layer, overrides, options.passName);
    if (failed(settings))
      return failure();
    if (settings->skip)
      continue;
    FailureOr<std::vector<float>> values = readWeightsOrRemark(layer, options);
    if (failed(values))
      continue;
    Location loc = layer.getLoc();
    auto emitLayerError = [&]() {
      InFlightDiagnostic diag = emitError(loc);
      diag << options.passName << ": layer '" << layer.name << "': ";
      return diag;
    };

    FailureOr<SmallVector<Attribute>> candidates =
        settings->buildEncodingCandidates(ctx, layer.kind, emitLayerError);
    if (failed(candidates))
      return failure();
    bool needsCodebook =
        cast<EncodingAttrInterface>(candidates->front()).requiresCodebook();

    auto [rows, cols] = layer.getMatrixDims();
    codec::ClusteredMatrix clustered =
        clusteredFrom(*values, rows, cols, /*withIndices=*/false);
    uint64_t distinct = clustered.codebook.size();
    if (distinct > 256 && needsCodebook)
      return emitLayerError()
             << "it has " << distinct
             << " distinct nonzero values, more than the 256 a codebook "
                "holds: run cw-cluster first (or use encoding=sz)";
    if (distinct <= 256)
      clustered = clusteredFrom(*values, rows, cols, /*withIndices=*/true);
    uint64_t nonzeros = 0;
    for (float v : *values)
      nonzeros += v != 0.0f;

    // Encode every candidate; the smallest (the first among equals) wins.
    EncodingAttrInterface encoding;
    codec::EncodingStats stats;
    std::vector<uint8_t> blob;
    uint64_t bestBits = 0;
    for (Attribute candidate : *candidates) {
      auto attr = cast<EncodingAttrInterface>(candidate);
      codec::EncodingStats candidateStats;
      Attribute resolved;
      FailureOr<std::vector<uint8_t>> encoded = attr.encode(
          clustered, *values, candidateStats, resolved, emitLayerError);
      if (failed(encoded))
        return failure();
      if (resolved) {
        if (!isa<EncodingAttrInterface>(resolved))
          return emitLayerError() << "the encoder resolved its attribute to "
                                  << resolved << ", not a cw encoding";
        attr = cast<EncodingAttrInterface>(resolved);
      }
      uint64_t bits = attr.getEncodedSizeInBits(
          *encoded, needsCodebook ? unsigned(clustered.codebook.size()) : 0);
      if (encoding && bits >= bestBits)
        continue;
      encoding = attr;
      stats = candidateStats;
      blob = std::move(*encoded);
      bestBits = bits;
    }

    // Decode again and check the fidelity the encoding promises.
    std::vector<float> codebook =
        needsCodebook ? clustered.codebook : std::vector<float>();
    FailureOr<std::vector<float>> decoded = encoding.referenceDecode(
        blob, codebook, layer.encodedShape, emitLayerError);
    if (failed(decoded))
      return failure();
    if (decoded->size() != values->size())
      return emitLayerError() << "the blob decodes to " << decoded->size()
                              << " values instead of " << values->size();
    Fidelity fidelity = fidelityOf(encoding);
    double errorBound = settings->errorBound;
    uint64_t falsePositives = 0;
    for (size_t i = 0, e = values->size(); i < e; ++i) {
      float want = (*values)[i], got = (*decoded)[i];
      bool ok;
      switch (fidelity) {
      case Fidelity::Lossless:
        ok = got == want;
        break;
      case Fidelity::ErrorBounded:
        ok = std::fabs(double(got) - double(want)) <= errorBound;
        break;
      case Fidelity::NonzerosExact:
        ok = want == 0.0f || got == want;
        if (want == 0.0f && got != 0.0f)
          ++falsePositives;
        break;
      }
      if (!ok)
        return emitLayerError()
               << "the " << attrString(encoding)
               << " blob does not reproduce weight " << i << ": " << want
               << " decodes to " << got << " (codec bug)";
    }

    // Replace the weight by cw.weights -> cw.decode -> relayout.
    OpBuilder builder(layer.consumer);
    auto i8 = builder.getIntegerType(8);
    auto blobType = RankedTensorType::get({int64_t(blob.size())}, i8);
    auto data = DenseResourceElementsAttr::get(
        blobType, resourceKeyFor(layer.name),
        HeapAsmResourceBlob::allocateAndCopyInferAlign(
            ArrayRef<uint8_t>(blob)));
    DenseElementsAttr codebookAttr;
    if (needsCodebook)
      codebookAttr = DenseElementsAttr::get(
          RankedTensorType::get({int64_t(codebook.size())},
                                builder.getF32Type()),
          ArrayRef<float>(codebook));
    auto type = mlir::cw::EncodedTensorType::getChecked(
        emitLayerError, ctx, ArrayRef<int64_t>(layer.encodedShape),
        Type(builder.getF32Type()), Attribute(encoding));
    if (!type)
      return failure();
    auto weights =
        mlir::cw::WeightsOp::create(builder, loc, type, data, codebookAttr,
                                    builder.getStringAttr(layer.name));
    auto decode = mlir::cw::DecodeOp::create(builder, loc,
                                             type.getDecodedType(), weights);
    auto operandType = cast<RankedTensorType>(layer.operand.getType());
    Value operand =
        buildOperandFromEncoded(builder, loc, layer.kind, decode, operandType);
    Operation *oldDef = layer.operand.getDefiningOp();
    layer.consumer->setOperand(1, operand);
    if (oldDef)
      eraseIfDead(oldDef);

    if (!report)
      continue;
    LayerReport entry;
    entry.name = layer.name;
    entry.kind = layerKindName(layer.kind).str();
    entry.shape.assign(layer.encodedShape.begin(), layer.encodedShape.end());
    entry.weights = values->size();
    entry.nonzeros = nonzeros;
    entry.clusters = distinct;
    entry.encoding = encoding.getEncodingName().str();
    entry.attribute = attrString(encoding);
    entry.originalBytes = uint64_t(values->size()) * sizeof(float);
    entry.blobBytes = blob.size();
    entry.codebookBytes = codebook.size() * sizeof(float);
    entry.encodedBytes =
        (encoding.getEncodedSizeInBits(blob, unsigned(codebook.size())) + 7) /
        8;
    entry.entropyFloorBits = stats.entropyFloorBits;
    entry.falsePositives = falsePositives;
    const std::vector<float> *ref = values.operator->();
    if (reference) {
      auto it = reference->find(layer.name);
      if (it != reference->end() && it->second.size() == values->size())
        ref = &it->second;
    }
    double sum = 0;
    for (size_t i = 0, e = decoded->size(); i < e; ++i) {
      double err = std::fabs(double((*decoded)[i]) - double((*ref)[i]));
      entry.maxAbsError = std::max(entry.maxAbsError, err);
      sum += err;
    }
    entry.meanAbsError = decoded->empty() ? 0.0 : sum / double(decoded->size());
    report->layers.push_back(std::move(entry));
  }
  return success();
}

} // namespace cw

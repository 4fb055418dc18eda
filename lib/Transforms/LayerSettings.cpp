//===- LayerSettings.cpp - Stage settings and per-layer overrides ---------===//

#include "cw/Codec/RelativeIndex.h"
#include "cw/Dialect/CW/CWAttrs.h"
#include "cw/Transforms/Compression.h"

#include "mlir/AsmParser/AsmParser.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
namespace cw {

//===----------------------------------------------------------------------===//
// Value parsing
//===----------------------------------------------------------------------===//

static bool parseDouble(StringRef value, double &out) {
  return !value.trim().getAsDouble(out) && std::isfinite(out);
}

template <typename T> static bool parseUnsigned(StringRef value, T &out) {
  unsigned long long v;
  if (value.trim().getAsInteger(10, v))
    return false;
  out = T(v);
  return uint64_t(out) == v;
}

static bool parseBool(StringRef value, bool &out) {
  StringRef v = value.trim();
  if (v == "true" || v == "1") {
    out = true;
    return true;
  }
  if (v == "false" || v == "0") {
    out = false;
    return true;
  }
  return false;
}

static SettingResult invalid(std::string &error, StringRef key, StringRef value,
                             StringRef expected) {
  error = ("invalid value '" + value + "' for " + key + " (expected " +
           expected + ")")
              .str();
  return SettingResult::Invalid;
}

//===----------------------------------------------------------------------===//
// PruneSettings
//===----------------------------------------------------------------------===//

SettingResult PruneSettings::apply(StringRef key, StringRef value,
                                   std::string &error) {
  double d;
  if (key == "sparsity") {
    if (!parseDouble(value, d))
      return invalid(error, key, value, "a number in [0, 1]");
    sparsity = d;
    threshold.reset();
    keepTrainedMask = false;
  } else if (key == "threshold") {
    if (!parseDouble(value, d))
      return invalid(error, key, value, "a number >= 0");
    threshold = d;
    sparsity.reset();
    keepTrainedMask = false;
  } else if (key == "min-size") {
    if (!parseUnsigned(value, minSize) || minSize < 0)
      return invalid(error, key, value, "a non-negative integer");
  } else if (key == "skip") {
    if (!parseBool(value, skip))
      return invalid(error, key, value, "true or false");
  } else {
    return SettingResult::UnknownKey;
  }
  std::string why;
  if (failed(validate(why))) {
    error = why;
    return SettingResult::Invalid;
  }
  return SettingResult::Applied;
}

LogicalResult PruneSettings::validate(std::string &error) const {
  if (sparsity && !(*sparsity >= 0.0 && *sparsity <= 1.0)) {
    error = "sparsity must be in [0, 1], got " +
            llvm::formatv("{0}", *sparsity).str();
    return failure();
  }
  if (threshold && !(*threshold >= 0.0 && std::isfinite(*threshold))) {
    error = "threshold must be a finite number >= 0, got " +
            llvm::formatv("{0}", *threshold).str();
    return failure();
  }
  if (!sparsity == !threshold) {
    error = "set exactly one of sparsity and threshold";
    return failure();
  }
  if (minSize < 0) {
    error = "min-size must be >= 0";
    return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ClusterSettings
//===----------------------------------------------------------------------===//

static LogicalResult checkBits(StringRef name, unsigned bits,
                               std::string &error) {
  if (bits >= 1 && bits <= 8)
    return success();
  error = (name +
           " must be in [1, 8] (k = 2^bits clusters, at most 256), "
           "got " +
           Twine(bits))
              .str();
  return failure();
}

SettingResult ClusterSettings::apply(StringRef key, StringRef value,
                                     std::string &error) {
  unsigned u;
  if (key == "bits") {
    if (!parseUnsigned(value, u))
      return invalid(error, key, value, "an integer in [1, 8]");
    bits = u;
  } else if (key == "fc-bits") {
    if (!parseUnsigned(value, fcBits))
      return invalid(error, key, value, "an integer in [1, 8]");
  } else if (key == "conv-bits") {
    if (!parseUnsigned(value, convBits))
      return invalid(error, key, value, "an integer in [1, 8]");
  } else if (key == "init") {
    codec::Result<codec::ClusterInit> parsed =
        codec::parseClusterInit(value.trim().str());
    if (!parsed)
      return invalid(error, key, value, "linear, density, forgy or optimal");
    init = *parsed;
  } else if (key == "max-iterations") {
    if (!parseUnsigned(value, maxIterations))
      return invalid(error, key, value, "a non-negative integer");
  } else if (key == "cluster-seed") {
    if (!parseUnsigned(value, seed))
      return invalid(error, key, value, "a non-negative integer");
  } else if (key == "skip") {
    if (!parseBool(value, skip))
      return invalid(error, key, value, "true or false");
  } else {
    return SettingResult::UnknownKey;
  }
  std::string why;
  if (failed(validate(why))) {
    error = why;
    return SettingResult::Invalid;
  }
  return SettingResult::Applied;
}

LogicalResult ClusterSettings::validate(std::string &error) const {
  if (bits && failed(checkBits("bits", *bits, error)))
    return failure();
  if (failed(checkBits("fc-bits", fcBits, error)) ||
      failed(checkBits("conv-bits", convBits, error)))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// EncodeSettings
//===----------------------------------------------------------------------===//

static const char *const kEncodings[] = {"dense",    "csr",     "huffman",
                                         "bloomier", "wavelet", "sz"};

SettingResult EncodeSettings::apply(StringRef key, StringRef value,
                                    std::string &error) {
  StringRef v = value.trim();
  // What the key's value must look like, set when it does not parse.
  const char *expected = nullptr;
  auto number = [&](auto &out) {
    if (!parseUnsigned(v, out))
      expected = "a non-negative integer";
  };
  auto flag = [&](bool &out) {
    if (!parseBool(v, out))
      expected = "true or false";
  };
  if (key == "encoding") {
    encoding = v.str();
  } else if (key == "gap-bits") {
    unsigned u;
    number(u);
    if (!expected)
      gapBits = u;
  } else if (key == "fc-gap-bits") {
    number(fcGapBits);
  } else if (key == "conv-gap-bits") {
    number(convGapBits);
  } else if (key == "huffman-indices") {
    flag(huffmanIndices);
  } else if (key == "huffman-gaps") {
    flag(huffmanGaps);
  } else if (key == "csr-lanes") {
    number(csrLanes);
  } else if (key == "rows-per-chunk") {
    number(rowsPerChunk);
  } else if (key == "max-code-length") {
    number(maxCodeLength);
  } else if (key == "cell-bits") {
    number(cellBits);
  } else if (key == "hashes") {
    number(hashes);
  } else if (key == "cells") {
    number(cells);
  } else if (key == "hash-seed") {
    number(hashSeed);
  } else if (key == "wavelet-mode") {
    waveletMode = v.str();
  } else if (key == "block-size") {
    number(blockSize);
  } else if (key == "error-bound") {
    if (!parseDouble(v, errorBound))
      expected = "a positive number";
  } else if (key == "predictor") {
    predictor = v.str();
  } else if (key == "skip") {
    flag(skip);
  } else {
    return SettingResult::UnknownKey;
  }
  if (expected)
    return invalid(error, key, value, expected);
  std::string why;
  if (failed(validate(why))) {
    error = why;
    return SettingResult::Invalid;
  }
  return SettingResult::Applied;
}

LogicalResult EncodeSettings::validate(std::string &error) const {
  if (!llvm::is_contained(kEncodings, StringRef(encoding))) {
    error = "unknown encoding '" + encoding +
            "' (expected dense, csr, huffman, bloomier, wavelet or sz)";
    return failure();
  }
  if (!mlir::cw::symbolizeWaveletMode(waveletMode)) {
    error = "unknown wavelet-mode '" + waveletMode +
            "' (expected element, block or sparse)";
    return failure();
  }
  if (!mlir::cw::symbolizePredictor(predictor)) {
    error = "unknown predictor '" + predictor +
            "' (expected prev, lorenzo or linear)";
    return failure();
  }
  if (!(errorBound > 0) || !std::isfinite(errorBound)) {
    error = "error-bound must be a positive finite number, got " +
            llvm::formatv("{0}", errorBound).str();
    return failure();
  }
  return success();
}

/// The attribute if its parameters verify (errors through emitError).
template <typename AttrT, typename... Args>
static Attribute checkedAttr(function_ref<InFlightDiagnostic()> emitError,
                             MLIRContext *ctx, Args... args) {
  if (failed(AttrT::verify(emitError, args...)))
    return {};
  return AttrT::get(ctx, args...);
}

/// The attribute with every parameter at its default (`#cw.<name>`), so that
/// options left at 0 follow the dialect's defaults.
template <typename AttrT>
static AttrT defaultAttr(MLIRContext *ctx, StringRef name) {
  return cast<AttrT>(parseAttribute(("#cw." + name).str(), ctx));
}

FailureOr<Attribute> EncodeSettings::buildEncoding(
    MLIRContext *ctx, LayerKind kind,
    function_ref<InFlightDiagnostic()> emitError) const {
  using namespace mlir::cw;
  auto orDefault = [](unsigned value, unsigned fallback) {
    return value ? value : fallback;
  };
  Attribute attr;
  if (encoding == "dense") {
    attr = DenseEncodingAttr::get(ctx);
  } else if (encoding == "csr") {
    auto d = defaultAttr<CsrEncodingAttr>(ctx, "csr");
    unsigned bits = gapBitsFor(kind);
    if (bits == 0)
      bits = codec::kRelativeIndexMinGapBits;
    // The lane-interleaved layout's decode tables fit registers at 7 bits.
    unsigned defaultLength = csrLanes ? 7 : d.getMaxCodeLength();
    attr = checkedAttr<CsrEncodingAttr>(
        emitError, ctx, bits, huffmanIndices, huffmanGaps,
        orDefault(rowsPerChunk, d.getRowsPerChunk()),
        orDefault(maxCodeLength, defaultLength), csrLanes);
  } else if (encoding == "huffman") {
    auto d = defaultAttr<HuffmanEncodingAttr>(ctx, "huffman");
    attr = checkedAttr<HuffmanEncodingAttr>(
        emitError, ctx, orDefault(maxCodeLength, d.getMaxCodeLength()),
        orDefault(rowsPerChunk, d.getRowsPerChunk()));
  } else if (encoding == "bloomier") {
    auto d = defaultAttr<BloomierEncodingAttr>(ctx, "bloomier");
    attr = checkedAttr<BloomierEncodingAttr>(
        emitError, ctx, cellBits, hashes, cells, hashSeed,
        orDefault(rowsPerChunk, d.getRowsPerChunk()));
  } else if (encoding == "wavelet") {
    attr = checkedAttr<WaveletEncodingAttr>(
        emitError, ctx, *symbolizeWaveletMode(waveletMode), blockSize);
  } else if (encoding == "sz") {
    auto d = defaultAttr<SZEncodingAttr>(ctx, "sz");
    attr = checkedAttr<SZEncodingAttr>(
        emitError, ctx, llvm::APFloat(errorBound),
        *symbolizePredictor(predictor),
        orDefault(rowsPerChunk, d.getRowsPerChunk()));
  } else {
    return emitError() << "unknown encoding '" << encoding << "'";
  }
  if (!attr)
    return failure();
  return attr;
}

FailureOr<SmallVector<Attribute>> EncodeSettings::buildEncodingCandidates(
    MLIRContext *ctx, LayerKind kind,
    function_ref<InFlightDiagnostic()> emitError) const {
  SmallVector<Attribute> candidates;
  bool autoGapBits = encoding == "csr" && gapBitsFor(kind) == 0;
  if (!autoGapBits) {
    FailureOr<Attribute> attr = buildEncoding(ctx, kind, emitError);
    if (failed(attr))
      return failure();
    candidates.push_back(*attr);
    return candidates;
  }
  // A length-limited code needs an alphabet of at most 2^limit gaps.
  unsigned maxBits = codec::kRelativeIndexMaxGapBits;
  if (csrLanes)
    maxBits = std::min(maxBits, maxCodeLength ? maxCodeLength : 7u);
  for (unsigned bits = codec::kRelativeIndexMinGapBits; bits <= maxBits;
       ++bits) {
    EncodeSettings fixed = *this;
    fixed.gapBits = bits;
    FailureOr<Attribute> attr = fixed.buildEncoding(ctx, kind, emitError);
    if (failed(attr))
      return failure();
    candidates.push_back(*attr);
  }
  return candidates;
}

//===----------------------------------------------------------------------===//
// Overrides
//===----------------------------------------------------------------------===//

FailureOr<std::vector<LayerOverride>>
parseLayerOverrides(ArrayRef<std::string> entries, Location loc,
                    StringRef passName) {
  std::vector<LayerOverride> overrides;
  for (const std::string &entry : entries) {
    StringRef text = StringRef(entry).trim();
    if (text.empty())
      continue;
    SmallVector<StringRef> parts;
    text.split(parts, ':');
    LayerOverride override;
    override.text = text.str();
    override.layer = parts.front().trim().str();
    if (override.layer.empty() || parts.size() < 2)
      return emitError(loc)
             << passName << ": malformed layer override '" << text
             << "' (expected NAME:key=value[:key=value...])";
    for (StringRef part : ArrayRef<StringRef>(parts).drop_front()) {
      auto [key, value] = part.split('=');
      if (!part.contains('=') || key.trim().empty())
        return emitError(loc)
               << passName << ": malformed setting '" << part
               << "' in layer override '" << text << "' (expected key=value)";
      override.settings.emplace_back(key.trim().str(), value.trim().str());
    }
    overrides.push_back(std::move(override));
  }
  return overrides;
}

LogicalResult checkLayerOverrides(ArrayRef<LayerOverride> overrides,
                                  ArrayRef<WeightLayer> layers, Location loc,
                                  StringRef passName,
                                  const PruneSettings *prune,
                                  const ClusterSettings *cluster,
                                  const EncodeSettings *encode) {
  for (const LayerOverride &override : overrides) {
    bool found = llvm::any_of(layers, [&](const WeightLayer &layer) {
      return layer.name == override.layer;
    });
    if (!found) {
      InFlightDiagnostic diag = emitError(loc);
      diag << passName << ": layer override '" << override.text
           << "' names no layer; the layers are:";
      if (layers.empty())
        diag << " (none)";
      for (const WeightLayer &layer : layers)
        diag << " " << layer.name;
      return failure();
    }
    // Every key must be taken by one of the stages, with a valid value.
    PruneSettings p = prune ? *prune : PruneSettings();
    ClusterSettings c = cluster ? *cluster : ClusterSettings();
    EncodeSettings e = encode ? *encode : EncodeSettings();
    for (const auto &[key, value] : override.settings) {
      bool known = false;
      std::string error;
      auto check = [&](SettingResult result) {
        if (result == SettingResult::Applied)
          known = true;
        return result != SettingResult::Invalid;
      };
      if ((prune && !check(p.apply(key, value, error))) ||
          (cluster && !check(c.apply(key, value, error))) ||
          (encode && !check(e.apply(key, value, error))))
        return emitError(loc) << passName << ": layer override '"
                              << override.text << "': " << error;
      if (!known)
        return emitError(loc)
               << passName << ": unknown key '" << key
               << "' in layer override '" << override.text << "'";
    }
  }
  return success();
}

ReferenceWeights snapshotWeights(ModuleOp module) {
  ReferenceWeights weights;
  for (const WeightLayer &layer : findWeightLayers(module)) {
    if (!layer.constOp || layer.sharedConstant)
      continue;
    std::string why;
    FailureOr<std::vector<float>> values = readLayerWeights(layer, why);
    if (succeeded(values))
      weights[layer.name] = std::move(*values);
  }
  return weights;
}

} // namespace cw

//===- Report.cpp - Per-layer compression report --------------------------===//

#include "cw/Transforms/Report.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/ToolOutputFile.h"

#include <algorithm>
#include <iterator>

namespace cw {

double LayerReport::density() const {
  return weights ? double(nonzeros) / double(weights) : 0.0;
}
double LayerReport::ratio() const {
  return encodedBytes ? double(originalBytes) / double(encodedBytes) : 0.0;
}
double LayerReport::bitsPerWeight() const {
  return weights ? double(encodedBytes) * 8.0 / double(weights) : 0.0;
}
double LayerReport::bitsPerNonzero() const {
  return nonzeros ? double(encodedBytes) * 8.0 / double(nonzeros) : 0.0;
}

LayerReport ModelReport::totals() const {
  LayerReport total;
  total.name = "total";
  total.kind = "total";
  double errorSum = 0;
  for (const LayerReport &layer : layers) {
    total.weights += layer.weights;
    total.nonzeros += layer.nonzeros;
    total.originalBytes += layer.originalBytes;
    total.blobBytes += layer.blobBytes;
    total.codebookBytes += layer.codebookBytes;
    total.encodedBytes += layer.encodedBytes;
    total.entropyFloorBits += layer.entropyFloorBits;
    total.falsePositives += layer.falsePositives;
    total.maxAbsError = std::max(total.maxAbsError, layer.maxAbsError);
    errorSum += layer.meanAbsError * double(layer.weights);
  }
  total.meanAbsError = total.weights ? errorSum / double(total.weights) : 0.0;
  return total;
}

static std::string shapeString(llvm::ArrayRef<int64_t> shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

static std::string fixed(double value, int digits) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << llvm::format(("%." + std::to_string(digits) + "f").c_str(), value);
  return s;
}

static std::string scientific(double value) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << llvm::format("%.3e", value);
  return s;
}

void printReportTable(const ModelReport &report, llvm::raw_ostream &os) {
  static const char *headers[] = {"layer",    "shape",   "density",  "clusters",
                                  "encoding", "orig B",  "enc B",    "blob B",
                                  "cb B",     "ratio",   "bits/w",   "bits/nz",
                                  "floor B",  "max err", "mean err", "fp"};
  constexpr size_t numColumns = std::size(headers);
  // Left-aligned: name, shape, encoding; the rest right-aligned.
  static const bool left[numColumns] = {
      true,  true,  false, false, true,  false, false, false,
      false, false, false, false, false, false, false, false};
  auto row = [](const LayerReport &l, bool isTotal) {
    std::vector<std::string> cells = {
        l.name,
        isTotal ? "" : shapeString(l.shape),
        fixed(l.density(), 4),
        isTotal ? "" : std::to_string(l.clusters),
        isTotal ? "" : l.attribute,
        std::to_string(l.originalBytes),
        std::to_string(l.encodedBytes),
        std::to_string(l.blobBytes),
        std::to_string(l.codebookBytes),
        fixed(l.ratio(), 2),
        fixed(l.bitsPerWeight(), 3),
        fixed(l.bitsPerNonzero(), 3),
        std::to_string(uint64_t(l.entropyFloorBits / 8.0 + 0.5)),
        scientific(l.maxAbsError),
        scientific(l.meanAbsError),
        std::to_string(l.falsePositives)};
    return cells;
  };
  std::vector<std::vector<std::string>> rows;
  rows.emplace_back(std::begin(headers), std::end(headers));
  for (const LayerReport &layer : report.layers)
    rows.push_back(row(layer, false));
  rows.push_back(row(report.totals(), true));

  size_t widths[numColumns] = {};
  for (const auto &cells : rows)
    for (size_t c = 0; c < numColumns; ++c)
      widths[c] = std::max(widths[c], cells[c].size());
  auto printRow = [&](const std::vector<std::string> &cells) {
    std::string line;
    for (size_t c = 0; c < numColumns; ++c) {
      if (c)
        line += "  ";
      std::string pad(widths[c] - cells[c].size(), ' ');
      line += left[c] ? cells[c] + pad : pad + cells[c];
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    os << line << "\n";
  };
  size_t totalWidth = 0;
  for (size_t c = 0; c < numColumns; ++c)
    totalWidth += widths[c] + (c ? 2 : 0);
  printRow(rows.front());
  os << std::string(totalWidth, '-') << "\n";
  for (size_t r = 1; r + 1 < rows.size(); ++r)
    printRow(rows[r]);
  os << std::string(totalWidth, '-') << "\n";
  printRow(rows.back());
}

static llvm::json::Object layerToJSON(const LayerReport &l, bool isTotal) {
  llvm::json::Object o;
  o["name"] = l.name;
  if (!isTotal) {
    o["kind"] = l.kind;
    llvm::json::Array shape;
    for (int64_t d : l.shape)
      shape.push_back(d);
    o["shape"] = std::move(shape);
    o["clusters"] = l.clusters;
    o["encoding"] = l.encoding;
    o["attribute"] = l.attribute;
  }
  o["weights"] = l.weights;
  o["nonzeros"] = l.nonzeros;
  o["density"] = l.density();
  o["original_bytes"] = l.originalBytes;
  o["blob_bytes"] = l.blobBytes;
  o["codebook_bytes"] = l.codebookBytes;
  o["encoded_bytes"] = l.encodedBytes;
  o["ratio"] = l.ratio();
  o["bits_per_weight"] = l.bitsPerWeight();
  o["bits_per_nonzero"] = l.bitsPerNonzero();
  o["entropy_floor_bits"] = l.entropyFloorBits;
  o["max_abs_error"] = l.maxAbsError;
  o["mean_abs_error"] = l.meanAbsError;
  o["false_positives"] = l.falsePositives;
  return o;
}

llvm::json::Value reportToJSON(const ModelReport &report) {
  llvm::json::Array layers;
  for (const LayerReport &layer : report.layers)
    layers.push_back(layerToJSON(layer, false));
  llvm::json::Object root;
  root["layers"] = std::move(layers);
  root["total"] = layerToJSON(report.totals(), true);
  return root;
}

static bool writeTo(llvm::StringRef path, std::string &error,
                    llvm::function_ref<void(llvm::raw_ostream &)> write) {
  if (path.empty())
    return true;
  if (path == "-") {
    write(llvm::errs());
    llvm::errs().flush();
    return true;
  }
  std::error_code ec;
  llvm::ToolOutputFile file(path, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    error = ("cannot write report '" + path + "': " + ec.message()).str();
    return false;
  }
  write(file.os());
  file.keep();
  return true;
}

bool writeReportFiles(const ModelReport &report, llvm::StringRef textPath,
                      llvm::StringRef jsonPath, std::string &error) {
  if (!writeTo(textPath, error,
               [&](llvm::raw_ostream &os) { printReportTable(report, os); }))
    return false;
  return writeTo(jsonPath, error, [&](llvm::raw_ostream &os) {
    os << llvm::formatv("{0:2}", reportToJSON(report)) << "\n";
  });
}

} // namespace cw

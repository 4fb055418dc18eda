//===- gen.cpp - Models for the kernel benchmark --------------------------===//
//
//   cw-bench-gen --layer vgg_fc6 --encoding csr --out-dir DIR
//
// Builds the layer's synthetic pruned, clustered matrix (Layers.h), encodes
// it with the encoding's codec through EncodingAttrInterface::encode, and
// writes, in DIR:
//
//  * <layer>_<enc>.mlirbc: a module already in cw form (cw.weights +
//    cw.matmul; bytecode, since VGG-16 fc6's blobs are tens of MiB) with
//    @<layer>_<enc>_b1 (1 x cols input) and @<layer>_<enc>_b64, which
//    cw-compile exports as cw_<layer>_<enc>_b1 / _b64 (and, with
//    --thread-variants=T, the same in <layer>_<enc>_t<T>.mlirbc with
//    functions @<layer>_<enc>_t<T>_b1 / _b64, for a --kernel-threads=T
//    build);
//  * <layer>_<enc>.expect.bin: what those kernels must compute on
//    makeInput's activations, from the codec's reference decode of the blob
//    (so lossy encodings are checked against what they store): 64 x rows
//    floats y, then 64 x rows floats sum_k |w_k x_k| (the scale of the float
//    rounding error);
//  * <layer>_<enc>.gen.json: sizes and how the decoded weights differ from
//    the matrix (false positives, largest error).
//
// Writing the model straight in cw form skips a TOSA model with dense fp32
// constants (400 MiB of text for VGG-16 fc6) and the compression passes.
//
//===----------------------------------------------------------------------===//

#include "Layers.h"

#include "cw/Dialect/CW/CWAttrs.h"
#include "cw/Dialect/CW/CWDialect.h"
#include "cw/Dialect/CW/CWOps.h"
#include "cw/Dialect/CW/CWTypes.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>

using namespace llvm;
using namespace mlir;

namespace {

struct EncodingSpec {
  const char *key;
  const char *attr;
};

/// The benchmarked encodings: Deep Compression's CSR (Huffman-coded gaps and
/// indices, its default, the same with 16 rows interleaved for the lockstep
/// SIMD decoder, and plain), Huffman over every position, Bloomier
/// (Weightless), wavelet trees (Succinct, element and block layouts), SZ
/// (DeepSZ) and the fixed-width dense indices.
constexpr EncodingSpec kEncodings[] = {
    {"dense", "#cw.dense"},
    {"csr", "#cw.csr<gap_bits = 5>"},
    {"csr_lanes", "#cw.csr<gap_bits = 6, max_code_length = 7, lanes = 16>"},
    {"csr_plain",
     "#cw.csr<gap_bits = 5, huffman_indices = false, huffman_gaps = false>"},
    {"huffman", "#cw.huffman"},
    {"bloomier", "#cw.bloomier"},
    {"wavelet_element", "#cw.wavelet<mode = element>"},
    {"wavelet_block", "#cw.wavelet<mode = block, block_size = 4>"},
    {"wavelet_sparse", "#cw.wavelet<mode = sparse>"},
    {"sz", "#cw.sz<error_bound = 1.0e-3>"},
};

cl::opt<std::string> layerName("layer", cl::desc("Layer (Layers.h)"),
                               cl::Required);
cl::opt<std::string> encodingKey("encoding", cl::desc("Encoding key"),
                                 cl::Required);
cl::opt<std::string>
    attrOverride("attr",
                 cl::desc("Encoding attribute to use instead of the key's"),
                 cl::init(""));
cl::opt<std::string> outDir("out-dir", cl::desc("Output directory"),
                            cl::init("."));
cl::opt<bool> textOutput("text", cl::desc("Write MLIR text, not bytecode"),
                         cl::init(false));
cl::list<unsigned> threadVariants(
    "thread-variants",
    cl::desc("Also write <layer>_<enc>_t<T>.mlirbc for these thread counts, "
             "whose functions are named <layer>_<enc>_t<T>_b<B> (one binary "
             "links the 1- and T-thread kernels of a layer)"),
    cl::CommaSeparated);

int fail(const Twine &message) {
  errs() << "cw-bench-gen: error: " << message << "\n";
  return 1;
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
      .count();
}

/// func @name(%x: tensor<batch x cols>) -> tensor<batch x rows> =
/// cw.matmul(%x, cw.weights).
void addForward(OpBuilder &b, Location loc, StringRef name, int64_t batch,
                mlir::cw::EncodedTensorType type, ElementsAttr data,
                DenseElementsAttr codebook, StringRef layer) {
  auto f32 = b.getF32Type();
  int64_t rows = type.getShape()[0], cols = type.getShape()[1];
  auto inType = RankedTensorType::get({batch, cols}, f32);
  auto outType = RankedTensorType::get({batch, rows}, f32);
  auto fn = func::FuncOp::create(b, loc, name,
                                 b.getFunctionType({inType}, {outType}));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(fn.addEntryBlock());
  auto w = mlir::cw::WeightsOp::create(b, loc, type, data, codebook,
                                       b.getStringAttr(layer));
  auto y = mlir::cw::MatmulOp::create(b, loc, outType, fn.getArgument(0), w);
  func::ReturnOp::create(b, loc, y.getResult());
}

int genMain() {
  const cwbench::Layer *layer = cwbench::findLayer(layerName);
  if (!layer)
    return fail("unknown layer '" + layerName + "'");
  std::string attrText = attrOverride;
  for (const EncodingSpec &e : kEncodings)
    if (encodingKey == e.key && attrText.empty())
      attrText = e.attr;
  if (attrText.empty())
    return fail("unknown encoding '" + encodingKey + "' (and no --attr)");

  DialectRegistry registry;
  registry.insert<mlir::cw::CWDialect, func::FuncDialect>();
  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  // Diagnostics (here and in cw-compile) name the layer and encoding.
  Location loc =
      NameLoc::get(StringAttr::get(&ctx, Twine(layerName) + "_" + encodingKey));
  auto emitError = [&] { return mlir::emitError(loc); };

  Attribute parsed = parseAttribute(attrText, &ctx);
  auto encoding = dyn_cast_or_null<mlir::cw::EncodingAttrInterface>(parsed);
  if (!encoding)
    return fail("'" + attrText + "' is not a cw encoding attribute");

  auto t0 = std::chrono::steady_clock::now();
  ::cw::codec::ClusteredMatrix m = cwbench::makeLayerMatrix(*layer);
  double matrixSeconds = secondsSince(t0);
  uint64_t rows = m.rows, cols = m.cols, nonzeros = m.countNonzeros();
  std::vector<float> dense = m.toDense();

  t0 = std::chrono::steady_clock::now();
  ::cw::codec::EncodingStats stats;
  Attribute resolved;
  FailureOr<std::vector<uint8_t>> blob =
      encoding.encode(m, dense, stats, resolved, emitError);
  if (failed(blob))
    return fail("encoding " + encodingKey + " failed");
  double encodeSeconds = secondsSince(t0);
  if (resolved)
    encoding = cast<mlir::cw::EncodingAttrInterface>(resolved);
  std::vector<float> codebook =
      encoding.requiresCodebook() ? m.codebook : std::vector<float>();
  SmallVector<int64_t> shape{int64_t(rows), int64_t(cols)};

  // What the kernels must compute: the codec's reference decode of the blob.
  t0 = std::chrono::steady_clock::now();
  FailureOr<std::vector<float>> decoded =
      encoding.referenceDecode(*blob, codebook, shape, emitError);
  if (failed(decoded) || decoded->size() != dense.size())
    return fail("reference decode failed");
  double decodeSeconds = secondsSince(t0);
  uint64_t falsePositives = 0, changedNonzeros = 0;
  double maxWeightError = 0;
  for (size_t i = 0; i < dense.size(); ++i) {
    float want = dense[i], got = (*decoded)[i];
    if (want == 0.0f && got != 0.0f)
      ++falsePositives;
    else if (want != 0.0f && got != want)
      ++changedNonzeros;
    maxWeightError =
        std::max(maxWeightError, std::fabs(double(got) - double(want)));
  }
  dense.clear();
  dense.shrink_to_fit();

  std::vector<float> x = cwbench::makeInput(cols);
  uint64_t batch = cwbench::kMaxBatch;
  std::vector<double> y(batch * rows, 0.0), bound(batch * rows, 0.0);
  for (uint64_t r = 0; r < rows; ++r)
    for (uint64_t c = 0; c < cols; ++c) {
      float w = (*decoded)[r * cols + c];
      if (w == 0.0f)
        continue;
      for (uint64_t i = 0; i < batch; ++i) {
        double p = double(w) * double(x[i * cols + c]);
        y[i * rows + r] += p;
        bound[i * rows + r] += std::fabs(p);
      }
    }
  decoded->clear();

  std::string base =
      (Twine(outDir) + "/" + layer->name + "_" + encodingKey).str();
  {
    std::error_code ec;
    raw_fd_ostream os(base + ".expect.bin", ec, sys::fs::OF_None);
    if (ec)
      return fail("cannot write " + base + ".expect.bin: " + ec.message());
    for (const std::vector<double> *v : {&y, &bound})
      for (double d : *v) {
        float f = float(d);
        os.write(reinterpret_cast<const char *>(&f), sizeof f);
      }
  }

  // The modules: one per thread variant, same blob, distinct entry names.
  std::string key = (Twine(layer->name) + "_" + encodingKey).str();
  auto data = DenseResourceElementsAttr::get(
      RankedTensorType::get({int64_t(blob->size())}, IntegerType::get(&ctx, 8)),
      key,
      HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<uint8_t>(*blob)));
  DenseElementsAttr codebookAttr;
  if (!codebook.empty())
    codebookAttr =
        DenseElementsAttr::get(RankedTensorType::get({int64_t(codebook.size())},
                                                     Float32Type::get(&ctx)),
                               ArrayRef<float>(codebook));
  auto type = mlir::cw::EncodedTensorType::getChecked(
      emitError, &ctx, ArrayRef<int64_t>(shape), Type(Float32Type::get(&ctx)),
      Attribute(encoding));
  if (!type)
    return fail("invalid weight type");
  std::vector<std::string> suffixes = {""};
  for (unsigned t : threadVariants)
    if (t > 1)
      suffixes.push_back("_t" + std::to_string(t));
  for (const std::string &suffix : suffixes) {
    OpBuilder b(&ctx);
    OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
    b.setInsertionPointToEnd(module->getBody());
    for (int64_t batchSize : {int64_t(1), int64_t(batch)})
      addForward(b, loc, formatv("{0}{1}_b{2}", key, suffix, batchSize).str(),
                 batchSize, type, data, codebookAttr, layer->name);
    if (failed(verify(*module)))
      return fail("the generated module does not verify");
    std::string path = base + suffix + (textOutput ? ".mlir" : ".mlirbc");
    std::error_code ec;
    raw_fd_ostream os(path, ec, sys::fs::OF_None);
    if (ec)
      return fail("cannot write " + path + ": " + ec.message());
    if (textOutput)
      module->print(os);
    else if (failed(writeBytecodeToFile(*module, os)))
      return fail("cannot write bytecode to " + path);
  }

  std::string attrString;
  raw_string_ostream(attrString) << Attribute(encoding);
  json::Object report{
      {"layer", layer->name},
      {"encoding", encodingKey.getValue()},
      {"attribute", attrString},
      {"rows", int64_t(rows)},
      {"cols", int64_t(cols)},
      {"density", layer->density},
      {"nonzeros", int64_t(nonzeros)},
      {"clusters", int64_t(m.codebook.size())},
      {"blob_bytes", int64_t(blob->size())},
      {"codebook_bytes", int64_t(codebook.size() * 4)},
      {"compressed_bytes", int64_t(blob->size() + codebook.size() * 4)},
      {"fp32_bytes", int64_t(rows * cols * 4)},
      {"entropy_floor_bits", stats.entropyFloorBits},
      {"false_positives", int64_t(falsePositives)},
      {"changed_nonzeros", int64_t(changedNonzeros)},
      {"max_weight_error", maxWeightError},
      {"matrix_seconds", matrixSeconds},
      {"encode_seconds", encodeSeconds},
      {"reference_decode_seconds", decodeSeconds},
  };
  std::error_code ec;
  raw_fd_ostream os(base + ".gen.json", ec, sys::fs::OF_None);
  if (ec)
    return fail("cannot write " + base + ".gen.json: " + ec.message());
  os << formatv("{0:2}", json::Value(std::move(report))) << "\n";
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "cw kernel benchmark generator\n");
  return genMain();
}

//===- cw-compile.cpp - Ahead-of-time compiler for cw models --------------===//
//
//   cw-compile model.mlir -o model.o [--header model.h] [--report model.json]
//   cw-compile model.mlir --shared -o model.so
//   cw-compile model.mlir --cw-compress='encoding=huffman sparsity=0.8' ...
//   cw-compile model.mlir --emit=cw|mlir|llvm|asm|obj -o -
//
// Reads a model (MLIR text or bytecode), compresses it with cw-compress when
// asked (or, by default, when it still holds TOSA weight constants and no cw
// ops), lowers it with generated decode-multiply kernels, and emits an object
// file or a shared library exporting `int cw_<f>(const float *in..., float
// *out...)` for every public function. Prints `error: ...` and exits 1 on
// bad input or options.
//
//===----------------------------------------------------------------------===//

#include "cw/Driver/Compile.h"
#include "cw/Driver/EntryPoints.h"
#include "cw/Driver/IRReport.h"
#include "cw/Driver/Reference.h"
#include "cw/InitAll.h"
#include "cw/Transforms/Report.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::OptionCategory category("cw-compile options");

static cl::opt<std::string> inputFile(cl::Positional,
                                      cl::desc("<model.mlir|model.mlirbc>"),
                                      cl::init("-"), cl::cat(category));
static cl::opt<std::string>
    outputFile("o",
               cl::desc("Output file (object, shared library or the "
                        "--emit text; '-' = stdout for text)"),
               cl::value_desc("file"), cl::init(""), cl::cat(category));
static cl::opt<bool>
    shared("shared", cl::desc("Link a shared library instead of an object"),
           cl::init(false), cl::cat(category));
static cl::opt<std::string>
    headerFile("header", cl::desc("Write the C header of the entry points"),
               cl::value_desc("file.h"), cl::init(""), cl::cat(category));
static cl::opt<std::string>
    reportJson("report", cl::desc("Write the per-layer report as JSON"),
               cl::value_desc("file.json"), cl::init(""), cl::cat(category));
static cl::opt<std::string>
    reportTable("report-table",
                cl::desc("Write the per-layer report as a text table"),
                cl::value_desc("file.txt"), cl::init(""), cl::cat(category));

enum class Emit { CW, MLIR, LLVM, Asm, Obj };
static cl::opt<Emit> emit(
    "emit", cl::desc("What to write to -o"), cl::init(Emit::Obj),
    cl::values(
        clEnumValN(Emit::CW, "cw",
                   "MLIR after compression / --cw-reference, before lowering"),
        clEnumValN(Emit::MLIR, "mlir",
                   "MLIR in the LLVM dialect, entry points included"),
        clEnumValN(Emit::LLVM, "llvm", "Optimised LLVM IR"),
        clEnumValN(Emit::Asm, "asm", "Assembly"),
        clEnumValN(Emit::Obj, "obj", "Object file (default)")),
    cl::cat(category));

static cl::opt<bool>
    compress("compress",
             cl::desc("Run cw-compress (default: only when the model holds "
                      "TOSA weight constants and no cw ops)"),
             cl::init(false), cl::cat(category));
static cl::opt<bool> noCompress("no-compress",
                                cl::desc("Never run cw-compress"),
                                cl::init(false), cl::cat(category));
static cl::opt<std::string>
    compressOptions("cw-compress",
                    cl::desc("Options of the cw-compress pass, as in "
                             "cw-compress{...} (implies --compress)"),
                    cl::value_desc("'encoding=csr sparsity=0.9 ...'"),
                    cl::init(""), cl::cat(category));
static cl::opt<bool> reference(
    "cw-reference",
    cl::desc("Compile the reference instead: every weight decoded by its "
             "codec's reference decoder, cw ops rewritten to TOSA"),
    cl::init(false), cl::cat(category));

static cl::opt<std::string>
    mtriple("mtriple", cl::desc("Target triple (default: the host's)"),
            cl::init(""), cl::cat(category));
static cl::opt<std::string>
    mcpu("mcpu",
         cl::desc("Target CPU (default: native, the host CPU with its "
                  "features; 'generic' for portable code)"),
         cl::init("native"), cl::cat(category));
static cl::opt<std::string>
    mattr("mattr", cl::desc("Extra target features (+avx2,-fma)"), cl::init(""),
          cl::cat(category));
static cl::opt<unsigned> interleaveOpt(
    "kernel-interleave",
    cl::desc("Independent weight streams a generated kernel decodes in one "
             "loop (convert-cw-to-loops{interleave=N}; 1: none)"),
    cl::init(4), cl::cat(category));
static cl::opt<std::string> kernelSimd(
    "kernel-simd",
    cl::desc("Vector instructions of the generated kernels: auto (from the "
             "target's features), generic (portable vector code) or "
             "avx512vbmi (convert-cw-to-loops{simd=...})"),
    cl::init("auto"), cl::cat(category));
static cl::opt<unsigned> threadsOpt(
    "kernel-threads",
    cl::desc("Threads a generated kernel splits a layer over (OpenMP; more "
             "than 1 needs LLVM's libomp at link time: -lomp)"),
    cl::init(1), cl::cat(category));
static cl::opt<unsigned> optLevel("O", cl::desc("Optimisation level 0..3"),
                                  cl::Prefix, cl::init(3), cl::cat(category));
static cl::opt<std::string>
    linker("linker",
           cl::desc("Compiler driver that links --shared (default: the first "
                    "of clang-22, clang, cc, gcc on PATH)"),
           cl::init(""), cl::cat(category));

static int fail(const Twine &message) {
  errs() << "error: " << message << "\n";
  return 1;
}

static bool writeTextFile(StringRef path, function_ref<void(raw_ostream &)> fn,
                          std::string &error) {
  std::string msg;
  auto out = mlir::openOutputFile(path, &msg);
  if (!out) {
    error = "cannot write '" + path.str() + "': " + msg;
    return false;
  }
  fn(out->os());
  out->keep();
  return true;
}

/// The include guard for a header file name: CW_<STEM>_H.
static std::string headerGuard(StringRef path) {
  std::string stem = cw::sanitizeCIdentifier(sys::path::stem(path).upper());
  return "CW_" + stem + "_H";
}

static json::Array shapeJSON(ArrayRef<int64_t> shape) {
  json::Array a;
  for (int64_t d : shape)
    a.push_back(d);
  return a;
}

namespace {
struct Outputs {
  bool compressedHere = false;
  /// The compressor's report files (temporaries) when it wrote them.
  std::string compressorJson, compressorTable;
  /// Otherwise the report read back from the IR.
  std::optional<cw::ModelReport> irReport;
  std::vector<cw::EntryPoint> entries;
  std::string triple, cpu;
  uint64_t outputBytes = 0;
};
} // namespace

static bool writeReports(const Outputs &o, std::string &error) {
  json::Value root = json::Object();
  if (!o.compressorJson.empty()) {
    auto buffer = MemoryBuffer::getFile(o.compressorJson);
    if (!buffer) {
      error = "cw-compress wrote no report";
      return false;
    }
    Expected<json::Value> parsed = json::parse((*buffer)->getBuffer());
    if (!parsed) {
      error =
          "cannot read cw-compress's report: " + toString(parsed.takeError());
      return false;
    }
    root = std::move(*parsed);
  } else if (o.irReport) {
    root = cw::reportToJSON(*o.irReport);
  }
  if (json::Object *obj = root.getAsObject()) {
    json::Object compile;
    compile["input"] = inputFile.getValue();
    compile["compressed_by_cw_compile"] = o.compressedHere;
    compile["errors_measured"] = !o.compressorJson.empty();
    compile["reference"] = reference.getValue();
    compile["target_triple"] = o.triple;
    compile["target_cpu"] = o.cpu;
    compile["output"] = outputFile.getValue();
    compile["output_bytes"] = o.outputBytes;
    json::Array entries;
    for (const cw::EntryPoint &e : o.entries) {
      json::Object eo;
      eo["function"] = e.funcName;
      eo["symbol"] = e.symbol;
      json::Array ins, outs;
      for (const cw::EntryBuffer &b : e.inputs)
        ins.push_back(
            json::Object{{"type", b.cType}, {"shape", shapeJSON(b.shape)}});
      for (const cw::EntryBuffer &b : e.outputs)
        outs.push_back(
            json::Object{{"type", b.cType}, {"shape", shapeJSON(b.shape)}});
      eo["inputs"] = std::move(ins);
      eo["outputs"] = std::move(outs);
      entries.push_back(std::move(eo));
    }
    compile["entry_points"] = std::move(entries);
    (*obj)["compile"] = std::move(compile);
  }
  if (!reportJson.empty() &&
      !writeTextFile(
          reportJson,
          [&](raw_ostream &os) { os << formatv("{0:2}", root) << "\n"; },
          error))
    return false;
  if (!reportTable.empty()) {
    std::string table;
    if (!o.compressorTable.empty()) {
      auto buffer = MemoryBuffer::getFile(o.compressorTable);
      if (buffer)
        table = (*buffer)->getBuffer().str();
    } else if (o.irReport) {
      raw_string_ostream os(table);
      cw::printReportTable(*o.irReport, os);
    }
    if (!writeTextFile(
            reportTable, [&](raw_ostream &os) { os << table; }, error))
      return false;
  }
  return true;
}

/// A temporary file removed when the driver exits.
static std::string makeTemp(StringRef suffix,
                            SmallVectorImpl<std::string> &all) {
  SmallString<128> path;
  if (sys::fs::createTemporaryFile("cw-compile", suffix, path))
    return {};
  all.push_back(path.str().str());
  return path.str().str();
}

static int compileMain(int argc, char **argv) {
  // Passes first: --mlir-print-ir-after= and friends name them.
  mlir::registerAllPasses();
  cw::registerCWPasses();
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  cl::HideUnrelatedOptions({&category});
  std::string clErrors;
  raw_string_ostream clErrs(clErrors);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "cw ahead-of-time compiler: compressed model -> object file, shared "
          "library, C header and report\n",
          &clErrs)) {
    // The first line, without cl's "Try: 'cw-compile --help'" hint.
    StringRef msg = StringRef(clErrors).trim().split('\n').first;
    msg = msg.split("  Try:").first.trim();
    if (msg.empty())
      msg = "invalid command line";
    return fail(msg + " (see cw-compile --help)");
  }

  if (optLevel > 3)
    return fail("-O" + Twine(optLevel.getValue()) + ": expected 0..3");
  if (noCompress && (compress || !compressOptions.empty()))
    return fail("--no-compress conflicts with --compress / --cw-compress");
  if (shared && emit != Emit::Obj)
    return fail("--shared links an object file: it cannot be combined with "
                "--emit");
  bool textOutput = emit != Emit::Obj;
  if (outputFile.empty()) {
    if (!textOutput)
      return fail(Twine("-o is required for ") +
                  (shared ? "a shared library" : "an object file"));
    outputFile = "-";
  }
  if (!textOutput && outputFile == "-" && shared)
    return fail("--shared needs an output file, not '-'");
  if (!headerFile.empty() && emit == Emit::CW)
    return fail("--header needs the lowering: it cannot be combined with "
                "--emit=cw");

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
  cw::registerCWDialects(registry);
  mlir::MLIRContext context(registry);
  // Diagnostics name the op's location; dumping the op is noise for users.
  context.printOpOnDiagnostic(false);
  context.loadAllAvailableDialects();

  std::string errorMessage;
  auto file = mlir::openInputFile(inputFile, &errorMessage);
  if (!file)
    return fail("cannot read '" + inputFile + "': " + errorMessage);
  SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), SMLoc());
  mlir::SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module)
    return fail("cannot parse '" + inputFile + "' as an MLIR module");
  if (failed(mlir::verify(*module)))
    return fail("the input module does not verify");

  Outputs out;
  SmallVector<std::string> temps;
  llvm::scope_exit cleanup([&] {
    for (const std::string &t : temps)
      sys::fs::remove(t);
  });
  bool wantReport = !reportJson.empty() || !reportTable.empty();

  // 1. Compression.
  bool runCompress = false;
  if (compress || !compressOptions.empty())
    runCompress = true;
  else if (!noCompress)
    runCompress = !cw::hasCWOps(*module) && cw::hasCompressibleWeights(*module);
  if (runCompress) {
    std::string options = compressOptions;
    if (wantReport) {
      out.compressorJson = makeTemp("json", temps);
      out.compressorTable = makeTemp("txt", temps);
      if (out.compressorJson.empty() || out.compressorTable.empty())
        return fail("cannot create a temporary file");
      options += " report-json=" + out.compressorJson +
                 " report=" + out.compressorTable;
    }
    std::string error;
    if (failed(cw::runCompression(*module, options, error)))
      return fail(error.empty() ? "compression failed" : error);
    out.compressedHere = true;
  } else if (wantReport) {
    FailureOr<cw::ModelReport> report = cw::reportFromIR(*module);
    if (failed(report))
      return fail("cannot build the report");
    out.irReport = std::move(*report);
  }

  // 2. The reference (every weight decoded by the codec, plain TOSA).
  if (reference && failed(cw::rewriteToReference(*module)))
    return fail("cannot build the reference model");

  auto writeText = [&](function_ref<void(raw_ostream &)> fn) -> int {
    std::string error;
    if (!writeTextFile(outputFile, fn, error))
      return fail(error);
    return 0;
  };
  if (emit == Emit::CW) {
    if (int rc = writeText([&](raw_ostream &os) { module->print(os); }))
      return rc;
  } else {
    // 3. Lowering, for the target's vector instructions.
    std::string error;
    cw::TargetOptions targetOptions;
    targetOptions.triple = mtriple;
    targetOptions.cpu = mcpu;
    targetOptions.features = mattr;
    targetOptions.optLevel = optLevel;
    std::unique_ptr<TargetMachine> tm =
        cw::createTargetMachine(targetOptions, error);
    if (!tm)
      return fail(error);
    std::string simd =
        kernelSimd == "auto" ? cw::getKernelSimd(*tm) : std::string(kernelSimd);
    if (simd != "generic" && simd != "avx512vbmi")
      return fail("--kernel-simd must be auto, generic or avx512vbmi, got '" +
                  simd + "'");
    if (failed(cw::lowerToLLVMDialect(*module, out.entries, error,
                                      interleaveOpt, threadsOpt, simd)))
      return fail(error.empty() ? "lowering failed" : error);
    if (emit == Emit::MLIR) {
      if (int rc = writeText([&](raw_ostream &os) { module->print(os); }))
        return rc;
    } else {
      // 4. LLVM IR, optimisation, code generation.
      out.triple = tm->getTargetTriple().str();
      out.cpu = tm->getTargetCPU().str();
      LLVMContext llvmContext;
      std::unique_ptr<Module> llvmModule =
          cw::translateAndOptimize(*module, llvmContext, *tm, optLevel, error);
      if (!llvmModule)
        return fail(error);
      if (emit == Emit::LLVM) {
        if (int rc = writeText(
                [&](raw_ostream &os) { llvmModule->print(os, nullptr); }))
          return rc;
      } else {
        std::string objectPath = outputFile;
        if (shared) {
          objectPath = makeTemp("o", temps);
          if (objectPath.empty())
            return fail("cannot create a temporary file");
        }
        std::string msg;
        auto obj = mlir::openOutputFile(objectPath, &msg);
        if (!obj)
          return fail("cannot write '" + objectPath + "': " + msg);
        if (failed(cw::emitMachineCode(*llvmModule, *tm, obj->os(),
                                       emit == Emit::Asm, error)))
          return fail(error);
        obj->keep();
        obj.reset();
        if (shared &&
            failed(cw::linkSharedLibrary(objectPath, outputFile, linker, error,
                                         /*openmp=*/threadsOpt > 1)))
          return fail(error);
        uint64_t size = 0;
        if (outputFile != "-" && !sys::fs::file_size(outputFile, size))
          out.outputBytes = size;
      }
    }
  }

  // 5. Header and report.
  if (!headerFile.empty()) {
    std::string error;
    if (!writeTextFile(
            headerFile,
            [&](raw_ostream &os) {
              cw::writeCHeader(out.entries, headerGuard(headerFile),
                               sys::path::filename(inputFile), os);
            },
            error))
      return fail(error);
  }
  if (wantReport) {
    std::string error;
    if (!writeReports(out, error))
      return fail(error);
  }
  return 0;
}

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  return compileMain(argc, argv);
}

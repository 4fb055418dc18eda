//===- Compile.cpp - Ahead-of-time compilation of a cw model --------------===//

#include "cw/Driver/Compile.h"

#include "cw/Dialect/CW/CWDialect.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;

namespace cw {

std::string getLoweringPipeline(unsigned interleave, unsigned threads,
                                StringRef simd) {
  return "builtin.module(convert-cw-to-loops{interleave=" +
         std::to_string(interleave) + " threads=" + std::to_string(threads) +
         " simd=" + simd.str() +
         "},"
         "func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,"
         "tosa-to-tensor),"
         "one-shot-bufferize{bufferize-function-boundaries "
         "function-boundary-type-conversion=identity-layout-map},"
         "buffer-deallocation-pipeline,convert-bufferization-to-memref,"
         "cw-memref-copy-to-linalg,"
         "func.func(convert-linalg-to-loops),"
         "convert-scf-to-openmp,canonicalize,convert-scf-to-cf,expand-strided-"
         "metadata,"
         "lower-affine,"
         "cw-lower-permute,convert-to-llvm,reconcile-unrealized-casts)";
}

/// A weight reaches its layer through tosa.reshape / tosa.transpose from a
/// tosa.const (the shape cw-compress looks for).
static bool isConstantWeight(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (isa<tosa::ConstOp>(def))
      return true;
    if (!isa<tosa::ReshapeOp, tosa::TransposeOp>(def))
      return false;
    v = def->getOperand(0);
  }
  return false;
}

bool hasCompressibleWeights(ModuleOp module) {
  WalkResult r = module.walk([](Operation *op) {
    Value w;
    if (auto mm = dyn_cast<tosa::MatMulOp>(op))
      w = mm.getB();
    else if (auto conv = dyn_cast<tosa::Conv2DOp>(op))
      w = conv.getWeight();
    else if (auto dw = dyn_cast<tosa::DepthwiseConv2DOp>(op))
      w = dw.getWeight();
    return w && isConstantWeight(w) ? WalkResult::interrupt()
                                    : WalkResult::advance();
  });
  return r.wasInterrupted();
}

bool hasCWOps(ModuleOp module) {
  WalkResult r = module.walk([](Operation *op) {
    return isa<mlir::cw::CWDialect>(op->getDialect()) ? WalkResult::interrupt()
                                                      : WalkResult::advance();
  });
  return r.wasInterrupted();
}

LogicalResult runCompression(ModuleOp module, StringRef options,
                             std::string &error) {
  if (!PassInfo::lookup("cw-compress") &&
      !PassPipelineInfo::lookup("cw-compress")) {
    error = "this build of cw has no cw-compress pass; compile an "
            "already-compressed model or pass --no-compress";
    return failure();
  }
  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  // The pass manager is anchored on builtin.module: the passes go in as a
  // bare list.
  std::string pipeline = "cw-compress{" + options.str() + "}";
  std::string parseErrors;
  llvm::raw_string_ostream es(parseErrors);
  if (failed(parsePassPipeline(pipeline, pm, es))) {
    error = "invalid compression options '" + options.str() +
            "': " + StringRef(parseErrors).trim().str();
    return failure();
  }
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  return pm.run(module);
}

LogicalResult lowerToLLVMDialect(ModuleOp module,
                                 std::vector<EntryPoint> &entries,
                                 std::string &error, unsigned interleave,
                                 unsigned threads, StringRef simd) {
  FailureOr<std::vector<EntryPoint>> wrapped = addEntryWrappers(module);
  if (failed(wrapped))
    return failure();
  entries = std::move(*wrapped);

  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  std::string parseErrors;
  llvm::raw_string_ostream es(parseErrors);
  std::string pipeline = getLoweringPipeline(interleave, threads, simd);
  StringRef passes = pipeline;
  (void)passes.consume_front("builtin.module(");
  (void)passes.consume_back(")");
  if (failed(parsePassPipeline(passes, pm, es))) {
    error = "cannot build the lowering pipeline (passes not registered?): " +
            StringRef(parseErrors).trim().str();
    return failure();
  }
  if (failed(applyPassManagerCLOptions(pm)))
    return failure();
  if (failed(pm.run(module)))
    return failure();
  return addEntryShims(module, entries);
}

std::string getKernelSimd(const llvm::TargetMachine &tm) {
  const llvm::MCSubtargetInfo *sti = tm.getMCSubtargetInfo();
  if (tm.getTargetTriple().isX86() && sti &&
      sti->checkFeatures("+avx512f,+avx512bw,+avx512vbmi,+avx512vbmi2"))
    return "avx512vbmi";
  return "generic";
}

static std::string hostFeatures() {
  std::vector<std::string> features;
  for (const auto &f : llvm::sys::getHostCPUFeatures())
    features.push_back((f.second ? "+" : "-") + f.first().str());
  // StringMap order is unspecified: sort for deterministic output.
  llvm::sort(features);
  return llvm::join(features, ",");
}

std::unique_ptr<llvm::TargetMachine>
createTargetMachine(const TargetOptions &options, std::string &error) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();

  llvm::Triple triple(options.triple.empty()
                          ? llvm::sys::getDefaultTargetTriple()
                          : llvm::Triple::normalize(options.triple));
  std::string lookupError;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, lookupError);
  if (!target) {
    error = "unknown target '" + triple.str() + "': " + lookupError;
    return nullptr;
  }
  std::string cpu = options.cpu;
  std::string features;
  if (cpu.empty() || cpu == "native") {
    llvm::Triple host(llvm::sys::getProcessTriple());
    if (triple.getArch() == host.getArch()) {
      cpu = llvm::sys::getHostCPUName().str();
      features = hostFeatures();
    } else {
      cpu = "generic";
    }
  }
  if (!options.features.empty())
    features += (features.empty() ? "" : ",") + options.features;
  std::unique_ptr<const llvm::MCSubtargetInfo> sti(
      target->createMCSubtargetInfo(triple, "", ""));
  if (sti && cpu != "generic" && !sti->isCPUStringValid(cpu)) {
    error = "unknown CPU '" + cpu + "' for target " + triple.str();
    return nullptr;
  }

  llvm::TargetOptions targetOptions;
  llvm::CodeGenOptLevel level =
      options.optLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
      : options.optLevel == 2 ? llvm::CodeGenOptLevel::Default
      : options.optLevel == 1 ? llvm::CodeGenOptLevel::Less
                              : llvm::CodeGenOptLevel::None;
  std::unique_ptr<llvm::TargetMachine> tm(
      target->createTargetMachine(triple, cpu, features, targetOptions,
                                  llvm::Reloc::PIC_, std::nullopt, level));
  if (!tm)
    error = "cannot create a target machine for " + triple.str();
  return tm;
}

std::unique_ptr<llvm::Module> translateAndOptimize(ModuleOp module,
                                                   llvm::LLVMContext &context,
                                                   llvm::TargetMachine &tm,
                                                   unsigned optLevel,
                                                   std::string &error) {
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
  module.getContext()->appendDialectRegistry(registry);

  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, "cw");
  if (!llvmModule) {
    error = "cannot translate the lowered module to LLVM IR";
    return nullptr;
  }
  llvmModule->setTargetTriple(tm.getTargetTriple());
  llvmModule->setDataLayout(tm.createDataLayout());
  // Every function is compiled for the chosen CPU (vector widths, FMA).
  for (llvm::Function &f : *llvmModule) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", tm.getTargetCPU());
    if (!tm.getTargetFeatureString().empty())
      f.addFnAttr("target-features", tm.getTargetFeatureString());
  }
  if (llvm::verifyModule(*llvmModule, &llvm::errs())) {
    error = "the translated LLVM IR does not verify";
    return nullptr;
  }
  auto optimize =
      makeOptimizingTransformer(std::min(optLevel, 3u), /*sizeLevel=*/0, &tm);
  if (llvm::Error err = optimize(llvmModule.get())) {
    error = "LLVM optimisation failed: " + llvm::toString(std::move(err));
    return nullptr;
  }
  return llvmModule;
}

LogicalResult emitMachineCode(llvm::Module &module, llvm::TargetMachine &tm,
                              llvm::raw_pwrite_stream &os, bool assembly,
                              std::string &error) {
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr,
                             assembly ? llvm::CodeGenFileType::AssemblyFile
                                      : llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit this file type";
    return failure();
  }
  pm.run(module);
  return success();
}

LogicalResult linkSharedLibrary(StringRef objectPath, StringRef outputPath,
                                StringRef linker, std::string &error,
                                bool openmp) {
  std::string program;
  if (!linker.empty()) {
    if (llvm::sys::fs::exists(linker)) {
      program = linker.str();
    } else if (auto found = llvm::sys::findProgramByName(linker)) {
      program = *found;
    } else {
      error = "linker '" + linker.str() + "' not found";
      return failure();
    }
  } else {
    for (StringRef name : {"clang-22", "clang", "cc", "gcc"}) {
      if (auto found = llvm::sys::findProgramByName(name)) {
        program = *found;
        break;
      }
    }
    if (program.empty()) {
      error = "no linker found (tried clang-22, clang, cc, gcc on PATH); "
              "pass --linker=";
      return failure();
    }
  }
  SmallVector<StringRef> args = {program,    "-shared",  "-o",
                                 outputPath, objectPath, "-lm"};
  // Multi-threaded kernels call the OpenMP runtime (LLVM's libomp).
  if (openmp)
    args.append(
        {"-L" CW_OPENMP_LIB_DIR, "-Wl,-rpath," CW_OPENMP_LIB_DIR, "-lomp"});
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(program, args, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0) {
    error = "linking '" + outputPath.str() + "' with " + program + " failed" +
            (message.empty() ? " (exit code " + std::to_string(rc) + ")"
                             : ": " + message);
    return failure();
  }
  return success();
}

} // namespace cw

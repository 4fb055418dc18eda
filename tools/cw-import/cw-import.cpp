//===- cw-import.cpp - ONNX to TOSA importer tool -------------------------===//
//
// Part of the cw project.
//
//===----------------------------------------------------------------------===//
//
//   cw-import model.onnx -o model.mlir [--emit-bytecode]
//
// Prints `error: ...` and exits 1 on failure.
//
//===----------------------------------------------------------------------===//

#include "cw/Import/OnnxImporter.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::OptionCategory category("cw-import options");

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.onnx>"),
                                      cl::cat(category));
static cl::opt<std::string> outputFile("o",
                                       cl::desc("Output file ('-' = stdout)"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(category));
static cl::opt<bool> emitBytecode("emit-bytecode",
                                  cl::desc("Write MLIR bytecode"),
                                  cl::init(false), cl::cat(category));
static cl::opt<std::string> funcName("func-name",
                                     cl::desc("Name of the entry function"),
                                     cl::init("forward"), cl::cat(category));
static cl::opt<int64_t>
    dimDefault("dim-default",
               cl::desc("Value for symbolic/unknown input dimensions"),
               cl::init(1), cl::cat(category));

int main(int argc, char **argv) {
  InitLLVM y(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  cl::HideUnrelatedOptions({&category});
  cl::ParseCommandLineOptions(argc, argv, "cw ONNX -> TOSA importer\n");

  if (dimDefault < 1) {
    errs() << "error: --dim-default must be positive\n";
    return 1;
  }
  auto buffer = MemoryBuffer::getFileOrSTDIN(inputFile, /*IsText=*/false);
  if (std::error_code ec = buffer.getError()) {
    errs() << "error: cannot read '" << inputFile << "': " << ec.message()
           << "\n";
    return 1;
  }

  mlir::DialectRegistry registry;
  cw::registerImportDialects(registry);
  mlir::MLIRContext context(registry);

  cw::ImportOptions options;
  options.sourceName =
      inputFile == "-" ? "<stdin>" : sys::path::filename(inputFile).str();
  options.funcName = funcName;
  options.defaultDimValue = dimDefault;
  auto module =
      cw::importOnnxModel((*buffer)->getBuffer(), context, options, errs());
  if (mlir::failed(module))
    return 1;

  std::string err;
  auto out = mlir::openOutputFile(outputFile, &err);
  if (!out) {
    errs() << "error: " << err << "\n";
    return 1;
  }
  if (emitBytecode) {
    if (mlir::failed(mlir::writeBytecodeToFile(module->get(), out->os()))) {
      errs() << "error: failed to write bytecode\n";
      return 1;
    }
  } else {
    module->get()->print(out->os(), mlir::OpPrintingFlags());
  }
  out->keep();
  return 0;
}

//===- Passes.td - cw conversion passes ----------------------*- tablegen -*-===//
#ifndef CW_CONVERSION_PASSES_TD
#define CW_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertCWToLoops : Pass<"convert-cw-to-loops", "::mlir::ModuleOp"> {
  let summary = "Lower cw ops to fused decode-multiply loops over read-only blobs";
  let description = [{
    Every `cw.matmul`, `cw.conv2d` and `cw.decode` becomes a call to a
    private kernel function generated for that layer: scf/arith/memref loops
    that walk the encoded stream (sizes, codebook and decode tables are
    compile-time constants, the payload a `memref.global constant`) and
    multiply each weight as soon as it is decoded. Batch > 1 decodes each
    weight once and uses it for every input row. Each encoding supplies its
    decode loops through the DecodeLoweringAttrInterface.
    Run before bufferization: the kernels take memrefs, the call sites use
    bufferization.to_buffer / to_tensor.
  }];
  let options = [
    Option<"interleave", "interleave", "unsigned", /*default=*/"4",
           "Independent streams (row groups) a decoder may decode in one "
           "loop to hide the latency of its serial bit-stream walk (1: none; "
           "at most 64)">,
    Option<"threads", "threads", "unsigned", /*default=*/"1",
           "Threads a decoder may split a layer over: an scf.parallel over "
           "groups of streams (lower it with convert-scf-to-openmp; at most "
           "1024)">,
    Option<"simd", "simd", "std::string", /*default=*/"\"generic\"",
           "Vector instructions beyond the portable vector dialect: generic "
           "(none) or avx512vbmi (AVX-512 VBMI/VBMI2 byte permutes as "
           "register lookup tables; cw-compile picks it when the target has "
           "them)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect", "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def LowerPermute : Pass<"cw-lower-permute"> {
  let summary = "Lower cw.permute to the AVX-512 permute intrinsics";
  let description = [{
    Rewrites every `cw.permute` (a lookup in a table held in two vector
    registers, emitted by convert-cw-to-loops{simd=avx512vbmi}) as
    `llvm.call_intrinsic` of `llvm.x86.avx512.vpermi2var.qi.512` (byte
    tables, VBMI) or `llvm.x86.avx512.vpermi2var.ps.512` (f32 tables). Run it
    after bufferization and buffer deallocation, which do not accept the
    intrinsic call (it has no declared memory effects), and before
    convert-to-llvm; the code then needs a CPU with those instructions.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def MemrefCopyToLinalg : Pass<"cw-memref-copy-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy (loops, no runtime call)";
  let description = [{
    Bufferization writes padded and sliced tensors with `memref.copy`, which
    convert-to-llvm lowers to a call to `memrefCopy` of MLIR's runner-utils
    library whenever a side is strided. cw's objects must link with nothing
    but libm, so this rewrites every `memref.copy` as `linalg.copy`, which
    convert-linalg-to-loops then turns into plain loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // CW_CONVERSION_PASSES_TD

//===- LowerPermute.cpp - cw.permute as AVX-512 permute intrinsics --------===//

#include "cw/Conversion/Passes.h"
#include "cw/Dialect/CW/CWOps.h"

namespace cw {
#define GEN_PASS_DEF_LOWERPERMUTE
#include "cw/Conversion/Passes.h.inc"
} // namespace cw

using namespace mlir;

namespace {
struct LowerPermute : public ::cw::impl::LowerPermuteBase<LowerPermute> {
  void runOnOperation() override {
    SmallVector<mlir::cw::PermuteOp> ops;
    getOperation()->walk([&](mlir::cw::PermuteOp op) { ops.push_back(op); });
    for (mlir::cw::PermuteOp op : ops) {
      OpBuilder b(op);
      // The verifier admits the two forms AVX-512 has instructions for.
      StringRef intrinsic =
          llvm::cast<VectorType>(op.getLow().getType()).getElementType().isF32()
              ? "llvm.x86.avx512.vpermi2var.ps.512"
              : "llvm.x86.avx512.vpermi2var.qi.512";
      auto call = LLVM::CallIntrinsicOp::create(
          b, op.getLoc(), op.getType(), b.getStringAttr(intrinsic),
          ValueRange{op.getLow(), op.getIndices(), op.getHigh()});
      op.replaceAllUsesWith(call.getResult(0));
      op.erase();
    }
  }
};
} // namespace

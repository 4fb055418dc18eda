//===- MemrefCopyToLinalg.cpp - memref.copy as linalg.copy ----------------===//

#include "cw/Conversion/Passes.h"

namespace cw {
#define GEN_PASS_DEF_MEMREFCOPYTOLINALG
#include "cw/Conversion/Passes.h.inc"
} // namespace cw

using namespace mlir;

namespace {
struct MemrefCopyToLinalg
    : public ::cw::impl::MemrefCopyToLinalgBase<MemrefCopyToLinalg> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp op) { copies.push_back(op); });
    for (memref::CopyOp op : copies) {
      OpBuilder b(op);
      linalg::CopyOp::create(b, op.getLoc(), op.getSource(), op.getTarget());
      op.erase();
    }
  }
};
} // namespace

//===- DenseDecoder.cpp - Decode loops for #cw.dense ----------------------===//
//
// Every position's cluster index sits at bit (row * cols + col) * b of the
// payload (DenseCodec.h). The loops read each index with one peek and
// multiply through the codebook table without a branch (index 0 looks up
// 0.0), which keeps the inner loop straight-line.
//
//===----------------------------------------------------------------------===//

#include "Decoders.h"
#include "cw/Codec/DenseCodec.h"
#include "cw/Conversion/DecodeEmitter.h"
#include "cw/Dialect/CW/CWAttrs.h"
#include "cw/Dialect/CW/CWLoweringInterface.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::cw;

namespace {
struct DenseDecoder
    : public DecodeLoweringAttrInterface::ExternalModel<DenseDecoder,
                                                        DenseEncodingAttr> {
  LogicalResult emitDecodeLoops(Attribute, DecodeEmitter &e) const {
    ArrayRef<uint8_t> blob = e.getBlob();
    auto decoded = ::cw::codec::decodeDenseMatrix(blob.data(), blob.size());
    if (!decoded)
      return e.emitError() << decoded.message();
    unsigned bits = ::cw::codec::denseIndexBits(e.getCodebook().size());
    OpBuilder &b = e.getBuilder();
    Location loc = e.getLoc();
    Value words = e.getWordTable(
        b, loc, "payload", blob.drop_front(::cw::codec::kDenseHeaderBytes));
    int64_t rows = e.getRows(), cols = e.getCols();
    Value c0 = e.constIndex(b, loc, 0), c1 = e.constIndex(b, loc, 1);
    scf::ForOp::create(
        b, loc, c0, e.constIndex(b, loc, rows), c1, ValueRange{},
        [&](OpBuilder &rb, Location rl, Value row, ValueRange) {
          e.beginRow(rb, rl, row);
          Value rowBase = arith::MulIOp::create(
              rb, rl, e.toI64(rb, rl, row), e.constI64(rb, rl, cols * bits));
          scf::ForOp::create(
              rb, rl, c0, e.constIndex(rb, rl, cols), c1, ValueRange{},
              [&](OpBuilder &cb, Location cl, Value col, ValueRange) {
                Value pos = arith::AddIOp::create(
                    cb, cl, rowBase,
                    arith::MulIOp::create(cb, cl, e.toI64(cb, cl, col),
                                          e.constI64(cb, cl, bits)));
                Value index = e.peekBits(cb, cl, words, pos, bits);
                e.visitCluster(cb, cl, row, col, index);
                scf::YieldOp::create(cb, cl);
              });
          e.endRow(rb, rl, row);
          scf::YieldOp::create(rb, rl);
        });
    return success();
  }
};
} // namespace

void ::cw::attachDenseDecoder(MLIRContext *ctx) {
  DenseEncodingAttr::attachInterface<DenseDecoder>(*ctx);
}

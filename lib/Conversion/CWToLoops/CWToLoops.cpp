//===- CWToLoops.cpp - cw ops to fused decode-multiply loops --------------===//
//
// Each cw.matmul / cw.conv2d / cw.decode becomes a call to a private kernel
// generated for its layer. The kernel's loops come from the weight's encoding
// (DecodeLoweringAttrInterface); the consumer classes below turn every
// decoded weight into the multiply-accumulate (or store) of the op.
//
//===----------------------------------------------------------------------===//

#include "cw/Conversion/DecodeEmitter.h"
#include "cw/Conversion/Passes.h"
#include "cw/Dialect/CW/CWLoweringInterface.h"
#include "cw/Dialect/CW/CWOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/SymbolTable.h"

namespace cw {
#define GEN_PASS_DEF_CONVERTCWTOLOOPS
#include "cw/Conversion/Passes.h.inc"
} // namespace cw

using namespace mlir;
using namespace mlir::cw;

namespace {

Value cIdx(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// Emits `body(iv)` for iv in [0, n): inline when n == 1, else an scf.for.
void forRange(OpBuilder &b, Location loc, int64_t n,
              function_ref<void(OpBuilder &, Location, Value)> body) {
  if (n == 1) {
    body(b, loc, cIdx(b, loc, 0));
    return;
  }
  scf::ForOp::create(b, loc, cIdx(b, loc, 0), cIdx(b, loc, n), cIdx(b, loc, 1),
                     ValueRange{},
                     [&](OpBuilder &nb, Location nl, Value iv, ValueRange) {
                       body(nb, nl, iv);
                       scf::YieldOp::create(nb, nl);
                     });
}

/// y[m, row] = sum over the row's weights of x[m, col] * w, for every input
/// row m: each weight is decoded once and used M times.
class MatmulConsumer : public WeightConsumer {
public:
  MatmulConsumer(Value x, Value y, int64_t m) : x(x), y(y), m(m) {}

  // The per-weight path (decoders without the accumulator protocol). At
  // batch 2..kMaxVectorBatch the row's M sums are one vector in a stack slot
  // (SROA keeps it in registers), read from the transposed input, and zero
  // weights are skipped: a zero costs a branch instead of M multiply-adds.
  void setUp(OpBuilder &b, Location loc) override {
    if (vectorBatch())
      transposeInput(b, loc);
    entry = b.getInsertionBlock();
    acc =
        memref::AllocaOp::create(b, loc, MemRefType::get({m}, b.getF32Type()));
  }
  // Each thread takes its own slot, a cache line apart, of a function-scope
  // buffer: one slot written by every thread would be a data race, and its
  // line would bounce between the cores. (An alloca in the parallel body
  // would not survive convert-scf-to-openmp's alloca scope.)
  void beginThread(OpBuilder &b, Location loc, Value thread,
                   unsigned threads) override {
    const int64_t stride = llvm::alignTo(m, 16);
    Value slots;
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(entry);
      slots = memref::AllocaOp::create(
          b, loc, MemRefType::get({stride * threads}, b.getF32Type()),
          b.getI64IntegerAttr(64));
    }
    Value offset = arith::MulIOp::create(b, loc, thread, cIdx(b, loc, stride));
    sharedAcc = acc;
    acc =
        memref::SubViewOp::create(b, loc, slots, ArrayRef<OpFoldResult>{offset},
                                  ArrayRef<OpFoldResult>{b.getIndexAttr(m)},
                                  ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  }
  void endThread() override { acc = sharedAcc; }
  void beginRow(OpBuilder &b, Location loc, Value) override {
    if (vectorBatch()) {
      vector::StoreOp::create(b, loc, zeroAccumulator(b, loc), acc,
                              ValueRange{cIdx(b, loc, 0)});
      return;
    }
    Value zero =
        arith::ConstantFloatOp::create(b, loc, b.getF32Type(), APFloat(0.0f));
    forRange(b, loc, m, [&](OpBuilder &nb, Location nl, Value i) {
      memref::StoreOp::create(nb, nl, zero, acc, ValueRange{i});
    });
  }
  void visit(OpBuilder &b, Location loc, Value, Value col, Value w) override {
    if (vectorBatch()) {
      Value zero =
          arith::ConstantFloatOp::create(b, loc, b.getF32Type(), APFloat(0.0f));
      Value nonzero =
          arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, w, zero);
      auto ifOp = scf::IfOp::create(b, loc, nonzero, /*withElseRegion=*/false);
      OpBuilder tb = ifOp.getThenBodyBuilder();
      Value c0 = cIdx(tb, loc, 0);
      auto vt = VectorType::get({m}, tb.getF32Type());
      Value a = vector::LoadOp::create(tb, loc, vt, acc, ValueRange{c0});
      vector::StoreOp::create(tb, loc, accumulate(tb, loc, a, col, w), acc,
                              ValueRange{c0});
      return;
    }
    forRange(b, loc, m, [&](OpBuilder &nb, Location nl, Value i) {
      Value xv = memref::LoadOp::create(nb, nl, x, ValueRange{i, col});
      Value a = memref::LoadOp::create(nb, nl, acc, ValueRange{i});
      Value prod = arith::MulFOp::create(nb, nl, xv, w);
      Value sum = arith::AddFOp::create(nb, nl, a, prod);
      memref::StoreOp::create(nb, nl, sum, acc, ValueRange{i});
    });
  }
  void endRow(OpBuilder &b, Location loc, Value row) override {
    if (vectorBatch()) {
      auto vt = VectorType::get({m}, b.getF32Type());
      storeAccumulator(
          b, loc, row,
          vector::LoadOp::create(b, loc, vt, acc, ValueRange{cIdx(b, loc, 0)}));
      return;
    }
    forRange(b, loc, m, [&](OpBuilder &nb, Location nl, Value i) {
      Value a = memref::LoadOp::create(nb, nl, acc, ValueRange{i});
      memref::StoreOp::create(nb, nl, a, y, ValueRange{i, row});
    });
  }

  // Register accumulation: one f32 per row at batch 1; a vector of the M
  // batch items otherwise, read from a transposed copy of x so that the M
  // inputs of a column are contiguous.
  Type getAccumulatorType(OpBuilder &b) override {
    if (m == 1)
      return b.getF32Type();
    if (m <= kMaxVectorBatch)
      return VectorType::get({m}, b.getF32Type());
    return {};
  }
  void zeroOutput(OpBuilder &b, Location loc) override {
    Value zero =
        arith::ConstantFloatOp::create(b, loc, b.getF32Type(), APFloat(0.0f));
    linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{y});
    if (m > 1 && !xT)
      transposeInput(b, loc);
  }
  Value zeroAccumulator(OpBuilder &b, Location loc) override {
    Type t = getAccumulatorType(b);
    return arith::ConstantOp::create(b, loc, t, b.getZeroAttr(t));
  }
  Value accumulate(OpBuilder &b, Location loc, Value acc, Value col,
                   Value w) override {
    Value c0 = cIdx(b, loc, 0);
    if (m == 1) {
      Value xv = memref::LoadOp::create(b, loc, x, ValueRange{c0, col});
      return arith::AddFOp::create(b, loc, acc,
                                   arith::MulFOp::create(b, loc, xv, w));
    }
    auto vt = llvm::cast<VectorType>(acc.getType());
    Value xv = vector::LoadOp::create(b, loc, vt, xT, ValueRange{col, c0});
    Value wv = vector::BroadcastOp::create(b, loc, vt, w);
    return arith::AddFOp::create(b, loc, acc,
                                 arith::MulFOp::create(b, loc, xv, wv));
  }
  bool supportsLanes() override { return m == 1; }
  Value gatherInputs(OpBuilder &b, Location loc, Value cols,
                     Value mask) override {
    auto vt = VectorType::get(llvm::cast<VectorType>(cols.getType()).getShape(),
                              b.getF32Type());
    Value zero = arith::ConstantOp::create(b, loc, vt, b.getZeroAttr(vt));
    Value c0 = cIdx(b, loc, 0);
    return vector::GatherOp::create(b, loc, vt, x, ValueRange{c0, c0}, cols,
                                    mask, zero);
  }
  void storeLanes(OpBuilder &b, Location loc, Value firstRow, Value sums,
                  Value mask) override {
    vector::MaskedStoreOp::create(
        b, loc, y, ValueRange{cIdx(b, loc, 0), firstRow}, mask, sums);
  }
  void storeAccumulator(OpBuilder &b, Location loc, Value row,
                        Value acc) override {
    if (m == 1) {
      memref::StoreOp::create(b, loc, acc, y, ValueRange{cIdx(b, loc, 0), row});
      return;
    }
    for (int64_t i = 0; i < m; ++i) {
      Value v = vector::ExtractOp::create(b, loc, acc, ArrayRef<int64_t>{i});
      memref::StoreOp::create(b, loc, v, y, ValueRange{cIdx(b, loc, i), row});
    }
  }

private:
  static constexpr int64_t kMaxVectorBatch = 64;
  bool vectorBatch() const { return m > 1 && m <= kMaxVectorBatch; }
  /// xT[col, i] = x[i, col], so that the M inputs of a column are contiguous.
  void transposeInput(OpBuilder &b, Location loc) {
    int64_t k = llvm::cast<MemRefType>(x.getType()).getShape()[1];
    // Freed by the buffer-deallocation pipeline.
    xT = memref::AllocOp::create(b, loc,
                                 MemRefType::get({k, m}, b.getF32Type()));
    forRange(b, loc, k, [&](OpBuilder &b1, Location l1, Value col) {
      forRange(b1, l1, m, [&](OpBuilder &b2, Location l2, Value i) {
        Value v = memref::LoadOp::create(b2, l2, x, ValueRange{i, col});
        memref::StoreOp::create(b2, l2, v, xT, ValueRange{col, i});
      });
    });
  }
  Value x, y, acc, sharedAcc, xT;
  Block *entry = nullptr;
  int64_t m;
};

/// out[row, col] = w (out is zero-filled first).
class DecodeConsumer : public WeightConsumer {
public:
  explicit DecodeConsumer(Value out) : out(out) {}
  void setUp(OpBuilder &b, Location loc) override {
    Value zero =
        arith::ConstantFloatOp::create(b, loc, b.getF32Type(), APFloat(0.0f));
    linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{out});
  }
  void beginRow(OpBuilder &, Location, Value) override {}
  void visit(OpBuilder &b, Location loc, Value row, Value col,
             Value w) override {
    memref::StoreOp::create(b, loc, w, out, ValueRange{row, col});
  }
  void endRow(OpBuilder &, Location, Value) override {}

private:
  Value out;
};

/// NHWC convolution: every decoded weight (oc, kh, kw, ic) is applied to
/// every output pixel. The input is zero-padded once into a scratch buffer.
class Conv2DConsumer : public WeightConsumer {
public:
  Conv2DConsumer(Value x, Value bias, Value y, ArrayRef<int64_t> inShape,
                 ArrayRef<int64_t> wShape, ArrayRef<int64_t> outShape,
                 ArrayRef<int64_t> pad, ArrayRef<int64_t> stride,
                 ArrayRef<int64_t> dilation)
      : x(x), bias(bias), y(y), in(inShape), w(wShape), out(outShape), pad(pad),
        stride(stride), dilation(dilation) {}

  void setUp(OpBuilder &b, Location loc) override {
    bool padded = llvm::any_of(pad, [](int64_t p) { return p != 0; });
    xp = x;
    if (padded) {
      auto type = MemRefType::get(
          {in[0], in[1] + pad[0] + pad[1], in[2] + pad[2] + pad[3], in[3]},
          b.getF32Type());
      xp = memref::AllocOp::create(b, loc, type);
      Value zero =
          arith::ConstantFloatOp::create(b, loc, b.getF32Type(), APFloat(0.0f));
      linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{xp});
      // Copy x into the interior with loops (memref.copy of a strided
      // view would need the runner-utils library at run time).
      forRange(b, loc, in[0], [&](OpBuilder &b1, Location l1, Value n) {
        forRange(b1, l1, in[1], [&](OpBuilder &b2, Location l2, Value h) {
          Value ph = arith::AddIOp::create(b2, l2, h, cIdx(b2, l2, pad[0]));
          forRange(b2, l2, in[2], [&](OpBuilder &b3, Location l3, Value wi) {
            Value pw = arith::AddIOp::create(b3, l3, wi, cIdx(b3, l3, pad[2]));
            forRange(b3, l3, in[3], [&](OpBuilder &b4, Location l4, Value c) {
              Value v =
                  memref::LoadOp::create(b4, l4, x, ValueRange{n, h, wi, c});
              memref::StoreOp::create(b4, l4, v, xp, ValueRange{n, ph, pw, c});
            });
          });
        });
      });
    }
    // y = bias broadcast over pixels.
    int64_t biasSize = llvm::cast<MemRefType>(bias.getType()).getShape()[0];
    forRange(
        b, loc, out[0] * out[1] * out[2],
        [&](OpBuilder &b1, Location l1, Value p) {
          Value n =
              arith::DivUIOp::create(b1, l1, p, cIdx(b1, l1, out[1] * out[2]));
          Value rem =
              arith::RemUIOp::create(b1, l1, p, cIdx(b1, l1, out[1] * out[2]));
          Value oh = arith::DivUIOp::create(b1, l1, rem, cIdx(b1, l1, out[2]));
          Value ow = arith::RemUIOp::create(b1, l1, rem, cIdx(b1, l1, out[2]));
          forRange(b1, l1, out[3], [&](OpBuilder &b2, Location l2, Value oc) {
            Value bi = biasSize == 1 ? cIdx(b2, l2, 0) : oc;
            Value v = memref::LoadOp::create(b2, l2, bias, ValueRange{bi});
            memref::StoreOp::create(b2, l2, v, y, ValueRange{n, oh, ow, oc});
          });
        });
  }
  void beginRow(OpBuilder &, Location, Value) override {}
  void visit(OpBuilder &b, Location loc, Value oc, Value col,
             Value wv) override {
    Value kwic = cIdx(b, loc, w[2] * w[3]);
    Value kh = arith::DivUIOp::create(b, loc, col, kwic);
    Value rem = arith::RemUIOp::create(b, loc, col, kwic);
    Value kw = arith::DivUIOp::create(b, loc, rem, cIdx(b, loc, w[3]));
    Value ic = arith::RemUIOp::create(b, loc, rem, cIdx(b, loc, w[3]));
    Value rowOff = arith::MulIOp::create(b, loc, kh, cIdx(b, loc, dilation[0]));
    Value colOff = arith::MulIOp::create(b, loc, kw, cIdx(b, loc, dilation[1]));
    forRange(b, loc, out[0], [&](OpBuilder &b1, Location l1, Value n) {
      forRange(b1, l1, out[1], [&](OpBuilder &b2, Location l2, Value oh) {
        Value ih = arith::AddIOp::create(
            b2, l2, arith::MulIOp::create(b2, l2, oh, cIdx(b2, l2, stride[0])),
            rowOff);
        forRange(b2, l2, out[2], [&](OpBuilder &b3, Location l3, Value ow) {
          Value iw = arith::AddIOp::create(
              b3, l3,
              arith::MulIOp::create(b3, l3, ow, cIdx(b3, l3, stride[1])),
              colOff);
          Value xv =
              memref::LoadOp::create(b3, l3, xp, ValueRange{n, ih, iw, ic});
          Value acc =
              memref::LoadOp::create(b3, l3, y, ValueRange{n, oh, ow, oc});
          Value sum = arith::AddFOp::create(
              b3, l3, acc, arith::MulFOp::create(b3, l3, xv, wv));
          memref::StoreOp::create(b3, l3, sum, y, ValueRange{n, oh, ow, oc});
        });
      });
    });
  }
  void endRow(OpBuilder &, Location, Value) override {}

private:
  Value x, bias, y, xp; // xp: freed by the buffer-deallocation pipeline
  SmallVector<int64_t> in, w, out, pad, stride, dilation;
};

std::string sanitize(StringRef name) {
  std::string s;
  for (char c : name)
    s.push_back(llvm::isAlnum(c) ? c : '_');
  return s;
}

struct ConvertCWToLoops
    : public ::cw::impl::ConvertCWToLoopsBase<ConvertCWToLoops> {
  using ConvertCWToLoopsBase::ConvertCWToLoopsBase;
  void runOnOperation() override;

  /// Generates the kernel `name(args...)` whose body decodes `weights` into
  /// `consumer` (built from the kernel's block arguments by `makeConsumer`).
  LogicalResult buildKernel(
      WeightsOp weights, Operation *user, StringRef kind, TypeRange argTypes,
      function_ref<std::unique_ptr<WeightConsumer>(ValueRange)> makeConsumer,
      func::FuncOp &kernel);

  unsigned counter = 0;
};

LogicalResult ConvertCWToLoops::buildKernel(
    WeightsOp weights, Operation *user, StringRef kind, TypeRange argTypes,
    function_ref<std::unique_ptr<WeightConsumer>(ValueRange)> makeConsumer,
    func::FuncOp &kernel) {
  ModuleOp module = getOperation();
  Location loc = user->getLoc();
  auto type = weights.getResult().getType();
  FailureOr<ArrayRef<uint8_t>> blob = weights.getBlob();
  if (failed(blob))
    return user->emitError("cannot lower: the weight blob of ")
           << type << " is not available (elided resource?)";
  auto lowering =
      llvm::dyn_cast<DecodeLoweringAttrInterface>(type.getEncoding());
  if (!lowering)
    return user->emitError("cannot lower: encoding ")
           << type.getEncoding() << " has no decode lowering registered";

  std::string layer = weights.getName() ? sanitize(*weights.getName())
                                        : "w" + std::to_string(counter);
  std::string prefix = "cw_" + layer + "_" + std::to_string(counter++);
  OpBuilder b(module.getBody(), module.getBody()->end());
  auto fnType = b.getFunctionType(argTypes, {});
  kernel = func::FuncOp::create(b, loc, prefix + "_" + kind.str(), fnType);
  kernel.setPrivate();
  Block *entry = kernel.addEntryBlock();
  b.setInsertionPointToStart(entry);
  std::unique_ptr<WeightConsumer> consumer =
      makeConsumer(entry->getArguments());
  consumer->setUp(b, loc);
  std::vector<float> codebook = weights.getCodebookValues();
  auto [rows, cols] = matrixDims(type.getShape());
  DecodeEmitter emitter(b, loc, module, prefix, *blob, codebook, rows, cols,
                        *consumer);
  emitter.setInterleave(interleave);
  emitter.setThreads(threads);
  emitter.setSimd(simd == "avx512vbmi" ? SimdLevel::AVX512VBMI
                                       : SimdLevel::Generic);
  if (failed(lowering.emitDecodeLoops(emitter)))
    return failure();
  consumer->tearDown(b, loc);
  func::ReturnOp::create(b, loc);
  return success();
}

Value toBuffer(OpBuilder &b, Location loc, Value tensor) {
  auto t = llvm::cast<RankedTensorType>(tensor.getType());
  auto type = MemRefType::get(t.getShape(), t.getElementType());
  return bufferization::ToBufferOp::create(b, loc, type, tensor,
                                           /*read_only=*/true);
}

Value toTensor(OpBuilder &b, Location loc, Value buffer) {
  auto m = llvm::cast<MemRefType>(buffer.getType());
  auto type = RankedTensorType::get(m.getShape(), m.getElementType());
  return bufferization::ToTensorOp::create(b, loc, type, buffer,
                                           /*restrict=*/true,
                                           /*writable=*/true);
}

void ConvertCWToLoops::runOnOperation() {
  ModuleOp module = getOperation();
  // Every lane is unrolled into the loop body and every thread group gets a
  // row of the lane table: bound both, so a stray value cannot blow up the
  // kernels instead of failing.
  constexpr unsigned kMaxInterleave = 64, kMaxThreads = 1024;
  if (interleave < 1 || interleave > kMaxInterleave) {
    emitError(module.getLoc())
        << "convert-cw-to-loops: interleave must be in [1, " << kMaxInterleave
        << "], got " << unsigned(interleave);
    return signalPassFailure();
  }
  if (threads < 1 || threads > kMaxThreads) {
    emitError(module.getLoc()) << "convert-cw-to-loops: threads must be in [1, "
                               << kMaxThreads << "], got " << unsigned(threads);
    return signalPassFailure();
  }
  if (simd != "generic" && simd != "avx512vbmi") {
    emitError(module.getLoc())
        << "convert-cw-to-loops: simd must be generic or avx512vbmi, got '"
        << simd << "'";
    return signalPassFailure();
  }
  SmallVector<Operation *> work;
  module.walk([&](Operation *op) {
    if (isa<MatmulOp, Conv2DOp, DecodeOp>(op))
      work.push_back(op);
  });

  for (Operation *op : work) {
    OpBuilder b(op);
    Location loc = op->getLoc();
    Type f32 = b.getF32Type();
    if (auto mm = dyn_cast<MatmulOp>(op)) {
      auto weights = mm.getWeights().getDefiningOp<WeightsOp>();
      if (!weights) {
        mm.emitError("cannot lower: weights must come from cw.weights");
        return signalPassFailure();
      }
      auto inType = llvm::cast<RankedTensorType>(mm.getInput().getType());
      if (!inType.hasStaticShape()) {
        mm.emitError("cannot lower: cw.matmul needs static shapes");
        return signalPassFailure();
      }
      ArrayRef<int64_t> ws = weights.getResult().getType().getShape();
      int64_t k = ws[1], n = ws[0];
      int64_t m = 1;
      for (int64_t d : inType.getShape().drop_back())
        m *= d;
      auto xType = MemRefType::get({m, k}, f32);
      auto yType = MemRefType::get({m, n}, f32);
      func::FuncOp kernel;
      if (failed(buildKernel(
              weights, op, "matmul", {xType, yType},
              [&](ValueRange args) {
                return std::make_unique<MatmulConsumer>(args[0], args[1], m);
              },
              kernel)))
        return signalPassFailure();
      Value x = mm.getInput();
      if (inType.getRank() == 3)
        x = tensor::CollapseShapeOp::create(
            b, loc, RankedTensorType::get({m, k}, f32), x,
            ArrayRef<ReassociationIndices>{{0, 1}, {2}});
      Value xb = toBuffer(b, loc, x);
      Value yb = memref::AllocOp::create(b, loc, yType);
      func::CallOp::create(b, loc, kernel, ValueRange{xb, yb});
      Value y = toTensor(b, loc, yb);
      if (inType.getRank() == 3)
        y = tensor::ExpandShapeOp::create(
            b, loc, mm.getResult().getType(), y,
            ArrayRef<ReassociationIndices>{{0, 1}, {2}});
      mm.replaceAllUsesWith(y);
      mm.erase();
      continue;
    }
    if (auto conv = dyn_cast<Conv2DOp>(op)) {
      auto weights = conv.getWeights().getDefiningOp<WeightsOp>();
      if (!weights) {
        conv.emitError("cannot lower: weights must come from cw.weights");
        return signalPassFailure();
      }
      auto inType = llvm::cast<RankedTensorType>(conv.getInput().getType());
      auto outType = llvm::cast<RankedTensorType>(conv.getResult().getType());
      auto biasType = llvm::cast<RankedTensorType>(conv.getBias().getType());
      if (!inType.hasStaticShape() || !outType.hasStaticShape()) {
        conv.emitError("cannot lower: cw.conv2d needs static shapes");
        return signalPassFailure();
      }
      ArrayRef<int64_t> ws = weights.getResult().getType().getShape();
      auto xType = MemRefType::get(inType.getShape(), f32);
      auto bType = MemRefType::get(biasType.getShape(), f32);
      auto yType = MemRefType::get(outType.getShape(), f32);
      SmallVector<int64_t> pad(conv.getPad()), stride(conv.getStride()),
          dil(conv.getDilation());
      SmallVector<int64_t> inShape(inType.getShape()),
          outShape(outType.getShape()), wShape(ws);
      func::FuncOp kernel;
      if (failed(buildKernel(
              weights, op, "conv2d", {xType, bType, yType},
              [&](ValueRange args) {
                auto c = std::make_unique<Conv2DConsumer>(
                    args[0], args[1], args[2], inShape, wShape, outShape, pad,
                    stride, dil);
                return c;
              },
              kernel)))
        return signalPassFailure();
      Value xb = toBuffer(b, loc, conv.getInput());
      Value bb = toBuffer(b, loc, conv.getBias());
      Value yb = memref::AllocOp::create(b, loc, yType);
      func::CallOp::create(b, loc, kernel, ValueRange{xb, bb, yb});
      conv.replaceAllUsesWith(toTensor(b, loc, yb));
      conv.erase();
      continue;
    }
    auto decode = cast<DecodeOp>(op);
    auto weights = decode.getWeights().getDefiningOp<WeightsOp>();
    if (!weights) {
      decode.emitError("cannot lower: weights must come from cw.weights");
      return signalPassFailure();
    }
    auto type = weights.getResult().getType();
    auto dims = matrixDims(type.getShape());
    int64_t rows = int64_t(dims.first), cols = int64_t(dims.second);
    auto outType = MemRefType::get({rows, cols}, f32);
    func::FuncOp kernel;
    if (failed(buildKernel(
            weights, op, "decode", {outType},
            [&](ValueRange args) {
              return std::make_unique<DecodeConsumer>(args[0]);
            },
            kernel)))
      return signalPassFailure();
    Value ob = memref::AllocOp::create(b, loc, outType);
    func::CallOp::create(b, loc, kernel, ValueRange{ob});
    Value t = toTensor(b, loc, ob);
    auto resultType = decode.getResult().getType();
    if (resultType.getShape() != ArrayRef<int64_t>{rows, cols}) {
      Value flat = tensor::CollapseShapeOp::create(
          b, loc, RankedTensorType::get({rows * cols}, f32), t,
          ArrayRef<ReassociationIndices>{{0, 1}});
      ReassociationIndices all;
      for (int64_t i = 0; i < resultType.getRank(); ++i)
        all.push_back(i);
      t = resultType.getRank() == 1 ? flat
                                    : tensor::ExpandShapeOp::create(
                                          b, loc, resultType, flat,
                                          ArrayRef<ReassociationIndices>{all})
                                          .getResult();
    }
    decode.replaceAllUsesWith(t);
    decode.erase();
  }

  // The encoded weights now live in the kernels' globals.
  module.walk([](WeightsOp w) {
    if (w->use_empty())
      w.erase();
  });
}

} // namespace

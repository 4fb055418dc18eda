//===- OnnxImporter.cpp - ONNX to TOSA importer ---------------------------===//
//
// Part of the cw project.
//
//===----------------------------------------------------------------------===//
//
// The importer walks the (topologically sorted) ONNX graph once. Runtime
// values live in `values`; compile-time constants (initializers, Constant
// nodes, folded shape computations) live on the host in `consts` and are
// materialized as `tosa.const` only when a runtime op consumes them. This
// lets shape operands (Reshape) stay host data and lets convolution weights
// be pre-transposed to TOSA's layout at import time.
//
// All shapes are static: symbolic graph input dimensions are replaced by
// ImportOptions::defaultDimValue.
//
//===----------------------------------------------------------------------===//

#include "cw/Import/OnnxImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MathExtras.h"

#include <onnx/onnx_pb.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

using namespace mlir;

namespace cw {
namespace {

using Shape = SmallVector<int64_t, 4>;

/// Upper bound on the number of elements of any tensor we accept.
constexpr int64_t kMaxElements = int64_t(1) << 36;
/// Bound on a constant the importer computes itself (Gather of constants).
constexpr int64_t kMaxFoldedElements = int64_t(1) << 26;
/// Bound on window attributes (kernel, strides, dilations, pads), so the
/// output-size arithmetic cannot overflow.
constexpr int64_t kMaxWindowParam = int64_t(1) << 20;

std::string shapeStr(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (i)
      s += "x";
    s += std::to_string(d);
  }
  return s;
}

/// Returns the element count or std::nullopt on a negative dimension or
/// overflow.
std::optional<int64_t> numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return std::nullopt;
    if (d != 0 && n > kMaxElements / d)
      return std::nullopt;
    n *= d;
  }
  return n;
}

int64_t product(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

const char *dataTypeName(int32_t t) {
  switch (t) {
  case onnx::TensorProto::FLOAT:
    return "FLOAT";
  case onnx::TensorProto::UINT8:
    return "UINT8";
  case onnx::TensorProto::INT8:
    return "INT8";
  case onnx::TensorProto::UINT16:
    return "UINT16";
  case onnx::TensorProto::INT16:
    return "INT16";
  case onnx::TensorProto::INT32:
    return "INT32";
  case onnx::TensorProto::INT64:
    return "INT64";
  case onnx::TensorProto::STRING:
    return "STRING";
  case onnx::TensorProto::BOOL:
    return "BOOL";
  case onnx::TensorProto::FLOAT16:
    return "FLOAT16";
  case onnx::TensorProto::DOUBLE:
    return "DOUBLE";
  case onnx::TensorProto::UINT32:
    return "UINT32";
  case onnx::TensorProto::UINT64:
    return "UINT64";
  case onnx::TensorProto::BFLOAT16:
    return "BFLOAT16";
  default:
    return "UNKNOWN";
  }
}

bool isIntegerType(int32_t t) {
  switch (t) {
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::BOOL:
  case onnx::TensorProto::UINT32:
    return true;
  default:
    return false;
  }
}

/// A compile-time tensor held on the host. Float tensors use `f`, integer
/// tensors (all widths, stored widened) use `i`.
struct HostTensor {
  bool isFloat = true;
  Shape shape;
  std::vector<float> f;
  std::vector<int64_t> i;
  /// Set for initializers: the ONNX name used for the resource blob.
  std::string blobName;

  int64_t size() const {
    return isFloat ? (int64_t)f.size() : (int64_t)i.size();
  }
};

/// Parses a TensorProto into a HostTensor. Returns an error message on
/// failure.
std::optional<std::string> parseTensor(const onnx::TensorProto &t,
                                       HostTensor &out) {
  out.shape.clear();
  for (int64_t d : t.dims())
    out.shape.push_back(d);
  std::optional<int64_t> n = numElements(out.shape);
  if (!n)
    return "invalid dimensions " + shapeStr(out.shape);
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    return std::string("external data is not supported");
  if (t.segment().begin() != 0 || t.segment().end() != 0)
    return std::string("segmented tensors are not supported");
  int32_t dt = t.data_type();
  bool hasRaw = t.has_raw_data();
  const std::string &raw = t.raw_data();
  auto rawCheck = [&](size_t elemSize) -> std::optional<std::string> {
    if (raw.size() != (uint64_t)*n * elemSize)
      return "raw_data holds " + std::to_string(raw.size()) +
             " bytes, expected " + std::to_string(*n * elemSize) +
             " for shape " + shapeStr(out.shape);
    return std::nullopt;
  };
  auto countCheck = [&](int64_t have) -> std::optional<std::string> {
    if (have != *n)
      return "tensor holds " + std::to_string(have) + " values, expected " +
             std::to_string(*n) + " for shape " + shapeStr(out.shape);
    return std::nullopt;
  };
  if (dt == onnx::TensorProto::FLOAT || dt == onnx::TensorProto::DOUBLE) {
    out.isFloat = true;
    // Size checks come before any allocation: the data is bounded by the
    // file size, the declared shape is not.
    if (auto e = hasRaw ? rawCheck(dt == onnx::TensorProto::FLOAT ? 4 : 8)
                        : countCheck(dt == onnx::TensorProto::FLOAT
                                         ? t.float_data_size()
                                         : t.double_data_size()))
      return e;
    out.f.resize(*n);
    if (dt == onnx::TensorProto::FLOAT) {
      if (hasRaw) {
        if (*n)
          std::memcpy(out.f.data(), raw.data(), *n * 4);
      } else {
        if (auto e = countCheck(t.float_data_size()))
          return e;
        for (int64_t k = 0; k < *n; ++k)
          out.f[k] = t.float_data(k);
      }
    } else {
      if (hasRaw) {
        if (auto e = rawCheck(8))
          return e;
        for (int64_t k = 0; k < *n; ++k) {
          double v;
          std::memcpy(&v, raw.data() + 8 * k, 8);
          out.f[k] = (float)v;
        }
      } else {
        if (auto e = countCheck(t.double_data_size()))
          return e;
        for (int64_t k = 0; k < *n; ++k)
          out.f[k] = (float)t.double_data(k);
      }
    }
    return std::nullopt;
  }
  if (!isIntegerType(dt))
    return std::string("unsupported tensor element type ") + dataTypeName(dt);
  out.isFloat = false;
  size_t elemSize = 0;
  bool isSigned = true;
  switch (dt) {
  case onnx::TensorProto::INT64:
    elemSize = 8;
    break;
  case onnx::TensorProto::INT32:
    elemSize = 4;
    break;
  case onnx::TensorProto::UINT32:
    elemSize = 4, isSigned = false;
    break;
  case onnx::TensorProto::INT16:
    elemSize = 2;
    break;
  case onnx::TensorProto::UINT16:
    elemSize = 2, isSigned = false;
    break;
  case onnx::TensorProto::INT8:
    elemSize = 1;
    break;
  default: // UINT8, BOOL
    elemSize = 1, isSigned = false;
    break;
  }
  if (auto e = hasRaw ? rawCheck(elemSize)
                      : countCheck(dt == onnx::TensorProto::INT64
                                       ? t.int64_data_size()
                                   : dt == onnx::TensorProto::UINT32
                                       ? t.uint64_data_size()
                                       : t.int32_data_size()))
    return e;
  out.i.resize(*n);
  if (hasRaw) {
    for (int64_t k = 0; k < *n; ++k) {
      uint64_t u = 0;
      std::memcpy(&u, raw.data() + elemSize * k, elemSize);
      int64_t v = (int64_t)u;
      if (isSigned && elemSize < 8) {
        unsigned bits = 8 * elemSize;
        v = llvm::SignExtend64(u, bits);
      }
      out.i[k] = v;
    }
    return std::nullopt;
  }
  if (dt == onnx::TensorProto::INT64) {
    if (auto e = countCheck(t.int64_data_size()))
      return e;
    for (int64_t k = 0; k < *n; ++k)
      out.i[k] = t.int64_data(k);
  } else if (dt == onnx::TensorProto::UINT32) {
    if (auto e = countCheck(t.uint64_data_size()))
      return e;
    for (int64_t k = 0; k < *n; ++k)
      out.i[k] = (int64_t)t.uint64_data(k);
  } else {
    if (auto e = countCheck(t.int32_data_size()))
      return e;
    for (int64_t k = 0; k < *n; ++k)
      out.i[k] = t.int32_data(k);
  }
  return std::nullopt;
}

/// Resource keys are printed as keywords: keep [A-Za-z0-9_.].
std::string sanitizeBlobName(StringRef name) {
  std::string s;
  for (char c : name)
    s += (llvm::isAlnum(c) || c == '_' || c == '.') ? c : '_';
  if (s.empty() || llvm::isDigit(s[0]) || s[0] == '.')
    s = "w_" + s;
  return s;
}

/// Normalizes an axis in [-rank, rank) (or [-rank-1, rank] when `inclusive`)
/// to [0, rank). Returns std::nullopt when out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                     bool inclusive = false) {
  int64_t hi = inclusive ? rank + 1 : rank;
  if (axis < -rank || axis >= hi)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

class Importer {
public:
  Importer(MLIRContext &ctx, const ImportOptions &opts)
      : ctx(ctx), opts(opts), b(&ctx), loc(UnknownLoc::get(&ctx)) {}

  FailureOr<OwningOpRef<ModuleOp>> run(const onnx::ModelProto &model);

private:
  MLIRContext &ctx;
  const ImportOptions &opts;
  OpBuilder b;
  Location loc;
  const onnx::NodeProto *node = nullptr;
  std::string nodeName;
  int64_t opset = 0;

  llvm::StringMap<Value> values;
  llvm::StringMap<HostTensor> consts;
  llvm::StringMap<Value> materialized;

  //===--------------------------------------------------------------------===//
  // Diagnostics
  //===--------------------------------------------------------------------===//

  /// Converts to LogicalResult and to any FailureOr<T>.
  struct FailureTag {
    operator LogicalResult() const { return failure(); }
    template <typename T> operator FailureOr<T>() const { return failure(); }
  };

  FailureTag fail(const Twine &msg) {
    std::string text;
    Location errLoc = FileLineColLoc::get(&ctx, opts.sourceName, 0, 0);
    if (node) {
      text = "node '" + nodeName + "' (" + node->op_type() + "): ";
      errLoc = NameLoc::get(StringAttr::get(&ctx, nodeName), errLoc);
    }
    text += msg.str();
    emitError(errLoc) << text;
    return {};
  }

  //===--------------------------------------------------------------------===//
  // Attributes
  //===--------------------------------------------------------------------===//

  const onnx::AttributeProto *attr(StringRef name) const {
    for (const auto &a : node->attribute())
      if (a.name() == name)
        return &a;
    return nullptr;
  }

  /// Rejects attributes not in `allowed`.
  LogicalResult checkAttrs(StringRef allowed) {
    SmallVector<StringRef> names;
    allowed.split(names, ' ', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
    for (const auto &a : node->attribute())
      if (!llvm::is_contained(names, StringRef(a.name())))
        return fail("unsupported attribute " + a.name());
    return success();
  }

  FailureOr<int64_t> intAttr(StringRef name, int64_t dflt) {
    const auto *a = attr(name);
    if (!a)
      return dflt;
    if (a->type() != onnx::AttributeProto::INT)
      return fail("attribute " + name + " must be an integer");
    return a->i();
  }
  FailureOr<float> floatAttr(StringRef name, float dflt) {
    const auto *a = attr(name);
    if (!a)
      return dflt;
    if (a->type() != onnx::AttributeProto::FLOAT)
      return fail("attribute " + name + " must be a float");
    return a->f();
  }
  FailureOr<std::string> stringAttr(StringRef name, StringRef dflt) {
    const auto *a = attr(name);
    if (!a)
      return dflt.str();
    if (a->type() != onnx::AttributeProto::STRING)
      return fail("attribute " + name + " must be a string");
    return a->s();
  }
  FailureOr<std::optional<Shape>> intsAttr(StringRef name) {
    const auto *a = attr(name);
    if (!a)
      return std::optional<Shape>();
    if (a->type() != onnx::AttributeProto::INTS)
      return fail("attribute " + name + " must be a list of integers");
    Shape v(a->ints().begin(), a->ints().end());
    return std::optional<Shape>(v);
  }

  //===--------------------------------------------------------------------===//
  // Operands
  //===--------------------------------------------------------------------===//

  bool hasInput(int idx) const {
    return idx < node->input_size() && !node->input(idx).empty();
  }
  const HostTensor *constInput(int idx) const {
    if (!hasInput(idx))
      return nullptr;
    auto it = consts.find(node->input(idx));
    return it == consts.end() ? nullptr : &it->second;
  }
  bool isDefined(StringRef name) const {
    return values.count(name) || consts.count(name);
  }

  /// Returns the runtime value of input `idx`, materializing constants.
  FailureOr<Value> input(int idx) {
    if (!hasInput(idx))
      return fail("missing input " + Twine(idx));
    const std::string &name = node->input(idx);
    auto it = values.find(name);
    if (it != values.end())
      return it->second;
    auto cit = consts.find(name);
    if (cit == consts.end())
      return fail("input '" + name + "' is not defined before use");
    return materialize(name, cit->second);
  }

  FailureOr<Value> materialize(StringRef name, const HostTensor &t) {
    auto mit = materialized.find(name);
    if (mit != materialized.end())
      return mit->second;
    if (!t.isFloat)
      return fail("integer tensor '" + name +
                  "' used as data: only float32 data is supported");
    Location cloc = NameLoc::get(StringAttr::get(&ctx, name));
    Value v = constFloat(t.shape, t.f, t.blobName.empty() ? "" : name, cloc);
    materialized[name] = v;
    return v;
  }

  /// Creates a float tosa.const. Non-empty `blob` (or a large tensor) gives a
  /// dense_resource payload.
  Value constFloat(ArrayRef<int64_t> shape, ArrayRef<float> data,
                   StringRef blob, Location cloc) {
    auto type = RankedTensorType::get(shape, b.getF32Type());
    ElementsAttr attr;
    if (blob.empty() && (int64_t)data.size() <= opts.maxInlineElements) {
      attr = DenseElementsAttr::get(type, data);
    } else if (!data.empty() &&
               llvm::all_of(data,
                            [&](float x) {
                              return std::memcmp(&x, &data[0], 4) == 0;
                            }) &&
               blob.empty()) {
      attr = DenseElementsAttr::get(type, data[0]);
    } else {
      std::string key = sanitizeBlobName(blob.empty() ? nodeName : blob);
      AsmResourceBlob res = HeapAsmResourceBlob::allocateAndCopyWithAlign(
          ArrayRef<char>(reinterpret_cast<const char *>(data.data()),
                         data.size() * sizeof(float)),
          64);
      attr = DenseResourceElementsAttr::get(type, key, std::move(res));
    }
    return tosa::ConstOp::create(b, cloc, type, attr);
  }

  Value scalarConst(float v, int64_t rank) {
    Shape shape(rank, 1);
    return constFloat(shape, {v}, "", loc);
  }

  //===--------------------------------------------------------------------===//
  // TOSA helpers
  //===--------------------------------------------------------------------===//

  static Shape shapeOf(Value v) {
    auto t = cast<RankedTensorType>(v.getType());
    return Shape(t.getShape());
  }
  RankedTensorType f32Type(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, b.getF32Type());
  }
  Value constShape(ArrayRef<int64_t> vals) {
    auto ty = tosa::shapeType::get(&ctx, vals.size());
    auto attr = DenseIntElementsAttr::get(
        RankedTensorType::get({(int64_t)vals.size()}, b.getIndexType()), vals);
    return tosa::ConstShapeOp::create(b, loc, ty, attr);
  }
  Value reshape(Value v, ArrayRef<int64_t> shape) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getShape() == shape)
      return v;
    return tosa::ReshapeOp::create(
        b, loc, RankedTensorType::get(shape, t.getElementType()), v,
        constShape(shape));
  }
  Value transpose(Value v, ArrayRef<int32_t> perms) {
    Shape in = shapeOf(v), out;
    bool identity = true;
    for (auto [i, p] : llvm::enumerate(perms)) {
      out.push_back(in[p]);
      identity &= (int64_t)i == p;
    }
    if (identity)
      return v;
    return tosa::TransposeOp::create(b, loc, f32Type(out), v,
                                     b.getDenseI32ArrayAttr(perms));
  }
  Value mulShift() {
    auto type = RankedTensorType::get({1}, b.getI8Type());
    return tosa::ConstOp::create(b, loc, type,
                                 DenseElementsAttr::get(type, int8_t(0)));
  }
  Value mul(Value x, Value y, ArrayRef<int64_t> outShape) {
    return tosa::MulOp::create(b, loc, f32Type(outShape), x, y, mulShift());
  }

  /// Numpy broadcasting of two shapes; std::nullopt when incompatible.
  static std::optional<Shape> broadcastShapes(ArrayRef<int64_t> x,
                                              ArrayRef<int64_t> y) {
    size_t rank = std::max(x.size(), y.size());
    Shape out(rank);
    for (size_t k = 0; k < rank; ++k) {
      int64_t dx = k < rank - x.size() ? 1 : x[k - (rank - x.size())];
      int64_t dy = k < rank - y.size() ? 1 : y[k - (rank - y.size())];
      if (dx != dy && dx != 1 && dy != 1)
        return std::nullopt;
      out[k] = dx == 1 ? dy : dx;
    }
    return out;
  }
  Value expandRank(Value v, size_t rank) {
    Shape s = shapeOf(v);
    if (s.size() >= rank)
      return v;
    Shape ns(rank - s.size(), 1);
    ns.append(s.begin(), s.end());
    return reshape(v, ns);
  }

  /// Returns the pads (lo, hi) and adjusts so that (in + lo + hi - keff) is a
  /// multiple of stride and the window count equals `out`. When the high pad
  /// cannot absorb the difference, returns the number of trailing input rows
  /// to slice off in `trim`.
  static void fitPads(int64_t in, int64_t keff, int64_t stride, int64_t out,
                      int64_t &lo, int64_t &hi, int64_t &trim) {
    int64_t need = (out - 1) * stride + keff;
    int64_t have = in + lo + hi;
    trim = 0;
    if (have > need) {
      int64_t extra = have - need;
      int64_t fromHi = std::min(extra, hi);
      hi -= fromHi;
      extra -= fromHi;
      trim = extra;
    } else {
      hi += need - have;
    }
  }

  struct Window {
    int64_t kernel[2], stride[2], dilation[2], pad[4]; // pad: t,l,b,r (ONNX)
    int64_t out[2];
  };

  /// Reads kernel/strides/dilations/pads/auto_pad for 2-D windows over
  /// spatial sizes `in`. `ceilMode` rounds output sizes up.
  LogicalResult readWindow(ArrayRef<int64_t> in, ArrayRef<int64_t> kernel,
                           bool ceilMode, Window &w) {
    auto strides = intsAttr("strides");
    auto dilations = intsAttr("dilations");
    auto pads = intsAttr("pads");
    auto autoPad = stringAttr("auto_pad", "NOTSET");
    if (failed(strides) || failed(dilations) || failed(pads) || failed(autoPad))
      return failure();
    auto get2 = [&](const std::optional<Shape> &v, StringRef name, int64_t dflt,
                    int64_t *outv) -> LogicalResult {
      if (!v) {
        outv[0] = outv[1] = dflt;
        return success();
      }
      if (v->size() != 2)
        return fail("attribute " + name + " must have 2 values for 2-D");
      outv[0] = (*v)[0];
      outv[1] = (*v)[1];
      if (outv[0] < 1 || outv[1] < 1)
        return fail("attribute " + name + " must be positive");
      if (outv[0] > kMaxWindowParam || outv[1] > kMaxWindowParam)
        return fail("attribute " + name + " " + shapeStr(*v) +
                    " is out of range (at most 2^20)");
      return success();
    };
    w.kernel[0] = kernel[0];
    w.kernel[1] = kernel[1];
    if (kernel[0] < 1 || kernel[1] < 1)
      return fail("kernel must be positive, got " + shapeStr(kernel));
    if (kernel[0] > kMaxWindowParam || kernel[1] > kMaxWindowParam)
      return fail("kernel " + shapeStr(kernel) +
                  " is out of range (at most 2^20)");
    if (failed(get2(*strides, "strides", 1, w.stride)) ||
        failed(get2(*dilations, "dilations", 1, w.dilation)))
      return failure();
    for (int64_t &p : w.pad)
      p = 0;
    int64_t keff[2];
    for (int k = 0; k < 2; ++k)
      keff[k] = (w.kernel[k] - 1) * w.dilation[k] + 1;
    const std::string &ap = *autoPad;
    if (ap == "NOTSET") {
      if (*pads) {
        if ((*pads)->size() != 4)
          return fail("attribute pads must have 4 values for 2-D");
        for (int k = 0; k < 4; ++k) {
          w.pad[k] = (**pads)[k];
          if (w.pad[k] < 0)
            return fail("negative pads are not supported");
          if (w.pad[k] > kMaxWindowParam)
            return fail("pads " + shapeStr(**pads) +
                        " are out of range (at most 2^20)");
        }
      }
      for (int k = 0; k < 2; ++k) {
        int64_t span = in[k] + w.pad[k] + w.pad[k + 2] - keff[k];
        if (span < 0)
          return fail("window " + std::to_string(keff[k]) +
                      " is larger than the padded input " +
                      std::to_string(in[k] + w.pad[k] + w.pad[k + 2]));
        int64_t o = ceilMode ? llvm::divideCeil(span, w.stride[k]) + 1
                             : span / w.stride[k] + 1;
        // The last window must start inside the input or the low padding.
        if (ceilMode && (o - 1) * w.stride[k] >= in[k] + w.pad[k])
          --o;
        w.out[k] = o;
      }
    } else if (ap == "VALID") {
      for (int k = 0; k < 2; ++k) {
        int64_t span = in[k] - keff[k];
        if (span < 0)
          return fail("window larger than the input");
        w.out[k] = ceilMode ? llvm::divideCeil(span, w.stride[k]) + 1
                            : span / w.stride[k] + 1;
      }
    } else if (ap == "SAME_UPPER" || ap == "SAME_LOWER") {
      for (int k = 0; k < 2; ++k) {
        int64_t o = llvm::divideCeil(in[k], w.stride[k]);
        int64_t total =
            std::max<int64_t>(0, (o - 1) * w.stride[k] + keff[k] - in[k]);
        int64_t small = total / 2, big = total - small;
        w.pad[k] = ap == "SAME_UPPER" ? small : big;
        w.pad[k + 2] = ap == "SAME_UPPER" ? big : small;
        w.out[k] = o;
      }
    } else {
      return fail("unsupported attribute auto_pad=" + ap);
    }
    if (w.out[0] < 1 || w.out[1] < 1)
      return fail("empty output for input " + shapeStr(in));
    return success();
  }

  /// Converts an NHWC input and ONNX window into TOSA pads (t,b,l,r),
  /// slicing the input when the exact-division rule of TOSA requires it.
  Value fitWindow(Value nhwc, Window &w, SmallVectorImpl<int64_t> &tosaPad) {
    Shape s = shapeOf(nhwc);
    int64_t lo[2] = {w.pad[0], w.pad[1]}, hi[2] = {w.pad[2], w.pad[3]};
    int64_t trim[2];
    for (int k = 0; k < 2; ++k)
      fitPads(s[1 + k], (w.kernel[k] - 1) * w.dilation[k] + 1, w.stride[k],
              w.out[k], lo[k], hi[k], trim[k]);
    if (trim[0] || trim[1]) {
      Shape size = {s[0], s[1] - trim[0], s[2] - trim[1], s[3]};
      nhwc = tosa::SliceOp::create(b, loc, f32Type(size), nhwc,
                                   constShape({0, 0, 0, 0}), constShape(size));
    }
    tosaPad.assign({lo[0], hi[0], lo[1], hi[1]});
    return nhwc;
  }

  //===--------------------------------------------------------------------===//
  // Results
  //===--------------------------------------------------------------------===//

  /// ONNX graphs are in SSA form: a name is defined once, by a graph input,
  /// an initializer or one node output.
  LogicalResult checkNewName(int idx) {
    const std::string &name = node->output(idx);
    if (values.count(name) || consts.count(name))
      return fail("output '" + name +
                  "' is already defined (by a graph input, an initializer or "
                  "an earlier node)");
    return success();
  }
  LogicalResult setOutput(int idx, Value v) {
    if (idx >= node->output_size())
      return fail("missing output " + Twine(idx));
    if (node->output(idx).empty())
      return success();
    if (failed(checkNewName(idx)))
      return failure();
    values[node->output(idx)] = v;
    return success();
  }
  LogicalResult setConstOutput(int idx, HostTensor t) {
    if (idx >= node->output_size())
      return fail("missing output " + Twine(idx));
    t.blobName.clear();
    if (node->output(idx).empty())
      return success();
    if (failed(checkNewName(idx)))
      return failure();
    consts[node->output(idx)] = std::move(t);
    return success();
  }
  LogicalResult onlyFirstOutputUsed() {
    for (int k = 1; k < node->output_size(); ++k)
      if (!node->output(k).empty())
        return fail("output " + Twine(k) + " ('" + node->output(k) +
                    "') is not supported");
    return success();
  }
  LogicalResult needInputs(int lo, int hi) {
    int n = node->input_size();
    while (n > 0 && node->input(n - 1).empty())
      --n;
    if (n >= lo && node->input_size() <= hi) {
      for (int k = 0; k < lo; ++k)
        if (node->input(k).empty())
          return fail("missing input " + Twine(k));
      return success();
    }
    bool variadic = hi == std::numeric_limits<int>::max();
    std::string count = lo == hi ? std::to_string(lo)
                        : variadic
                            ? "at least " + std::to_string(lo)
                            : std::to_string(lo) + " to " + std::to_string(hi);
    bool one = lo == 1 && (hi == 1 || variadic);
    return fail("expected " + count + (one ? " input" : " inputs") + ", got " +
                Twine(node->input_size()));
  }
  /// Rejects a computed shape with more than kMaxElements elements.
  LogicalResult needSize(ArrayRef<int64_t> shape, StringRef what) {
    if (!numElements(shape))
      return fail(what + " " + shapeStr(shape) +
                  " is too large (at most 2^36 elements)");
    return success();
  }
  LogicalResult needRank(Value v, size_t rank, StringRef what) {
    Shape s = shapeOf(v);
    if (s.size() != rank)
      return fail(what + " must have rank " + Twine(rank) + ", got " +
                  shapeStr(s));
    return success();
  }

  LogicalResult convertNode();

public:
  //===--------------------------------------------------------------------===//
  // Op converters, called through the driver's op table (kOpSpecs) after its
  // attribute, input and output checks.
  //===--------------------------------------------------------------------===//

  LogicalResult convertGemm();
  LogicalResult convertMatMul();
  LogicalResult convertConv();
  LogicalResult convertPool(bool isMax);
  LogicalResult convertGlobalPool(bool isMax);
  LogicalResult convertSoftmax(bool isLog);
  LogicalResult convertBinary();
  LogicalResult convertUnary();
  LogicalResult convertFlatten();
  LogicalResult convertReshape();
  LogicalResult convertTranspose();
  LogicalResult convertConstant();
  LogicalResult convertSqueezeUnsqueeze(bool isUnsqueeze);
  LogicalResult convertShape();
  LogicalResult convertGather();
  LogicalResult convertConcat();
  LogicalResult convertCast();
  LogicalResult convertDropout();

private:
  LogicalResult importInitializers(const onnx::GraphProto &g);
};

//===----------------------------------------------------------------------===//
// Gemm / MatMul
//===----------------------------------------------------------------------===//

LogicalResult Importer::convertGemm() {
  auto alpha = floatAttr("alpha", 1.0f), beta = floatAttr("beta", 1.0f);
  auto transA = intAttr("transA", 0), transB = intAttr("transB", 0);
  if (failed(alpha) || failed(beta) || failed(transA) || failed(transB))
    return failure();
  auto a = input(0);
  if (failed(a))
    return failure();
  auto bv = input(1);
  if (failed(bv))
    return failure();
  if (failed(needRank(*a, 2, "A")) || failed(needRank(*bv, 2, "B")))
    return failure();
  Shape as = shapeOf(*a), bs = shapeOf(*bv);
  int64_t m = *transA ? as[1] : as[0], ka = *transA ? as[0] : as[1];
  int64_t kb = *transB ? bs[1] : bs[0], n = *transB ? bs[0] : bs[1];
  if (ka != kb)
    return fail("inconsistent shapes: A is " + shapeStr(as) +
                " (transA=" + Twine(*transA) + "), B is " + shapeStr(bs) +
                " (transB=" + Twine(*transB) + "): inner dimensions " +
                Twine(ka) + " and " + Twine(kb) + " differ");
  int64_t k = ka;
  // Check C before emitting anything.
  Shape cs;
  if (hasInput(2)) {
    if (const HostTensor *c = constInput(2))
      cs = c->shape;
    else if (values.count(node->input(2)))
      cs = shapeOf(values[node->input(2)]);
    else
      return fail("input '" + node->input(2) + "' is not defined before use");
    bool ok = cs.size() <= 2;
    for (size_t d = 0; ok && d < cs.size(); ++d) {
      int64_t want = (cs.size() == 2 && d == 0) ? m : n;
      ok = cs[d] == 1 || cs[d] == want;
    }
    if (!ok)
      return fail("inconsistent shapes: C is " + shapeStr(cs) +
                  ", not broadcastable to the " + shapeStr({m, n}) + " result");
  }

  Value av = *a;
  if (*transA)
    av = transpose(av, {1, 0});
  av = reshape(av, {1, m, k});
  Value wv = *bv;
  if (*transB)
    wv = transpose(wv, {1, 0});
  wv = reshape(wv, {1, k, n});
  Value y = tosa::MatMulOp::create(b, loc, f32Type({1, m, n}), av, wv);
  y = reshape(y, {m, n});
  if (*alpha != 1.0f)
    y = mul(y, scalarConst(*alpha, 2), {m, n});
  if (hasInput(2) && *beta != 0.0f) {
    Value cv;
    Shape c2(2 - cs.size(), 1);
    c2.append(cs.begin(), cs.end());
    if (const HostTensor *c = constInput(2); c && *beta != 1.0f) {
      if (!c->isFloat)
        return fail("C must be float");
      std::vector<float> scaled(c->f);
      for (float &x : scaled)
        x *= *beta;
      cv = constFloat(c2, scaled, c->blobName.empty() ? "" : node->input(2),
                      NameLoc::get(StringAttr::get(&ctx, node->input(2))));
    } else {
      auto cin = input(2);
      if (failed(cin))
        return failure();
      cv = reshape(*cin, c2);
      if (*beta != 1.0f)
        cv = mul(cv, scalarConst(*beta, 2), c2);
    }
    cv = reshape(cv, c2);
    y = tosa::AddOp::create(b, loc, f32Type({m, n}), y, cv);
  }
  return setOutput(0, y);
}

LogicalResult Importer::convertMatMul() {
  auto a = input(0);
  if (failed(a))
    return failure();
  auto bv = input(1);
  if (failed(bv))
    return failure();
  Shape as = shapeOf(*a), bs = shapeOf(*bv);
  if (as.empty() || bs.empty())
    return fail("operands must not be scalars");
  Shape a2 = as, b2 = bs;
  bool squeezeM = false, squeezeN = false;
  if (a2.size() == 1)
    a2.insert(a2.begin(), 1), squeezeM = true;
  if (b2.size() == 1)
    b2.push_back(1), squeezeN = true;
  int64_t m = a2[a2.size() - 2], k = a2.back();
  int64_t kb = b2[b2.size() - 2], n = b2.back();
  if (k != kb)
    return fail("inconsistent shapes: A is " + shapeStr(as) + ", B is " +
                shapeStr(bs) + ": inner dimensions " + Twine(k) + " and " +
                Twine(kb) + " differ");
  ArrayRef<int64_t> abatch = ArrayRef<int64_t>(a2).drop_back(2);
  ArrayRef<int64_t> bbatch = ArrayRef<int64_t>(b2).drop_back(2);
  auto batch = broadcastShapes(abatch, bbatch);
  if (!batch || !numElements(*batch) ||
      !numElements({product(*batch), m, std::max(k, n)}))
    return fail("inconsistent shapes: batch dimensions of A " + shapeStr(as) +
                " and B " + shapeStr(bs) + " do not broadcast");
  int64_t nb = product(*batch);
  Value av = *a, wv = *bv, y;
  if (product(bbatch) == 1) {
    // x @ W: fold A's batch into M.
    av = reshape(av, {1, product(abatch) * m, k});
    wv = reshape(wv, {1, k, n});
    y = tosa::MatMulOp::create(b, loc, f32Type({1, product(abatch) * m, n}), av,
                               wv);
  } else {
    auto tileTo = [&](Value v, ArrayRef<int64_t> vb, int64_t r,
                      int64_t c) -> Value {
      Shape full(batch->size() - vb.size(), 1);
      full.append(vb.begin(), vb.end());
      full.push_back(r);
      full.push_back(c);
      v = reshape(v, full);
      Shape mult, tiled;
      for (size_t d = 0; d < batch->size(); ++d) {
        mult.push_back(full[d] == (*batch)[d] ? 1 : (*batch)[d]);
        tiled.push_back((*batch)[d]);
      }
      mult.append({1, 1});
      tiled.append({r, c});
      if (llvm::any_of(mult, [](int64_t x) { return x != 1; }))
        v = tosa::TileOp::create(b, loc, f32Type(tiled), v, constShape(mult));
      return reshape(v, {nb, r, c});
    };
    av = tileTo(av, abatch, m, k);
    wv = tileTo(wv, bbatch, k, n);
    y = tosa::MatMulOp::create(b, loc, f32Type({nb, m, n}), av, wv);
  }
  Shape out(batch->begin(), batch->end());
  if (!squeezeM)
    out.push_back(m);
  if (!squeezeN)
    out.push_back(n);
  return setOutput(0, reshape(y, out));
}

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

LogicalResult Importer::convertConv() {
  auto x = input(0);
  if (failed(x))
    return failure();
  Shape xs = shapeOf(*x);
  if (xs.size() != 4)
    return fail("only 2-D convolution is supported (input " + shapeStr(xs) +
                ")");
  const HostTensor *wc = constInput(1);
  Shape ws;
  if (wc)
    ws = wc->shape;
  else if (values.count(node->input(1)))
    ws = shapeOf(values[node->input(1)]);
  else
    return fail("input '" + node->input(1) + "' is not defined before use");
  if (ws.size() != 4)
    return fail("weight must have rank 4, got " + shapeStr(ws));
  auto group = intAttr("group", 1);
  auto ks = intsAttr("kernel_shape");
  if (failed(group) || failed(ks))
    return failure();
  if (*ks && ((*ks)->size() != 2 || (**ks)[0] != ws[2] || (**ks)[1] != ws[3]))
    return fail("kernel_shape does not match weight " + shapeStr(ws));
  int64_t nIn = xs[0], c = xs[1], oc = ws[0];
  int64_t g = *group;
  if (g < 1 || c % g != 0 || oc % g != 0)
    return fail("invalid group=" + Twine(g) + " for input " + shapeStr(xs) +
                " and weight " + shapeStr(ws));
  if (ws[1] != c / g)
    return fail("inconsistent shapes: input " + shapeStr(xs) + " has " +
                Twine(c) + " channels but weight " + shapeStr(ws) +
                " expects " + Twine(ws[1] * g) + " (group=" + Twine(g) + ")");
  bool depthwise = g > 1;
  if (depthwise && g != c)
    return fail("unsupported attribute group=" + Twine(g) +
                " (only 1 and the channel count are supported)");
  Window w;
  if (failed(readWindow({xs[2], xs[3]}, {ws[2], ws[3]}, false, w)))
    return failure();

  // Bias.
  Value bias;
  if (hasInput(2)) {
    auto bv = input(2);
    if (failed(bv))
      return failure();
    if (shapeOf(*bv) != Shape{oc})
      return fail("inconsistent shapes: bias is " + shapeStr(shapeOf(*bv)) +
                  ", expected " + Twine(oc));
    bias = *bv;
  } else {
    bias = constFloat({oc}, std::vector<float>(oc, 0.0f), "", loc);
  }

  // Weight in TOSA layout.
  int64_t kh = ws[2], kw = ws[3];
  Value weight;
  if (wc) {
    if (!wc->isFloat)
      return fail("weight must be float");
    std::string key = (node->input(1) + (depthwise ? "#hwcm" : "#ohwi"));
    auto mit = materialized.find(key);
    if (mit != materialized.end()) {
      weight = mit->second;
    } else {
      // conv2d: [OC,IC,KH,KW] -> [OC,KH,KW,IC]; depthwise: [C*M,1,KH,KW]
      // -> [KH,KW,C,M].
      int64_t ic = ws[1];
      std::vector<float> t(wc->f.size());
      Shape ts;
      if (!depthwise) {
        ts = {oc, kh, kw, ic};
        for (int64_t o = 0; o < oc; ++o)
          for (int64_t i = 0; i < ic; ++i)
            for (int64_t y = 0; y < kh; ++y)
              for (int64_t z = 0; z < kw; ++z)
                t[((o * kh + y) * kw + z) * ic + i] =
                    wc->f[((o * ic + i) * kh + y) * kw + z];
      } else {
        int64_t mult = oc / c;
        ts = {kh, kw, c, mult};
        for (int64_t ch = 0; ch < c; ++ch)
          for (int64_t mm = 0; mm < mult; ++mm)
            for (int64_t y = 0; y < kh; ++y)
              for (int64_t z = 0; z < kw; ++z)
                t[((y * kw + z) * c + ch) * mult + mm] =
                    wc->f[((ch * mult + mm) * kh + y) * kw + z];
      }
      weight = constFloat(ts, t, node->input(1),
                          NameLoc::get(StringAttr::get(&ctx, node->input(1))));
      materialized[key] = weight;
    }
  } else {
    Value wv = values[node->input(1)];
    if (!depthwise) {
      weight = transpose(wv, {0, 2, 3, 1});
    } else {
      weight = reshape(wv, {c, oc / c, kh, kw});
      weight = transpose(weight, {2, 3, 0, 1});
    }
  }

  Value nhwc = transpose(*x, {0, 2, 3, 1});
  SmallVector<int64_t> pad;
  nhwc = fitWindow(nhwc, w, pad);
  Shape outNhwc = {nIn, w.out[0], w.out[1], oc};
  if (failed(needSize(outNhwc, "output")))
    return failure();
  auto accType = TypeAttr::get(b.getF32Type());
  Value y;
  if (!depthwise)
    y = tosa::Conv2DOp::create(
        b, loc, f32Type(outNhwc), nhwc, weight, bias,
        b.getDenseI64ArrayAttr(pad),
        b.getDenseI64ArrayAttr({w.stride[0], w.stride[1]}),
        b.getDenseI64ArrayAttr({w.dilation[0], w.dilation[1]}), accType);
  else
    y = tosa::DepthwiseConv2DOp::create(
        b, loc, f32Type(outNhwc), nhwc, weight, bias,
        b.getDenseI64ArrayAttr(pad),
        b.getDenseI64ArrayAttr({w.stride[0], w.stride[1]}),
        b.getDenseI64ArrayAttr({w.dilation[0], w.dilation[1]}), accType);
  return setOutput(0, transpose(y, {0, 3, 1, 2}));
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

LogicalResult Importer::convertPool(bool isMax) {
  auto x = input(0);
  if (failed(x))
    return failure();
  Shape xs = shapeOf(*x);
  if (xs.size() != 4)
    return fail("only 2-D pooling is supported (input " + shapeStr(xs) + ")");
  auto ks = intsAttr("kernel_shape");
  auto ceil = intAttr("ceil_mode", 0);
  auto storage = intAttr("storage_order", 0);
  auto cip = intAttr("count_include_pad", 0);
  if (failed(ks) || failed(ceil) || failed(storage) || failed(cip))
    return failure();
  if (!*ks || (*ks)->size() != 2)
    return fail("attribute kernel_shape with 2 values is required");
  if (*storage != 0)
    return fail("unsupported attribute storage_order=" + Twine(*storage));
  Window w;
  if (failed(readWindow({xs[2], xs[3]}, **ks, *ceil != 0, w)))
    return failure();
  if (w.dilation[0] != 1 || w.dilation[1] != 1)
    return fail("unsupported attribute dilations=" +
                shapeStr({w.dilation[0], w.dilation[1]}));
  Value nhwc = transpose(*x, {0, 2, 3, 1});
  if (!isMax && *cip) {
    // Explicit pads count towards the divisor: materialize them as zeros.
    Shape s = shapeOf(nhwc);
    Shape padded = {s[0], s[1] + w.pad[0] + w.pad[2],
                    s[2] + w.pad[1] + w.pad[3], s[3]};
    if (padded != s)
      nhwc = tosa::PadOp::create(
          b, loc, f32Type(padded), nhwc,
          constShape({0, 0, w.pad[0], w.pad[2], w.pad[1], w.pad[3], 0, 0}));
    for (int64_t &p : w.pad)
      p = 0;
  }
  SmallVector<int64_t> pad;
  nhwc = fitWindow(nhwc, w, pad);
  for (int k = 0; k < 2; ++k)
    if (pad[2 * k] >= w.kernel[k] || pad[2 * k + 1] >= w.kernel[k])
      return fail("pads must be smaller than the kernel");
  Shape outNhwc = {xs[0], w.out[0], w.out[1], xs[1]};
  if (failed(needSize(outNhwc, "output")))
    return failure();
  Value y;
  auto kernel = b.getDenseI64ArrayAttr({w.kernel[0], w.kernel[1]});
  auto stride = b.getDenseI64ArrayAttr({w.stride[0], w.stride[1]});
  if (isMax)
    y = tosa::MaxPool2dOp::create(b, loc, f32Type(outNhwc), nhwc, kernel,
                                  stride, b.getDenseI64ArrayAttr(pad));
  else
    y = tosa::AvgPool2dOp::create(b, loc, f32Type(outNhwc), nhwc, kernel,
                                  stride, b.getDenseI64ArrayAttr(pad),
                                  TypeAttr::get(b.getF32Type()));
  return setOutput(0, transpose(y, {0, 3, 1, 2}));
}

LogicalResult Importer::convertGlobalPool(bool isMax) {
  auto x = input(0);
  if (failed(x))
    return failure();
  Shape xs = shapeOf(*x);
  if (xs.size() < 3)
    return fail("input must have rank >= 3, got " + shapeStr(xs));
  Value y = *x;
  Shape s = xs;
  int64_t count = 1;
  for (size_t d = 2; d < xs.size(); ++d) {
    s[d] = 1;
    count *= xs[d];
    if (isMax)
      y = tosa::ReduceMaxOp::create(b, loc, f32Type(s), y,
                                    b.getI32IntegerAttr(d));
    else
      y = tosa::ReduceSumOp::create(b, loc, f32Type(s), y,
                                    b.getI32IntegerAttr(d));
  }
  if (!isMax)
    y = mul(y, scalarConst(1.0f / count, s.size()), s);
  return setOutput(0, y);
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

LogicalResult Importer::convertSoftmax(bool isLog) {
  auto x = input(0);
  if (failed(x))
    return failure();
  Shape xs = shapeOf(*x);
  if (xs.empty())
    return fail("input must have rank >= 1");
  bool legacy = opset < 13;
  auto axisAttr = intAttr("axis", legacy ? 1 : -1);
  if (failed(axisAttr))
    return failure();
  auto axis = normalizeAxis(*axisAttr, xs.size());
  if (!axis)
    return fail("axis " + Twine(*axisAttr) + " out of range for " +
                shapeStr(xs));
  Value v = *x;
  Shape work = xs;
  int64_t ax = *axis;
  if (legacy) {
    // Opset < 13: coerce to 2-D [prod(before), prod(after)].
    int64_t before = product(ArrayRef<int64_t>(xs).take_front(ax));
    work = {before, product(ArrayRef<int64_t>(xs).drop_front(ax))};
    v = reshape(v, work);
    ax = 1;
  }
  Shape red = work;
  red[ax] = 1;
  auto axAttr = b.getI32IntegerAttr(ax);
  Value mx = tosa::ReduceMaxOp::create(b, loc, f32Type(red), v, axAttr);
  Value d = tosa::SubOp::create(b, loc, f32Type(work), v, mx);
  Value e = tosa::ExpOp::create(b, loc, f32Type(work), d);
  Value s = tosa::ReduceSumOp::create(b, loc, f32Type(red), e, axAttr);
  Value y;
  if (isLog) {
    Value ls = tosa::LogOp::create(b, loc, f32Type(red), s);
    y = tosa::SubOp::create(b, loc, f32Type(work), d, ls);
  } else {
    Value r = tosa::ReciprocalOp::create(b, loc, f32Type(red), s);
    y = mul(e, r, work);
  }
  return setOutput(0, reshape(y, xs));
}

//===----------------------------------------------------------------------===//
// Element-wise
//===----------------------------------------------------------------------===//

LogicalResult Importer::convertBinary() {
  auto x = input(0);
  if (failed(x))
    return failure();
  auto y = input(1);
  if (failed(y))
    return failure();
  Shape xs = shapeOf(*x), ys = shapeOf(*y);
  auto os = broadcastShapes(xs, ys);
  if (!os || !numElements(*os))
    return fail("inconsistent shapes: " + shapeStr(xs) + " and " +
                shapeStr(ys) + " do not broadcast");
  Value a = expandRank(*x, os->size()), c = expandRank(*y, os->size());
  auto type = f32Type(*os);
  const std::string &op = node->op_type();
  Value r;
  if (op == "Add")
    r = tosa::AddOp::create(b, loc, type, a, c);
  else if (op == "Sub")
    r = tosa::SubOp::create(b, loc, type, a, c);
  else if (op == "Mul")
    r = mul(a, c, *os);
  else if (op == "Max")
    r = tosa::MaximumOp::create(b, loc, type, a, c);
  else if (op == "Min")
    r = tosa::MinimumOp::create(b, loc, type, a, c);
  else { // Div
    Value rc = tosa::ReciprocalOp::create(b, loc, f32Type(shapeOf(c)), c);
    r = mul(a, rc, *os);
  }
  return setOutput(0, r);
}

LogicalResult Importer::convertUnary() {
  const std::string &op = node->op_type();
  auto x = input(0);
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  Value r;
  if (op == "Relu") {
    r = tosa::ClampOp::create(
        b, loc, type, *x, b.getF32FloatAttr(0.0f),
        b.getF32FloatAttr(std::numeric_limits<float>::infinity()),
        tosa::NanPropagationModeAttr::get(&ctx,
                                          tosa::NanPropagationMode::PROPAGATE));
  } else if (op == "LeakyRelu") {
    auto alpha = floatAttr("alpha", 0.01f);
    if (failed(alpha))
      return failure();
    Shape s = shapeOf(*x);
    Value scaled = mul(*x, scalarConst(*alpha, s.size()), s);
    r = *alpha <= 1.0f
            ? (Value)tosa::MaximumOp::create(b, loc, type, *x, scaled)
            : (Value)tosa::MinimumOp::create(b, loc, type, *x, scaled);
  } else if (op == "Sigmoid") {
    r = tosa::SigmoidOp::create(b, loc, type, *x);
  } else if (op == "Tanh") {
    r = tosa::TanhOp::create(b, loc, type, *x);
  } else if (op == "Exp") {
    r = tosa::ExpOp::create(b, loc, type, *x);
  } else if (op == "Abs") {
    r = tosa::AbsOp::create(b, loc, type, *x);
  } else { // Identity, Dropout (inference)
    r = *x;
  }
  return setOutput(0, r);
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

LogicalResult Importer::convertFlatten() {
  auto x = input(0);
  if (failed(x))
    return failure();
  Shape xs = shapeOf(*x);
  auto axisAttr = intAttr("axis", 1);
  if (failed(axisAttr))
    return failure();
  auto axis = normalizeAxis(*axisAttr, xs.size(), /*inclusive=*/true);
  if (!axis)
    return fail("axis " + Twine(*axisAttr) + " out of range for " +
                shapeStr(xs));
  Shape out = {product(ArrayRef<int64_t>(xs).take_front(*axis)),
               product(ArrayRef<int64_t>(xs).drop_front(*axis))};
  return setOutput(0, reshape(*x, out));
}

LogicalResult Importer::convertReshape() {
  auto allowZero = intAttr("allowzero", 0);
  if (failed(allowZero))
    return failure();
  const HostTensor *st = constInput(1);
  if (!st)
    return fail("shape input '" + node->input(1) +
                "' must be a constant (initializer or Constant)");
  if (st->isFloat || st->shape.size() != 1)
    return fail("shape input must be a 1-D integer tensor");
  Shape xs;
  bool isConst = false;
  const HostTensor *xc = constInput(0);
  if (xc) {
    xs = xc->shape;
    isConst = true;
  } else {
    auto x = input(0);
    if (failed(x))
      return failure();
    xs = shapeOf(*x);
  }
  int64_t total = product(xs);
  Shape out;
  int inferIdx = -1;
  int64_t known = 1;
  for (auto [idx, d] : llvm::enumerate(st->i)) {
    int64_t v = d;
    if (v == 0 && !*allowZero) {
      if (idx >= xs.size())
        return fail("shape " + shapeStr(st->i) + " copies dimension " +
                    Twine(idx) + " of the " + shapeStr(xs) + " input");
      v = xs[idx];
    } else if (v == -1) {
      if (inferIdx >= 0)
        return fail("shape " + shapeStr(st->i) + " has more than one -1");
      inferIdx = idx;
      out.push_back(1);
      continue;
    } else if (v < 0) {
      return fail("invalid shape " + shapeStr(st->i));
    }
    if (v == 0)
      return fail("zero-sized tensors are not supported");
    if (known > kMaxElements / v)
      return fail("invalid shape " + shapeStr(st->i));
    known *= v;
    out.push_back(v);
  }
  if (inferIdx >= 0) {
    if (known == 0 || total % known != 0)
      return fail("inconsistent shapes: cannot reshape " + shapeStr(xs) +
                  " to " + shapeStr(st->i));
    out[inferIdx] = total / known;
  } else if (known != total) {
    return fail("inconsistent shapes: cannot reshape " + shapeStr(xs) + " (" +
                Twine(total) + " elements) to " + shapeStr(out));
  }
  if (isConst) {
    HostTensor t = *xc;
    t.shape = out;
    return setConstOutput(0, std::move(t));
  }
  return setOutput(0, reshape(values[node->input(0)], out));
}

LogicalResult Importer::convertTranspose() {
  auto x = input(0);
  if (failed(x))
    return failure();
  Shape xs = shapeOf(*x);
  auto permAttr = intsAttr("perm");
  if (failed(permAttr))
    return failure();
  SmallVector<int32_t> perm;
  if (*permAttr) {
    if ((*permAttr)->size() != xs.size())
      return fail("perm " + shapeStr(**permAttr) + " does not match rank of " +
                  shapeStr(xs));
    SmallVector<bool> seen(xs.size(), false);
    for (int64_t p : **permAttr) {
      if (p < 0 || p >= (int64_t)xs.size() || seen[p])
        return fail("invalid perm " + shapeStr(**permAttr));
      seen[p] = true;
      perm.push_back(p);
    }
  } else {
    for (int64_t d = xs.size() - 1; d >= 0; --d)
      perm.push_back(d);
  }
  if (xs.empty())
    return setOutput(0, *x);
  return setOutput(0, transpose(*x, perm));
}

LogicalResult Importer::convertConstant() {
  if (node->attribute_size() != 1)
    return fail("expected exactly one value attribute");
  const auto &a = node->attribute(0);
  HostTensor t;
  if (a.name() == "value") {
    if (a.type() != onnx::AttributeProto::TENSOR)
      return fail("attribute value must be a tensor");
    if (auto err = parseTensor(a.t(), t))
      return fail("attribute value: " + *err);
  } else if (a.name() == "value_float") {
    t.isFloat = true;
    t.f = {a.f()};
  } else if (a.name() == "value_floats") {
    t.isFloat = true;
    t.f.assign(a.floats().begin(), a.floats().end());
    t.shape = {(int64_t)t.f.size()};
  } else if (a.name() == "value_int") {
    t.isFloat = false;
    t.i = {a.i()};
  } else if (a.name() == "value_ints") {
    t.isFloat = false;
    t.i.assign(a.ints().begin(), a.ints().end());
    t.shape = {(int64_t)t.i.size()};
  } else {
    return fail("unsupported attribute " + a.name());
  }
  return setConstOutput(0, std::move(t));
}

LogicalResult Importer::convertSqueezeUnsqueeze(bool isUnsqueeze) {
  Shape axes;
  bool haveAxes = false;
  if (hasInput(1)) {
    const HostTensor *at = constInput(1);
    if (!at || at->isFloat)
      return fail("axes must be a constant integer tensor");
    axes.assign(at->i.begin(), at->i.end());
    haveAxes = true;
  } else {
    auto attrAxes = intsAttr("axes");
    if (failed(attrAxes))
      return failure();
    if (*attrAxes) {
      axes = **attrAxes;
      haveAxes = true;
    }
  }
  if (isUnsqueeze && !haveAxes)
    return fail("axes are required");
  const HostTensor *xc = constInput(0);
  Shape xs;
  if (xc) {
    xs = xc->shape;
  } else {
    auto x = input(0);
    if (failed(x))
      return failure();
    xs = shapeOf(*x);
  }
  Shape out;
  if (isUnsqueeze) {
    int64_t rank = xs.size() + axes.size();
    SmallVector<bool> isNew(rank, false);
    for (int64_t a : axes) {
      auto n = normalizeAxis(a, rank);
      if (!n || isNew[*n])
        return fail("invalid axes for " + shapeStr(xs));
      isNew[*n] = true;
    }
    size_t src = 0;
    for (int64_t d = 0; d < rank; ++d)
      out.push_back(isNew[d] ? 1 : xs[src++]);
  } else {
    SmallVector<bool> drop(xs.size(), false);
    if (!haveAxes) {
      for (auto [d, v] : llvm::enumerate(xs))
        drop[d] = v == 1;
    }
    for (int64_t a : axes) {
      auto n = normalizeAxis(a, xs.size());
      if (!n || xs[*n] != 1)
        return fail("cannot squeeze axis " + Twine(a) + " of " + shapeStr(xs));
      drop[*n] = true;
    }
    for (auto [d, v] : llvm::enumerate(xs))
      if (!drop[d])
        out.push_back(v);
  }
  if (xc) {
    HostTensor t = *xc;
    t.shape = out;
    return setConstOutput(0, std::move(t));
  }
  return setOutput(0, reshape(values[node->input(0)], out));
}

LogicalResult Importer::convertShape() {
  Shape xs;
  if (const HostTensor *xc = constInput(0)) {
    xs = xc->shape;
  } else {
    auto x = input(0);
    if (failed(x))
      return failure();
    xs = shapeOf(*x);
  }
  int64_t rank = xs.size();
  auto start = intAttr("start", 0), end = intAttr("end", rank);
  if (failed(start) || failed(end))
    return failure();
  auto clampAxis = [&](int64_t a) {
    if (a < 0)
      a += rank;
    return std::clamp<int64_t>(a, 0, rank);
  };
  int64_t s = clampAxis(*start), e = clampAxis(*end);
  HostTensor t;
  t.isFloat = false;
  for (int64_t d = s; d < e; ++d)
    t.i.push_back(xs[d]);
  t.shape = {(int64_t)t.i.size()};
  return setConstOutput(0, std::move(t));
}

LogicalResult Importer::convertGather() {
  const HostTensor *data = constInput(0), *idx = constInput(1);
  if (!data || !idx)
    return fail("only constant data and indices are supported");
  if (idx->isFloat)
    return fail("indices must be integers");
  auto axisAttr = intAttr("axis", 0);
  if (failed(axisAttr))
    return failure();
  auto axis = normalizeAxis(*axisAttr, data->shape.size());
  if (!axis)
    return fail("axis out of range");
  int64_t outer = product(ArrayRef<int64_t>(data->shape).take_front(*axis));
  int64_t dim = data->shape[*axis];
  int64_t inner = product(ArrayRef<int64_t>(data->shape).drop_front(*axis + 1));
  HostTensor t;
  t.isFloat = data->isFloat;
  t.shape.assign(data->shape.begin(), data->shape.begin() + *axis);
  t.shape.append(idx->shape.begin(), idx->shape.end());
  t.shape.append(data->shape.begin() + *axis + 1, data->shape.end());
  // Folded on the host: a few indices can ask for a huge result.
  std::optional<int64_t> count = numElements(t.shape);
  if (!count || *count > kMaxFoldedElements)
    return fail("the result " + shapeStr(t.shape) +
                " is too large to fold (at most 2^26 elements)");
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j : idx->i) {
      if (j < -dim || j >= dim)
        return fail("index " + Twine(j) + " out of range");
      if (j < 0)
        j += dim;
      for (int64_t k = 0; k < inner; ++k) {
        int64_t src = (o * dim + j) * inner + k;
        if (t.isFloat)
          t.f.push_back(data->f[src]);
        else
          t.i.push_back(data->i[src]);
      }
    }
  return setConstOutput(0, std::move(t));
}

LogicalResult Importer::convertConcat() {
  auto axisAttr = intAttr("axis", 0);
  if (failed(axisAttr))
    return failure();
  bool allConst = true;
  for (int k = 0; k < node->input_size(); ++k)
    allConst &= constInput(k) != nullptr;
  if (allConst) {
    const HostTensor *first = constInput(0);
    auto axis = normalizeAxis(*axisAttr, first->shape.size());
    if (!axis)
      return fail("axis out of range");
    HostTensor t;
    t.isFloat = first->isFloat;
    t.shape = first->shape;
    t.shape[*axis] = 0;
    int64_t outer = product(ArrayRef<int64_t>(first->shape).take_front(*axis));
    for (int k = 0; k < node->input_size(); ++k) {
      const HostTensor *in = constInput(k);
      if (in->isFloat != t.isFloat || in->shape.size() != t.shape.size())
        return fail("inconsistent inputs");
      for (size_t d = 0; d < t.shape.size(); ++d)
        if ((int64_t)d != *axis && in->shape[d] != first->shape[d])
          return fail("inconsistent shapes: " + shapeStr(first->shape) +
                      " and " + shapeStr(in->shape));
      t.shape[*axis] += in->shape[*axis];
    }
    for (int64_t o = 0; o < outer; ++o)
      for (int k = 0; k < node->input_size(); ++k) {
        const HostTensor *in = constInput(k);
        int64_t chunk = product(ArrayRef<int64_t>(in->shape).drop_front(*axis));
        if (t.isFloat)
          t.f.insert(t.f.end(), in->f.begin() + o * chunk,
                     in->f.begin() + (o + 1) * chunk);
        else
          t.i.insert(t.i.end(), in->i.begin() + o * chunk,
                     in->i.begin() + (o + 1) * chunk);
      }
    return setConstOutput(0, std::move(t));
  }
  SmallVector<Value> ins;
  for (int k = 0; k < node->input_size(); ++k) {
    auto v = input(k);
    if (failed(v))
      return failure();
    ins.push_back(*v);
  }
  Shape first = shapeOf(ins[0]);
  auto axis = normalizeAxis(*axisAttr, first.size());
  if (!axis || first.empty())
    return fail("axis out of range");
  Shape out = first;
  out[*axis] = 0;
  for (Value v : ins) {
    Shape s = shapeOf(v);
    if (s.size() != first.size())
      return fail("inconsistent ranks");
    for (size_t d = 0; d < s.size(); ++d)
      if ((int64_t)d != *axis && s[d] != first[d])
        return fail("inconsistent shapes: " + shapeStr(first) + " and " +
                    shapeStr(s));
    out[*axis] += s[*axis];
  }
  return setOutput(0, tosa::ConcatOp::create(b, loc, f32Type(out), ins,
                                             b.getI32IntegerAttr(*axis)));
}

LogicalResult Importer::convertCast() {
  auto to = intAttr("to", 0);
  if (failed(to))
    return failure();
  bool toFloat =
      *to == onnx::TensorProto::FLOAT || *to == onnx::TensorProto::DOUBLE;
  if (!toFloat && !isIntegerType(*to))
    return fail("unsupported attribute to=" + Twine(dataTypeName(*to)));
  if (const HostTensor *xc = constInput(0)) {
    HostTensor t;
    t.shape = xc->shape;
    t.isFloat = toFloat;
    if (toFloat && xc->isFloat)
      t.f = xc->f;
    else if (toFloat)
      for (int64_t v : xc->i)
        t.f.push_back((float)v);
    else if (!xc->isFloat)
      t.i = xc->i;
    else
      for (float v : xc->f)
        t.i.push_back(std::isfinite(v) ? (int64_t)v : 0);
    return setConstOutput(0, std::move(t));
  }
  if (!toFloat)
    return fail("casting runtime data to " + Twine(dataTypeName(*to)) +
                " is not supported");
  auto x = input(0);
  if (failed(x))
    return failure();
  return setOutput(0, *x);
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

namespace {
/// What the driver checks before a converter runs, so converters start at
/// their own work: the attributes the converter reads (space-separated; any
/// other is rejected), the number of inputs (trailing empty names are omitted
/// optional inputs), and that no output but the first is used.
struct OpSpec {
  StringLiteral opType;
  StringLiteral attrs;
  int minInputs, maxInputs;
  LogicalResult (*convert)(Importer &);
};

constexpr int kVariadic = std::numeric_limits<int>::max();

// clang-format off
const OpSpec kOpSpecs[] = {
    {"Gemm", "alpha beta transA transB", 2, 3,
     [](Importer &im) { return im.convertGemm(); }},
    {"MatMul", "", 2, 2, [](Importer &im) { return im.convertMatMul(); }},
    {"Conv", "auto_pad dilations group kernel_shape pads strides", 2, 3,
     [](Importer &im) { return im.convertConv(); }},
    {"MaxPool", "auto_pad ceil_mode dilations kernel_shape pads storage_order "
                "strides", 1, 1,
     [](Importer &im) { return im.convertPool(/*isMax=*/true); }},
    {"AveragePool", "auto_pad ceil_mode count_include_pad kernel_shape pads "
                    "strides", 1, 1,
     [](Importer &im) { return im.convertPool(/*isMax=*/false); }},
    {"GlobalAveragePool", "", 1, 1,
     [](Importer &im) { return im.convertGlobalPool(/*isMax=*/false); }},
    {"GlobalMaxPool", "", 1, 1,
     [](Importer &im) { return im.convertGlobalPool(/*isMax=*/true); }},
    {"Softmax", "axis", 1, 1,
     [](Importer &im) { return im.convertSoftmax(/*isLog=*/false); }},
    {"LogSoftmax", "axis", 1, 1,
     [](Importer &im) { return im.convertSoftmax(/*isLog=*/true); }},
    {"Add", "", 2, 2, [](Importer &im) { return im.convertBinary(); }},
    {"Sub", "", 2, 2, [](Importer &im) { return im.convertBinary(); }},
    {"Mul", "", 2, 2, [](Importer &im) { return im.convertBinary(); }},
    {"Div", "", 2, 2, [](Importer &im) { return im.convertBinary(); }},
    {"Max", "", 2, 2, [](Importer &im) { return im.convertBinary(); }},
    {"Min", "", 2, 2, [](Importer &im) { return im.convertBinary(); }},
    {"Relu", "", 1, 1, [](Importer &im) { return im.convertUnary(); }},
    {"Sigmoid", "", 1, 1, [](Importer &im) { return im.convertUnary(); }},
    {"Tanh", "", 1, 1, [](Importer &im) { return im.convertUnary(); }},
    {"Exp", "", 1, 1, [](Importer &im) { return im.convertUnary(); }},
    {"Abs", "", 1, 1, [](Importer &im) { return im.convertUnary(); }},
    {"LeakyRelu", "alpha", 1, 1, [](Importer &im) { return im.convertUnary(); }},
    {"Identity", "", 1, 1, [](Importer &im) { return im.convertUnary(); }},
    {"Dropout", "ratio seed is_test", 1, 3,
     [](Importer &im) { return im.convertDropout(); }},
    {"Flatten", "axis", 1, 1, [](Importer &im) { return im.convertFlatten(); }},
    {"Reshape", "allowzero", 2, 2,
     [](Importer &im) { return im.convertReshape(); }},
    {"Transpose", "perm", 1, 1,
     [](Importer &im) { return im.convertTranspose(); }},
    // Constant checks its one value attribute itself.
    {"Constant", "value value_float value_floats value_int value_ints", 0, 0,
     [](Importer &im) { return im.convertConstant(); }},
    {"Unsqueeze", "axes", 1, 2,
     [](Importer &im) { return im.convertSqueezeUnsqueeze(true); }},
    {"Squeeze", "axes", 1, 2,
     [](Importer &im) { return im.convertSqueezeUnsqueeze(false); }},
    {"Shape", "start end", 1, 1, [](Importer &im) { return im.convertShape(); }},
    {"Gather", "axis", 2, 2, [](Importer &im) { return im.convertGather(); }},
    {"Concat", "axis", 1, kVariadic,
     [](Importer &im) { return im.convertConcat(); }},
    {"Cast", "to saturate", 1, 1, [](Importer &im) { return im.convertCast(); }},
};
// clang-format on
} // namespace

LogicalResult Importer::convertNode() {
  if (!node->domain().empty() && node->domain() != "ai.onnx")
    return fail("unsupported operator (domain '" + node->domain() + "')");
  const auto *spec = llvm::find_if(
      kOpSpecs, [&](const OpSpec &s) { return s.opType == node->op_type(); });
  if (spec == std::end(kOpSpecs))
    return fail("unsupported operator");
  if (failed(checkAttrs(spec->attrs)) ||
      failed(needInputs(spec->minInputs, spec->maxInputs)) ||
      failed(onlyFirstOutputUsed()))
    return failure();
  return spec->convert(*this);
}

LogicalResult Importer::convertDropout() {
  // Inference: identity. Reject training mode.
  if (hasInput(2)) {
    const HostTensor *tm = constInput(2);
    if (!tm || tm->isFloat || tm->i.size() != 1 || tm->i[0] != 0)
      return fail("training_mode must be a constant false");
  }
  auto x = input(0);
  if (failed(x))
    return failure();
  return setOutput(0, *x);
}

LogicalResult Importer::importInitializers(const onnx::GraphProto &g) {
  for (const auto &init : g.initializer()) {
    if (init.name().empty())
      return fail("initializer without a name");
    HostTensor t;
    if (auto err = parseTensor(init, t))
      return fail("initializer '" + init.name() + "': " + *err);
    t.blobName = init.name();
    consts[init.name()] = std::move(t);
  }
  if (g.sparse_initializer_size())
    return fail("sparse initializers are not supported");
  return success();
}

FailureOr<OwningOpRef<ModuleOp>> Importer::run(const onnx::ModelProto &model) {
  if (!model.has_graph())
    return fail("not an ONNX model (no graph)");
  const onnx::GraphProto &g = model.graph();
  opset = 0;
  for (const auto &os : model.opset_import())
    if (os.domain().empty() || os.domain() == "ai.onnx")
      opset = os.version();
  // Opset-dependent semantics are handled per operator (Softmax); removed
  // legacy attributes (consumed_inputs, broadcast, ...) are rejected by the
  // attribute checks.
  if (opset == 0)
    opset = 1;

  if (failed(importInitializers(g)))
    return failure();

  // Graph inputs (initializers excluded).
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const auto &in : g.input()) {
    if (consts.count(in.name()))
      continue;
    if (in.name().empty())
      return fail("graph input without a name");
    if (!in.type().has_tensor_type())
      return fail("graph input '" + in.name() + "' is not a tensor");
    const auto &tt = in.type().tensor_type();
    if (tt.elem_type() != onnx::TensorProto::FLOAT)
      return fail("graph input '" + in.name() +
                  "' has unsupported element type " +
                  dataTypeName(tt.elem_type()) + " (only FLOAT)");
    if (!tt.has_shape())
      return fail("graph input '" + in.name() + "' has no shape");
    Shape shape;
    for (const auto &d : tt.shape().dim()) {
      if (d.has_dim_value()) {
        if (d.dim_value() < 1)
          return fail("graph input '" + in.name() +
                      "' has a non-positive dimension");
        shape.push_back(d.dim_value());
      } else {
        shape.push_back(opts.defaultDimValue);
      }
    }
    if (!numElements(shape))
      return fail("graph input '" + in.name() + "' is too large");
    argTypes.push_back(f32Type(shape));
    argNames.push_back(in.name());
  }

  Location fileLoc = FileLineColLoc::get(&ctx, opts.sourceName, 0, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  b.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(b, fileLoc, opts.funcName,
                                   b.getFunctionType(argTypes, {}));
  func->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  Block *body = func.addEntryBlock();
  for (auto [k, name] : llvm::enumerate(argNames)) {
    BlockArgument arg = body->getArgument(k);
    arg.setLoc(NameLoc::get(StringAttr::get(&ctx, name)));
    values[name] = arg;
  }
  b.setInsertionPointToEnd(body);

  for (auto [k, n] : llvm::enumerate(g.node())) {
    node = &n;
    nodeName =
        n.name().empty() ? n.op_type() + "_" + std::to_string(k) : n.name();
    loc = NameLoc::get(StringAttr::get(&ctx, nodeName));
    for (const auto &in : n.input())
      if (!in.empty() && !isDefined(in))
        return fail("input '" + in + "' is not defined before use");
    if (failed(convertNode()))
      return failure();
  }
  node = nullptr;
  nodeName.clear();

  SmallVector<Value> results;
  for (const auto &out : g.output()) {
    Value v;
    auto it = values.find(out.name());
    if (it != values.end()) {
      v = it->second;
    } else if (auto cit = consts.find(out.name()); cit != consts.end()) {
      loc = NameLoc::get(StringAttr::get(&ctx, out.name()));
      auto m = materialize(out.name(), cit->second);
      if (failed(m))
        return failure();
      v = *m;
    } else {
      return fail("graph output '" + out.name() + "' is not computed");
    }
    if (out.type().has_tensor_type() && out.type().tensor_type().has_shape()) {
      Shape computed = shapeOf(v);
      const auto &dims = out.type().tensor_type().shape().dim();
      bool match = dims.size() == (int)computed.size();
      for (int d = 0; match && d < dims.size(); ++d)
        if (dims[d].has_dim_value() && dims[d].dim_value() != computed[d])
          match = false;
      if (!match) {
        Shape declared;
        for (const auto &d : dims)
          declared.push_back(d.has_dim_value() ? d.dim_value() : -1);
        return fail("inconsistent shapes: graph output '" + out.name() +
                    "' is declared " + shapeStr(declared) +
                    " but computes to " + shapeStr(computed));
      }
    }
    results.push_back(v);
  }
  if (results.empty())
    return fail("graph has no outputs");
  func::ReturnOp::create(b, fileLoc, results);
  func.setFunctionType(
      b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  if (failed(verify(*module)))
    return failure();
  return module;
}

} // namespace

void registerImportDialects(DialectRegistry &registry) {
  registry.insert<func::FuncDialect, tosa::TosaDialect>();
}

FailureOr<OwningOpRef<ModuleOp>> importOnnxModel(StringRef bytes,
                                                 MLIRContext &context,
                                                 const ImportOptions &options,
                                                 raw_ostream &diag) {
  context.loadDialect<func::FuncDialect, tosa::TosaDialect>();
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
    if (d.getSeverity() != DiagnosticSeverity::Error)
      return success();
    diag << "error: " << options.sourceName << ": ";
    // Verifier diagnostics come without the node prefix: name the location.
    std::string msg = d.str();
    if (!StringRef(msg).starts_with("node '") &&
        !StringRef(msg).starts_with("initializer") &&
        !StringRef(msg).starts_with("graph ")) {
      if (auto nl = dyn_cast<NameLoc>(d.getLocation()))
        diag << "node '" << nl.getName().getValue() << "': ";
    }
    // Names come from the file: escape anything unprintable.
    for (char ch : msg) {
      if (llvm::isPrint(ch))
        diag << ch;
      else
        diag << "\\x" << llvm::hexdigit((ch >> 4) & 0xF, true)
             << llvm::hexdigit(ch & 0xF, true);
    }
    diag << "\n";
    for (const Diagnostic &note : d.getNotes())
      diag << "note: " << note.str() << "\n";
    return success();
  });

  if (bytes.size() > (size_t)std::numeric_limits<int>::max()) {
    diag << "error: " << options.sourceName
         << ": file larger than 2 GiB is not supported\n";
    return failure();
  }
  onnx::ModelProto model;
  google::protobuf::io::ArrayInputStream ais(bytes.data(), (int)bytes.size());
  google::protobuf::io::CodedInputStream cis(&ais);
  cis.SetTotalBytesLimit(std::numeric_limits<int>::max());
  cis.SetRecursionLimit(64);
  if (!model.ParseFromCodedStream(&cis) || !cis.ConsumedEntireMessage()) {
    diag << "error: " << options.sourceName
         << ": malformed or truncated ONNX file (protobuf parse failed)\n";
    return failure();
  }
  if (!model.has_graph()) {
    diag << "error: " << options.sourceName
         << ": not an ONNX model (no graph; empty or truncated file?)\n";
    return failure();
  }
  Importer importer(context, options);
  return importer.run(model);
}

} // namespace cw

//===- EntryPoints.cpp - Plain C entry points of a compiled model ---------===//

#include "cw/Driver/EntryPoints.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;

namespace cw {

int64_t EntryBuffer::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string sanitizeCIdentifier(StringRef name) {
  std::string s;
  for (char c : name)
    s.push_back(llvm::isAlnum(c) || c == '_' ? c : '_');
  if (s.empty() || llvm::isDigit(s[0]))
    s.insert(s.begin(), '_');
  return s;
}

namespace {

/// The C type of a supported element type, or empty.
std::string cTypeOf(Type t) {
  if (t.isF32())
    return "float";
  if (t.isF64())
    return "double";
  if (t.isSignlessInteger(8))
    return "int8_t";
  if (t.isSignlessInteger(16))
    return "int16_t";
  if (t.isSignlessInteger(32))
    return "int32_t";
  if (t.isSignlessInteger(64))
    return "int64_t";
  return {};
}

std::string printType(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

/// The NameLoc name of `loc` (the first one of a FusedLoc), else empty.
std::string locName(Location loc) {
  if (auto name = llvm::dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = llvm::dyn_cast<FusedLoc>(loc))
    for (Location l : fused.getLocations())
      if (auto name = llvm::dyn_cast<NameLoc>(l))
        return name.getName().str();
  return {};
}

constexpr int64_t kMaxEntryBufferBytes = int64_t(1) << 48;

LogicalResult makeBuffer(func::FuncOp f, Type type, StringRef what,
                         unsigned index, std::string name, Location loc,
                         EntryBuffer &buffer) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  std::string cType = tensor ? cTypeOf(tensor.getElementType()) : "";
  if (!tensor || !tensor.hasStaticShape() || tensor.getEncoding() ||
      cType.empty())
    return f.emitError("cannot export @")
           << f.getSymName() << " as a C entry point: " << what << " #" << index
           << " has type " << type
           << "; entry points take statically shaped tensors of f32, f64 or "
              "i8/i16/i32/i64 (make the function private to skip it)";
  // The header states sizes as C integer constants and callers allocate
  // them: a buffer's byte size must be a sane int64.
  int64_t bytes = tensor.getElementTypeBitWidth() / 8;
  for (int64_t d : tensor.getShape()) {
    std::optional<int64_t> next = llvm::checkedMul(bytes, d);
    if (!next || *next > kMaxEntryBufferBytes)
      return f.emitError("cannot export @")
             << f.getSymName() << " as a C entry point: " << what << " #"
             << index << " of type " << type << " is larger than 2^48 bytes";
    bytes = *next;
  }
  buffer.name = std::move(name);
  buffer.cType = cType;
  buffer.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  buffer.mlirType = printType(type);
  buffer.sourceName = locName(loc);
  return success();
}

} // namespace

FailureOr<std::vector<EntryPoint>> addEntryWrappers(ModuleOp module) {
  SmallVector<func::FuncOp> funcs;
  for (auto f : module.getOps<func::FuncOp>())
    if (f.isPublic() && !f.isExternal())
      funcs.push_back(f);
  if (funcs.empty()) {
    module.emitError("no public function with a body to export as a C entry "
                     "point");
    return failure();
  }

  std::vector<EntryPoint> entries;
  llvm::StringMap<std::string> symbols;
  SymbolTable table(module);
  for (func::FuncOp f : funcs) {
    EntryPoint e;
    e.funcName = f.getSymName().str();
    e.symbol = "cw_" + sanitizeCIdentifier(e.funcName);
    e.wrapperName = "__cw_entry_" + sanitizeCIdentifier(e.funcName);
    auto [it, inserted] = symbols.try_emplace(e.symbol, e.funcName);
    if (!inserted) {
      f.emitError("cannot export @")
          << e.funcName << ": its C name " << e.symbol << " is also that of @"
          << it->second;
      return failure();
    }
    if (table.lookup(e.symbol) || table.lookup(e.wrapperName)) {
      f.emitError("cannot export @")
          << e.funcName << ": the module already defines a symbol named "
          << e.symbol << " or " << e.wrapperName;
      return failure();
    }
    FunctionType type = f.getFunctionType();
    for (auto [i, t] : llvm::enumerate(type.getInputs())) {
      EntryBuffer buf;
      if (failed(makeBuffer(f, t, "argument", i, "in" + std::to_string(i),
                            f.getArgument(i).getLoc(), buf)))
        return failure();
      e.inputs.push_back(std::move(buf));
    }
    for (auto [i, t] : llvm::enumerate(type.getResults())) {
      EntryBuffer buf;
      if (failed(makeBuffer(f, t, "result", i, "out" + std::to_string(i),
                            UnknownLoc::get(module.getContext()), buf)))
        return failure();
      e.outputs.push_back(std::move(buf));
    }
    entries.push_back(std::move(e));
  }

  OpBuilder b(module.getContext());
  b.setInsertionPointToEnd(module.getBody());
  for (auto [f, e] : llvm::zip_equal(funcs, entries)) {
    Location loc = f.getLoc();
    FunctionType type = f.getFunctionType();
    SmallVector<Type> argTypes;
    for (Type t :
         llvm::concat<const Type>(type.getInputs(), type.getResults())) {
      auto tensor = llvm::cast<RankedTensorType>(t);
      argTypes.push_back(
          MemRefType::get(tensor.getShape(), tensor.getElementType()));
    }
    auto wrapper = func::FuncOp::create(b, loc, e.wrapperName,
                                        b.getFunctionType(argTypes, {}));
    Block *entry = wrapper.addEntryBlock();
    OpBuilder wb = OpBuilder::atBlockBegin(entry);
    unsigned numInputs = type.getNumInputs();
    SmallVector<Value> tensors;
    for (unsigned i = 0; i < numInputs; ++i)
      tensors.push_back(bufferization::ToTensorOp::create(
          wb, loc, type.getInput(i), entry->getArgument(i),
          /*restrict=*/true, /*writable=*/false));
    auto call = func::CallOp::create(wb, loc, f, tensors);
    for (auto [i, result] : llvm::enumerate(call.getResults())) {
      auto m = bufferization::MaterializeInDestinationOp::create(
          wb, loc, result, entry->getArgument(numInputs + i));
      m.setRestrict(true);
      m.setWritable(true);
    }
    func::ReturnOp::create(wb, loc);

    // The model's function is reached through its entry point only.
    f.setPrivate();
    f->removeAttr("llvm.emit_c_interface");
  }
  return entries;
}

LogicalResult addEntryShims(ModuleOp module, ArrayRef<EntryPoint> entries) {
  MLIRContext *ctx = module.getContext();
  OpBuilder b(ctx);
  b.setInsertionPointToEnd(module.getBody());
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  auto i32 = IntegerType::get(ctx, 32);
  auto i64 = IntegerType::get(ctx, 64);
  llvm::StringMap<bool> exported;

  for (const EntryPoint &e : entries) {
    auto wrapper = module.lookupSymbol<LLVM::LLVMFuncOp>(e.wrapperName);
    if (!wrapper)
      return module.emitError("internal error: the entry wrapper ")
             << e.wrapperName << " was not lowered to an llvm.func";
    // Each memref<d0 x ... x dr-1> argument expands to (allocated ptr,
    // aligned ptr, offset, sizes..., strides...).
    SmallVector<const EntryBuffer *> buffers;
    for (const EntryBuffer &buf : e.inputs)
      buffers.push_back(&buf);
    for (const EntryBuffer &buf : e.outputs)
      buffers.push_back(&buf);
    size_t expected = 0;
    for (const EntryBuffer *buf : buffers)
      expected += 3 + 2 * buf->shape.size();
    LLVM::LLVMFunctionType wrapperType = wrapper.getFunctionType();
    if (wrapperType.getNumParams() != expected ||
        !llvm::isa<LLVM::LLVMVoidType>(wrapperType.getReturnType()))
      return wrapper.emitError("internal error: unexpected signature ")
             << wrapperType << " of the lowered entry wrapper";

    Location loc = wrapper.getLoc();
    SmallVector<Type> params(buffers.size(), ptrType);
    auto shim = LLVM::LLVMFuncOp::create(
        b, loc, e.symbol, LLVM::LLVMFunctionType::get(i32, params));
    shim.setNoUnwind(true);
    Block *entry = shim.addEntryBlock(b);
    OpBuilder sb = OpBuilder::atBlockBegin(entry);
    auto cst = [&](Type t, int64_t v) -> Value {
      return LLVM::ConstantOp::create(sb, loc, t, sb.getIntegerAttr(t, v));
    };
    SmallVector<Value> args;
    for (auto [i, buf] : llvm::enumerate(buffers)) {
      Value p = entry->getArgument(i);
      args.push_back(p);
      args.push_back(p);
      args.push_back(cst(i64, 0));
      for (int64_t d : buf->shape)
        args.push_back(cst(i64, d));
      SmallVector<int64_t> strides(buf->shape.size(), 1);
      for (int64_t d = int64_t(buf->shape.size()) - 2; d >= 0; --d)
        strides[d] = strides[d + 1] * buf->shape[d + 1];
      for (int64_t s : strides)
        args.push_back(cst(i64, s));
    }
    LLVM::CallOp::create(sb, loc, wrapper, args);
    LLVM::ReturnOp::create(sb, loc, cst(i32, 0));
    exported[e.symbol] = true;
  }

  // Only the entry points are visible outside the object file.
  for (auto f : module.getOps<LLVM::LLVMFuncOp>()) {
    if (f.isExternal() || exported.count(f.getSymName()))
      continue;
    f.setLinkage(LLVM::Linkage::Internal);
    f.setSymVisibility(std::nullopt);
  }
  return success();
}

namespace {

std::string shapeList(ArrayRef<int64_t> shape) {
  std::string s = "{";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(d);
  return s + "}";
}

std::string cDims(ArrayRef<int64_t> shape) {
  std::string s;
  for (int64_t d : shape)
    s += "[" + std::to_string(d) + "]";
  return s;
}

} // namespace

void writeCHeader(ArrayRef<EntryPoint> entries, StringRef guard,
                  StringRef source, raw_ostream &os) {
  os << "/* Generated by cw-compile";
  if (!source.empty())
    os << " from " << source;
  os << ". Do not edit.\n"
        " *\n"
        " * Each entry point takes contiguous row-major buffers: the inputs,\n"
        " * then the outputs, which it fills (the caller owns every buffer;\n"
        " * nothing is allocated for the caller). It returns 0.\n"
        " */\n";
  os << "#ifndef " << guard << "\n#define " << guard << "\n\n";
  os << "#include <stdint.h>\n\n";
  os << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n";
  for (const EntryPoint &e : entries) {
    std::string prefix =
        "CW_" + llvm::StringRef(sanitizeCIdentifier(e.funcName)).upper();
    os << "\n/* @" << e.funcName << "\n";
    auto describe = [&](const EntryBuffer &buf) {
      os << " *   " << buf.name << ": " << buf.cType << cDims(buf.shape)
         << "  (" << buf.mlirType;
      if (!buf.sourceName.empty())
        os << ", \"" << buf.sourceName << "\"";
      os << ")\n";
    };
    for (const EntryBuffer &buf : e.inputs)
      describe(buf);
    for (const EntryBuffer &buf : e.outputs)
      describe(buf);
    os << " */\n";
    os << "#define " << prefix << "_NUM_INPUTS " << e.inputs.size() << "\n";
    os << "#define " << prefix << "_NUM_OUTPUTS " << e.outputs.size() << "\n";
    auto macros = [&](const EntryBuffer &buf) {
      std::string p = prefix + "_" + StringRef(buf.name).upper();
      os << "#define " << p << "_RANK " << buf.shape.size() << "\n";
      // A scalar has no SHAPE macro: `{}` is no valid C array initialiser.
      if (!buf.shape.empty())
        os << "#define " << p << "_SHAPE " << shapeList(buf.shape) << "\n";
      os << "#define " << p << "_SIZE " << buf.getNumElements() << "\n";
    };
    for (const EntryBuffer &buf : e.inputs)
      macros(buf);
    for (const EntryBuffer &buf : e.outputs)
      macros(buf);
    os << "int " << e.symbol << "(";
    bool first = true;
    for (const EntryBuffer &buf : e.inputs) {
      os << (first ? "" : ", ") << "const " << buf.cType << " *" << buf.name;
      first = false;
    }
    for (const EntryBuffer &buf : e.outputs) {
      os << (first ? "" : ", ") << buf.cType << " *" << buf.name;
      first = false;
    }
    if (first)
      os << "void";
    os << ");\n";
  }
  os << "\n#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n#endif /* "
     << guard << " */\n";
}

} // namespace cw

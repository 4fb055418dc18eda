//===- ModelHeader.cpp - Entry points of a cw-compile header --------------===//

#include "ModelHeader.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"

using namespace llvm;

namespace cwrun {
namespace {

Error headerError(StringRef path, size_t line, const Twine &what) {
  return createStringError(inconvertibleErrorCode(),
                           Twine(path) + ":" + Twine(line) + ": " + what);
}

/// Parses `{1, 784}`; the error says what is wrong with the list.
Expected<std::vector<int64_t>> parseBraceList(StringRef text) {
  auto bad = [](const Twine &what) {
    return createStringError(inconvertibleErrorCode(), what);
  };
  text = text.trim();
  if (!text.consume_front("{") || !text.consume_back("}"))
    return bad("expected a list such as {1, 784}");
  std::vector<int64_t> dims;
  SmallVector<StringRef> parts;
  text.split(parts, ',');
  for (StringRef p : parts) {
    int64_t d;
    if (p.trim().getAsInteger(10, d))
      return bad("expected a list such as {1, 784}");
    // A zero dimension would divide by zero when splitting off the batch.
    if (d < 1)
      return bad("dimensions must be >= 1");
    dims.push_back(d);
  }
  if (Error e = countElements(dims).takeError())
    return std::move(e);
  return dims;
}

/// Parses one parameter, `const float *in0` or `float *out0`.
bool parseParam(StringRef p, Buffer &buf, bool &isInput) {
  p = p.trim();
  isInput = p.consume_front("const ");
  size_t star = p.find('*');
  if (star == StringRef::npos)
    return false;
  buf.cType = p.take_front(star).trim().str();
  buf.name = p.drop_front(star + 1).trim().str();
  return !buf.cType.empty() && !buf.name.empty();
}

} // namespace

Expected<int64_t> countElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    // Dividing first cannot overflow; n stays <= kMaxElements.
    if (d > kMaxElements || n > kMaxElements / d)
      return createStringError(inconvertibleErrorCode(),
                               "more than " + Twine(kMaxElements) +
                                   " elements");
    n *= d;
  }
  return n;
}

int64_t Buffer::getNumElements() const {
  // The parsers checked the shape, so this cannot overflow.
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Expected<std::vector<EntryPoint>> parseHeader(StringRef text, StringRef path) {
  // Macros seen since the previous prototype.
  struct Macro {
    std::string name, value;
    size_t line;
  };
  std::vector<Macro> macros;
  std::vector<EntryPoint> entries;
  SmallVector<StringRef> lines;
  text.split(lines, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    StringRef line = lines[i].trim();
    const size_t lineNo = i + 1;
    if (line.consume_front("#define ")) {
      auto [name, value] = line.split(' ');
      macros.push_back({name.str(), value.trim().str(), lineNo});
      continue;
    }
    if (!line.starts_with("int cw_"))
      continue;
    size_t open = line.find('('), close = line.rfind(')');
    if (open == StringRef::npos || close == StringRef::npos || close < open)
      return headerError(path, lineNo, "cannot parse prototype '" + line + "'");
    EntryPoint e;
    e.symbol = line.slice(4, open).trim().str();
    StringRef params = line.slice(open + 1, close).trim();
    if (params != "void") {
      SmallVector<StringRef> parts;
      params.split(parts, ',');
      for (StringRef p : parts) {
        Buffer buf;
        bool isInput;
        if (!parseParam(p, buf, isInput))
          return headerError(path, lineNo,
                             "cannot parse parameter '" + p.trim() + "'");
        (isInput ? e.inputs : e.outputs).push_back(buf);
      }
    }
    // The buffer macros sit between the previous prototype and this one.
    auto findMacro = [&](const std::string &suffix) -> const Macro * {
      for (auto it = macros.rbegin(); it != macros.rend(); ++it)
        if (StringRef(it->name).ends_with(suffix))
          return &*it;
      return nullptr;
    };
    for (std::vector<Buffer> *bufs : {&e.inputs, &e.outputs}) {
      for (Buffer &buf : *bufs) {
        std::string upper = "_" + StringRef(buf.name).upper();
        const Macro *rank = findMacro(upper + "_RANK");
        unsigned r;
        if (!rank || StringRef(rank->value).getAsInteger(10, r))
          return headerError(path, lineNo,
                             "no rank macro for " + buf.name + " of " +
                                 e.symbol);
        if (r == 0)
          continue;
        const Macro *shape = findMacro(upper + "_SHAPE");
        if (!shape)
          return headerError(path, lineNo,
                             "no shape macro for " + buf.name + " of " +
                                 e.symbol);
        Expected<std::vector<int64_t>> dims = parseBraceList(shape->value);
        if (!dims)
          return headerError(path, shape->line,
                             "bad " + shape->name + " '" + shape->value +
                                 "': " + toString(dims.takeError()));
        if (dims->size() != r)
          return headerError(path, shape->line,
                             "bad " + shape->name + " '" + shape->value +
                                 "': " + Twine(dims->size()) + " dimensions, " +
                                 rank->name + " is " + Twine(r));
        buf.shape = std::move(*dims);
      }
    }
    macros.clear();
    entries.push_back(std::move(e));
  }
  return entries;
}

Expected<std::vector<int64_t>> parseShape(StringRef text, StringRef option) {
  auto bad = [&](const Twine &what) {
    return createStringError(inconvertibleErrorCode(), "bad shape '" + text +
                                                           "': " + what + " (" +
                                                           option + ")");
  };
  std::vector<int64_t> dims;
  SmallVector<StringRef> parts;
  text.split(parts, text.contains(',') ? ',' : 'x');
  for (StringRef p : parts) {
    int64_t d;
    if (p.trim().getAsInteger(10, d) || d < 1)
      return bad("expected dimensions >= 1 such as 1x784");
    dims.push_back(d);
  }
  if (Expected<int64_t> n = countElements(dims); !n)
    return bad(toString(n.takeError()));
  return dims;
}

std::string formatShape(const std::vector<int64_t> &shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s.empty() ? "scalar" : s;
}

} // namespace cwrun

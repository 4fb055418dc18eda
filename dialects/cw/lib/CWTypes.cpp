//===- CWTypes.cpp - Encoded weight tensor type ---------------------------===//

#include "cw/Dialect/CW/CWTypes.h"
#include "cw/Dialect/CW/CWDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mlir::cw;

#define GET_TYPEDEF_CLASSES
#include "cw/Dialect/CW/CWTypes.cpp.inc"

void CWDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "cw/Dialect/CW/CWTypes.cpp.inc"
      >();
}

int64_t EncodedTensorType::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : getShape())
    n *= d;
  return n;
}

// !cw.tensor<300x784xf32, #cw.huffman<...>>
Type EncodedTensorType::parse(AsmParser &parser) {
  SmallVector<int64_t> shape;
  Type elementType;
  Attribute encoding;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() ||
      parser.parseDimensionList(shape, /*allowDynamic=*/false,
                                /*withTrailingX=*/true) ||
      parser.parseType(elementType) || parser.parseComma() ||
      parser.parseAttribute(encoding) || parser.parseGreater())
    return {};
  return parser.getChecked<EncodedTensorType>(loc, parser.getContext(), shape,
                                              elementType, encoding);
}

void EncodedTensorType::print(AsmPrinter &printer) const {
  printer << "<";
  for (int64_t d : getShape())
    printer << d << "x";
  printer << getElementType() << ", " << getEncoding() << ">";
}

LogicalResult
EncodedTensorType::verify(function_ref<InFlightDiagnostic()> emitError,
                          ArrayRef<int64_t> shape, Type elementType,
                          Attribute encoding) {
  if (shape.empty())
    return emitError() << "encoded weight tensors must have rank >= 1";
  // Codecs and reference decoders hold the whole matrix in memory, and the
  // [rows, cols] view multiplies the trailing dimensions: bound the element
  // count so no size computation downstream can overflow.
  constexpr int64_t kMaxElements = int64_t(1) << 40;
  int64_t elements = 1;
  for (int64_t d : shape) {
    if (d <= 0)
      return emitError() << "encoded weight dimensions must be static and "
                            "positive, got "
                         << d;
    std::optional<int64_t> product = llvm::checkedMul(elements, d);
    if (!product || *product > kMaxElements)
      return emitError() << "encoded weight tensors hold at most 2^40 "
                            "elements";
    elements = *product;
  }
  if (!elementType.isF32())
    return emitError() << "encoded weights hold f32 values, got "
                       << elementType;
  if (!encoding || !llvm::isa<EncodingAttrInterface>(encoding))
    return emitError() << "expected a cw encoding attribute (#cw.dense, "
                          "#cw.csr, #cw.huffman, #cw.bloomier, #cw.wavelet, "
                          "#cw.sz), got "
                       << encoding;
  return success();
}

//===- CWTypes.cpp - Encoded weight tensor type ---------------------------===//

#include "cw/Dialect/CW/CWTypes.h"
#include "cw/Dialect/CW/CWDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

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
  for (int64_t d : shape)
    if (d <= 0)
      return emitError() << "encoded weight dimensions must be static and "
                            "positive, got "
                         << d;
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

//===- CWTypes.td - Encoded weight tensor type --------------*- tablegen -*-===//
#ifndef CW_TYPES_TD
#define CW_TYPES_TD

include "cw/Dialect/CW/CWDialect.td"
include "mlir/IR/AttrTypeBase.td"

def CW_EncodedTensorType : TypeDef<CW_Dialect, "EncodedTensor"> {
  let mnemonic = "tensor";
  let summary = "A weight tensor stored in an encoded (compressed) form";
  let description = [{
    A statically shaped weight tensor whose values are only reachable through
    its encoding, as sparse_tensor attaches its encoding to a tensor type:
    `!cw.tensor<300x784xf32, #cw.huffman>`. The encoding attribute must
    implement the cw encoding interface.
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$shape,
                        "::mlir::Type":$elementType,
                        "::mlir::Attribute":$encoding);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    ::mlir::cw::EncodingAttrInterface getEncodingInterface() const {
      return ::llvm::cast<::mlir::cw::EncodingAttrInterface>(getEncoding());
    }
    int64_t getNumElements() const;
    /// The dense tensor type this weight decodes to.
    ::mlir::RankedTensorType getDecodedType() const {
      return ::mlir::RankedTensorType::get(getShape(), getElementType());
    }
  }];
}

#endif // CW_TYPES_TD

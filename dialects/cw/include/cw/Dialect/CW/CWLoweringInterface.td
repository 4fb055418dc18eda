//===- CWLoweringInterface.td - How an encoding is decoded in code -*- tablegen -*-===//
#ifndef CW_LOWERING_INTERFACE_TD
#define CW_LOWERING_INTERFACE_TD

include "mlir/IR/OpBase.td"

def CW_DecodeLoweringAttrInterface : AttrInterface<"DecodeLoweringAttrInterface"> {
  let cppNamespace = "::mlir::cw";
  let description = [{
    Supplies the generated decode loops of an encoding to the fused lowering
    (convert-cw-to-loops). The encoding reads its blob's layout through its
    codec at compile time, emits the payload and tables as read-only globals,
    and emits loops that visit every stored weight in row order, calling the
    emitter's beginRow / visit / endRow hooks; the lowering driver turns those
    hooks into the multiply-accumulate of cw.matmul, cw.conv2d, or the stores
    of cw.decode. A new encoding is a new attribute, a codec, and one model
    of this interface: the driver does not change.

    Implementations are attached as external models by the conversion
    library (registerDecodeLoweringModels), so the dialect stays free of the
    lowering.
  }];
  let methods = [
    InterfaceMethod<[{
        Emits, at the emitter's insertion point, the loops decoding every
        row of the weight. Fails with a diagnostic on a malformed blob.
      }], "::llvm::LogicalResult", "emitDecodeLoops",
      (ins "::mlir::cw::DecodeEmitter &":$emitter)>,
  ];
}

#endif // CW_LOWERING_INTERFACE_TD

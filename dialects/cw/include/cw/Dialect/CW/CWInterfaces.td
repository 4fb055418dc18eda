//===- CWInterfaces.td - Encoding attribute interface -------*- tablegen -*-===//
#ifndef CW_INTERFACES_TD
#define CW_INTERFACES_TD

include "mlir/IR/OpBase.td"

def CW_EncodingAttrInterface : AttrInterface<"EncodingAttrInterface"> {
  let cppNamespace = "::mlir::cw";
  let description = [{
    Implemented by every weight encoding (#cw.dense, #cw.csr, ...). It ties
    the attribute to the codec that owns the bit layout: the dialect, the
    passes and the lowering go through this interface and never parse a blob
    themselves. Weight matrices are seen by codecs as [shape[0],
    product(shape[1:])] row-major: rows are output features.
  }];
  let methods = [
    InterfaceMethod<"The encoding's name as written after `#cw.`.",
      "::llvm::StringRef", "getEncodingName", (ins)>,
    InterfaceMethod<[{
        Whether the encoding stores cluster indices and so needs a codebook
        beside its blob (every encoding but `sz`).
      }], "bool", "requiresCodebook", (ins)>,
    InterfaceMethod<[{
        Size in bits of everything needed to reproduce the weight: the blob
        (headers, tables, payload) plus a codebook of `numClusters` fp32
        centroids. This is what reports divide the fp32 size by.
      }], "uint64_t", "getEncodedSizeInBits",
      (ins "::llvm::ArrayRef<uint8_t>":$blob, "unsigned":$numClusters), [{}],
      [{ return uint64_t(blob.size()) * 8 + uint64_t(numClusters) * 32; }]>,
    InterfaceMethod<[{
        Checks that `blob` is a well-formed blob of this encoding for a
        weight of `shape` with `numClusters` codebook entries (header, sizes,
        parameters agreeing with the attribute). Reports through `emitError`.
      }], "::llvm::LogicalResult", "verifyBlob",
      (ins "::llvm::ArrayRef<uint8_t>":$blob,
           "::llvm::ArrayRef<int64_t>":$shape, "unsigned":$numClusters,
           "::llvm::function_ref<::mlir::InFlightDiagnostic()>":$emitError)>,
    InterfaceMethod<[{
        Reference decode through the codec: the dense row-major fp32 values
        of the weight. Fails (through `emitError`) on a malformed blob.
      }], "::llvm::FailureOr<std::vector<float>>", "referenceDecode",
      (ins "::llvm::ArrayRef<uint8_t>":$blob,
           "::llvm::ArrayRef<float>":$codebook,
           "::llvm::ArrayRef<int64_t>":$shape,
           "::llvm::function_ref<::mlir::InFlightDiagnostic()>":$emitError)>,
    InterfaceMethod<[{
        Encodes a weight through the codec. `clustered` holds the cluster
        indices and codebook; `dense` the fp32 values (used by `sz`). Returns
        the blob and may return a copy of the attribute with parameters
        filled in by the encoder (cells, seed) in `resolved`. Sizes and the
        entropy floor go to `stats`.
      }], "::llvm::FailureOr<std::vector<uint8_t>>", "encode",
      (ins "const ::cw::codec::ClusteredMatrix &":$clustered,
           "::llvm::ArrayRef<float>":$dense,
           "::cw::codec::EncodingStats &":$stats,
           "::mlir::Attribute &":$resolved,
           "::llvm::function_ref<::mlir::InFlightDiagnostic()>":$emitError)>,
  ];
}

#endif // CW_INTERFACES_TD

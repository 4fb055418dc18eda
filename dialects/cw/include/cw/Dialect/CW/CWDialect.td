//===- CWDialect.td - The cw dialect ------------------------*- tablegen -*-===//
//
// cw: weights that are pruned, clustered and entropy-encoded inside the IR,
// and ops that multiply straight from the encoded form.
//
//===----------------------------------------------------------------------===//
#ifndef CW_DIALECT_TD
#define CW_DIALECT_TD

include "mlir/IR/OpBase.td"

def CW_Dialect : Dialect {
  let name = "cw";
  let cppNamespace = "::mlir::cw";
  let summary = "Compressed weights: encoded weight tensors and fused ops";
  let description = [{
    The cw dialect carries neural-network weights in compressed form. An
    encoded weight tensor `!cw.tensor<300x784xf32, #cw.huffman<...>>` pairs a
    logical shape with an encoding attribute (one per compression method:
    dense, csr, huffman, bloomier, wavelet, sz). `cw.weights` materialises
    one from a blob and a codebook; `cw.matmul` and `cw.conv2d` consume it
    directly; `cw.decode` expands it to a dense tensor.
  }];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
  let extraClassDeclaration = [{
    void registerAttributes();
    void registerTypes();
  }];
}

#endif // CW_DIALECT_TD

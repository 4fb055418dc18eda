//===- CWOps.td - cw operations -----------------------------*- tablegen -*-===//
#ifndef CW_OPS_TD
#define CW_OPS_TD

include "cw/Dialect/CW/CWDialect.td"
include "cw/Dialect/CW/CWTypes.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class CW_Op<string mnemonic, list<Trait> traits = []>
    : Op<CW_Dialect, mnemonic, traits>;

def CW_WeightsOp : CW_Op<"weights", [Pure]> {
  let summary = "An encoded weight tensor from a blob and a codebook";
  let description = [{
    Materialises an encoded weight. `data` is the codec's blob, as a
    `dense_resource` of i8 (large weights never travel as text literals);
    `codebook` holds the cluster centroids the blob's indices refer to (absent
    for encodings that store values, such as `sz`). `name` is the layer name
    reports use.

    ```mlir
    %w = cw.weights {codebook = dense<[...]> : tensor<32xf32>,
                     data = dense_resource<fc0> : tensor<41234xi8>}
         : !cw.tensor<300x784xf32, #cw.huffman>
    ```
  }];
  let arguments = (ins ElementsAttr:$data,
                       OptionalAttr<FloatElementsAttr<32>>:$codebook,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs CW_EncodedTensorType:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The blob's bytes, or failure when it is not available (an elided
    /// resource).
    ::llvm::FailureOr<::llvm::ArrayRef<uint8_t>> getBlob();
    /// The codebook as floats (empty when absent).
    std::vector<float> getCodebookValues();
  }];
}

def CW_DecodeOp : CW_Op<"decode", [Pure]> {
  let summary = "Decodes an encoded weight tensor to a dense tensor";
  let description = [{
    Expands an encoded weight to its dense values. Of a `cw.weights` it
    folds to a dense constant through the codec's reference decoder.

    ```mlir
    %d = cw.decode %w : !cw.tensor<300x784xf32, #cw.huffman>
                        -> tensor<300x784xf32>
    ```
  }];
  let arguments = (ins CW_EncodedTensorType:$weights);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$weights attr-dict `:` type($weights) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def CW_MatmulOp : CW_Op<"matmul", [Pure]> {
  let summary = "Activations times encoded weights";
  let description = [{
    `result[b, m, n] = sum_k input[b, m, k] * weights[n, k]`: the weights are
    stored [N, K], one row per output feature (the layout every codec reads
    row by row). `input` is [M, K] or, as in tosa.matmul, [B, M, K]; the
    result has the input's rank. Lowering decodes each weight once and uses
    it for every row of the input.

    ```mlir
    %y = cw.matmul %x, %w : (tensor<1x784xf32>,
                             !cw.tensor<300x784xf32, #cw.huffman>)
                            -> tensor<1x300xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, CW_EncodedTensorType:$weights);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat =
      "$input `,` $weights attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def CW_Conv2DOp : CW_Op<"conv2d", [Pure]> {
  let summary = "2-D convolution with encoded weights (tosa.conv2d semantics)";
  let description = [{
    NHWC input [N, H, W, IC], weights [OC, KH, KW, IC], bias [OC], result
    [N, OH, OW, OC] with `pad` = [top, bottom, left, right], `stride` =
    [y, x] and `dilation` = [y, x] exactly as tosa.conv2d.

    ```mlir
    %y = cw.conv2d %x, %w, %b {pad = array<i64: 0, 0, 0, 0>,
                               stride = array<i64: 1, 1>,
                               dilation = array<i64: 1, 1>}
         : (tensor<1x28x28x1xf32>, !cw.tensor<20x5x5x1xf32, #cw.csr>,
            tensor<20xf32>) -> tensor<1x24x24x20xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, CW_EncodedTensorType:$weights,
                       AnyRankedTensor:$bias,
                       DenseI64ArrayAttr:$pad, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$dilation);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input `,` $weights `,` $bias attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

def CW_PermuteOp : CW_Op<"permute",
    [Pure, AllTypesMatch<["low", "high", "result"]>]> {
  let summary = "Table lookup in two vector registers";
  let description = [{
    `result[i] = concat(low, high)[indices[i] mod 2N]` for N-element `low`
    and `high`: a lookup table of 2N entries held in two registers. The lane
    decoder of #cw.csr<lanes = 16> reads its 128-entry decode tables and its
    codebook this way. Two forms, the ones AVX-512 has single instructions
    for: `vector<64xi8>` tables with `vector<64xi8>` indices (vpermi2b,
    VBMI) and `vector<16xf32>` tables with `vector<16xi32>` indices
    (vpermi2ps). Pure, so bufferization and its deallocation see through it;
    cw-lower-permute turns it into the x86 intrinsic before convert-to-llvm.

    Example: `%r = cw.permute %lo, %idx, %hi : vector<64xi8>, vector<64xi8>`
  }];
  let arguments = (ins AnyVectorOfNonZeroRank:$low,
                       AnyVectorOfNonZeroRank:$indices,
                       AnyVectorOfNonZeroRank:$high);
  let results = (outs AnyVectorOfNonZeroRank:$result);
  let assemblyFormat = "$low `,` $indices `,` $high attr-dict `:` "
                       "type($low) `,` type($indices)";
  let hasVerifier = 1;
}

#endif // CW_OPS_TD

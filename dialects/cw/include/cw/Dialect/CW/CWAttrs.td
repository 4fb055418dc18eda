//===- CWAttrs.td - Weight encoding attributes --------------*- tablegen -*-===//
//
// One attribute per compression method. Each names the codec that owns its
// bit layout (include/cw/Codec) and carries that codec's parameters.
//
//===----------------------------------------------------------------------===//
#ifndef CW_ATTRS_TD
#define CW_ATTRS_TD

include "cw/Dialect/CW/CWDialect.td"
include "cw/Dialect/CW/CWInterfaces.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def CW_WaveletModeElement : I32EnumAttrCase<"element", 0>;
def CW_WaveletModeBlock : I32EnumAttrCase<"block", 1>;
def CW_WaveletModeSparse : I32EnumAttrCase<"sparse", 2>;
def CW_WaveletMode : I32EnumAttr<"WaveletMode",
    "runtime-accessible sequence laid out in the wavelet tree",
    [CW_WaveletModeElement, CW_WaveletModeBlock, CW_WaveletModeSparse]> {
  let cppNamespace = "::mlir::cw";
  let genSpecializedAttr = 0;
}

def CW_PredictorPrev : I32EnumAttrCase<"prev", 0>;
def CW_PredictorLorenzo : I32EnumAttrCase<"lorenzo", 1>;
def CW_PredictorLinear : I32EnumAttrCase<"linear", 2>;
def CW_Predictor : I32EnumAttr<"Predictor", "SZ value predictor",
    [CW_PredictorPrev, CW_PredictorLorenzo, CW_PredictorLinear]> {
  let cppNamespace = "::mlir::cw";
  let genSpecializedAttr = 0;
}

// `true` / `false` keywords (the default integer parser would want 0 / 1).
class CW_BoolParameter<string default, string desc>
    : DefaultValuedParameter<"bool", default, desc> {
  let parser = [{ [&]() -> ::mlir::FailureOr<bool> {
    if (succeeded($_parser.parseOptionalKeyword("true"))) return true;
    if (succeeded($_parser.parseOptionalKeyword("false"))) return false;
    return $_parser.emitError($_parser.getCurrentLocation(),
                              "expected 'true' or 'false'");
  }() }];
  let printer = [{ $_printer << ($_self ? "true" : "false") }];
}

// A double such as 1.0e-3, held as an APFloat (hashable; no FieldParser
// exists for floats).
class CW_F64Parameter<string default, string desc>
    : DefaultValuedParameter<"::llvm::APFloat", "::llvm::APFloat(" # default # ")",
                             desc> {
  let parser = [{ [&]() -> ::mlir::FailureOr<::llvm::APFloat> {
    double value;
    if ($_parser.parseFloat(value)) return ::mlir::failure();
    return ::llvm::APFloat(value);
  }() }];
  let printer = [{ $_printer.printFloat($_self) }];
  let comparator = "$_lhs.bitwiseIsEqual($_rhs)";
}

class CW_EncodingAttr<string name, string attrMnemonic>
    : AttrDef<CW_Dialect, name,
              [DeclareAttrInterfaceMethods<CW_EncodingAttrInterface,
                                           ["requiresCodebook"]>]> {
  let mnemonic = attrMnemonic;
}

def CW_DenseEncodingAttr : CW_EncodingAttr<"DenseEncoding", "dense"> {
  let summary = "Fixed-width cluster indices, every position stored";
  let description = [{
    Each position's cluster index (0 = pruned zero) in ceil(log2(k+1)) bits,
    rows randomly accessible. Deep Compression's "P+Q" without the sparse
    format; the baseline every other encoding is compared with.
    Example: `#cw.dense`.
  }];
  // Custom only to reject `#cw.dense<...>`, which the default parser of a
  // parameterless attribute would accept and drop.
  let hasCustomAssemblyFormat = 1;
}

def CW_CsrEncodingAttr : CW_EncodingAttr<"CsrEncoding", "csr"> {
  let summary = "Relative-index sparse (Deep Compression Fig. 2)";
  let description = [{
    Nonzeros as (gap, cluster index) pairs, the gap to the previous nonzero in
    `gap_bits` bits with a filler zero entry when it overflows; indices and
    gaps optionally Huffman-coded; rows cut into independently decodable
    chunks of `rows_per_chunk`.
    Codes are limited to `max_code_length` bits so the generated decoder's
    lookup table (2^max_code_length entries) stays in L1.
    `lanes = 16` interleaves each group of 16 consecutive rows in one word
    stream that a SIMD decoder reads in lockstep, one row per lane (both
    streams Huffman-coded, `max_code_length` <= 8; at <= 7 the decode tables
    fit AVX-512 registers); `rows_per_chunk` is then 16.
    Example: `#cw.csr<gap_bits = 5, huffman_indices = true,
    huffman_gaps = true>`, `#cw.csr<gap_bits = 6, max_code_length = 7,
    lanes = 16>`.
  }];
  let parameters = (ins
    DefaultValuedParameter<"unsigned", "5", "bits per relative index">:$gap_bits,
    CW_BoolParameter<"true", "Huffman-code the cluster indices">:$huffman_indices,
    CW_BoolParameter<"true", "Huffman-code the gaps">:$huffman_gaps,
    DefaultValuedParameter<"unsigned", "64", "rows per decodable chunk">:$rows_per_chunk,
    DefaultValuedParameter<"unsigned", "12", "longest Huffman code in bits">:$max_code_length,
    DefaultValuedParameter<"unsigned", "0", "rows decoded in lockstep (0 or 16)">:$lanes
  );
  let assemblyFormat = "(`<` struct(params)^ `>`)?";
  let genVerifyDecl = 1;
}

def CW_HuffmanEncodingAttr : CW_EncodingAttr<"HuffmanEncoding", "huffman"> {
  let summary = "Canonical Huffman over every position's cluster index";
  let description = [{
    Length-limited canonical Huffman code over the cluster indices of all
    positions (zeros included), in chunks of `rows_per_chunk` rows.
    Example: `#cw.huffman<max_code_length = 12>`.
  }];
  let parameters = (ins
    DefaultValuedParameter<"unsigned", "12", "longest code in bits">:$max_code_length,
    DefaultValuedParameter<"unsigned", "64", "rows per decodable chunk">:$rows_per_chunk
  );
  let assemblyFormat = "(`<` struct(params)^ `>`)?";
  let genVerifyDecl = 1;
}

def CW_BloomierEncodingAttr : CW_EncodingAttr<"BloomierEncoding", "bloomier"> {
  let summary = "Bloomier filter: position -> cluster index (Weightless)";
  let description = [{
    A table of `cells` cells of `cell_bits` (t) bits; a position's value is
    the XOR of `hashes` (k) cells and a hash-derived mask. Positions never
    inserted (pruned zeros) decode to zero unless they hit a false positive
    (rate about clusters / 2^t). One filter per chunk of `rows_per_chunk`
    rows keeps each table small enough for L1/L2. `cells` (the total over all
    chunks) and `seed` are recorded by the encoder (0 = let it choose).
    Example: `#cw.bloomier<cell_bits = 8, hashes = 3, cells = 2048, seed = 1>`.
  }];
  let parameters = (ins
    DefaultValuedParameter<"unsigned", "8", "bits per cell (t)">:$cell_bits,
    DefaultValuedParameter<"unsigned", "3", "hash functions (k)">:$hashes,
    DefaultValuedParameter<"uint64_t", "0", "table cells (m)">:$cells,
    DefaultValuedParameter<"uint64_t", "0", "hash seed">:$seed,
    DefaultValuedParameter<"unsigned", "0",
                           "rows per filter (0 = about 16K nonzeros each)">:$rows_per_chunk
  );
  let assemblyFormat = "(`<` struct(params)^ `>`)?";
  let genVerifyDecl = 1;
}

def CW_WaveletEncodingAttr : CW_EncodingAttr<"WaveletEncoding", "wavelet"> {
  let summary = "Wavelet tree over a runtime-accessible sequence";
  let description = [{
    The weights laid out element-wise, block-wise (`block_size` elements per
    symbol) or as sparse (relative position, value) tuples, stored in a
    wavelet tree read through rank / select / access (Succinct Compression).
    Example: `#cw.wavelet<mode = sparse>`.
  }];
  let parameters = (ins
    DefaultValuedParameter<"::mlir::cw::WaveletMode",
                           "::mlir::cw::WaveletMode::element",
                           "sequence layout">:$mode,
    DefaultValuedParameter<"unsigned", "4", "elements per block">:$block_size
  );
  let assemblyFormat = "(`<` struct(params)^ `>`)?";
  let genVerifyDecl = 1;
}

def CW_SZEncodingAttr : CW_EncodingAttr<"SZEncoding", "sz"> {
  let summary = "SZ-style error-bounded values + lossless gaps (DeepSZ)";
  let description = [{
    The nonzero values predicted, quantised into bins of width
    2 * `error_bound` and Huffman-coded; every decoded value is within
    `error_bound` of the original. The index gaps are Huffman-coded
    losslessly in the same stream. The blob uses the codec's in-code-decodable
    stage (SZ.h, stage 2: no zstd back end), so the generated loops decode
    exactly what the IR stores; DeepSZ's zstd stages stay in the codec for
    size comparisons.
    Example: `#cw.sz<error_bound = 1.0e-3, predictor = lorenzo>`.
  }];
  let parameters = (ins
    CW_F64Parameter<"1.0e-3", "absolute error bound">:$error_bound,
    DefaultValuedParameter<"::mlir::cw::Predictor",
                           "::mlir::cw::Predictor::lorenzo",
                           "value predictor">:$predictor,
    DefaultValuedParameter<"unsigned", "256", "rows per decodable chunk">:$rows_per_chunk
  );
  let assemblyFormat = "(`<` struct(params)^ `>`)?";
  let genVerifyDecl = 1;
}

#endif // CW_ATTRS_TD

//===- Passes.td - cw compression passes --------------------*- tablegen -*-===//
//
// The passes that turn a TOSA model's weight constants into cw form:
// cw-prune -> cw-cluster -> cw-encode -> cw-fuse, and cw-compress chaining
// them. Every pass works on the whole module (layer names and the report are
// model-wide). Layers are found and named by cw/Transforms/WeightLayers.h.
//
//===----------------------------------------------------------------------===//
#ifndef CW_TRANSFORMS_PASSES_TD
#define CW_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

defvar CW_LayerOverrideOption = ListOption<"layerOverrides", "layer",
    "std::string",
    "Per-layer overrides, comma-separated entries "
    "`NAME:key=value[:key=value...]` with the keys of this pass's options "
    "(e.g. `layer=fc1:sparsity=0.5,conv0:bits=6`); `skip=true` leaves the "
    "layer alone. An entry naming no layer is an error.">;

defvar CW_PruneOptions = [
  Option<"sparsity", "sparsity", "double", "0.9",
         "Fraction of each layer's weights to remove, in [0, 1]">,
  Option<"threshold", "threshold", "double", "0.0",
         "Instead of sparsity: remove weights with |w| <= threshold (>= 0)">,
  Option<"minSize", "min-size", "int64_t", "0",
         "Layers with fewer weights are not pruned">,
];

defvar CW_ClusterOptions = [
  Option<"bits", "bits", "unsigned", "0",
         "Cluster-index bits for every layer, k = 2^bits clusters, 1..8 "
         "(overrides fc-bits and conv-bits)">,
  Option<"fcBits", "fc-bits", "unsigned", "5",
         "Cluster-index bits of fully connected (matmul) layers">,
  Option<"convBits", "conv-bits", "unsigned", "8",
         "Cluster-index bits of convolution layers">,
  Option<"init", "init", "std::string", "\"linear\"",
         "Centroid initialisation: linear, density, forgy or optimal">,
  Option<"maxIterations", "max-iterations", "unsigned", "1000",
         "Cap on Lloyd iterations">,
  Option<"clusterSeed", "cluster-seed", "uint64_t", "0",
         "Seed of the forgy initialisation">,
];

defvar CW_EncodeOptions = [
  Option<"encoding", "encoding", "std::string", "\"csr\"",
         "Weight encoding: dense, csr, huffman, bloomier, wavelet or sz">,
  Option<"gapBits", "gap-bits", "unsigned", "0",
         "csr: relative-index bits for every layer, 3..8, or 0 for auto "
         "(overrides fc-gap-bits and conv-gap-bits)">,
  Option<"fcGapBits", "fc-gap-bits", "unsigned", "0",
         "csr: relative-index bits of fully connected layers (0: auto, the "
         "width of 3..8 that gives the smallest blob)">,
  Option<"convGapBits", "conv-gap-bits", "unsigned", "0",
         "csr: relative-index bits of convolution layers (0: auto)">,
  Option<"huffmanIndices", "huffman-indices", "bool", "true",
         "csr: Huffman-code the cluster indices">,
  Option<"huffmanGaps", "huffman-gaps", "bool", "true",
         "csr: Huffman-code the relative indices">,
  Option<"csrLanes", "csr-lanes", "unsigned", "0",
         "csr: 16 interleaves each group of 16 rows for a lockstep SIMD "
         "decoder (max-code-length then defaults to 7); 0: rows in order">,
  Option<"rowsPerChunk", "rows-per-chunk", "unsigned", "0",
         "csr, huffman, bloomier, sz: rows per independently decodable "
         "chunk (0: the encoding's default)">,
  Option<"maxCodeLength", "max-code-length", "unsigned", "0",
         "huffman, csr: longest Huffman code in bits (0: the encoding's "
         "default)">,
  Option<"cellBits", "cell-bits", "unsigned", "8",
         "bloomier: bits per cell (t)">,
  Option<"hashes", "hashes", "unsigned", "3",
         "bloomier: hash functions (k)">,
  Option<"cells", "cells", "uint64_t", "0",
         "bloomier: table cells (m), approximate: it becomes cells per "
         "nonzero (0: the encoder chooses)">,
  Option<"hashSeed", "hash-seed", "uint64_t", "0",
         "bloomier: hash seed (0: the encoder chooses)">,
  Option<"waveletMode", "wavelet-mode", "std::string", "\"element\"",
         "wavelet: sequence layout, element, block or sparse">,
  Option<"blockSize", "block-size", "unsigned", "4",
         "wavelet: elements per block">,
  Option<"errorBound", "error-bound", "double", "1.0e-3",
         "sz: absolute error bound">,
  Option<"predictor", "predictor", "std::string", "\"lorenzo\"",
         "sz: value predictor, prev, lorenzo or linear">,
];

defvar CW_ReportOptions = [
  Option<"reportPath", "report", "std::string", "\"\"",
         "Write the per-layer report as an aligned text table to this file "
         "(`-`: stderr)">,
  Option<"reportJsonPath", "report-json", "std::string", "\"\"",
         "Write the per-layer report as JSON to this file (`-`: stderr)">,
];

def CWPrune : Pass<"cw-prune", "::mlir::ModuleOp"> {
  let summary = "Magnitude-prune the weight constants of TOSA layers";
  let description = [{
    Finds the weight constant of every `tosa.matmul`, `tosa.conv2d` and
    `tosa.depthwise_conv2d` (possibly behind `tosa.reshape` /
    `tosa.transpose`) and rewrites it in place with the smallest-magnitude
    weights set to zero: `sparsity=` keeps the round((1 - s) n) largest,
    `threshold=` keeps |w| > t. Layers with fewer than `min-size` weights are
    left alone; `layer=NAME:sparsity=0.5` overrides one layer. A weight that is
    not a constant is left untouched with a remark. When neither `sparsity=`
    nor `threshold=` is given, a layer whose weights are already at least
    30 % exact zeros is taken as pruned by retraining and keeps its mask
    (with a remark): pruning it again to the default 90 % without retraining
    would cost accuracy.
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
  let options = !listconcat(CW_PruneOptions, [CW_LayerOverrideOption]);
}

def CWCluster : Pass<"cw-cluster", "::mlir::ModuleOp"> {
  let summary = "Share weights: replace each nonzero by its k-means centroid";
  let description = [{
    Clusters the nonzero weights of every layer into at most k = 2^bits
    centroids (1-D k-means; Deep Compression's defaults: 5 bits for fully
    connected layers, 8 for convolutions) and rewrites each weight constant
    with its centroid values; zeros stay zero.
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
  let options = !listconcat(CW_ClusterOptions, [CW_LayerOverrideOption]);
}

def CWEncode : Pass<"cw-encode", "::mlir::ModuleOp"> {
  let summary = "Encode weight constants into cw.weights";
  let description = [{
    Replaces the weight constant of every layer with a `cw.weights` (the
    codec's blob as a `dense_resource` named after the layer, the distinct
    nonzero values as its codebook) decoded by `cw.decode`, followed by the
    `tosa.transpose` / `tosa.reshape` that give the layer its original operand
    back. The encoded weight is always [outputs, inputs]: a matmul's
    [1, K, N] operand is stored [N, K]. Every blob is decoded again through
    the reference decoder and checked (exact for lossless encodings, within
    `error-bound` for sz, exact on the nonzeros for bloomier). Layers with
    more than 256 distinct nonzero values need `cw-cluster` first, except
    with `encoding=sz`.
  }];
  let dependentDialects = ["::mlir::cw::CWDialect",
                           "::mlir::tosa::TosaDialect"];
  let options = !listconcat(CW_EncodeOptions, CW_ReportOptions,
                            [CW_LayerOverrideOption]);
}

def CWFuse : Pass<"cw-fuse", "::mlir::ModuleOp"> {
  let summary = "Multiply straight from encoded weights";
  let description = [{
    Rewrites `tosa.matmul` and `tosa.conv2d` whose weight is (through
    `tosa.reshape` / `tosa.transpose`) the `cw.decode` of a `cw.weights` into
    `cw.matmul` / `cw.conv2d`, and erases the decode chains left dead. Only
    f32 layers with zero zero-points are fused; anything else (depthwise
    convolutions, other layouts) keeps reading its weight through
    `cw.decode`, with a remark.
  }];
  let dependentDialects = ["::mlir::cw::CWDialect",
                           "::mlir::tosa::TosaDialect"];
}

def CWCompress : Pass<"cw-compress", "::mlir::ModuleOp"> {
  let summary = "Prune, cluster, encode and fuse (Deep Compression defaults)";
  let description = [{
    Runs cw-prune, cw-cluster, cw-encode and cw-fuse in one pass with Deep
    Compression's defaults: magnitude pruning, 5-bit clusters for fully
    connected layers and 8-bit for convolutions, Huffman-coded relative-index
    sparse storage (`#cw.csr`). Every option of the stages passes through;
    `layer=` entries may mix keys of every stage. The report's errors are
    measured against the weights before pruning.
  }];
  let dependentDialects = ["::mlir::cw::CWDialect",
                           "::mlir::tosa::TosaDialect"];
  let options = !listconcat(CW_PruneOptions, CW_ClusterOptions,
                            CW_EncodeOptions, CW_ReportOptions, [
    Option<"fuse", "fuse", "bool", "true",
           "Finish with cw-fuse (false: every layer reads through cw.decode)">,
    CW_LayerOverrideOption]);
}

#endif // CW_TRANSFORMS_PASSES_TD

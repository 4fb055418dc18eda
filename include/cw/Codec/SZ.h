//===- SZ.h - SZ-style error-bounded encoding (DeepSZ §3) -------*- C++ -*-===//
//
// DeepSZ stores a pruned layer as two 1-D arrays: the nonzero values (fp32)
// and the index gaps (8 bits each). The gaps are compressed losslessly with
// Zstandard; the values are compressed SZ-style with a user error bound eb:
// every decoded value x' satisfies |x - x'| <= eb.
//
// Sparse layout (entries)
// -----------------------
// Rows are scanned in row-major order. Within a row the column cursor starts
// at -1 (it restarts at every row). Each entry has a gap g in 1..255 and a
// value: the cursor advances by g and the value is written at that column.
// A nonzero whose distance to the previous nonzero of its row (or to -1) is
// d <= 255 is one entry (g = d). When d > 255, filler entries with g = 255
// and value exactly 0.0f are emitted until the rest fits (Deep Compression's
// filler zero). A filler therefore writes +0.0f onto a pruned position, and
// the decoder does not need to tell fillers from nonzeros. The encoder
// guarantees that every filler reconstructs to exactly +0.0f (it escapes
// the filler when the quantised reconstruction is not bit-exact +0.0f).
// The number of entries of each row is stored explicitly (row counts).
// Pruned weights are the entries of `dense` equal to 0 (+0.0f or -0.0f);
// they decode as +0.0f.
//
// Values: prediction + linear-scaling quantisation
// ------------------------------------------------
// All arithmetic is IEEE binary64 (no FMA contraction) on binary32 inputs:
//   r[i]   = reconstructed value of entry i (a float), r[-1] = r[-2] = 0
//   pred   = predictor(r)                                   (double)
//   twoEb  = 2.0 * eb                                       (double)
//   q      = llround((double(x) - pred) / twoEb)            (encoder only)
//   r[i]   = float(pred + twoEb * double(q))
// The predictor only ever sees reconstructed values, so the quantisation
// error does not accumulate. Predictors (byte in the header):
//   0 prev    previous reconstructed value within the same row; 0 at the
//             first entry of every row (rows decode independently once the
//             row's first entry is known).
//   1 lorenzo the 1-D Lorenzo predictor: in one dimension Lorenzo is the
//             previous reconstructed value, r[i-1], running across row
//             boundaries; 0 at the start of a chunk.
//   2 linear  two-point linear extrapolation 2*r[i-1] - r[i-2] (in double);
//             r[i-1] for the second entry of a chunk, 0 for the first.
// The encoder accepts q only when |q| <= binRadius and the reconstruction
// keeps the bound both in double (|double(x) - double(r)| <= eb) and in
// float (|x - r| <= float(eb)); otherwise the entry is *unpredictable*: it is
// escaped, r[i] = x, and x is stored bit-exactly in the escape array.
// Bin symbol: 0 = escape, otherwise 1 + zigzag(q) with
// zigzag(q) = q >= 0 ? 2q : -2q - 1, so symbols lie in 0..2*binRadius+1
// (<= 65535: binRadius <= 32767, i.e. up to 65535 bins of width 2*eb).
//
// Blob layout (all integers little-endian, byte aligned)
// ------------------------------------------------------
//   off  size  field
//   0    4     magic "CWSZ"
//   4    1     version = 1
//   5    1     predictor (0 prev, 1 lorenzo, 2 linear)
//   6    1     entropy stage of the bin symbols (0: byte planes + zstd,
//              1: canonical Huffman + zstd, the default; 2: canonical
//              Huffman without zstd, the layout generated code decodes —
//              from offset 44 on, stage 2 has its own layout, see below)
//   7    1     reserved, 0
//   8    8     rows (u64)
//   16   8     cols (u64)
//   24   8     eb (f64, finite, > 0)
//   32   4     binRadius (u32, 1..32767)
//   36   4     rowsPerChunk (u32, >= 1)
//   40   4     numChunks (u32) = ceil(rows / rowsPerChunk) (0 when rows = 0)
//   44   40*numChunks  chunk table, per chunk:
//          +0  u64 payload offset of the chunk (from the payload start)
//          +8  u64 numEntries (gaps = values = bin symbols, fillers incl.)
//          +16 u32 numEscapes
//          +20 u32 rowCountBytes  size of section A
//          +24 u32 gapBytes       size of section B
//          +28 u32 codeBytes      size of section C
//          +32 u64 codeRawBytes   decoded size of section C
//   ..   4     FNV-1a 32-bit hash of every byte before it (header + table)
//   ..         payload: the chunks, back to back, in order
// Chunk c covers rows [c*rowsPerChunk, min(rows, (c+1)*rowsPerChunk)), is
// decodable on its own (predictor reset at its first entry) and holds:
//   A  zstd frame of u32 LE entry counts, one per row of the chunk
//   B  zstd frame of numEntries gap bytes (1..255)
//   C  zstd frame of the bin symbols (codeRawBytes once decoded):
//      stage 1: the serialised canonical Huffman code lengths of Huffman.h
//               (u32 alphabetSize = largest symbol used + 1, u32 packedBytes,
//               packed 5-bit lengths; limit 16 bits), then the LSB-first
//               Huffman bit stream of the numEntries symbols to the end;
//               empty when numEntries = 0
//      stage 0: two byte planes, numEntries low bytes then numEntries
//               high bytes (codeRawBytes = 2 * numEntries)
//   D  numEscapes raw fp32 LE escape values, in entry order (not compressed)
// A section whose uncompressed size is 0 is stored with size 0 (no frame).
// Chunk offsets are contiguous: chunk 0 at 0, chunk c+1 right after chunk
// c's section D, and the last chunk ends at the end of the blob.
// The zstd frames carry their content size and a content checksum.
//
// Entropy stage: the DeepSZ pipeline is Huffman on the bins, then zstd
// (stage 1, the default). Stage 0 gives zstd alone the 16-bit bin symbols,
// split into byte planes so zstd's literal coder sees the small low bytes
// and near-constant high bytes; it is kept for comparison (the benchmark
// prints both). Every frame is compressed with ZSTD_c_minMatch = 7: the
// streams are nearly i.i.d. and short matches only cost bits.
//
// Stage 2: raw Huffman (what #cw.sz compiles to)
// ----------------------------------------------
// Generated decode loops cannot call zstd, so stage 2 keeps everything in
// forms loops walk directly: one canonical Huffman code for the gaps and one
// for the bin symbols, shared by the whole matrix (Huffman.h; bit-reversed
// codes so that a peek of L bits indexes a 2^L decode table), and one
// LSB-first bit stream (BitStream.h) in which each entry is its gap code
// followed by its bin code. Chunks are entry points into that stream: chunk
// c starts at bit chunkBitOffsets[c] with the predictor reset and its
// escapes at chunkEscapeStarts[c]. The same 44-byte fixed header, stage = 2,
// then:
//   44   1     maxCodeLength L (8..16): the limit both codes obey
//   45   1     countBits (0..32): width of each row's entry count
//   46   2     reserved, 0
//   48   8     payloadBits
//   56   8     numEscapes
//   64         gap code lengths (Huffman.h serialisation; symbol = gap, so
//              length 0 for symbol 0; alphabet = largest gap used + 1 <= 256)
//   ..         bin code lengths (alphabet = largest symbol used + 1
//              <= 2 * binRadius + 2 <= 2^L); both empty when there are no
//              entries
//   ..         u64 chunkBitOffsets[numChunks + 1]: [0] = 0, non-decreasing,
//              [numChunks] = payloadBits
//   ..         u64 chunkEscapeStarts[numChunks + 1]: [0] = 0,
//              non-decreasing, [numChunks] = numEscapes
//   ..         row entry counts: rows fields of countBits bits, LSB-first,
//              zero-padded to a whole byte (row r at bit r * countBits)
//   ..   4     FNV-1a 32-bit hash of every byte before it
//   ..         payload: ceil(payloadBits / 8) bytes
//   ..         escapes: numEscapes raw fp32 LE values, in entry order
// and the blob ends there. Decoding chunk c: pos = chunkBitOffsets[c],
// e = chunkEscapeStarts[c], predictor reset; per row (prev: reset) col = -1
// and per entry: col += gap code; s = bin code; r = s == 0 ? escapes[e++]
// : float(pred + twoEb * unzigzag(s - 1)); out[row, col] = r. Chunk c's
// entries end exactly at bit chunkBitOffsets[c + 1] having used escapes up
// to chunkEscapeStarts[c + 1]. The encoder clamps binRadius to
// 2^(L-1) - 1 (stored in the header) so the bin alphabet fits 2^L; larger
// bins are escaped. L = 12 by default. Generated decoders index a table of
// 2^(longest code) 32-bit entries per code, so for each code the encoder
// takes the length limit (<= L) that minimises stream bytes + table bytes.
// The hash covers everything before the payload; the payload and escapes
// are checked by decoding them (parseSZRawBlob with checkPayload), which
// the lowering does before it emits loops that trust the blob.
//
// Limits of the reference decoder: at most 2^34 weights per matrix; the
// header hash, the frames' content sizes and checksums, the contiguity of
// the chunks and the per-entry checks (gap >= 1, column < cols, symbol <=
// 2*binRadius+1, escapes used = numEscapes, finite reconstructions) reject
// corrupted blobs. A flipped bit inside the raw escape array (D) is not
// detected when it still yields a finite value.
//
// Note on predictors for pruned weights: the nonzeros of a trained layer
// are close to i.i.d., so predicting from the previous value codes the
// difference of two quantised weights: on the benchmark's AlexNet fc6
// Laplace weights H0 is 5.19 bits per value at eb = 1e-2 (8.47 at 1e-3)
// against 3.96 (7.11) for the quantised values themselves. With lorenzo the
// reconstructions stay on the lattice r0 + 2*eb*Z up to float rounding.
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_SZ_H
#define CW_CODEC_SZ_H

#include "cw/Codec/Matrix.h"
#include "cw/Codec/Status.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace cw::codec {

enum class SZPredictor : uint8_t { Prev = 0, Lorenzo = 1, Linear = 2 };

/// The bins' entropy stage before the zstd back end (header byte 6).
enum class SZEntropyStage : uint8_t { Zstd = 0, Huffman = 1, HuffmanRaw = 2 };

/// Parses "prev", "lorenzo" or "linear".
Result<SZPredictor> parsePredictor(std::string_view name);
const char *predictorName(SZPredictor p);

struct SZParams {
  /// Absolute error bound eb: finite and > 0.
  double errorBound = 1e-2;
  SZPredictor predictor = SZPredictor::Lorenzo;
  /// Rows per independently decodable chunk; 0 = the whole layer in one
  /// chunk. 256 keeps the per-chunk zstd overhead below ~1 % on LeNet and
  /// AlexNet shapes (see bench/codec/SZBench.cpp).
  uint64_t rowsPerChunk = 256;
  /// Zstandard compression level of every section (1..22).
  int zstdLevel = 3;
  /// Quantisation bins q in [-binRadius, binRadius] (1..32767).
  uint32_t binRadius = 32767;
  /// Canonical Huffman of the bin symbols then zstd (DeepSZ), zstd alone,
  /// or canonical Huffman of bins and gaps without zstd (stage 2).
  SZEntropyStage entropy = SZEntropyStage::Huffman;
  /// Stage 2: the Huffman length limit L (8..16); it also caps the bin
  /// radius at 2^(L-1) - 1 (larger bins are escaped).
  unsigned rawMaxCodeLength = 12;
};

/// Details of one encode beyond EncodingStats.
struct SZEncodeInfo {
  /// max |x - x'| over all values, measured at encode time (double).
  double maxAbsError = 0;
  uint64_t numNonzeros = 0;
  uint64_t numEntries = 0; // nonzeros + fillers
  uint64_t numFillers = 0;
  uint64_t numEscapes = 0;
  /// Order-0 floors (bits) of the bin-symbol stream and the gap stream.
  double codeEntropyBits = 0;
  double gapEntropyBits = 0;
  /// Bytes by section, summed over chunks. Stage 2: headerBytes also holds
  /// the code lengths, chunk tables and row counts (rowCountBytes = the
  /// packed counts alone), codeBytes the whole interleaved gap + bin stream
  /// (gapBytes = 0).
  uint64_t headerBytes = 0; // fixed header + chunk table + hash
  uint64_t rowCountBytes = 0;
  uint64_t gapBytes = 0;
  uint64_t codeBytes = 0;
  uint64_t escapeBytes = 0;
  uint64_t numChunks = 0;
};

/// Encodes a row-major rows x cols matrix whose zeros are pruned weights.
/// Stats: blobBytes, codebookBytes = 0, entropyFloorBits = order-0 floor of
/// the bin symbols + gaps. Rejects NaN/Inf weights and a bad error bound.
Result<std::vector<uint8_t>> encodeSZMatrix(const std::vector<float> &dense,
                                            uint64_t rows, uint64_t cols,
                                            const SZParams &params,
                                            EncodingStats *stats = nullptr,
                                            SZEncodeInfo *info = nullptr);

/// SZ-encodes the dense reconstruction (m.toDense()) of a clustered matrix.
Result<std::vector<uint8_t>> encodeSZClustered(const ClusteredMatrix &m,
                                               const SZParams &params,
                                               EncodingStats *stats = nullptr,
                                               SZEncodeInfo *info = nullptr);

/// Decodes a whole blob into the dense row-major matrix.
Result<std::vector<float>> decodeSZMatrix(const uint8_t *data, size_t size,
                                          uint64_t *rows = nullptr,
                                          uint64_t *cols = nullptr);

/// The same into a caller buffer of exactly rows * cols floats (zeroed
/// first); avoids the allocation when a layer is decoded repeatedly. On error
/// the buffer content is unspecified.
Status decodeSZMatrixInto(const uint8_t *data, size_t size, float *out,
                          uint64_t outSize);

/// Stage 2 sets only firstRow, numRows, numEntries and numEscapes.
struct SZChunkInfo {
  uint64_t offset = 0; // absolute byte offset of section A in the blob
  uint64_t numEntries = 0;
  uint32_t numEscapes = 0;
  uint32_t rowCountBytes = 0;
  uint32_t gapBytes = 0;
  uint32_t codeBytes = 0;
  uint64_t codeRawBytes = 0; // decoded size of section C
  uint64_t firstRow = 0;
  uint64_t numRows = 0;
};

struct SZHeader {
  uint64_t rows = 0;
  uint64_t cols = 0;
  double errorBound = 0;
  SZPredictor predictor = SZPredictor::Lorenzo;
  SZEntropyStage entropy = SZEntropyStage::Huffman;
  uint32_t binRadius = 0;
  uint32_t rowsPerChunk = 0;
  std::vector<SZChunkInfo> chunks;
};

/// Parses and validates the header and the chunk table (hash, sizes,
/// contiguity, blob end) without touching the payload.
Result<SZHeader> parseSZHeader(const uint8_t *data, size_t size);

/// A validated stage-2 blob, the tables generated decode loops embed.
/// Pointers point into the blob, which must outlive the view.
struct SZRawView {
  uint64_t rows = 0;
  uint64_t cols = 0;
  double errorBound = 0;
  SZPredictor predictor = SZPredictor::Lorenzo;
  uint32_t binRadius = 0;
  uint32_t rowsPerChunk = 0;
  unsigned maxCodeLength = 0;
  unsigned countBits = 0;
  std::vector<uint8_t> gapLengths;
  std::vector<uint8_t> binLengths;
  std::vector<uint64_t> chunkBitOffsets;   // numChunks + 1 entries
  std::vector<uint64_t> chunkEscapeStarts; // numChunks + 1 entries
  const uint8_t *rowCounts = nullptr;
  size_t rowCountBytes = 0;
  const uint8_t *payload = nullptr;
  size_t payloadBytes = 0;
  uint64_t payloadBits = 0;
  const uint8_t *escapes = nullptr; // numEscapes * 4 bytes
  uint64_t numEscapes = 0;

  uint64_t numChunks() const { return chunkBitOffsets.size() - 1; }
  uint64_t rowCount(uint64_t row) const;
  float escape(uint64_t i) const;
};

/// Parses a stage-2 blob and validates its header, codes and tables, and
/// (with `checkPayload`) decodes every chunk so that each code, column,
/// escape and chunk end is known to be consistent.
Result<SZRawView> parseSZRawBlob(const uint8_t *data, size_t size,
                                 bool checkPayload = true);

/// Decodes chunk `chunk` alone into its numRows x cols dense rows.
Result<std::vector<float>> decodeSZChunk(const uint8_t *data, size_t size,
                                         uint64_t chunk);

} // namespace cw::codec

#endif // CW_CODEC_SZ_H

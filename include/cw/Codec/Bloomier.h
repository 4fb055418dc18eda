//===- Bloomier.h - Bloomier filter encoding (Weightless §3) ----*- C++ -*-===//
//
// A Bloomier filter stores the map position -> cluster index of the nonzeros
// of a ClusteredMatrix, and nothing about the zeros: a pruned position usually
// decodes as 0, but with probability about K / 2^t (K clusters, t-bit cells)
// it decodes as some cluster (a false positive, which Weightless absorbs by
// retraining). Lossy on the zeros, exact on every nonzero.
//
// The matrix is cut into chunks of `rowsPerChunk` consecutive rows; each chunk
// has its own filter (its own seed and cell range), small enough to stay in
// L1/L2 while its rows are multiplied, and independently queryable.
//
// ## Query (what generated code implements)
//
// For a position (row, col) of an R x C matrix:
//
//   chunk = row / rowsPerChunk
//   (seed, firstCell, S, lgL) = chunk table entry `chunk`
//   if S == 0: return 0                            // chunk holds no nonzero
//   p     = row * C + col                          // global position, u64
//   h     = fmix64(p + seed)                       // u64 arithmetic, wraps
//   seg   = ((h >> 32) * S) >> 32                  // multiply-shift, < S
//   L     = 1 << lgL
//   X     = (h >> 32) & (2^t - 1)                  // the mask
//   for i in 0..k-1:
//     off_i  = (h >> (i * lgL)) & (L - 1)          // disjoint fields of h
//     cell_i = firstCell + (seg + i) * L + off_i
//     X ^= cell[cell_i]
//   return X < K ? X + 1 : 0
//
// fmix64 is MurmurHash3's 64-bit finaliser:
//   h ^= h >> 33; h *= 0xff51afd7ed558ccd; h ^= h >> 33;
//   h *= 0xc4ceb9fe1a85ec53; h ^= h >> 33
// cell[j] is the t-bit value at bit offset j * t of the cell payload,
// LSB-first (BitStream.h). k * lgL <= 32, so the offsets use only the low 32
// bits of h, while the segment and the mask come from the high 32 bits (the
// mask from their low bits, which barely influence seg).
//
// Hashing scheme: segmented ("binary fuse"-style) hashing. A chunk's table is
// S + k - 1 segments of L cells; a key picks a window of k consecutive
// segments starting at seg and one cell in each. Keys always touch k distinct
// cells, neighbouring keys share segments (good for peeling: 3-wise fuse
// graphs peel at ~1.13 cells per key for large n, plain random 3-wise at
// 1.23), and one key's k probes lie within k * L cells (locality). The default
// cells per key follow the binary fuse filter paper (Graf & Lemire 2022):
//   k = 3: max(1.125, 0.875 + 0.25 * ln(1e6) / ln(n))
//   k = 4: max(1.075, 0.77 + 0.305 * ln(6e5) / ln(n))
//   k = 2: 2.5 (2-wise peeling needs an acyclic graph; relies on reseeding)
// with L = 2^lgL, lgL = floor(ln(n) / ln(3.33) + 2.25) for k = 3 and
// floor(ln(n) / ln(2.91) - 0.5) for k = 4 (the paper's), and for k = 2
// floor(log2(cellsPerKey * n / 2)) (a few long segments: 2-wise graphs with
// many short segments rarely peel), clamped to [1, 32 / k]; then
// S = max(1, ceil(cellsPerKey * n / L) - (k - 1)). When the clamp shortens
// the segments (chunks of more than ~37K keys for k = 3, ~26K for k = 4) the
// default cells per key is raised to at least 1.25 (k = 3) / 1.2 (k = 4).
// These are the encoder's choices; the decoder reads S and lgL per chunk.
// Measured (AlexNet fc6 shape, 205 chunks of ~16.6K keys, t = 8): k = 3
// takes 1.25 cells per key and 229 peeling attempts in all (~1 chunk in 9
// reseeds once); k = 4 takes 1.20 cells per key and 206 attempts.
//
// Construction: hypergraph peeling (repeatedly take a cell touched by exactly
// one remaining key, assign that key to it, remove the key), then assignment
// in reverse peeling order: cell[assigned] = v ^ mask ^ (the other k-1
// cells), v = clusterIndex - 1. Cells never assigned stay 0. When a chunk does
// not peel, it is retried with a fresh seed (stored in the chunk table), up
// to maxAttempts; then encoding fails.
//
// ## Blob layout (version 1; byte-aligned little-endian header and tables)
//
//   offset size  field
//   0      4     magic "CWBF"
//   4      1     version = 1
//   5      1     k, hash functions (2..4)
//   6      1     t, bits per cell (2..16)
//   7      1     reserved, 0
//   8      8     rows R (u64)
//   16     8     cols C (u64)
//   24     2     K, number of clusters (u16, 0..256, 2^t > K)
//   26     2     reserved, 0
//   28     4     rowsPerChunk (u32, >= 1)
//   32     4     numChunks = ceil(R / rowsPerChunk) (u32; 0 when R == 0)
//   36     4     reserved, 0
//   40     8     totalCells (u64)
//   48     24*numChunks  chunk table, per chunk:
//                  +0  u64 seed
//                  +8  u64 firstCell (the sum of the cells of earlier chunks)
//                  +16 u32 S, segment count (0: the chunk has no nonzero and
//                      no cells)
//                  +20 u8  lgL, log2 of the segment length (1 <= lgL,
//                      k * lgL <= 32; 0 when S == 0)
//                  +21 3 bytes reserved, 0
//                  the chunk has (S + k - 1) << lgL cells when S > 0
//   48+24*numChunks  cell payload: totalCells * t bits LSB-first, zero padded
//                  to a byte, then 8 zero bytes so that an unaligned 8-byte
//                  load at the byte of any cell stays inside the blob.
//
// The blob size is exactly 48 + 24 * numChunks + ceil(totalCells * t / 8) + 8.
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_BLOOMIER_H
#define CW_CODEC_BLOOMIER_H

#include "cw/Codec/Matrix.h"
#include "cw/Codec/Status.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cw::codec {

struct BloomierParams {
  /// Bits per cell, 2..16; 2^t must exceed the number of clusters.
  unsigned cellBits = 8;
  /// Hash functions (cells per key), 2..4.
  unsigned hashes = 3;
  /// Table cells per nonzero; 0 picks the default for `hashes` (see above).
  double cellsPerKey = 0.0;
  /// Rows per filter; 0 spreads the rows evenly over chunks of about 16384
  /// nonzeros (an L1-sized table at t = 8).
  uint32_t rowsPerChunk = 0;
  uint64_t seed = 0x5eed;
  /// Seeds tried per chunk before giving up (>= 1).
  unsigned maxAttempts = 32;
};

/// What the Bloomier encoder measured (beyond EncodingStats).
struct BloomierStats {
  uint64_t nonzeros = 0;
  uint64_t zeroPositions = 0;
  uint64_t totalCells = 0;
  uint64_t numChunks = 0;
  uint32_t rowsPerChunk = 0;
  /// Peeling attempts summed over chunks (numChunks when no chunk reseeded).
  uint64_t attempts = 0;
  /// totalCells / nonzeros.
  double cellsPerKey = 0;
  /// Zero positions of the source that decode as a cluster, and their share.
  uint64_t falsePositives = 0;
  double falsePositiveRate = 0;
  /// Weightless's K / 2^t.
  double theoreticalFalsePositiveRate = 0;
  /// Order-0 floor of the cell values (what the arithmetic coder approaches).
  double cellEntropyBits = 0;
  /// Order-0 floor of the nonzeros' cluster indices (n * H0).
  double valueEntropyBits = 0;
};

Result<std::vector<uint8_t>>
encodeBloomierMatrix(const ClusteredMatrix &m, const BloomierParams &p,
                     EncodingStats *stats = nullptr,
                     BloomierStats *bloomierStats = nullptr);

/// Queries every position: indices of the nonzeros exact, zeros 0 except the
/// false positives. The codebook is left empty.
Result<ClusteredMatrix> decodeBloomierMatrix(const uint8_t *data, size_t size);
inline Result<ClusteredMatrix>
decodeBloomierMatrix(const std::vector<uint8_t> &blob) {
  return decodeBloomierMatrix(blob.data(), blob.size());
}

struct BloomierChunk {
  uint64_t seed = 0;
  uint64_t firstCell = 0;
  uint32_t segmentCount = 0;
  uint32_t segmentLengthLog2 = 0;
};

/// A validated blob: header fields, parsed chunk table, and a pointer to the
/// cells (into the blob, which must outlive the view).
struct BloomierView {
  uint64_t rows = 0;
  uint64_t cols = 0;
  uint32_t numClusters = 0;
  unsigned hashes = 0;
  unsigned cellBits = 0;
  uint32_t rowsPerChunk = 0;
  uint64_t totalCells = 0;
  std::vector<BloomierChunk> chunks;
  const uint8_t *cells = nullptr;
  /// Payload bytes including the 8 padding bytes.
  size_t cellBytes = 0;
};

/// Validates the whole blob (sizes, chunk table, payload length).
Result<BloomierView> parseBloomier(const uint8_t *data, size_t size);

/// The cluster index (0..K) stored for (row, col); row < rows, col < cols.
uint16_t bloomierQuery(const BloomierView &v, uint64_t row, uint64_t col);

/// Decodes the rows of one chunk into `out` (rowsInChunk * cols entries).
Status decodeBloomierChunk(const BloomierView &v, uint64_t chunk,
                           std::vector<uint16_t> &out);

/// The hash every query starts with (MurmurHash3 fmix64 of position + seed).
inline uint64_t bloomierHash(uint64_t position, uint64_t seed) {
  uint64_t h = position + seed;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

/// Compressed Bloomier blob for storage/transmission (Weightless stores the
/// table arithmetic-coded). The header and chunk table are kept verbatim;
/// the cells are range-coded (ArithmeticCoder.h) as t-bit symbols.
///
///   offset size  field
///   0      4     magic "CWBA"
///   4      1     version = 1
///   5      3     reserved, 0
///   8      8     size of the original blob
///   16     8     prefix size P (the blob's header + chunk table)
///   24     8     coded size Q
///   32     4     checksum: low 32 bits of the FNV-1a 64 hash of the blob
///   36     4     reserved, 0
///   40     P     the blob's first P bytes
///   40+P   Q     range-coded cells (totalCells symbols of t bits)
///
/// The size is exactly 40 + P + Q.
Result<std::vector<uint8_t>> compressBloomierTable(const uint8_t *blob,
                                                   size_t size);
inline Result<std::vector<uint8_t>>
compressBloomierTable(const std::vector<uint8_t> &blob) {
  return compressBloomierTable(blob.data(), blob.size());
}
/// Restores the exact original blob; rejects corrupted input.
Result<std::vector<uint8_t>> decompressBloomierTable(const uint8_t *data,
                                                     size_t size);
inline Result<std::vector<uint8_t>>
decompressBloomierTable(const std::vector<uint8_t> &data) {
  return decompressBloomierTable(data.data(), data.size());
}

} // namespace cw::codec

#endif // CW_CODEC_BLOOMIER_H

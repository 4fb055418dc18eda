//===- DenseCodec.h - Fixed-width bit-packed cluster indices ----*- C++ -*-===//
//
// The `dense` encoding stores the cluster index of every position (0 = pruned
// zero, c >= 1 = codebook[c - 1]) with the same number of bits, row by row.
// It is the simplest encoding and the baseline the others are compared with;
// every element is randomly accessible, so no chunk offset table is needed.
//
// Blob layout (all header fields little-endian, byte-aligned):
//
//   offset  size  field
//   0       4     magic "CWDN" (bytes 'C' 'W' 'D' 'N')
//   4       1     version = 1
//   5       8     rows (u64)
//   13      8     cols (u64)
//   21      2     k (u16): number of clusters, 0..256
//   23      1     bits (u8): b = max(1, ceil(log2(k + 1))) -- exactly this
//                 value; k = 0 gives 1, k = 1 gives 1, k = 2..3 gives 2, ...,
//                 k = 128..255 gives 8, k = 256 gives 9
//   24      P     payload, P = ceil(rows * cols * b / 8) bytes
//
// Payload: the rows * cols indices in row-major order, each written with b
// bits LSB-first (BitStream.h bit order: bit t of the payload is bit t % 8 of
// payload byte t / 8; an index occupies the next b bit positions, least
// significant bit first). Element (r, c) starts at payload bit
// (r * cols + c) * b, so row r starts at bit r * cols * b. The unused high
// bits of the last byte are zero. The blob is exactly 24 + P bytes.
//
// The decoder rejects a wrong magic or version, k > 256, a bits field other
// than b(k), rows * cols * b overflowing, a size other than 24 + P, nonzero
// padding bits, and any index > k.
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_DENSECODEC_H
#define CW_CODEC_DENSECODEC_H

#include "cw/Codec/Matrix.h"
#include "cw/Codec/Status.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cw::codec {

/// The dense encoding has no parameters (kept for the common encoder shape).
struct DenseParams {};

constexpr uint8_t kDenseVersion = 1;
constexpr size_t kDenseHeaderBytes = 24;

/// Bits per index for k clusters: max(1, ceil(log2(k + 1))).
unsigned denseIndexBits(unsigned k);

Result<std::vector<uint8_t>> encodeDenseMatrix(const ClusteredMatrix &m,
                                               const DenseParams &p = {},
                                               EncodingStats *stats = nullptr);

/// Reference decoder: indices only, the codebook is left empty.
Result<ClusteredMatrix> decodeDenseMatrix(const uint8_t *data, size_t size);

/// Decodes rows [firstRow, firstRow + numRows) alone (random access), after
/// validating the header and size as decodeDenseMatrix does. The result is
/// numRows * cols indices, row-major.
Result<std::vector<uint16_t>> decodeDenseRows(const uint8_t *data, size_t size,
                                              uint64_t firstRow,
                                              uint64_t numRows);

} // namespace cw::codec

#endif // CW_CODEC_DENSECODEC_H

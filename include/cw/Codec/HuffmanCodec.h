//===- HuffmanCodec.h - Relative-index sparse and Huffman matrices -*- C++
//-*-===//
//
// Two matrix encodings built on canonical Huffman (Huffman.h) and the
// relative-index sparse rows (RelativeIndex.h), Deep Compression §4.
//
// Both blobs: byte-aligned little-endian header and tables, then one LSB-first
// bit payload (BitStream.h). Rows are cut into chunks of rowsPerChunk
// consecutive rows; chunk c starts at payload bit chunkBitOffsets[c] and is
// decodable on its own. The header ends with a checksum of the header bytes,
// so a damaged header (rows, cols, tables, offsets) is rejected before any
// allocation; the payload is not covered - its decoders check every code,
// index and position instead. Code-length tables ("code lengths" below) use
// the layout documented in Huffman.h; decoders build their decode tables from
// them. Decoded matrices hold at most 2^32 weights.
//
// ---------------------------------------------------------------------------
// `csr`: relative-index sparse, magic "CWRI", version 1
// ---------------------------------------------------------------------------
//   off size
//    0   4   magic 'C' 'W' 'R' 'I'
//    4   1   version = 1
//    5   1   gapBits (3..8)
//    6   1   flags: bit 0 = indices Huffman-coded, bit 1 = gaps Huffman-coded,
//            bit 2 = lane-interleaved payload (below), other bits 0
//    7   1   indexBits = ceil(log2(k + 1)) (0 for k = 0): width of a
//            fixed-width index field
//    8   4   rows (u32)
//   12   4   cols (u32)
//   16   2   k, the number of clusters (0..256)
//   18   1   countBits (0..32): width of each row's entry count
//   19   1   maxCodeLength: the Huffman length limit the tables obey (1..24;
//            0 when neither stream is Huffman-coded)
//   20   4   rowsPerChunk (>= 1)
//   24   4   numChunks = ceil(rows / rowsPerChunk)
//   28   8   payloadBits
//   36       index code lengths, alphabet k + 1        (only if flags bit 0)
//            gap code lengths, alphabet 2^gapBits      (only if flags bit 1)
//            u64 chunkBitOffsets[numChunks + 1]: [0] = 0, non-decreasing,
//                [numChunks] = payloadBits
//            row entry counts: rows fields of countBits bits, LSB-first,
//                zero-padded to a whole byte (row r at bit r * countBits)
//            u32 checksum: 32-bit FNV-1a of every preceding byte of the blob
//            payload: ceil(payloadBits / 8) bytes; the blob ends here
//   Payload: the rows in order; for each row its entries (RelativeIndex.h:
//   stored gap = zero columns skipped, fillers are (2^gapBits - 1, 0)), each
//   entry as its gap field followed by its index field:
//     gap   = Huffman code (gap table)   or gapBits bits
//     index = Huffman code (index table) or indexBits bits
//   Decoding a row: next = 0; per entry: col = next + gap; out[col] = index;
//   next = col + 1. Chunk c's bits end exactly at chunkBitOffsets[c + 1].
//
//   Lane-interleaved payload (flags bit 2, CsrParams::lanes = 16): made for a
//   decoder that runs 16 consecutive rows in lockstep, one SIMD lane each.
//   Requires both streams Huffman-coded with maxCodeLength <= 8 (so an entry
//   takes at most 16 bits), and rowsPerChunk = 16: chunk c is the group of
//   rows 16c .. 16c + 15, row 16c + l in lane l (rows past `rows` have no
//   entries). A chunk is a run of 16-bit little-endian words (its offsets
//   are multiples of 16). Lane l's bit sequence is its row's entries coded
//   as above, LSB-first; it is cut into 16-bit words (bit j of the sequence
//   is bit j % 16 of the lane's word j / 16; past its end, bits are 0). The
//   chunk holds all lanes' words merged in the order this decoder takes
//   them: each lane has a bit count, initially 0; for step s = 0, 1, ...
//   while any lane's row has more than s entries: first, for l = 0..15 in
//   order, a lane whose row has more than s entries and whose count is < 16
//   takes the chunk's next word (it becomes bits count..count+15 of the
//   lane's buffer; count += 16); then every lane whose row has more than s
//   entries (whether or not it took a word) decodes its entry s (count -=
//   the entry's bits). A lane may so take words past its sequence (all
//   zero). The chunk ends after the last word taken; the decoder rejects a
//   chunk with words left over or with a nonzero bit past a lane's sequence.
//
// ---------------------------------------------------------------------------
// `huffman`: every position's cluster index (zeros included), magic "CWHF",
// version 1
// ---------------------------------------------------------------------------
//   off size
//    0   4   magic 'C' 'W' 'H' 'F'
//    4   1   version = 1
//    5   1   maxCodeLength (1..24)
//    6   2   k (0..256)
//    8   4   rows (u32)
//   12   4   cols (u32)
//   16   4   rowsPerChunk (>= 1)
//   20   4   numChunks = ceil(rows / rowsPerChunk)
//   24   8   payloadBits
//   32       code lengths, alphabet k + 1
//            u64 chunkBitOffsets[numChunks + 1] (as above)
//            u32 checksum: 32-bit FNV-1a of every preceding byte of the blob
//            payload: ceil(payloadBits / 8) bytes; the blob ends here
//   Payload: the rows*cols indices in row-major order, one Huffman code each
//   (a code with one used symbol gives it length 1).
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_HUFFMANCODEC_H
#define CW_CODEC_HUFFMANCODEC_H

#include "cw/Codec/Huffman.h"
#include "cw/Codec/Matrix.h"
#include "cw/Codec/Status.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cw::codec {

/// The most weights a decoded matrix may hold.
constexpr uint64_t kHuffmanCodecMaxWeights = uint64_t(1) << 32;

struct CsrParams {
  /// Bits of a fixed-width gap field and the filler threshold (3..8; Deep
  /// Compression uses 5 for FC layers and 8 for conv layers).
  unsigned gapBits = 5;
  bool huffmanIndices = true;
  bool huffmanGaps = true;
  uint32_t rowsPerChunk = 64;
  unsigned maxCodeLength = kHuffmanDefaultMaxLength;
  /// 0: rows one after another; kCsrLanes: the lane-interleaved payload
  /// (rowsPerChunk is then kCsrLanes, whatever is set here).
  unsigned lanes = 0;
};

/// Rows per lane-interleaved group, and the longest code that layout allows.
constexpr unsigned kCsrLanes = 16;
constexpr unsigned kCsrLanesMaxCodeLength = 8;

struct HuffmanParams {
  uint32_t rowsPerChunk = 64;
  unsigned maxCodeLength = kHuffmanDefaultMaxLength;
};

/// One coded symbol stream: how many symbols, the bits they take in the
/// payload, and their order-0 entropy floor (n * H0).
struct CodedStreamReport {
  uint64_t symbols = 0;
  uint64_t payloadBits = 0;
  double floorBits = 0;
  double ratioToFloor() const {
    return floorBits > 0 ? double(payloadBits) / floorBits : 0.0;
  }
};

struct CsrReport {
  uint64_t nonzeros = 0;
  /// Entries including fillers.
  uint64_t entries = 0;
  uint64_t fillers = 0;
  CodedStreamReport gaps;
  CodedStreamReport indices;
  /// Payload bits that code neither stream: the zero tails of the lanes'
  /// words in a lane-interleaved payload (0 otherwise). gaps.payloadBits +
  /// indices.payloadBits + paddingBits is the stored payloadBits.
  uint64_t paddingBits = 0;
  /// Everything before the payload (header, code tables, offsets, counts).
  uint64_t headerBytes = 0;
  uint64_t blobBytes = 0;
};

struct HuffmanMatrixReport {
  CodedStreamReport indices;
  uint64_t headerBytes = 0;
  uint64_t blobBytes = 0;
};

//===--- csr
//---------------------------------------------------------------===//

/// Encodes `m` (the codebook is not stored). stats: blob bytes, codebook
/// bytes (4 k), entropy floor = n·H0(gaps) + n·H0(indices), fillers included.
Result<std::vector<uint8_t>> encodeCsrMatrix(const ClusteredMatrix &m,
                                             const CsrParams &p,
                                             EncodingStats *stats = nullptr);
/// encodeCsrMatrix's per-stream breakdown (payload bits vs floor per stream).
Result<CsrReport> analyzeCsrMatrix(const ClusteredMatrix &m,
                                   const CsrParams &p);

/// A parsed and validated CWRI blob (header checked, payload not yet
/// decoded); points into the blob, which must outlive it.
struct CsrBlobView {
  unsigned gapBits = 0;
  unsigned indexBits = 0;
  unsigned countBits = 0;
  unsigned maxCodeLength = 0;
  bool huffmanIndices = false;
  bool huffmanGaps = false;
  /// 0 or kCsrLanes (flags bit 2).
  unsigned lanes = 0;
  uint32_t rows = 0;
  uint32_t cols = 0;
  uint32_t k = 0;
  uint32_t rowsPerChunk = 0;
  uint32_t numChunks = 0;
  uint64_t payloadBits = 0;
  std::vector<uint8_t> indexLengths;
  std::vector<uint8_t> gapLengths;
  HuffmanDecodeTable indexTable;
  HuffmanDecodeTable gapTable;
  std::vector<uint64_t> chunkBitOffsets;
  const uint8_t *rowCounts = nullptr;
  size_t rowCountBytes = 0;
  const uint8_t *payload = nullptr;
  size_t payloadBytes = 0;
  size_t headerBytes = 0;

  uint32_t chunkFirstRow(uint32_t chunk) const { return chunk * rowsPerChunk; }
  uint32_t chunkRows(uint32_t chunk) const;
  /// The stored entry count of `row` (< rows).
  uint32_t rowEntryCount(uint32_t row) const;
};

Result<CsrBlobView> parseCsrBlob(const uint8_t *data, size_t size);
/// Decodes chunk `chunk` into `out`, which holds chunkRows(chunk) * cols
/// indices (row-major, the chunk's rows only); every element is written.
/// With `rowBitOffsets` (chunkRows(chunk) entries), also stores the payload
/// bit offset at which each of the chunk's rows starts (an error for a
/// lane-interleaved blob, whose rows share their words).
Status decodeCsrChunk(const CsrBlobView &view, uint32_t chunk, uint16_t *out,
                      uint64_t *rowBitOffsets = nullptr);
/// The payload bit offset of every row's first entry, plus the end of the
/// payload (rows + 1 values), found by decoding (and so validating) every
/// chunk. Lets a decoder start at any row: the interleaved generated loops
/// split a layer into several independent streams at row boundaries.
/// An error for a lane-interleaved blob, whose rows share their words.
Result<std::vector<uint64_t>> csrRowBitOffsets(const CsrBlobView &view);
Result<ClusteredMatrix> decodeCsrMatrix(const uint8_t *data, size_t size);

//===--- huffman
//-----------------------------------------------------------===//

/// Encodes every index of `m`. stats: blob bytes, codebook bytes, entropy
/// floor = n·H0 of all rows*cols indices.
Result<std::vector<uint8_t>>
encodeHuffmanMatrix(const ClusteredMatrix &m, const HuffmanParams &p,
                    EncodingStats *stats = nullptr);
Result<HuffmanMatrixReport> analyzeHuffmanMatrix(const ClusteredMatrix &m,
                                                 const HuffmanParams &p);

struct HuffmanBlobView {
  unsigned maxCodeLength = 0;
  uint32_t rows = 0;
  uint32_t cols = 0;
  uint32_t k = 0;
  uint32_t rowsPerChunk = 0;
  uint32_t numChunks = 0;
  uint64_t payloadBits = 0;
  std::vector<uint8_t> lengths;
  HuffmanDecodeTable table;
  std::vector<uint64_t> chunkBitOffsets;
  const uint8_t *payload = nullptr;
  size_t payloadBytes = 0;
  size_t headerBytes = 0;

  uint32_t chunkFirstRow(uint32_t chunk) const { return chunk * rowsPerChunk; }
  uint32_t chunkRows(uint32_t chunk) const;
};

Result<HuffmanBlobView> parseHuffmanBlob(const uint8_t *data, size_t size);
/// Decodes chunk `chunk` into `out` (chunkRows(chunk) * cols indices).
Status decodeHuffmanChunk(const HuffmanBlobView &view, uint32_t chunk,
                          uint16_t *out);
/// The payload bit offset of every row's first symbol, plus the end of the
/// payload (rows + 1 values); validates every code on the way. Lets the
/// generated loops decode several rows' streams at once.
Result<std::vector<uint64_t>> huffmanRowBitOffsets(const HuffmanBlobView &view);
Result<ClusteredMatrix> decodeHuffmanMatrix(const uint8_t *data, size_t size);

/// The header checksum both layouts use: 32-bit FNV-1a over `size` bytes.
uint32_t huffmanCodecChecksum(const uint8_t *data, size_t size);

} // namespace cw::codec

#endif // CW_CODEC_HUFFMANCODEC_H

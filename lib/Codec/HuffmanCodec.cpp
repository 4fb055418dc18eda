//===- HuffmanCodec.cpp - Relative-index sparse and Huffman matrices ------===//

#include "cw/Codec/HuffmanCodec.h"
#include "cw/Codec/BitStream.h"
#include "cw/Codec/Entropy.h"
#include "cw/Codec/RelativeIndex.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace cw::codec {

static constexpr uint8_t kCsrVersion = 1;
static constexpr uint8_t kHuffmanVersion = 1;
static constexpr size_t kCsrFixedHeader = 36;
static constexpr size_t kHuffmanFixedHeader = 32;

uint32_t huffmanCodecChecksum(const uint8_t *data, size_t size) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < size; ++i) {
    h ^= data[i];
    h *= 16777619u;
  }
  return h;
}

static unsigned bitWidth(uint64_t v) {
  unsigned b = 0;
  while (b < 64 && (v >> b))
    ++b;
  return b;
}

static uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/// Checks what both encoders need from the matrix.
static Status checkMatrix(const char *codec, const ClusteredMatrix &m) {
  if (Status st = m.validate(); !st)
    return Status::error(std::string(codec) + ": " + st.message());
  if (m.rows > UINT32_MAX || m.cols > UINT32_MAX ||
      (m.rows && m.cols > kHuffmanCodecMaxWeights / m.rows))
    return Status::error(std::string(codec) + ": a " + std::to_string(m.rows) +
                         "x" + std::to_string(m.cols) +
                         " matrix exceeds the 2^32-weight limit");
  return Status::ok();
}

static Status checkChunkParams(const char *codec, uint32_t rowsPerChunk,
                               unsigned maxCodeLength, bool needsCode) {
  if (rowsPerChunk == 0)
    return Status::error(std::string(codec) + ": rowsPerChunk must be >= 1");
  if (needsCode && (maxCodeLength < 1 || maxCodeLength > kHuffmanMaxLength))
    return Status::error(std::string(codec) + ": maxCodeLength " +
                         std::to_string(maxCodeLength) + " outside 1..24");
  return Status::ok();
}

static void appendOffsets(std::vector<uint8_t> &out,
                          const std::vector<uint64_t> &offsets) {
  for (uint64_t o : offsets)
    appendU64(out, o);
}

static double floorOf(const std::vector<uint64_t> &counts) {
  return entropyFloorBitsFromCounts(counts);
}

//===----------------------------------------------------------------------===//
// csr encoder
//===----------------------------------------------------------------------===//

static Status checkLaneParams(const CsrParams &p) {
  if (p.lanes == 0)
    return Status::ok();
  if (p.lanes != kCsrLanes)
    return Status::error("csr: lanes must be 0 or " +
                         std::to_string(kCsrLanes) + ", got " +
                         std::to_string(p.lanes));
  if (!p.huffmanIndices || !p.huffmanGaps)
    return Status::error("csr: lanes = 16 needs Huffman-coded indices and "
                         "gaps (fixed-width fields are not supported)");
  if (p.maxCodeLength > kCsrLanesMaxCodeLength)
    return Status::error("csr: lanes = 16 needs maxCodeLength <= " +
                         std::to_string(kCsrLanesMaxCodeLength) + ", got " +
                         std::to_string(p.maxCodeLength) +
                         " (an entry must fit one refill)");
  return Status::ok();
}

/// The 16-bit word `j` of a lane's bit sequence; zero past its end.
static uint16_t laneWord(const std::vector<uint8_t> &bytes, uint64_t j) {
  uint16_t lo = 2 * j < bytes.size() ? bytes[2 * j] : 0;
  uint16_t hi = 2 * j + 1 < bytes.size() ? bytes[2 * j + 1] : 0;
  return uint16_t(lo | hi << 8);
}

/// Appends the group of rows firstRow .. firstRow + 15 as the lockstep
/// decoder takes its words (HuffmanCodec.h): running that decoder's refill
/// rule here is what puts each word where the lanes will ask for it.
static void writeLaneGroup(BitWriter &payload, const RelativeIndexStreams &s,
                           uint64_t firstRow, const HuffmanCode &gapCode,
                           const HuffmanCode &indexCode) {
  const unsigned numLanes =
      unsigned(std::min<uint64_t>(kCsrLanes, s.rows - firstRow));
  std::vector<uint8_t> bits[kCsrLanes];
  uint64_t entries[kCsrLanes] = {}, maxEntries = 0;
  for (unsigned l = 0; l < numLanes; ++l) {
    BitWriter w;
    for (uint64_t e = s.rowBegin[firstRow + l];
         e < s.rowBegin[firstRow + l + 1]; ++e) {
      encodeHuffmanSymbol(w, gapCode, s.gaps[e]);
      encodeHuffmanSymbol(w, indexCode, s.indices[e]);
    }
    bits[l] = w.take();
    entries[l] = s.rowEntries(firstRow + l);
    maxEntries = std::max(maxEntries, entries[l]);
  }
  unsigned count[kCsrLanes] = {};
  uint64_t taken[kCsrLanes] = {};
  for (uint64_t step = 0; step < maxEntries; ++step) {
    for (unsigned l = 0; l < numLanes; ++l)
      if (entries[l] > step && count[l] < 16) {
        payload.write(laneWord(bits[l], taken[l]++), 16);
        count[l] += 16;
      }
    for (unsigned l = 0; l < numLanes; ++l)
      if (entries[l] > step) {
        uint64_t e = s.rowBegin[firstRow + l] + step;
        count[l] -=
            gapCode.lengths[s.gaps[e]] + indexCode.lengths[s.indices[e]];
      }
  }
}

static Result<std::vector<uint8_t>> encodeCsrImpl(const ClusteredMatrix &m,
                                                  const CsrParams &p,
                                                  EncodingStats *stats,
                                                  CsrReport *report) {
  const char *codec = "csr";
  if (Status st = checkMatrix(codec, m); !st)
    return st;
  if (Status st = checkLaneParams(p); !st)
    return st;
  const bool lanes = p.lanes == kCsrLanes;
  const uint32_t rowsPerChunk = lanes ? kCsrLanes : p.rowsPerChunk;
  bool anyHuffman = p.huffmanIndices || p.huffmanGaps;
  if (Status st =
          checkChunkParams(codec, rowsPerChunk, p.maxCodeLength, anyHuffman);
      !st)
    return st;
  auto streamsOr = buildRelativeIndex(m, p.gapBits);
  if (!streamsOr)
    return Status::error("csr: " + streamsOr.message());
  const RelativeIndexStreams &s = *streamsOr;
  const uint32_t k = uint32_t(m.codebook.size());
  const unsigned indexBits = bitWidth(k);
  const uint64_t numEntries = s.numEntries();

  std::vector<uint64_t> indexCounts(k + 1, 0),
      gapCounts(size_t(1) << p.gapBits, 0);
  for (uint64_t e = 0; e < numEntries; ++e) {
    ++indexCounts[s.indices[e]];
    ++gapCounts[s.gaps[e]];
  }
  HuffmanCode indexCode, gapCode;
  if (p.huffmanIndices) {
    auto c = buildHuffmanCode(indexCounts, p.maxCodeLength);
    if (!c)
      return Status::error("csr: index code: " + c.message());
    indexCode = std::move(*c);
  }
  if (p.huffmanGaps) {
    auto c = buildHuffmanCode(gapCounts, p.maxCodeLength);
    if (!c)
      return Status::error("csr: gap code: " + c.message());
    gapCode = std::move(*c);
  }
  uint64_t maxRowEntries = 0;
  for (uint64_t r = 0; r < s.rows; ++r)
    maxRowEntries = std::max(maxRowEntries, s.rowEntries(r));
  const unsigned countBits = bitWidth(maxRowEntries);

  // Payload.
  BitWriter payload;
  const uint64_t numChunks = ceilDiv(m.rows, rowsPerChunk);
  std::vector<uint64_t> offsets;
  offsets.reserve(numChunks + 1);
  for (uint64_t r = 0; lanes && r < m.rows; r += kCsrLanes) {
    offsets.push_back(payload.bitSize());
    writeLaneGroup(payload, s, r, gapCode, indexCode);
  }
  for (uint64_t r = 0; !lanes && r < m.rows; ++r) {
    if (r % rowsPerChunk == 0)
      offsets.push_back(payload.bitSize());
    for (uint64_t e = s.rowBegin[r]; e < s.rowBegin[r + 1]; ++e) {
      if (p.huffmanGaps)
        encodeHuffmanSymbol(payload, gapCode, s.gaps[e]);
      else
        payload.write(s.gaps[e], p.gapBits);
      if (p.huffmanIndices)
        encodeHuffmanSymbol(payload, indexCode, s.indices[e]);
      else
        payload.write(s.indices[e], indexBits);
    }
  }
  const uint64_t payloadBits = payload.bitSize();
  offsets.push_back(payloadBits);

  // Header.
  std::vector<uint8_t> out = {'C', 'W', 'R', 'I'};
  appendU8(out, kCsrVersion);
  appendU8(out, uint8_t(p.gapBits));
  appendU8(out, uint8_t((p.huffmanIndices ? 1 : 0) | (p.huffmanGaps ? 2 : 0) |
                        (lanes ? 4 : 0)));
  appendU8(out, uint8_t(indexBits));
  appendU32(out, uint32_t(m.rows));
  appendU32(out, uint32_t(m.cols));
  appendU16(out, uint16_t(k));
  appendU8(out, uint8_t(countBits));
  appendU8(out, uint8_t(anyHuffman ? p.maxCodeLength : 0));
  appendU32(out, rowsPerChunk);
  appendU32(out, uint32_t(numChunks));
  appendU64(out, payloadBits);
  if (p.huffmanIndices)
    serializeHuffmanLengths(indexCode.lengths, out);
  if (p.huffmanGaps)
    serializeHuffmanLengths(gapCode.lengths, out);
  appendOffsets(out, offsets);
  BitWriter countWriter;
  for (uint64_t r = 0; r < s.rows; ++r)
    countWriter.write(s.rowEntries(r), countBits);
  out.insert(out.end(), countWriter.bytes().begin(), countWriter.bytes().end());
  appendU32(out, huffmanCodecChecksum(out.data(), out.size()));
  const uint64_t headerBytes = out.size();
  std::vector<uint8_t> payloadBytes = payload.take();
  out.insert(out.end(), payloadBytes.begin(), payloadBytes.end());

  double gapFloor = floorOf(gapCounts), indexFloor = floorOf(indexCounts);
  if (stats) {
    stats->blobBytes = out.size();
    stats->codebookBytes = 4 * uint64_t(k);
    stats->entropyFloorBits = gapFloor + indexFloor;
  }
  if (report) {
    report->nonzeros = numEntries - s.fillers;
    report->entries = numEntries;
    report->fillers = s.fillers;
    report->gaps.symbols = report->indices.symbols = numEntries;
    report->gaps.payloadBits =
        p.huffmanGaps ? gapCode.costBits(gapCounts) : numEntries * p.gapBits;
    report->indices.payloadBits = p.huffmanIndices
                                      ? indexCode.costBits(indexCounts)
                                      : numEntries * indexBits;
    // Only the lane layout pads: its lanes' word tails.
    report->paddingBits =
        payloadBits - report->gaps.payloadBits - report->indices.payloadBits;
    report->gaps.floorBits = gapFloor;
    report->indices.floorBits = indexFloor;
    report->headerBytes = headerBytes;
    report->blobBytes = out.size();
  }
  return out;
}

Result<std::vector<uint8_t>> encodeCsrMatrix(const ClusteredMatrix &m,
                                             const CsrParams &p,
                                             EncodingStats *stats) {
  return encodeCsrImpl(m, p, stats, nullptr);
}

Result<CsrReport> analyzeCsrMatrix(const ClusteredMatrix &m,
                                   const CsrParams &p) {
  CsrReport report;
  auto blob = encodeCsrImpl(m, p, nullptr, &report);
  if (!blob)
    return blob.status();
  return report;
}

//===----------------------------------------------------------------------===//
// Shared header parsing
//===----------------------------------------------------------------------===//

/// Reads a code-length table and checks its alphabet and length limit.
static Result<std::vector<uint8_t>> readLengths(const char *what, ByteReader &r,
                                                uint64_t alphabet,
                                                unsigned maxCodeLength) {
  auto lengths = deserializeHuffmanLengths(r);
  if (!lengths)
    return Status::error(std::string(what) + ": " + lengths.message());
  if (lengths->size() != alphabet)
    return Status::error(std::string(what) + ": code-length table has " +
                         std::to_string(lengths->size()) +
                         " symbols, expected " + std::to_string(alphabet));
  for (uint8_t l : *lengths)
    if (l > maxCodeLength)
      return Status::error(std::string(what) + ": code length " +
                           std::to_string(l) + " exceeds the limit " +
                           std::to_string(maxCodeLength));
  return lengths;
}

/// Reads and validates the chunk offsets, the checksum and the payload size.
static Status readOffsets(const char *codec, ByteReader &r, uint32_t numChunks,
                          uint64_t payloadBits,
                          std::vector<uint64_t> &offsets) {
  uint64_t n = uint64_t(numChunks) + 1;
  if (r.remaining() / 8 < n)
    return Status::error(std::string(codec) +
                         ": truncated chunk offset table: need " +
                         std::to_string(n * 8) + " bytes, have " +
                         std::to_string(r.remaining()));
  offsets.resize(n);
  for (uint64_t i = 0; i < n; ++i)
    r.readU64(offsets[i]);
  if (offsets[0] != 0 || offsets[n - 1] != payloadBits)
    return Status::error(std::string(codec) +
                         ": chunk offsets do not span the payload");
  for (uint64_t i = 1; i < n; ++i)
    if (offsets[i] < offsets[i - 1])
      return Status::error(std::string(codec) + ": chunk offset " +
                           std::to_string(i) + " decreases");
  return Status::ok();
}

static Status readChecksumAndPayload(const char *codec, const uint8_t *data,
                                     ByteReader &r, uint64_t payloadBits,
                                     const uint8_t *&payload,
                                     size_t &payloadBytes,
                                     size_t &headerBytes) {
  size_t covered = r.offset();
  uint32_t stored = 0;
  if (!r.readU32(stored))
    return Status::error(std::string(codec) + ": truncated header checksum");
  if (stored != huffmanCodecChecksum(data, covered))
    return Status::error(std::string(codec) + ": header checksum mismatch");
  headerBytes = r.offset();
  uint64_t need = ceilDiv(payloadBits, 8);
  if (r.remaining() != need)
    return Status::error(std::string(codec) + ": payload of " +
                         std::to_string(payloadBits) + " bits needs " +
                         std::to_string(need) + " bytes, blob has " +
                         std::to_string(r.remaining()));
  payloadBytes = size_t(need);
  payload = r.readBytes(payloadBytes);
  return Status::ok();
}

static Status checkShape(const char *codec, uint32_t rows, uint32_t cols,
                         uint32_t rowsPerChunk, uint32_t numChunks) {
  if (rows && uint64_t(cols) > kHuffmanCodecMaxWeights / rows)
    return Status::error(std::string(codec) + ": a " + std::to_string(rows) +
                         "x" + std::to_string(cols) +
                         " matrix exceeds the 2^32-weight limit");
  if (rowsPerChunk == 0)
    return Status::error(std::string(codec) + ": rowsPerChunk is 0");
  if (numChunks != ceilDiv(rows, rowsPerChunk))
    return Status::error(std::string(codec) + ": " + std::to_string(numChunks) +
                         " chunks for " + std::to_string(rows) + " rows of " +
                         std::to_string(rowsPerChunk));
  return Status::ok();
}

static uint32_t chunkRowsOf(uint32_t rows, uint32_t rowsPerChunk,
                            uint32_t chunk) {
  uint64_t first = uint64_t(chunk) * rowsPerChunk;
  if (first >= rows)
    return 0;
  return uint32_t(std::min<uint64_t>(rowsPerChunk, rows - first));
}

//===----------------------------------------------------------------------===//
// csr decoder
//===----------------------------------------------------------------------===//

uint32_t CsrBlobView::chunkRows(uint32_t chunk) const {
  return chunkRowsOf(rows, rowsPerChunk, chunk);
}

uint32_t CsrBlobView::rowEntryCount(uint32_t row) const {
  BitReader r(rowCounts, rowCountBytes);
  r.seek(uint64_t(row) * countBits);
  return uint32_t(r.read(countBits));
}

Result<CsrBlobView> parseCsrBlob(const uint8_t *data, size_t size) {
  const char *codec = "csr";
  ByteReader r(data, size);
  const uint8_t *magic = r.readBytes(4);
  if (!magic)
    return Status::error("csr: truncated header: need " +
                         std::to_string(kCsrFixedHeader) + " bytes, have " +
                         std::to_string(size));
  if (std::memcmp(magic, "CWRI", 4) != 0)
    return Status::error("csr: bad magic (expected \"CWRI\")");
  CsrBlobView v;
  uint8_t version, gapBits, flags, indexBits, countBits, maxLen;
  uint16_t k;
  if (!r.readU8(version) || !r.readU8(gapBits) || !r.readU8(flags) ||
      !r.readU8(indexBits) || !r.readU32(v.rows) || !r.readU32(v.cols) ||
      !r.readU16(k) || !r.readU8(countBits) || !r.readU8(maxLen) ||
      !r.readU32(v.rowsPerChunk) || !r.readU32(v.numChunks) ||
      !r.readU64(v.payloadBits))
    return Status::error("csr: truncated header: need " +
                         std::to_string(kCsrFixedHeader) + " bytes, have " +
                         std::to_string(size));
  if (version != kCsrVersion)
    return Status::error("csr: unsupported version " + std::to_string(version));
  if (gapBits < kRelativeIndexMinGapBits || gapBits > kRelativeIndexMaxGapBits)
    return Status::error("csr: gap bits " + std::to_string(gapBits) +
                         " outside 3..8");
  if (flags & ~7u)
    return Status::error("csr: unknown flags " + std::to_string(flags));
  if (k > 256)
    return Status::error("csr: " + std::to_string(k) +
                         " clusters, at most 256 are supported");
  if (indexBits != bitWidth(k))
    return Status::error("csr: index bits " + std::to_string(indexBits) +
                         " do not match k = " + std::to_string(k));
  if (countBits > 32)
    return Status::error("csr: count bits " + std::to_string(countBits) +
                         " exceed 32");
  v.gapBits = gapBits;
  v.indexBits = indexBits;
  v.countBits = countBits;
  v.maxCodeLength = maxLen;
  v.k = k;
  v.huffmanIndices = flags & 1;
  v.huffmanGaps = flags & 2;
  v.lanes = flags & 4 ? kCsrLanes : 0;
  bool anyHuffman = v.huffmanIndices || v.huffmanGaps;
  if (anyHuffman ? (maxLen < 1 || maxLen > kHuffmanMaxLength) : maxLen != 0)
    return Status::error("csr: invalid code length limit " +
                         std::to_string(maxLen));
  if (v.lanes) {
    if (!v.huffmanIndices || !v.huffmanGaps)
      return Status::error("csr: lane-interleaved payload without Huffman-"
                           "coded indices and gaps");
    if (maxLen > kCsrLanesMaxCodeLength)
      return Status::error("csr: lane-interleaved payload with code limit " +
                           std::to_string(maxLen) + " above " +
                           std::to_string(kCsrLanesMaxCodeLength));
    if (v.rowsPerChunk != kCsrLanes)
      return Status::error("csr: lane-interleaved payload with " +
                           std::to_string(v.rowsPerChunk) +
                           " rows per chunk, expected " +
                           std::to_string(kCsrLanes));
  }
  if (Status st =
          checkShape(codec, v.rows, v.cols, v.rowsPerChunk, v.numChunks);
      !st)
    return st;
  if (v.huffmanIndices) {
    auto lengths = readLengths("csr: index code", r, uint64_t(k) + 1, maxLen);
    if (!lengths)
      return lengths.status();
    v.indexLengths = std::move(*lengths);
    auto table = buildHuffmanDecodeTable(v.indexLengths);
    if (!table)
      return Status::error("csr: index code: " + table.message());
    v.indexTable = std::move(*table);
  }
  if (v.huffmanGaps) {
    auto lengths =
        readLengths("csr: gap code", r, uint64_t(1) << gapBits, maxLen);
    if (!lengths)
      return lengths.status();
    v.gapLengths = std::move(*lengths);
    auto table = buildHuffmanDecodeTable(v.gapLengths);
    if (!table)
      return Status::error("csr: gap code: " + table.message());
    v.gapTable = std::move(*table);
  }
  if (Status st =
          readOffsets(codec, r, v.numChunks, v.payloadBits, v.chunkBitOffsets);
      !st)
    return st;
  if (v.lanes)
    for (size_t i = 0; i < v.chunkBitOffsets.size(); ++i)
      if (v.chunkBitOffsets[i] % 16)
        return Status::error("csr: lane-interleaved chunk offset " +
                             std::to_string(i) + " (" +
                             std::to_string(v.chunkBitOffsets[i]) +
                             " bits) is not a whole number of 16-bit words");
  v.rowCountBytes = size_t(ceilDiv(uint64_t(v.rows) * countBits, 8));
  v.rowCounts = r.readBytes(v.rowCountBytes);
  if (!v.rowCounts)
    return Status::error("csr: truncated row counts: need " +
                         std::to_string(v.rowCountBytes) + " bytes, have " +
                         std::to_string(r.remaining()));
  if (Status st =
          readChecksumAndPayload(codec, data, r, v.payloadBits, v.payload,
                                 v.payloadBytes, v.headerBytes);
      !st)
    return st;
  return v;
}

/// Decodes a lane-interleaved chunk the way the lockstep SIMD decoder does
/// (HuffmanCodec.h), with 32-bit lane buffers as in its registers.
static Status decodeCsrLaneChunk(const CsrBlobView &v, uint32_t chunk,
                                 uint16_t *out) {
  const uint32_t firstRow = v.chunkFirstRow(chunk);
  const unsigned numLanes = v.chunkRows(chunk);
  const uint64_t cols = v.cols;
  std::fill(out, out + uint64_t(numLanes) * cols, uint16_t(0));
  // Offsets are multiples of 16 (parseCsrBlob).
  uint64_t word = v.chunkBitOffsets[chunk] / 16;
  const uint64_t endWord = v.chunkBitOffsets[chunk + 1] / 16;
  BitReader counts(v.rowCounts, v.rowCountBytes);
  counts.seek(uint64_t(firstRow) * v.countBits);
  uint64_t entries[kCsrLanes] = {}, maxEntries = 0;
  for (unsigned l = 0; l < numLanes; ++l) {
    entries[l] = counts.read(v.countBits);
    if (entries[l] > cols)
      return Status::error("csr: row " + std::to_string(firstRow + l) +
                           " claims " + std::to_string(entries[l]) +
                           " entries for " + std::to_string(cols) + " columns");
    maxEntries = std::max(maxEntries, entries[l]);
  }
  uint32_t buf[kCsrLanes] = {};
  unsigned count[kCsrLanes] = {};
  uint64_t next[kCsrLanes] = {};
  for (uint64_t step = 0; step < maxEntries; ++step) {
    for (unsigned l = 0; l < numLanes; ++l) {
      if (entries[l] <= step || count[l] >= 16)
        continue;
      if (word >= endWord)
        return Status::error("csr: chunk " + std::to_string(chunk) +
                             " runs out of words in row " +
                             std::to_string(firstRow + l));
      uint32_t w = uint32_t(v.payload[2 * word]) |
                   uint32_t(v.payload[2 * word + 1]) << 8;
      ++word;
      buf[l] |= w << count[l];
      count[l] += 16;
    }
    for (unsigned l = 0; l < numLanes; ++l) {
      if (entries[l] <= step)
        continue;
      const uint32_t row = firstRow + l;
      uint32_t gapLeaf = v.gapTable.lookup(buf[l]);
      unsigned used = HuffmanDecodeTable::entryLength(gapLeaf);
      if (!used)
        return Status::error("csr: invalid gap code in row " +
                             std::to_string(row));
      uint32_t indexLeaf = v.indexTable.lookup(buf[l] >> used);
      unsigned indexLen = HuffmanDecodeTable::entryLength(indexLeaf);
      if (!indexLen)
        return Status::error("csr: invalid index code in row " +
                             std::to_string(row));
      used += indexLen;
      // Cannot fail with codes of <= 8 bits; guards the buffer shifts.
      if (used > count[l])
        return Status::error("csr: entry of row " + std::to_string(row) +
                             " longer than its lane's buffered bits");
      buf[l] >>= used;
      count[l] -= used;
      uint64_t col = next[l] + HuffmanDecodeTable::entrySymbol(gapLeaf);
      if (col >= cols)
        return Status::error("csr: entry past the end of row " +
                             std::to_string(row));
      uint32_t index = HuffmanDecodeTable::entrySymbol(indexLeaf);
      if (index > v.k)
        return Status::error("csr: cluster index " + std::to_string(index) +
                             " exceeds k = " + std::to_string(v.k));
      out[l * cols + col] = uint16_t(index);
      next[l] = col + 1;
    }
  }
  // What a lane holds after its last entry lies past its sequence: zero.
  for (unsigned l = 0; l < numLanes; ++l)
    if (buf[l])
      return Status::error("csr: nonzero padding after row " +
                           std::to_string(firstRow + l));
  if (word != endWord)
    return Status::error("csr: chunk " + std::to_string(chunk) + " leaves " +
                         std::to_string(endWord - word) + " words unused");
  return Status::ok();
}

Status decodeCsrChunk(const CsrBlobView &v, uint32_t chunk, uint16_t *out,
                      uint64_t *rowBitOffsets) {
  if (chunk >= v.numChunks)
    return Status::error("csr: chunk " + std::to_string(chunk) +
                         " out of range (" + std::to_string(v.numChunks) +
                         " chunks)");
  if (v.lanes) {
    if (rowBitOffsets)
      return Status::error("csr: a lane-interleaved chunk has no per-row bit "
                           "offsets (its rows share words)");
    return decodeCsrLaneChunk(v, chunk, out);
  }
  const uint32_t firstRow = v.chunkFirstRow(chunk);
  const uint32_t numRows = v.chunkRows(chunk);
  const uint64_t cols = v.cols;
  std::fill(out, out + uint64_t(numRows) * cols, uint16_t(0));
  const uint64_t end = v.chunkBitOffsets[chunk + 1];
  BitReader r(v.payload, v.payloadBytes, end);
  r.seek(v.chunkBitOffsets[chunk]);
  BitReader counts(v.rowCounts, v.rowCountBytes);
  counts.seek(uint64_t(firstRow) * v.countBits);
  const bool hg = v.huffmanGaps, hi = v.huffmanIndices;
  const uint64_t gapMask = (uint64_t(1) << v.gapBits) - 1;
  const uint64_t indexMask = (uint64_t(1) << v.indexBits) - 1;
  const unsigned gapBits = v.gapBits, indexBits = v.indexBits;
  const uint32_t k = v.k;
  for (uint32_t row = 0; row < numRows; ++row) {
    uint64_t n = counts.read(v.countBits);
    if (n > cols)
      return Status::error("csr: row " + std::to_string(firstRow + row) +
                           " claims " + std::to_string(n) + " entries for " +
                           std::to_string(cols) + " columns");
    uint16_t *o = out + uint64_t(row) * cols;
    if (rowBitOffsets)
      rowBitOffsets[row] = r.position();
    uint64_t next = 0;
    for (uint64_t e = 0; e < n; ++e) {
      uint64_t window = r.peek(57);
      uint64_t gap, index;
      unsigned used;
      if (hg) {
        uint32_t leaf = v.gapTable.lookup(window);
        used = HuffmanDecodeTable::entryLength(leaf);
        if (!used)
          return Status::error("csr: invalid gap code in row " +
                               std::to_string(firstRow + row));
        gap = HuffmanDecodeTable::entrySymbol(leaf);
      } else {
        gap = window & gapMask;
        used = gapBits;
      }
      if (hi) {
        uint32_t leaf = v.indexTable.lookup(window >> used);
        unsigned len = HuffmanDecodeTable::entryLength(leaf);
        if (!len)
          return Status::error("csr: invalid index code in row " +
                               std::to_string(firstRow + row));
        index = HuffmanDecodeTable::entrySymbol(leaf);
        used += len;
      } else {
        index = (window >> used) & indexMask;
        used += indexBits;
      }
      if (used > r.remaining())
        return Status::error("csr: chunk " + std::to_string(chunk) +
                             " overruns its bits in row " +
                             std::to_string(firstRow + row));
      r.skip(used);
      uint64_t col = next + gap;
      if (col >= cols)
        return Status::error("csr: entry past the end of row " +
                             std::to_string(firstRow + row));
      if (index > k)
        return Status::error("csr: cluster index " + std::to_string(index) +
                             " exceeds k = " + std::to_string(k));
      o[col] = uint16_t(index);
      next = col + 1;
    }
  }
  if (r.position() != end)
    return Status::error("csr: chunk " + std::to_string(chunk) + " leaves " +
                         std::to_string(end - r.position()) + " bits unused");
  return Status::ok();
}

Result<std::vector<uint64_t>> csrRowBitOffsets(const CsrBlobView &v) {
  if (v.lanes)
    return Status::error("csr: lane-interleaved blob has no per-row offsets "
                         "(its rows share words)");
  std::vector<uint64_t> offsets(uint64_t(v.rows) + 1, 0);
  std::vector<uint16_t> scratch;
  for (uint32_t c = 0; c < v.numChunks; ++c) {
    scratch.resize(uint64_t(v.chunkRows(c)) * v.cols);
    if (Status st = decodeCsrChunk(v, c, scratch.data(),
                                   offsets.data() + v.chunkFirstRow(c));
        !st)
      return st;
  }
  offsets[v.rows] = v.numChunks ? v.chunkBitOffsets[v.numChunks] : 0;
  return offsets;
}

Result<ClusteredMatrix> decodeCsrMatrix(const uint8_t *data, size_t size) {
  auto v = parseCsrBlob(data, size);
  if (!v)
    return v.status();
  ClusteredMatrix m;
  m.rows = v->rows;
  m.cols = v->cols;
  m.indices.assign(m.rows * m.cols, 0);
  for (uint32_t c = 0; c < v->numChunks; ++c)
    if (Status st = decodeCsrChunk(
            *v, c, m.indices.data() + uint64_t(v->chunkFirstRow(c)) * m.cols);
        !st)
      return st;
  return m;
}

//===----------------------------------------------------------------------===//
// huffman encoder
//===----------------------------------------------------------------------===//

static Result<std::vector<uint8_t>>
encodeHuffmanImpl(const ClusteredMatrix &m, const HuffmanParams &p,
                  EncodingStats *stats, HuffmanMatrixReport *report) {
  const char *codec = "huffman";
  if (Status st = checkMatrix(codec, m); !st)
    return st;
  if (Status st =
          checkChunkParams(codec, p.rowsPerChunk, p.maxCodeLength, true);
      !st)
    return st;
  const uint32_t k = uint32_t(m.codebook.size());
  std::vector<uint64_t> counts(k + 1, 0);
  for (uint16_t i : m.indices)
    ++counts[i];
  auto code = buildHuffmanCode(counts, p.maxCodeLength);
  if (!code)
    return Status::error("huffman: " + code.message());
  BitWriter payload;
  const uint64_t numChunks = ceilDiv(m.rows, p.rowsPerChunk);
  std::vector<uint64_t> offsets;
  offsets.reserve(numChunks + 1);
  for (uint64_t r = 0; r < m.rows; ++r) {
    if (r % p.rowsPerChunk == 0)
      offsets.push_back(payload.bitSize());
    const uint16_t *row = m.indices.data() + r * m.cols;
    for (uint64_t c = 0; c < m.cols; ++c)
      encodeHuffmanSymbol(payload, *code, row[c]);
  }
  const uint64_t payloadBits = payload.bitSize();
  offsets.push_back(payloadBits);

  std::vector<uint8_t> out = {'C', 'W', 'H', 'F'};
  appendU8(out, kHuffmanVersion);
  appendU8(out, uint8_t(p.maxCodeLength));
  appendU16(out, uint16_t(k));
  appendU32(out, uint32_t(m.rows));
  appendU32(out, uint32_t(m.cols));
  appendU32(out, p.rowsPerChunk);
  appendU32(out, uint32_t(numChunks));
  appendU64(out, payloadBits);
  serializeHuffmanLengths(code->lengths, out);
  appendOffsets(out, offsets);
  appendU32(out, huffmanCodecChecksum(out.data(), out.size()));
  const uint64_t headerBytes = out.size();
  std::vector<uint8_t> payloadBytes = payload.take();
  out.insert(out.end(), payloadBytes.begin(), payloadBytes.end());

  double floor = floorOf(counts);
  if (stats) {
    stats->blobBytes = out.size();
    stats->codebookBytes = 4 * uint64_t(k);
    stats->entropyFloorBits = floor;
  }
  if (report) {
    report->indices.symbols = m.indices.size();
    report->indices.payloadBits = payloadBits;
    report->indices.floorBits = floor;
    report->headerBytes = headerBytes;
    report->blobBytes = out.size();
  }
  return out;
}

Result<std::vector<uint8_t>> encodeHuffmanMatrix(const ClusteredMatrix &m,
                                                 const HuffmanParams &p,
                                                 EncodingStats *stats) {
  return encodeHuffmanImpl(m, p, stats, nullptr);
}

Result<HuffmanMatrixReport> analyzeHuffmanMatrix(const ClusteredMatrix &m,
                                                 const HuffmanParams &p) {
  HuffmanMatrixReport report;
  auto blob = encodeHuffmanImpl(m, p, nullptr, &report);
  if (!blob)
    return blob.status();
  return report;
}

//===----------------------------------------------------------------------===//
// huffman decoder
//===----------------------------------------------------------------------===//

uint32_t HuffmanBlobView::chunkRows(uint32_t chunk) const {
  return chunkRowsOf(rows, rowsPerChunk, chunk);
}

Result<HuffmanBlobView> parseHuffmanBlob(const uint8_t *data, size_t size) {
  const char *codec = "huffman";
  ByteReader r(data, size);
  const uint8_t *magic = r.readBytes(4);
  if (!magic)
    return Status::error("huffman: truncated header: need " +
                         std::to_string(kHuffmanFixedHeader) + " bytes, have " +
                         std::to_string(size));
  if (std::memcmp(magic, "CWHF", 4) != 0)
    return Status::error("huffman: bad magic (expected \"CWHF\")");
  HuffmanBlobView v;
  uint8_t version, maxLen;
  uint16_t k;
  if (!r.readU8(version) || !r.readU8(maxLen) || !r.readU16(k) ||
      !r.readU32(v.rows) || !r.readU32(v.cols) || !r.readU32(v.rowsPerChunk) ||
      !r.readU32(v.numChunks) || !r.readU64(v.payloadBits))
    return Status::error("huffman: truncated header: need " +
                         std::to_string(kHuffmanFixedHeader) + " bytes, have " +
                         std::to_string(size));
  if (version != kHuffmanVersion)
    return Status::error("huffman: unsupported version " +
                         std::to_string(version));
  if (maxLen < 1 || maxLen > kHuffmanMaxLength)
    return Status::error("huffman: invalid code length limit " +
                         std::to_string(maxLen));
  if (k > 256)
    return Status::error("huffman: " + std::to_string(k) +
                         " clusters, at most 256 are supported");
  v.maxCodeLength = maxLen;
  v.k = k;
  if (Status st =
          checkShape(codec, v.rows, v.cols, v.rowsPerChunk, v.numChunks);
      !st)
    return st;
  // Every weight takes at least one bit.
  if (uint64_t(v.rows) * v.cols > v.payloadBits)
    return Status::error("huffman: " + std::to_string(v.payloadBits) +
                         " payload bits cannot hold " +
                         std::to_string(uint64_t(v.rows) * v.cols) +
                         " weights");
  auto lengths = readLengths("huffman", r, uint64_t(k) + 1, maxLen);
  if (!lengths)
    return lengths.status();
  v.lengths = std::move(*lengths);
  auto table = buildHuffmanDecodeTable(v.lengths);
  if (!table)
    return Status::error("huffman: " + table.message());
  v.table = std::move(*table);
  if (Status st =
          readOffsets(codec, r, v.numChunks, v.payloadBits, v.chunkBitOffsets);
      !st)
    return st;
  if (Status st =
          readChecksumAndPayload(codec, data, r, v.payloadBits, v.payload,
                                 v.payloadBytes, v.headerBytes);
      !st)
    return st;
  return v;
}

Status decodeHuffmanChunk(const HuffmanBlobView &v, uint32_t chunk,
                          uint16_t *out) {
  if (chunk >= v.numChunks)
    return Status::error("huffman: chunk " + std::to_string(chunk) +
                         " out of range (" + std::to_string(v.numChunks) +
                         " chunks)");
  const uint64_t count = uint64_t(v.chunkRows(chunk)) * v.cols;
  const uint64_t end = v.chunkBitOffsets[chunk + 1];
  BitReader r(v.payload, v.payloadBytes, end);
  r.seek(v.chunkBitOffsets[chunk]);
  const HuffmanDecodeTable &t = v.table;
  const unsigned maxLen = t.maxLength;
  uint64_t i = 0;
  while (i < count) {
    if (maxLen == 0)
      return Status::error("huffman: chunk " + std::to_string(chunk) +
                           " uses an empty code");
    uint64_t window = r.peek(57);
    unsigned used = 0;
    while (i < count && 57 - used >= maxLen) {
      uint64_t multi = t.multi[(window >> used) & t.primaryMask];
      unsigned c = HuffmanDecodeTable::multiCount(multi);
      if (c && count - i >= c) {
        for (unsigned j = 0; j < c; ++j)
          out[i + j] = uint16_t(HuffmanDecodeTable::multiSymbol(multi, j));
        i += c;
        used += HuffmanDecodeTable::multiLength(multi);
        continue;
      }
      uint32_t leaf = t.lookup(window >> used);
      unsigned len = HuffmanDecodeTable::entryLength(leaf);
      if (!len)
        return Status::error("huffman: invalid code in chunk " +
                             std::to_string(chunk));
      used += len;
      out[i++] = uint16_t(HuffmanDecodeTable::entrySymbol(leaf));
    }
    if (used > r.remaining())
      return Status::error("huffman: chunk " + std::to_string(chunk) +
                           " overruns its bits");
    r.skip(used);
  }
  if (r.position() != end)
    return Status::error("huffman: chunk " + std::to_string(chunk) +
                         " leaves " + std::to_string(end - r.position()) +
                         " bits unused");
  return Status::ok();
}

Result<std::vector<uint64_t>> huffmanRowBitOffsets(const HuffmanBlobView &v) {
  std::vector<uint64_t> offsets(uint64_t(v.rows) + 1, 0);
  for (uint32_t c = 0; c < v.numChunks; ++c) {
    const uint64_t end = v.chunkBitOffsets[c + 1];
    BitReader r(v.payload, v.payloadBytes, end);
    r.seek(v.chunkBitOffsets[c]);
    const uint32_t first = v.chunkFirstRow(c);
    for (uint32_t row = 0; row < v.chunkRows(c); ++row) {
      offsets[first + row] = r.position();
      for (uint32_t col = 0; col < v.cols; ++col) {
        unsigned len =
            v.table.maxLength
                ? HuffmanDecodeTable::entryLength(v.table.lookup(r.peek(57)))
                : 0;
        if (!len || len > r.remaining())
          return Status::error("huffman: invalid or truncated code in row " +
                               std::to_string(first + row));
        r.skip(len);
      }
    }
    if (r.position() != end)
      return Status::error("huffman: chunk " + std::to_string(c) +
                           " leaves bits unused");
  }
  offsets[v.rows] = v.numChunks ? v.chunkBitOffsets[v.numChunks] : 0;
  return offsets;
}

Result<ClusteredMatrix> decodeHuffmanMatrix(const uint8_t *data, size_t size) {
  auto v = parseHuffmanBlob(data, size);
  if (!v)
    return v.status();
  ClusteredMatrix m;
  m.rows = v->rows;
  m.cols = v->cols;
  m.indices.assign(m.rows * m.cols, 0);
  for (uint32_t c = 0; c < v->numChunks; ++c)
    if (Status st = decodeHuffmanChunk(
            *v, c, m.indices.data() + uint64_t(v->chunkFirstRow(c)) * m.cols);
        !st)
      return st;
  return m;
}

} // namespace cw::codec

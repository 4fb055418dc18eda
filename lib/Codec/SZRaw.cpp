//===- SZRaw.cpp - SZ stage 2: raw Huffman, decodable by generated loops --===//
//
// The layout is documented in include/cw/Codec/SZ.h ("Stage 2").
//
//===----------------------------------------------------------------------===//

#include "SZInternal.h"

#include "cw/Codec/BitStream.h"
#include "cw/Codec/Huffman.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <tuple>

namespace cw::codec {

using namespace sz_detail;

namespace {

constexpr size_t kRawFieldsBytes = 20; // bytes 44..63

unsigned bitsFor(uint64_t v) {
  unsigned b = 0;
  while (v >> b)
    ++b;
  return b;
}

/// The code for `counts` (empty when no symbol is used). Generated decoders
/// index a table of 2^(longest length) 32-bit entries, so among the length
/// limits 1..maxLength that fit the alphabet the encoder takes the one that
/// minimises stream bytes + table bytes (what the binary holds).
Result<HuffmanCode> buildCode(const std::vector<uint64_t> &counts,
                              unsigned maxLength, const char *what) {
  size_t used = counts.size();
  while (used > 0 && counts[used - 1] == 0)
    --used;
  if (used == 0)
    return HuffmanCode();
  std::vector<uint64_t> trimmed(counts.begin(), counts.begin() + used);
  uint64_t distinct = 0;
  for (uint64_t c : trimmed)
    distinct += c != 0;
  Result<HuffmanCode> best = Status::error("no code");
  uint64_t bestBytes = UINT64_MAX;
  for (unsigned limit = std::max(1u, bitsFor(distinct - 1)); limit <= maxLength;
       ++limit) {
    Result<HuffmanCode> code = buildHuffmanCode(trimmed, limit);
    if (!code)
      return Status::error(std::string("sz: ") + what +
                           " code: " + code.message());
    unsigned longest = code->maxLength;
    uint64_t bytes =
        (code->costBits(trimmed) + 7) / 8 + (uint64_t(4) << longest);
    if (bytes < bestBytes) {
      bestBytes = bytes;
      best = std::move(code);
    }
    if (longest < limit) // unconstrained from here on
      break;
  }
  return best;
}

/// Reads the serialised lengths of one code and checks them against the
/// stage's limits.
Result<std::vector<uint8_t>> readLengths(ByteReader &r, uint64_t maxAlphabet,
                                         unsigned maxLength, const char *what) {
  Result<std::vector<uint8_t>> lengths = deserializeHuffmanLengths(r);
  if (!lengths)
    return Status::error(std::string("sz: ") + what +
                         " code: " + lengths.message());
  if (lengths->size() > maxAlphabet)
    return Status::error(std::string("sz: ") + what + " code of " +
                         str(lengths->size()) + " symbols exceeds " +
                         str(maxAlphabet));
  for (uint8_t l : *lengths)
    if (l > maxLength)
      return Status::error(std::string("sz: ") + what + " code length " +
                           str(l) + " exceeds the limit " + str(maxLength));
  return lengths;
}

Status readTable(ByteReader &r, uint64_t count, std::vector<uint64_t> &out,
                 const char *what) {
  if (count > r.remaining() / 8)
    return Status::error(std::string("sz: truncated ") + what + " table");
  out.resize(size_t(count));
  for (uint64_t &v : out)
    r.readU64(v);
  return Status::ok();
}

/// Checks that `t` starts at 0, never decreases and ends at `last`.
Status checkMonotone(const std::vector<uint64_t> &t, uint64_t last,
                     const char *what) {
  if (t.front() != 0 || t.back() != last)
    return Status::error(std::string("sz: ") + what +
                         " table does not run from 0 to " + str(last));
  for (size_t i = 1; i < t.size(); ++i)
    if (t[i] < t[i - 1])
      return Status::error(std::string("sz: ") + what +
                           " table decreases at "
                           "chunk " +
                           str(i - 1));
  return Status::ok();
}

/// The decode tables of one blob, built once for all its chunks.
struct RawDecoder {
  const SZRawView &v;
  HuffmanDecodeTable gaps, bins;

  Status init() {
    for (auto [lengths, table, what] :
         {std::make_tuple(&v.gapLengths, &gaps, "gap"),
          std::make_tuple(&v.binLengths, &bins, "bin")}) {
      if (lengths->empty())
        continue;
      Result<HuffmanDecodeTable> t = buildHuffmanDecodeTable(*lengths);
      if (!t)
        return Status::error(std::string("sz: ") + what +
                             " code: " + t.message());
      *table = std::move(*t);
    }
    return Status::ok();
  }

  /// Decodes chunk c into `out` (numRows * cols), or only checks it when
  /// `out` is null.
  Status chunk(uint64_t c, float *out) const {
    const uint64_t firstRow = c * v.rowsPerChunk;
    const uint64_t numRows =
        std::min<uint64_t>(v.rowsPerChunk, v.rows - firstRow);
    const uint64_t end = v.chunkBitOffsets[c + 1];
    const uint64_t escStart = v.chunkEscapeStarts[c];
    const uint64_t numEscapes = v.chunkEscapeStarts[c + 1] - escStart;
    const uint32_t maxSym = 2 * v.binRadius + 1;
    const double twoEb = 2.0 * v.errorBound;
    BitReader br(v.payload, v.payloadBytes, v.payloadBits);
    br.seek(v.chunkBitOffsets[c]);
    uint64_t esc = 0; // escapes used, relative to escStart
    Predictor pred{v.predictor};
    for (uint64_t k = 0; k < numRows; ++k) {
      uint64_t row = firstRow + k;
      uint64_t count = v.rowCount(row);
      pred.startRow();
      uint64_t col = uint64_t(-1);
      for (uint64_t t = 0; t < count; ++t) {
        uint32_t gap = 0, sym = 0;
        if (Status s = decodeHuffmanSymbol(gaps, br, gap); !s)
          return Status::error("sz: chunk " + str(c) + " row " + str(row) +
                               " gap: " + s.message());
        if (gap == 0)
          return Status::error("sz: chunk " + str(c) + " row " + str(row) +
                               " has gap 0");
        col += gap;
        if (col >= v.cols)
          return Status::error("sz: chunk " + str(c) + " row " + str(row) +
                               " runs past column " + str(v.cols));
        if (Status s = decodeHuffmanSymbol(bins, br, sym); !s)
          return Status::error("sz: chunk " + str(c) + " row " + str(row) +
                               " bin: " + s.message());
        float rec;
        if (Status s = decodeEntry(
                sym, maxSym, twoEb, pred,
                [&](uint64_t i) { return v.escape(escStart + i); }, esc,
                numEscapes, c, [&] { return "row " + str(row); }, rec);
            !s)
          return s;
        if (out)
          out[k * v.cols + col] = rec;
        pred.push(rec);
      }
    }
    if (br.position() != end)
      return Status::error("sz: chunk " + str(c) + " ends at bit " +
                           str(br.position()) + ", the offset table says " +
                           str(end));
    if (esc != numEscapes)
      return Status::error("sz: chunk " + str(c) + " uses " + str(esc) +
                           " of its " + str(numEscapes) + " escapes");
    return Status::ok();
  }
};

} // namespace

uint64_t SZRawView::rowCount(uint64_t row) const {
  if (countBits == 0)
    return 0;
  BitReader br(rowCounts, rowCountBytes);
  br.seek(row * countBits);
  return br.read(countBits);
}

float SZRawView::escape(uint64_t i) const {
  uint32_t bits;
  std::memcpy(&bits, escapes + 4 * i, 4);
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

//===----------------------------------------------------------------------===//
// Encoder
//===----------------------------------------------------------------------===//

Result<std::vector<uint8_t>>
sz_detail::encodeRawStage(std::vector<uint8_t> header,
                          const std::vector<QuantisedChunk> &chunks,
                          unsigned maxCodeLength, SZEncodeInfo &info) {
  std::vector<uint64_t> gapCounts(256, 0), binCounts(65536, 0);
  uint32_t maxCount = 0;
  uint64_t numEscapes = 0;
  for (const QuantisedChunk &q : chunks) {
    for (uint8_t g : q.gaps)
      ++gapCounts[g];
    for (uint16_t s : q.symbols)
      ++binCounts[s];
    for (uint32_t n : q.rowCounts)
      maxCount = std::max(maxCount, n);
    numEscapes += q.escapes.size();
  }
  Result<HuffmanCode> gapCode = buildCode(gapCounts, maxCodeLength, "gap");
  if (!gapCode)
    return gapCode.status();
  Result<HuffmanCode> binCode = buildCode(binCounts, maxCodeLength, "bin");
  if (!binCode)
    return binCode.status();

  // The interleaved stream and the chunk entry points.
  BitWriter stream, counts;
  unsigned countBits = bitsFor(maxCount);
  std::vector<uint64_t> offsets{0}, escStarts{0};
  for (const QuantisedChunk &q : chunks) {
    for (size_t e = 0; e < q.gaps.size(); ++e) {
      encodeHuffmanSymbol(stream, *gapCode, q.gaps[e]);
      encodeHuffmanSymbol(stream, *binCode, q.symbols[e]);
    }
    for (uint32_t n : q.rowCounts)
      if (countBits)
        counts.write(n, countBits);
    offsets.push_back(stream.bitSize());
    escStarts.push_back(escStarts.back() + q.escapes.size());
  }
  uint64_t payloadBits = stream.bitSize();

  appendU8(header, uint8_t(maxCodeLength));
  appendU8(header, uint8_t(countBits));
  appendU16(header, 0);
  appendU64(header, payloadBits);
  appendU64(header, numEscapes);
  serializeHuffmanLengths(gapCode->lengths, header);
  serializeHuffmanLengths(binCode->lengths, header);
  for (uint64_t o : offsets)
    appendU64(header, o);
  for (uint64_t e : escStarts)
    appendU64(header, e);
  const std::vector<uint8_t> &countBytes = counts.bytes();
  header.insert(header.end(), countBytes.begin(), countBytes.end());
  appendU32(header, fnv1a(header.data(), header.size()));

  info.headerBytes = header.size();
  info.rowCountBytes = countBytes.size();
  info.gapBytes = 0;
  info.codeBytes = stream.bytes().size();
  info.escapeBytes = 4 * numEscapes;

  std::vector<uint8_t> blob = std::move(header);
  blob.insert(blob.end(), stream.bytes().begin(), stream.bytes().end());
  for (const QuantisedChunk &q : chunks)
    for (float x : q.escapes)
      appendF32(blob, x);
  return blob;
}

//===----------------------------------------------------------------------===//
// Decoder
//===----------------------------------------------------------------------===//

Result<SZRawView> parseSZRawBlob(const uint8_t *data, size_t size,
                                 bool checkPayload) {
  SZHeader h;
  uint32_t numChunks = 0;
  if (Status s = parseFixedHeader(data, size, h, numChunks); !s)
    return s;
  if (h.entropy != SZEntropyStage::HuffmanRaw)
    return Status::error("sz: entropy stage " + str(uint8_t(h.entropy)) +
                         " is not the raw Huffman stage (2)");
  SZRawView v;
  v.rows = h.rows;
  v.cols = h.cols;
  v.errorBound = h.errorBound;
  v.predictor = h.predictor;
  v.binRadius = h.binRadius;
  v.rowsPerChunk = h.rowsPerChunk;

  ByteReader r(data + kFixedHeaderBytes, size - kFixedHeaderBytes);
  if (r.remaining() < kRawFieldsBytes)
    return Status::error("sz: truncated header: need " +
                         str(kFixedHeaderBytes + kRawFieldsBytes) +
                         " bytes, have " + str(size));
  uint8_t maxLength = 0, countBits = 0;
  uint16_t reserved = 0;
  r.readU8(maxLength);
  r.readU8(countBits);
  r.readU16(reserved);
  r.readU64(v.payloadBits);
  r.readU64(v.numEscapes);
  if (maxLength < 8 || maxLength > 16)
    return Status::error("sz: raw Huffman length limit " + str(maxLength) +
                         " out of range 8..16");
  if (countBits > 32)
    return Status::error("sz: row count width " + str(countBits) +
                         " exceeds 32 bits");
  if (reserved != 0)
    return Status::error("sz: reserved raw header bytes are not 0");
  v.maxCodeLength = maxLength;
  v.countBits = countBits;
  auto gaps = readLengths(r, 256, maxLength, "gap");
  if (!gaps)
    return gaps.status();
  v.gapLengths = std::move(*gaps);
  // At most 2^L symbols; the bin radius is checked against them below.
  auto bins = readLengths(r, uint64_t(1) << maxLength, maxLength, "bin");
  if (!bins)
    return bins.status();
  v.binLengths = std::move(*bins);
  if (Status s =
          readTable(r, uint64_t(numChunks) + 1, v.chunkBitOffsets, "offset");
      !s)
    return s;
  if (Status s = readTable(r, uint64_t(numChunks) + 1, v.chunkEscapeStarts,
                           "escape start");
      !s)
    return s;
  if (countBits && v.rows > uint64_t(r.remaining()) * 8 / countBits)
    return Status::error("sz: truncated row count table");
  v.rowCountBytes = size_t((v.rows * countBits + 7) / 8);
  v.rowCounts = r.readBytes(v.rowCountBytes);
  size_t hashed = r.offset() + kFixedHeaderBytes;
  uint32_t checksum = 0;
  if (!v.rowCounts || !r.readU32(checksum))
    return Status::error("sz: truncated header");
  if (checksum != fnv1a(data, hashed))
    return Status::error("sz: header checksum mismatch (corrupted header)");
  if (Status s = validateFixedHeader(h, numChunks); !s)
    return s;

  if (v.binLengths.size() > 2 * uint64_t(v.binRadius) + 2)
    return Status::error("sz: bin code of " + str(v.binLengths.size()) +
                         " symbols exceeds the " + str(v.binRadius) +
                         " bin radius");
  if (!v.gapLengths.empty() && v.gapLengths[0] != 0)
    return Status::error("sz: gap code has a code for gap 0");
  if (Status s = checkMonotone(v.chunkBitOffsets, v.payloadBits, "offset"); !s)
    return s;
  if (Status s =
          checkMonotone(v.chunkEscapeStarts, v.numEscapes, "escape start");
      !s)
    return s;
  uint64_t payloadBytes = v.payloadBits / 8 + (v.payloadBits % 8 != 0);
  if (payloadBytes > r.remaining() ||
      v.numEscapes > (r.remaining() - payloadBytes) / 4 ||
      r.remaining() - payloadBytes - 4 * v.numEscapes != 0)
    return Status::error("sz: payload of " + str(r.remaining()) +
                         " bytes, the header implies " + str(payloadBytes) +
                         " + 4 * " + str(v.numEscapes) + " escapes");
  v.payloadBytes = size_t(payloadBytes);
  v.payload = r.readBytes(v.payloadBytes);
  v.escapes = r.current();
  uint64_t entries = 0;
  for (uint64_t row = 0; countBits && row < v.rows; ++row) {
    uint64_t n = v.rowCount(row);
    if (n > v.cols)
      return Status::error("sz: row " + str(row) + " claims " + str(n) +
                           " entries for " + str(v.cols) + " columns");
    entries += n;
  }
  if (entries != 0 && (v.gapLengths.empty() || v.binLengths.empty()))
    return Status::error("sz: " + str(entries) + " entries but no codes");
  if (!checkPayload)
    return v;
  RawDecoder dec{v, {}, {}};
  if (Status s = dec.init(); !s)
    return s;
  for (uint64_t c = 0; c < v.numChunks(); ++c)
    if (Status s = dec.chunk(c, nullptr); !s)
      return s;
  return v;
}

Status sz_detail::decodeRawChunksInto(const SZRawView &v, uint64_t first,
                                      uint64_t end, float *out) {
  RawDecoder dec{v, {}, {}};
  if (Status s = dec.init(); !s)
    return s;
  for (uint64_t c = first; c < end; ++c)
    if (Status s =
            dec.chunk(c, out + (c - first) * uint64_t(v.rowsPerChunk) * v.cols);
        !s)
      return s;
  return Status::ok();
}

} // namespace cw::codec

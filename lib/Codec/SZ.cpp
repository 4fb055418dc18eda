//===- SZ.cpp - SZ-style error-bounded encoding (DeepSZ §3) ---------------===//
//
// The bit layout is documented in include/cw/Codec/SZ.h.
//
//===----------------------------------------------------------------------===//

#include "cw/Codec/SZ.h"

#include "SZInternal.h"
#include "cw/Codec/BitStream.h"
#include "cw/Codec/Entropy.h"
#include "cw/Codec/Huffman.h"

#include <zstd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

namespace cw::codec {

using namespace sz_detail;

uint32_t sz_detail::fnv1a(const uint8_t *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}

namespace {

constexpr size_t kChunkEntryBytes = 40;

uint32_t loadU32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
}

float loadF32(const uint8_t *p) {
  uint32_t bits = loadU32(p);
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

/// Compresses `src` into one zstd frame (empty input -> empty section).
Status zstdCompress(ZSTD_CCtx *cctx, const uint8_t *src, size_t n,
                    std::vector<uint8_t> &out, const char *what) {
  out.clear();
  if (n == 0)
    return Status::ok();
  out.resize(ZSTD_compressBound(n));
  size_t r = ZSTD_compress2(cctx, out.data(), out.size(), src, n);
  if (ZSTD_isError(r))
    return Status::error(std::string("sz: zstd failed to compress the ") +
                         what + " section: " + ZSTD_getErrorName(r));
  out.resize(r);
  return Status::ok();
}

/// Decompresses one zstd section that must hold exactly `expected` bytes.
Status zstdDecompress(ZSTD_DCtx *dctx, const uint8_t *src, size_t n,
                      uint64_t expected, std::vector<uint8_t> &out,
                      const char *what, uint64_t chunk) {
  out.clear();
  std::string where = std::string(what) + " section of chunk " + str(chunk);
  if (expected == 0) {
    if (n != 0)
      return Status::error("sz: " + where + " should be empty, has " + str(n) +
                           " bytes");
    return Status::ok();
  }
  if (n == 0)
    return Status::error("sz: " + where + " is empty, expected " +
                         str(expected) + " decoded bytes");
  unsigned long long declared = ZSTD_getFrameContentSize(src, n);
  if (declared == ZSTD_CONTENTSIZE_ERROR)
    return Status::error("sz: " + where + " is not a zstd frame");
  if (declared == ZSTD_CONTENTSIZE_UNKNOWN)
    return Status::error("sz: " + where + " does not declare its decoded size");
  if (declared != expected)
    return Status::error("sz: " + where + " declares " + str(declared) +
                         " decoded bytes, the header implies " + str(expected));
  size_t frame = ZSTD_findFrameCompressedSize(src, n);
  if (ZSTD_isError(frame))
    return Status::error("sz: " + where +
                         ": zstd: " + ZSTD_getErrorName(frame));
  if (frame != n)
    return Status::error("sz: " + where + " holds " + str(n) +
                         " bytes but its zstd frame has " + str(frame));
  if (expected > SIZE_MAX)
    return Status::error("sz: " + where + " is too large");
  out.resize(size_t(expected));
  size_t r = ZSTD_decompressDCtx(dctx, out.data(), out.size(), src, n);
  if (ZSTD_isError(r))
    return Status::error("sz: " + where + ": zstd: " + ZSTD_getErrorName(r));
  if (r != expected)
    return Status::error("sz: " + where + " decoded to " + str(r) +
                         " bytes, expected " + str(expected));
  return Status::ok();
}

struct CCtxHolder {
  ZSTD_CCtx *ctx = ZSTD_createCCtx();
  ~CCtxHolder() { ZSTD_freeCCtx(ctx); }
};
struct DCtxHolder {
  ZSTD_DCtx *ctx = ZSTD_createDCtx();
  ~DCtxHolder() { ZSTD_freeDCtx(ctx); }
};

} // namespace

Result<SZPredictor> parsePredictor(std::string_view name) {
  if (name == "prev")
    return SZPredictor::Prev;
  if (name == "lorenzo")
    return SZPredictor::Lorenzo;
  if (name == "linear")
    return SZPredictor::Linear;
  return Status::error("sz: unknown predictor '" + std::string(name) +
                       "' (expected prev, lorenzo or linear)");
}

const char *predictorName(SZPredictor p) {
  switch (p) {
  case SZPredictor::Prev:
    return "prev";
  case SZPredictor::Lorenzo:
    return "lorenzo";
  case SZPredictor::Linear:
    return "linear";
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// Encoder
//===----------------------------------------------------------------------===//

Status sz_detail::quantiseChunk(const float *dense, uint64_t firstRow,
                                uint64_t numRows, uint64_t cols, double eb,
                                SZPredictor predictor, uint32_t radius,
                                QuantisedChunk &out, SZEncodeInfo &inf) {
  out.rowCounts.clear();
  out.gaps.clear();
  out.symbols.clear();
  out.escapes.clear();
  std::vector<float> values;
  // 1. The sparse layout: gaps (with fillers) and values, per row.
  for (uint64_t r = firstRow; r < firstRow + numRows; ++r) {
    const float *row = dense + r * cols;
    uint64_t entriesBefore = out.gaps.size();
    int64_t prevCol = -1;
    for (uint64_t j = 0; j < cols; ++j) {
      if (row[j] == 0.0f)
        continue;
      uint64_t d = uint64_t(int64_t(j) - prevCol);
      while (d > kMaxGap) {
        out.gaps.push_back(uint8_t(kMaxGap));
        values.push_back(0.0f);
        d -= kMaxGap;
        ++inf.numFillers;
      }
      out.gaps.push_back(uint8_t(d));
      values.push_back(row[j]);
      ++inf.numNonzeros;
      prevCol = int64_t(j);
    }
    uint64_t count = out.gaps.size() - entriesBefore;
    if (count > UINT32_MAX)
      return Status::error("sz: row " + str(r) + " has too many entries");
    out.rowCounts.push_back(uint32_t(count));
  }
  // 2. Prediction + quantisation, row by row (the prev predictor resets).
  const double twoEb = 2.0 * eb;
  const float ebF = float(eb);
  const double radiusD = double(radius);
  out.symbols.assign(out.gaps.size(), 0);
  Predictor pred{predictor};
  uint64_t e = 0;
  for (uint32_t count : out.rowCounts) {
    pred.startRow();
    for (uint32_t t = 0; t < count; ++t, ++e) {
      float x = values[e];
      bool filler = out.gaps[e] == kMaxGap && x == 0.0f;
      double p = pred.predict();
      double qd = (double(x) - p) / twoEb;
      bool ok = false;
      float rec = x;
      uint16_t sym = 0;
      if (std::fabs(qd) <= radiusD + 0.5) {
        int64_t q = std::llround(qd);
        if (q >= -int64_t(radius) && q <= int64_t(radius)) {
          float cand = reconstruct(p, twoEb, q);
          if (filler) {
            ok = cand == 0.0f && !std::signbit(cand);
          } else {
            ok = std::fabs(double(x) - double(cand)) <= eb &&
                 std::fabs(x - cand) <= ebF;
          }
          if (ok) {
            rec = cand;
            sym = uint16_t(1 + zigzag(q));
          }
        }
      }
      if (!ok) {
        rec = x;
        out.escapes.push_back(x);
        ++inf.numEscapes;
      }
      out.symbols[e] = sym;
      if (!filler) {
        double err = std::fabs(double(x) - double(rec));
        if (err > inf.maxAbsError)
          inf.maxAbsError = err;
      }
      pred.push(rec);
    }
  }
  if (out.escapes.size() > UINT32_MAX)
    return Status::error("sz: a chunk has too many escapes");
  return Status::ok();
}

namespace {

/// Stages 0 and 1: zstd sections per chunk behind the 40-byte chunk table.
Result<std::vector<uint8_t>>
encodeZstdStages(std::vector<uint8_t> header,
                 const std::vector<QuantisedChunk> &chunks, bool useHuffman,
                 int zstdLevel, SZEncodeInfo &inf) {
  CCtxHolder cctx;
  if (!cctx.ctx)
    return Status::error("sz: cannot create a zstd context");
  ZSTD_CCtx_setParameter(cctx.ctx, ZSTD_c_compressionLevel, zstdLevel);
  ZSTD_CCtx_setParameter(cctx.ctx, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(cctx.ctx, ZSTD_c_contentSizeFlag, 1);
  // The sections are close to i.i.d. symbols: short LZ matches are
  // spurious and cost more than zstd's Huffman-coded literals (up to 6 % on
  // the gaps of AlexNet fc6 at level 3). Only accept matches of 7+ bytes.
  ZSTD_CCtx_setParameter(cctx.ctx, ZSTD_c_minMatch, 7);

  std::vector<uint8_t> payload, rowCountBytes, planes, escapes;
  std::vector<uint8_t> secA, secB, secC;
  for (uint64_t c = 0; c < chunks.size(); ++c) {
    const QuantisedChunk &q = chunks[c];
    const uint64_t n = q.gaps.size();
    rowCountBytes.clear();
    for (uint32_t count : q.rowCounts)
      appendU32(rowCountBytes, count);
    escapes.clear();
    for (float x : q.escapes)
      appendF32(escapes, x);
    // 3. The bins' entropy stage: canonical Huffman, or byte planes.
    planes.clear();
    if (useHuffman && n != 0) {
      uint32_t maxSym = 0;
      for (uint16_t sym : q.symbols)
        maxSym = std::max<uint32_t>(maxSym, sym);
      std::vector<uint64_t> counts(size_t(maxSym) + 1, 0);
      for (uint16_t sym : q.symbols)
        ++counts[sym];
      Result<HuffmanCode> code = buildHuffmanCode(counts);
      if (!code)
        return Status::error("sz: chunk " + str(c) + ": " + code.message());
      serializeHuffmanLengths(code->lengths, planes);
      BitWriter w;
      for (uint16_t sym : q.symbols)
        encodeHuffmanSymbol(w, *code, sym);
      std::vector<uint8_t> bits = w.take();
      planes.insert(planes.end(), bits.begin(), bits.end());
    } else if (!useHuffman) {
      planes.resize(2 * n);
      for (uint64_t i = 0; i < n; ++i) {
        planes[i] = uint8_t(q.symbols[i] & 0xFF);
        planes[n + i] = uint8_t(q.symbols[i] >> 8);
      }
    }
    if (Status s = zstdCompress(cctx.ctx, rowCountBytes.data(),
                                rowCountBytes.size(), secA, "row count");
        !s)
      return s;
    if (Status s =
            zstdCompress(cctx.ctx, q.gaps.data(), q.gaps.size(), secB, "gap");
        !s)
      return s;
    if (Status s = zstdCompress(cctx.ctx, planes.data(), planes.size(), secC,
                                "bin code");
        !s)
      return s;
    if (secA.size() > UINT32_MAX || secB.size() > UINT32_MAX ||
        secC.size() > UINT32_MAX)
      return Status::error("sz: chunk " + str(c) +
                           " section exceeds 4 GiB; lower rowsPerChunk");

    appendU64(header, payload.size());
    appendU64(header, n);
    appendU32(header, uint32_t(q.escapes.size()));
    appendU32(header, uint32_t(secA.size()));
    appendU32(header, uint32_t(secB.size()));
    appendU32(header, uint32_t(secC.size()));
    appendU64(header, planes.size());
    payload.insert(payload.end(), secA.begin(), secA.end());
    payload.insert(payload.end(), secB.begin(), secB.end());
    payload.insert(payload.end(), secC.begin(), secC.end());
    payload.insert(payload.end(), escapes.begin(), escapes.end());

    inf.rowCountBytes += secA.size();
    inf.gapBytes += secB.size();
    inf.codeBytes += secC.size();
    inf.escapeBytes += escapes.size();
  }
  appendU32(header, fnv1a(header.data(), header.size()));
  inf.headerBytes = header.size();
  std::vector<uint8_t> blob = std::move(header);
  blob.insert(blob.end(), payload.begin(), payload.end());
  return blob;
}

} // namespace

Result<std::vector<uint8_t>> encodeSZMatrix(const std::vector<float> &dense,
                                            uint64_t rows, uint64_t cols,
                                            const SZParams &params,
                                            EncodingStats *stats,
                                            SZEncodeInfo *info) {
  const double eb = params.errorBound;
  if (!std::isfinite(eb) || !(eb > 0))
    return Status::error("sz: error bound must be finite and > 0, got " +
                         std::to_string(eb));
  // 2*eb must stay finite, and eb must be representable enough as a float
  // for the float-side bound check.
  if (!std::isfinite(2.0 * eb))
    return Status::error("sz: error bound too large");
  if (params.binRadius < 1 || params.binRadius > kMaxBinRadius)
    return Status::error("sz: bin radius " + str(params.binRadius) +
                         " out of range 1.." + str(kMaxBinRadius));
  const bool raw = params.entropy == SZEntropyStage::HuffmanRaw;
  if (!raw && (params.zstdLevel < 1 || params.zstdLevel > ZSTD_maxCLevel()))
    return Status::error("sz: zstd level " + std::to_string(params.zstdLevel) +
                         " out of range 1.." +
                         std::to_string(ZSTD_maxCLevel()));
  if (raw && (params.rawMaxCodeLength < 8 || params.rawMaxCodeLength > 16))
    return Status::error("sz: raw Huffman length limit " +
                         str(params.rawMaxCodeLength) + " out of range 8..16");
  if (uint8_t(params.entropy) > kStageHuffmanRaw)
    return Status::error("sz: unknown entropy stage " +
                         str(uint8_t(params.entropy)));
  if (rows != 0 && cols > UINT64_MAX / rows)
    return Status::error("sz: rows * cols overflows");
  if (dense.size() != rows * cols)
    return Status::error("sz: " + str(dense.size()) + " values for a " +
                         str(rows) + "x" + str(cols) + " matrix");
  if (rows * cols > kMaxElements)
    return Status::error("sz: matrix has more than 2^34 weights");
  for (size_t i = 0; i < dense.size(); ++i)
    if (!std::isfinite(dense[i]))
      return Status::error("sz: weight " + str(i) + " is NaN or Inf");

  uint64_t rpc = params.rowsPerChunk == 0 ? rows : params.rowsPerChunk;
  if (rpc == 0)
    rpc = 1;
  if (rpc > UINT32_MAX)
    rpc = UINT32_MAX;
  uint64_t numChunks = rows == 0 ? 0 : (rows - 1) / rpc + 1;
  if (numChunks > UINT32_MAX)
    return Status::error("sz: too many chunks; raise rowsPerChunk");
  // Stage 2's bin alphabet (2 * radius + 2 symbols) must fit 2^L codes.
  uint32_t radius = params.binRadius;
  if (raw)
    radius = std::min<uint32_t>(
        radius, (uint32_t(1) << (params.rawMaxCodeLength - 1)) - 1);

  std::vector<uint8_t> header;
  header.reserve(kFixedHeaderBytes + numChunks * kChunkEntryBytes + 4);
  header.insert(header.end(), {'C', 'W', 'S', 'Z'});
  appendU8(header, kVersion);
  appendU8(header, uint8_t(params.predictor));
  appendU8(header, uint8_t(params.entropy));
  appendU8(header, 0);
  appendU64(header, rows);
  appendU64(header, cols);
  appendF64(header, eb);
  appendU32(header, radius);
  appendU32(header, uint32_t(rpc));
  appendU32(header, uint32_t(numChunks));

  SZEncodeInfo inf;
  inf.numChunks = numChunks;
  std::vector<QuantisedChunk> chunks(numChunks);
  std::vector<uint64_t> symbolCounts(65536, 0), gapCounts(256, 0);
  for (uint64_t c = 0; c < numChunks; ++c) {
    uint64_t firstRow = c * rpc;
    if (Status s = quantiseChunk(dense.data(), firstRow,
                                 std::min(rpc, rows - firstRow), cols, eb,
                                 params.predictor, radius, chunks[c], inf);
        !s)
      return s;
    for (uint16_t sym : chunks[c].symbols)
      ++symbolCounts[sym];
    for (uint8_t g : chunks[c].gaps)
      ++gapCounts[g];
    inf.numEntries += chunks[c].gaps.size();
  }
  inf.codeEntropyBits = entropyFloorBitsFromCounts(symbolCounts);
  inf.gapEntropyBits = entropyFloorBitsFromCounts(gapCounts);

  Result<std::vector<uint8_t>> blob =
      raw ? encodeRawStage(std::move(header), chunks, params.rawMaxCodeLength,
                           inf)
          : encodeZstdStages(std::move(header), chunks,
                             params.entropy == SZEntropyStage::Huffman,
                             params.zstdLevel, inf);
  if (!blob)
    return blob;
  if (stats) {
    stats->blobBytes = blob->size();
    stats->codebookBytes = 0;
    stats->entropyFloorBits = inf.codeEntropyBits + inf.gapEntropyBits;
  }
  if (info)
    *info = inf;
  return blob;
}

Result<std::vector<uint8_t>> encodeSZClustered(const ClusteredMatrix &m,
                                               const SZParams &params,
                                               EncodingStats *stats,
                                               SZEncodeInfo *info) {
  if (Status s = m.validate(); !s)
    return s;
  return encodeSZMatrix(m.toDense(), m.rows, m.cols, params, stats, info);
}

//===----------------------------------------------------------------------===//
// Decoder
//===----------------------------------------------------------------------===//

Status sz_detail::parseFixedHeader(const uint8_t *data, size_t size,
                                   SZHeader &h, uint32_t &numChunks) {
  if (!data && size)
    return Status::error("sz: null blob");
  if (size < kFixedHeaderBytes + 4)
    return Status::error("sz: truncated header: need " +
                         str(kFixedHeaderBytes + 4) + " bytes, have " +
                         str(size));
  if (std::memcmp(data, "CWSZ", 4) != 0)
    return Status::error("sz: bad magic (expected \"CWSZ\")");
  ByteReader br(data + 4, size - 4);
  uint8_t version, predictor, stage, reserved;
  br.readU8(version);
  br.readU8(predictor);
  br.readU8(stage);
  br.readU8(reserved);
  br.readU64(h.rows);
  br.readU64(h.cols);
  br.readF64(h.errorBound);
  br.readU32(h.binRadius);
  br.readU32(h.rowsPerChunk);
  br.readU32(numChunks);
  if (version != kVersion)
    return Status::error("sz: unsupported version " + str(version));
  if (predictor > uint8_t(SZPredictor::Linear))
    return Status::error("sz: unknown predictor " + str(predictor));
  h.predictor = SZPredictor(predictor);
  if (stage > kStageHuffmanRaw)
    return Status::error("sz: unsupported entropy stage " + str(stage));
  h.entropy = SZEntropyStage(stage);
  if (reserved != 0)
    return Status::error("sz: reserved header byte is not 0");
  return Status::ok();
}

Status sz_detail::validateFixedHeader(const SZHeader &h, uint32_t numChunks) {
  if (!std::isfinite(h.errorBound) || !(h.errorBound > 0))
    return Status::error("sz: error bound in the header is not finite > 0");
  if (h.binRadius < 1 || h.binRadius > kMaxBinRadius)
    return Status::error("sz: bin radius " + str(h.binRadius) +
                         " out of range");
  if (h.rowsPerChunk == 0)
    return Status::error("sz: rowsPerChunk is 0");
  if (h.rows != 0 && h.cols > UINT64_MAX / h.rows)
    return Status::error("sz: rows * cols overflows");
  if (h.rows * h.cols > kMaxElements)
    return Status::error("sz: matrix of " + str(h.rows) + "x" + str(h.cols) +
                         " exceeds the decoder's 2^34 weights");
  uint64_t expectChunks = h.rows == 0 ? 0 : (h.rows - 1) / h.rowsPerChunk + 1;
  if (numChunks != expectChunks)
    return Status::error("sz: " + str(numChunks) + " chunks, but " +
                         str(h.rows) + " rows in chunks of " +
                         str(h.rowsPerChunk) + " need " + str(expectChunks));
  return Status::ok();
}

Result<SZHeader> parseSZHeader(const uint8_t *data, size_t size) {
  SZHeader h;
  uint32_t numChunks = 0;
  if (Status s = parseFixedHeader(data, size, h, numChunks); !s)
    return s;
  if (h.entropy == SZEntropyStage::HuffmanRaw) {
    Result<SZRawView> v = parseSZRawBlob(data, size, /*checkPayload=*/false);
    if (!v)
      return v.status();
    h.chunks.resize(numChunks);
    for (uint32_t c = 0; c < numChunks; ++c) {
      SZChunkInfo &ci = h.chunks[c];
      ci.firstRow = uint64_t(c) * h.rowsPerChunk;
      ci.numRows = std::min<uint64_t>(h.rowsPerChunk, h.rows - ci.firstRow);
      for (uint64_t r = ci.firstRow; r < ci.firstRow + ci.numRows; ++r)
        ci.numEntries += v->rowCount(r);
      ci.numEscapes =
          uint32_t(v->chunkEscapeStarts[c + 1] - v->chunkEscapeStarts[c]);
    }
    return h;
  }
  uint64_t tableEnd =
      kFixedHeaderBytes + uint64_t(numChunks) * kChunkEntryBytes;
  if (size < tableEnd + 4)
    return Status::error("sz: truncated chunk table: need " +
                         str(tableEnd + 4) + " bytes, have " + str(size));
  if (loadU32(data + tableEnd) != fnv1a(data, size_t(tableEnd)))
    return Status::error("sz: header checksum mismatch (corrupted header)");
  if (Status s = validateFixedHeader(h, numChunks); !s)
    return s;

  const uint64_t payloadStart = tableEnd + 4;
  const uint64_t payloadSize = size - payloadStart;
  ByteReader tr(data + kFixedHeaderBytes, size_t(tableEnd - kFixedHeaderBytes));
  h.chunks.resize(numChunks);
  uint64_t expectOffset = 0;
  for (uint32_t c = 0; c < numChunks; ++c) {
    SZChunkInfo &ci = h.chunks[c];
    uint64_t off;
    tr.readU64(off);
    tr.readU64(ci.numEntries);
    tr.readU32(ci.numEscapes);
    tr.readU32(ci.rowCountBytes);
    tr.readU32(ci.gapBytes);
    tr.readU32(ci.codeBytes);
    tr.readU64(ci.codeRawBytes);
    ci.firstRow = uint64_t(c) * h.rowsPerChunk;
    ci.numRows = std::min<uint64_t>(h.rowsPerChunk, h.rows - ci.firstRow);
    if (h.entropy == SZEntropyStage::Zstd
            ? ci.codeRawBytes != 2 * ci.numEntries
            : (ci.numEntries == 0) != (ci.codeRawBytes == 0) ||
                  ci.codeRawBytes > 2 * ci.numEntries + 200000)
      return Status::error("sz: chunk " + str(c) + " bin code section of " +
                           str(ci.codeRawBytes) +
                           " decoded bytes does not "
                           "fit " +
                           str(ci.numEntries) + " entries");
    if (off != expectOffset)
      return Status::error("sz: chunk " + str(c) + " at payload offset " +
                           str(off) + ", expected " + str(expectOffset));
    // Every entry advances the column by >= 1 within its row.
    if (ci.numEntries > ci.numRows * h.cols)
      return Status::error("sz: chunk " + str(c) + " claims " +
                           str(ci.numEntries) + " entries for " +
                           str(ci.numRows) + " rows of " + str(h.cols));
    if (ci.numEscapes > ci.numEntries)
      return Status::error("sz: chunk " + str(c) +
                           " has more escapes than "
                           "entries");
    uint64_t chunkBytes = uint64_t(ci.rowCountBytes) + ci.gapBytes +
                          ci.codeBytes + uint64_t(ci.numEscapes) * 4;
    if (chunkBytes > payloadSize - off)
      return Status::error("sz: truncated payload: chunk " + str(c) +
                           " needs " + str(chunkBytes) + " bytes at offset " +
                           str(off) + ", payload has " + str(payloadSize));
    ci.offset = payloadStart + off;
    expectOffset = off + chunkBytes;
  }
  if (expectOffset != payloadSize)
    return Status::error("sz: payload has " + str(payloadSize) +
                         " bytes, the chunk table accounts for " +
                         str(expectOffset));
  return h;
}

namespace {

/// Decodes one chunk into `out` (numRows * cols floats, zero-initialised).
Status decodeChunkInto(const uint8_t *data, const SZHeader &h, uint64_t c,
                       float *out, ZSTD_DCtx *dctx,
                       std::vector<uint8_t> &counts, std::vector<uint8_t> &gaps,
                       std::vector<uint8_t> &planes,
                       std::vector<uint32_t> &symbols) {
  const SZChunkInfo &ci = h.chunks[c];
  const uint8_t *p = data + ci.offset;
  if (Status s = zstdDecompress(dctx, p, ci.rowCountBytes, ci.numRows * 4,
                                counts, "row count", c);
      !s)
    return s;
  p += ci.rowCountBytes;
  if (Status s =
          zstdDecompress(dctx, p, ci.gapBytes, ci.numEntries, gaps, "gap", c);
      !s)
    return s;
  p += ci.gapBytes;
  if (Status s = zstdDecompress(dctx, p, ci.codeBytes, ci.codeRawBytes, planes,
                                "bin code", c);
      !s)
    return s;
  const uint64_t n = ci.numEntries;
  if (h.entropy == SZEntropyStage::Huffman && n != 0) {
    ByteReader br(planes.data(), planes.size());
    Result<std::vector<uint8_t>> lengths = deserializeHuffmanLengths(br);
    if (!lengths)
      return Status::error("sz: chunk " + str(c) + ": " + lengths.message());
    if (lengths->size() > size_t(2) * h.binRadius + 2)
      return Status::error("sz: chunk " + str(c) + " Huffman alphabet of " +
                           str(lengths->size()) + " exceeds the bins");
    Result<HuffmanDecodeTable> table = buildHuffmanDecodeTable(*lengths);
    if (!table)
      return Status::error("sz: chunk " + str(c) + ": " + table.message());
    BitReader bits(br.current(), br.remaining());
    symbols.resize(n);
    if (Status s = decodeHuffmanSymbols(*table, bits, n, symbols.data()); !s)
      return Status::error("sz: chunk " + str(c) + ": " + s.message());
  } else {
    symbols.resize(n);
    for (uint64_t i = 0; i < n; ++i)
      symbols[i] = uint32_t(planes[i]) | uint32_t(planes[n + i]) << 8;
  }
  p += ci.codeBytes;
  const uint8_t *escapes = p;

  const uint32_t maxSym = 2 * h.binRadius + 1;
  const double twoEb = 2.0 * h.errorBound;
  Predictor pred{h.predictor};
  uint64_t e = 0, esc = 0;
  for (uint64_t k = 0; k < ci.numRows; ++k) {
    uint64_t count = loadU32(counts.data() + 4 * k);
    if (count > n - e)
      return Status::error("sz: chunk " + str(c) + " row " +
                           str(ci.firstRow + k) +
                           " overruns the chunk's entries");
    pred.startRow();
    float *row = out + k * h.cols;
    uint64_t col = uint64_t(-1);
    for (uint64_t t = 0; t < count; ++t, ++e) {
      unsigned g = gaps[e];
      if (g == 0)
        return Status::error("sz: chunk " + str(c) + " entry " + str(e) +
                             " has gap 0");
      col += g;
      if (col >= h.cols)
        return Status::error("sz: chunk " + str(c) + " row " +
                             str(ci.firstRow + k) + " runs past column " +
                             str(h.cols));
      uint32_t sym = symbols[e];
      float rec;
      if (Status st = decodeEntry(
              sym, maxSym, twoEb, pred,
              [&](uint64_t i) { return loadF32(escapes + 4 * i); }, esc,
              ci.numEscapes, c, [&] { return "entry " + str(e); }, rec);
          !st)
        return st;
      row[col] = rec;
      pred.push(rec);
    }
  }
  if (e != n)
    return Status::error("sz: chunk " + str(c) + " row counts cover " + str(e) +
                         " of " + str(n) + " entries");
  if (esc != ci.numEscapes)
    return Status::error("sz: chunk " + str(c) + " uses " + str(esc) +
                         " of its " + str(ci.numEscapes) + " escapes");
  return Status::ok();
}

} // namespace

namespace {
Status decodeAllChunks(const uint8_t *data, size_t size, const SZHeader &h,
                       float *out) {
  if (h.entropy == SZEntropyStage::HuffmanRaw) {
    Result<SZRawView> v = parseSZRawBlob(data, size, /*checkPayload=*/false);
    if (!v)
      return v.status();
    return decodeRawChunksInto(*v, 0, v->numChunks(), out);
  }
  DCtxHolder dctx;
  if (!dctx.ctx)
    return Status::error("sz: cannot create a zstd context");
  std::vector<uint8_t> counts, gaps, planes;
  std::vector<uint32_t> symbols;
  for (uint64_t c = 0; c < h.chunks.size(); ++c)
    if (Status s =
            decodeChunkInto(data, h, c, out + h.chunks[c].firstRow * h.cols,
                            dctx.ctx, counts, gaps, planes, symbols);
        !s)
      return s;
  return Status::ok();
}
} // namespace

Result<std::vector<float>> decodeSZMatrix(const uint8_t *data, size_t size,
                                          uint64_t *rows, uint64_t *cols) {
  Result<SZHeader> hr = parseSZHeader(data, size);
  if (!hr)
    return hr.status();
  const SZHeader &h = *hr;
  std::vector<float> out(size_t(h.rows * h.cols), 0.0f);
  if (Status s = decodeAllChunks(data, size, h, out.data()); !s)
    return s;
  if (rows)
    *rows = h.rows;
  if (cols)
    *cols = h.cols;
  return out;
}

Status decodeSZMatrixInto(const uint8_t *data, size_t size, float *out,
                          uint64_t outSize) {
  Result<SZHeader> hr = parseSZHeader(data, size);
  if (!hr)
    return hr.status();
  const SZHeader &h = *hr;
  if (outSize != h.rows * h.cols)
    return Status::error("sz: output holds " + str(outSize) +
                         " floats, the blob decodes to " +
                         str(h.rows * h.cols));
  if (outSize)
    std::memset(out, 0, size_t(outSize) * sizeof(float));
  return decodeAllChunks(data, size, h, out);
}

Result<std::vector<float>> decodeSZChunk(const uint8_t *data, size_t size,
                                         uint64_t chunk) {
  Result<SZHeader> hr = parseSZHeader(data, size);
  if (!hr)
    return hr.status();
  const SZHeader &h = *hr;
  if (chunk >= h.chunks.size())
    return Status::error("sz: chunk " + str(chunk) + " out of range (" +
                         str(h.chunks.size()) + " chunks)");
  std::vector<float> out(size_t(h.chunks[chunk].numRows * h.cols), 0.0f);
  if (h.entropy == SZEntropyStage::HuffmanRaw) {
    Result<SZRawView> v = parseSZRawBlob(data, size, /*checkPayload=*/false);
    if (!v)
      return v.status();
    if (Status s = decodeRawChunksInto(*v, chunk, chunk + 1, out.data()); !s)
      return s;
    return out;
  }
  DCtxHolder dctx;
  if (!dctx.ctx)
    return Status::error("sz: cannot create a zstd context");
  std::vector<uint8_t> counts, gaps, planes;
  std::vector<uint32_t> symbols;
  if (Status s = decodeChunkInto(data, h, chunk, out.data(), dctx.ctx, counts,
                                 gaps, planes, symbols);
      !s)
    return s;
  return out;
}

} // namespace cw::codec

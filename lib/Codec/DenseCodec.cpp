//===- DenseCodec.cpp - Fixed-width bit-packed cluster indices ------------===//

#include "cw/Codec/DenseCodec.h"

#include "cw/Codec/BitStream.h"
#include "cw/Codec/Entropy.h"

#include <cstring>
#include <string>

namespace cw::codec {

namespace {

constexpr char kMagic[4] = {'C', 'W', 'D', 'N'};

struct DenseHeader {
  uint64_t rows = 0, cols = 0;
  unsigned k = 0, bits = 0;
  const uint8_t *payload = nullptr;
  size_t payloadBytes = 0;
};

Result<DenseHeader> parseHeader(const uint8_t *data, size_t size) {
  if (!data && size)
    return Status::error("dense: null blob");
  ByteReader r(data, size);
  const uint8_t *magic = r.readBytes(4);
  if (!magic)
    return Status::error("dense: truncated header: need " +
                         std::to_string(kDenseHeaderBytes) + " bytes, have " +
                         std::to_string(size));
  if (std::memcmp(magic, kMagic, 4) != 0)
    return Status::error("dense: bad magic (expected \"CWDN\")");
  uint8_t version = 0, bits = 0;
  uint16_t k = 0;
  DenseHeader h;
  if (!r.readU8(version) || !r.readU64(h.rows) || !r.readU64(h.cols) ||
      !r.readU16(k) || !r.readU8(bits))
    return Status::error("dense: truncated header: need " +
                         std::to_string(kDenseHeaderBytes) + " bytes, have " +
                         std::to_string(size));
  if (version != kDenseVersion)
    return Status::error("dense: unsupported version " +
                         std::to_string(version) + " (expected " +
                         std::to_string(kDenseVersion) + ")");
  if (k > 256)
    return Status::error("dense: k = " + std::to_string(k) +
                         " exceeds 256 clusters");
  h.k = k;
  h.bits = bits;
  if (bits != denseIndexBits(k))
    return Status::error("dense: bits = " + std::to_string(bits) +
                         " but k = " + std::to_string(k) + " needs " +
                         std::to_string(denseIndexBits(k)));
  if (h.rows != 0 && h.cols > UINT64_MAX / h.rows)
    return Status::error("dense: rows * cols overflows");
  uint64_t count = h.rows * h.cols;
  if (count > (UINT64_MAX - 7) / bits)
    return Status::error("dense: payload size overflows");
  uint64_t payloadBits = count * bits;
  uint64_t payloadBytes = (payloadBits + 7) / 8;
  if (payloadBytes != r.remaining())
    return Status::error(
        "dense: payload of " + std::to_string(r.remaining()) + " bytes, a " +
        std::to_string(h.rows) + "x" + std::to_string(h.cols) + " matrix at " +
        std::to_string(bits) + " bits needs " + std::to_string(payloadBytes));
  h.payload = r.current();
  h.payloadBytes = size_t(payloadBytes);
  if (payloadBits % 8 != 0 &&
      (h.payload[payloadBytes - 1] >> (payloadBits % 8)) != 0)
    return Status::error("dense: nonzero padding bits after the payload");
  return h;
}

/// Decodes `count` indices starting at element `first` into `out`.
Status decodeRange(const DenseHeader &h, uint64_t first, uint64_t count,
                   uint16_t *out) {
  const unsigned b = h.bits;
  BitReader br(h.payload, h.payloadBytes);
  br.seek(first * b);
  // Several indices per read: up to 57 bits at a time.
  const unsigned group = 57 / b;
  const uint64_t mask = (uint64_t(1) << b) - 1;
  uint64_t i = 0;
  unsigned maxIndex = 0;
  while (i < count) {
    unsigned g = count - i < group ? unsigned(count - i) : group;
    uint64_t word = br.read(g * b);
    for (unsigned t = 0; t < g; ++t) {
      unsigned idx = unsigned(word & mask);
      word >>= b;
      maxIndex = idx > maxIndex ? idx : maxIndex;
      out[i + t] = uint16_t(idx);
    }
    i += g;
  }
  if (br.overrun())
    return Status::error("dense: payload overrun");
  if (maxIndex > h.k) {
    for (uint64_t j = 0; j < count; ++j)
      if (out[j] > h.k)
        return Status::error("dense: index " + std::to_string(out[j]) +
                             " at element " + std::to_string(first + j) +
                             " exceeds k = " + std::to_string(h.k));
  }
  return Status::ok();
}

} // namespace

unsigned denseIndexBits(unsigned k) {
  unsigned b = 1;
  while ((uint64_t(1) << b) < uint64_t(k) + 1)
    ++b;
  return b;
}

Result<std::vector<uint8_t>> encodeDenseMatrix(const ClusteredMatrix &m,
                                               const DenseParams &,
                                               EncodingStats *stats) {
  if (Status st = m.validate(); !st)
    return Status::error("dense: " + st.message());
  const unsigned k = unsigned(m.codebook.size());
  const unsigned b = denseIndexBits(k);
  std::vector<uint8_t> blob;
  blob.insert(blob.end(), kMagic, kMagic + 4);
  appendU8(blob, kDenseVersion);
  appendU64(blob, m.rows);
  appendU64(blob, m.cols);
  appendU16(blob, uint16_t(k));
  appendU8(blob, uint8_t(b));

  BitWriter bw;
  const unsigned group = 57 / b;
  const size_t n = m.indices.size();
  std::vector<uint64_t> histogram(k + 1, 0);
  for (size_t i = 0; i < n;) {
    size_t g = n - i < group ? n - i : group;
    uint64_t word = 0;
    for (size_t t = 0; t < g; ++t) {
      uint16_t idx = m.indices[i + t];
      ++histogram[idx];
      word |= uint64_t(idx) << (t * b);
    }
    bw.write(word, unsigned(g * b));
    i += g;
  }
  const std::vector<uint8_t> &payload = bw.bytes();
  blob.insert(blob.end(), payload.begin(), payload.end());
  if (stats) {
    stats->blobBytes = blob.size();
    stats->codebookBytes = 4 * uint64_t(k);
    stats->entropyFloorBits = entropyFloorBitsFromCounts(histogram);
  }
  return blob;
}

Result<ClusteredMatrix> decodeDenseMatrix(const uint8_t *data, size_t size) {
  Result<DenseHeader> h = parseHeader(data, size);
  if (!h)
    return h.status();
  ClusteredMatrix m;
  m.rows = h->rows;
  m.cols = h->cols;
  m.indices.resize(size_t(h->rows * h->cols));
  if (Status st = decodeRange(*h, 0, m.indices.size(), m.indices.data()); !st)
    return st;
  return m;
}

Result<std::vector<uint16_t>> decodeDenseRows(const uint8_t *data, size_t size,
                                              uint64_t firstRow,
                                              uint64_t numRows) {
  Result<DenseHeader> h = parseHeader(data, size);
  if (!h)
    return h.status();
  if (firstRow > h->rows || numRows > h->rows - firstRow)
    return Status::error("dense: rows [" + std::to_string(firstRow) + ", " +
                         std::to_string(firstRow) + " + " +
                         std::to_string(numRows) + ") outside the " +
                         std::to_string(h->rows) + " rows");
  std::vector<uint16_t> out(size_t(numRows * h->cols));
  if (Status st = decodeRange(*h, firstRow * h->cols, out.size(), out.data());
      !st)
    return st;
  return out;
}

} // namespace cw::codec

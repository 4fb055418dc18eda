//===- Bloomier.cpp - Bloomier filter encoding (Weightless §3) ------------===//

#include "cw/Codec/Bloomier.h"

#include "cw/Codec/ArithmeticCoder.h"
#include "cw/Codec/BitStream.h"
#include "cw/Codec/Entropy.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace cw::codec {

namespace {

constexpr char kMagic[4] = {'C', 'W', 'B', 'F'};
constexpr char kArithMagic[4] = {'C', 'W', 'B', 'A'};
constexpr uint8_t kVersion = 1;
constexpr size_t kHeaderBytes = 48;
constexpr size_t kChunkEntryBytes = 24;
constexpr size_t kPaddingBytes = 8;
constexpr size_t kArithHeaderBytes = 40;
constexpr uint64_t kTargetKeysPerChunk = 16384;
/// decodeBloomierMatrix refuses matrices larger than this many positions (a
/// corrupted header must not trigger a huge allocation).
constexpr uint64_t kMaxDecodePositions = uint64_t(1) << 30;

std::string str(uint64_t v) { return std::to_string(v); }

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t chunkSeed(uint64_t seed, uint64_t chunk, unsigned attempt) {
  return splitmix64(seed ^ splitmix64((chunk << 16) ^ attempt));
}

double defaultCellsPerKey(unsigned k, uint64_t n) {
  double ln = std::log(double(std::max<uint64_t>(n, 2)));
  switch (k) {
  case 2:
    return 2.5;
  case 3:
    return std::max(1.125, 0.875 + 0.25 * std::log(1e6) / ln);
  default:
    return std::max(1.075, 0.77 + 0.305 * std::log(6e5) / ln);
  }
}

/// The segment length of the binary fuse paper for k = 3 and 4, before the
/// k * lgL <= 32 clamp. For k = 2 a few long segments (about cellsPerKey * n /
/// 2 cells each): 2-wise graphs with many short segments rarely peel.
int fuseSegmentLengthLog2(unsigned k, uint64_t n, double cellsPerKey) {
  double ln = std::log(double(std::max<uint64_t>(n, 1)));
  double lg;
  if (k == 2)
    lg = std::floor(std::log2(std::max(2.0, cellsPerKey * double(n) / 2)));
  else if (k == 4)
    lg = std::floor(ln / std::log(2.91) - 0.5);
  else
    lg = std::floor(ln / std::log(3.33) + 2.25);
  return int(lg);
}

/// The k cells (local to the chunk) and the mask of one key.
inline void keyCells(uint64_t h, unsigned k, uint32_t segmentCount,
                     unsigned lgL, uint64_t *cells) {
  uint64_t seg = ((h >> 32) * segmentCount) >> 32;
  uint64_t lMask = (uint64_t(1) << lgL) - 1;
  for (unsigned i = 0; i < k; ++i)
    cells[i] = ((seg + i) << lgL) + ((h >> (i * lgL)) & lMask);
}

inline uint32_t readCell(const uint8_t *cells, uint64_t index, unsigned t) {
  uint64_t bit = index * t;
  uint32_t word;
  std::memcpy(&word, cells + (bit >> 3), 4); // payload is padded by 8 bytes
  return (word >> (bit & 7)) & ((1u << t) - 1);
}

inline uint16_t queryChunk(const BloomierView &v, const BloomierChunk &c,
                           uint64_t position) {
  if (c.segmentCount == 0)
    return 0;
  uint64_t h = bloomierHash(position, c.seed);
  unsigned t = v.cellBits, lgL = c.segmentLengthLog2;
  uint64_t seg = ((h >> 32) * c.segmentCount) >> 32;
  uint64_t lMask = (uint64_t(1) << lgL) - 1;
  uint32_t x = uint32_t(h >> 32) & ((1u << t) - 1);
  for (unsigned i = 0; i < v.hashes; ++i) {
    uint64_t cell =
        c.firstCell + ((seg + i) << lgL) + ((h >> (i * lgL)) & lMask);
    x ^= readCell(v.cells, cell, t);
  }
  return x < v.numClusters ? uint16_t(x + 1) : 0;
}

/// Parses the header and the chunk table; with `requirePayload` also checks
/// that the payload follows with exactly the right length.
Result<BloomierView> parseHeader(const uint8_t *data, size_t size,
                                 bool requirePayload, size_t *prefixSize) {
  ByteReader r(data, size);
  const uint8_t *magic = r.readBytes(4);
  if (!magic)
    return Status::error("bloomier: truncated header: need " +
                         str(kHeaderBytes) + " bytes, have " + str(size));
  if (std::memcmp(magic, kMagic, 4) != 0)
    return Status::error("bloomier: bad magic");
  uint8_t version = 0, k = 0, t = 0, res8 = 0;
  uint64_t rows = 0, cols = 0, totalCells = 0;
  uint16_t numClusters = 0, res16 = 0;
  uint32_t rowsPerChunk = 0, numChunks = 0, res32 = 0;
  if (!r.readU8(version) || !r.readU8(k) || !r.readU8(t) || !r.readU8(res8) ||
      !r.readU64(rows) || !r.readU64(cols) || !r.readU16(numClusters) ||
      !r.readU16(res16) || !r.readU32(rowsPerChunk) || !r.readU32(numChunks) ||
      !r.readU32(res32) || !r.readU64(totalCells))
    return Status::error("bloomier: truncated header: need " +
                         str(kHeaderBytes) + " bytes, have " + str(size));
  if (version != kVersion)
    return Status::error("bloomier: unsupported version " + str(version));
  if (res8 || res16 || res32)
    return Status::error("bloomier: reserved header fields are not zero");
  if (k < 2 || k > 4)
    return Status::error("bloomier: hash count " + str(k) +
                         " out of range 2..4");
  if (t < 2 || t > 16)
    return Status::error("bloomier: cell bits " + str(t) +
                         " out of range 2..16");
  if (numClusters > 256)
    return Status::error("bloomier: " + str(numClusters) +
                         " clusters, at most 256");
  if (numClusters >= (1u << t))
    return Status::error("bloomier: " + str(numClusters) +
                         " clusters need more than " + str(t) +
                         " bits per cell");
  if (rows != 0 && cols > UINT64_MAX / rows)
    return Status::error("bloomier: rows * cols overflows");
  if (rowsPerChunk == 0)
    return Status::error("bloomier: rowsPerChunk is zero");
  uint64_t expectChunks = rows / rowsPerChunk + (rows % rowsPerChunk != 0);
  if (expectChunks != numChunks)
    return Status::error("bloomier: " + str(numChunks) + " chunks for " +
                         str(rows) + " rows of " + str(rowsPerChunk));
  if (uint64_t(numChunks) * kChunkEntryBytes > r.remaining())
    return Status::error("bloomier: truncated chunk table: need " +
                         str(uint64_t(numChunks) * kChunkEntryBytes) +
                         " bytes, have " + str(r.remaining()));

  BloomierView v;
  v.rows = rows;
  v.cols = cols;
  v.numClusters = numClusters;
  v.hashes = k;
  v.cellBits = t;
  v.rowsPerChunk = rowsPerChunk;
  v.totalCells = totalCells;
  v.chunks.resize(numChunks);
  uint64_t running = 0;
  for (uint32_t i = 0; i < numChunks; ++i) {
    BloomierChunk &c = v.chunks[i];
    uint8_t lg = 0, pad[3] = {0, 0, 0};
    if (!r.readU64(c.seed) || !r.readU64(c.firstCell) ||
        !r.readU32(c.segmentCount) || !r.readU8(lg) || !r.readU8(pad[0]) ||
        !r.readU8(pad[1]) || !r.readU8(pad[2]))
      return Status::error("bloomier: truncated chunk table");
    c.segmentLengthLog2 = lg;
    if (pad[0] || pad[1] || pad[2])
      return Status::error("bloomier: chunk " + str(i) +
                           ": reserved bytes are not zero");
    if (c.firstCell != running)
      return Status::error("bloomier: chunk " + str(i) + ": first cell " +
                           str(c.firstCell) + ", expected " + str(running));
    if (c.segmentCount == 0) {
      if (lg != 0)
        return Status::error("bloomier: chunk " + str(i) +
                             ": empty chunk with a segment length");
      continue;
    }
    if (lg < 1 || k * unsigned(lg) > 32)
      return Status::error("bloomier: chunk " + str(i) + ": segment length 2^" +
                           str(lg) + " out of range for " + str(k) + " hashes");
    uint64_t cells = (uint64_t(c.segmentCount) + k - 1) << lg;
    if (cells > (uint64_t(1) << 56) - running)
      return Status::error("bloomier: chunk " + str(i) + ": too many cells");
    running += cells;
  }
  if (running != totalCells)
    return Status::error("bloomier: chunks hold " + str(running) +
                         " cells, header says " + str(totalCells));
  if (prefixSize)
    *prefixSize = r.offset();
  if (!requirePayload)
    return v;
  // totalCells < 2^56 and t <= 16: the product cannot overflow.
  uint64_t payloadBits = totalCells * t;
  uint64_t payloadBytes = (payloadBits + 7) / 8 + kPaddingBytes;
  if (payloadBytes != r.remaining())
    return Status::error("bloomier: " +
                         std::string(payloadBytes > r.remaining()
                                         ? "truncated table"
                                         : "length mismatch") +
                         ": need " + str(payloadBytes) +
                         " payload bytes, have " + str(r.remaining()));
  v.cells = r.current();
  v.cellBytes = r.remaining();
  return v;
}

/// Peels one chunk's hypergraph and assigns its cells. Returns false when the
/// graph does not peel with this seed.
bool buildChunk(const std::vector<uint64_t> &keys,
                const std::vector<uint16_t> &values, unsigned k, unsigned t,
                uint64_t seed, uint32_t segmentCount, unsigned lgL,
                std::vector<uint16_t> &cellsOut) {
  size_t n = keys.size();
  uint64_t m = (uint64_t(segmentCount) + k - 1) << lgL;
  std::vector<uint32_t> edges(n * k);
  std::vector<uint32_t> count(m, 0), xorKey(m, 0);
  uint64_t tmp[4];
  for (size_t i = 0; i < n; ++i) {
    keyCells(bloomierHash(keys[i], seed), k, segmentCount, lgL, tmp);
    for (unsigned j = 0; j < k; ++j) {
      edges[i * k + j] = uint32_t(tmp[j]);
      ++count[tmp[j]];
      xorKey[tmp[j]] ^= uint32_t(i);
    }
  }
  std::vector<uint32_t> queue;
  queue.reserve(m);
  for (uint64_t c = 0; c < m; ++c)
    if (count[c] == 1)
      queue.push_back(uint32_t(c));
  // (key, cell) in peeling order.
  std::vector<std::pair<uint32_t, uint32_t>> order;
  order.reserve(n);
  for (size_t q = 0; q < queue.size(); ++q) {
    uint32_t c = queue[q];
    if (count[c] != 1)
      continue;
    uint32_t key = xorKey[c];
    order.push_back({key, c});
    for (unsigned j = 0; j < k; ++j) {
      uint32_t e = edges[size_t(key) * k + j];
      xorKey[e] ^= key;
      if (--count[e] == 1)
        queue.push_back(e);
    }
  }
  if (order.size() != n)
    return false;
  cellsOut.assign(m, 0);
  uint32_t tMask = (1u << t) - 1;
  for (size_t idx = n; idx-- > 0;) {
    auto [key, cell] = order[idx];
    uint64_t h = bloomierHash(keys[key], seed);
    uint32_t x = (values[key] ^ uint32_t(h >> 32)) & tMask;
    for (unsigned j = 0; j < k; ++j) {
      uint32_t e = edges[size_t(key) * k + j];
      if (e != cell)
        x ^= cellsOut[e];
    }
    cellsOut[cell] = uint16_t(x);
  }
  return true;
}

} // namespace

Result<std::vector<uint8_t>> encodeBloomierMatrix(const ClusteredMatrix &m,
                                                  const BloomierParams &p,
                                                  EncodingStats *stats,
                                                  BloomierStats *bstats) {
  if (Status s = m.validate(); !s)
    return Status::error("bloomier: " + s.message());
  unsigned k = p.hashes, t = p.cellBits;
  if (k < 2 || k > 4)
    return Status::error("bloomier: hashes must be 2..4, got " + str(k));
  if (t < 2 || t > 16)
    return Status::error("bloomier: cell bits must be 2..16, got " + str(t));
  uint64_t numClusters = m.codebook.size();
  if (numClusters >= (uint64_t(1) << t))
    return Status::error("bloomier: " + str(numClusters) +
                         " clusters need 2^t > K, but t = " + str(t));
  if (!(p.cellsPerKey == 0.0 || (std::isfinite(p.cellsPerKey) &&
                                 p.cellsPerKey > 0.0 && p.cellsPerKey <= 64.0)))
    return Status::error("bloomier: cellsPerKey must be 0 (default) or in "
                         "(0, 64]");
  if (p.maxAttempts < 1)
    return Status::error("bloomier: maxAttempts must be at least 1");

  uint64_t rows = m.rows, cols = m.cols;
  uint64_t nnz = m.countNonzeros();
  uint64_t rpc = p.rowsPerChunk;
  if (rpc == 0) {
    // About kTargetKeysPerChunk nonzeros per chunk, rows spread evenly.
    uint64_t wantChunks = std::max<uint64_t>(
        1, (nnz + kTargetKeysPerChunk / 2) / kTargetKeysPerChunk);
    wantChunks = std::min<uint64_t>(wantChunks, std::max<uint64_t>(rows, 1));
    rpc = std::max<uint64_t>(1, (rows + wantChunks - 1) / wantChunks);
    rpc = std::min<uint64_t>(rpc, UINT32_MAX);
  }
  uint64_t numChunks = rows / rpc + (rows % rpc != 0);
  if (numChunks > UINT32_MAX)
    return Status::error("bloomier: " + str(numChunks) +
                         " chunks, at most 2^32 - 1; raise rowsPerChunk");

  std::vector<BloomierChunk> chunks(numChunks);
  BitWriter cellWriter;
  std::vector<uint64_t> cellCounts(size_t(1) << t, 0);
  uint64_t totalCells = 0, attempts = 0;
  std::vector<uint64_t> keys;
  std::vector<uint16_t> values, cells;
  for (uint64_t ci = 0; ci < numChunks; ++ci) {
    uint64_t r0 = ci * rpc, r1 = std::min(rows, r0 + rpc);
    keys.clear();
    values.clear();
    for (uint64_t pos = r0 * cols; pos < r1 * cols; ++pos)
      if (uint16_t idx = m.indices[pos]) {
        keys.push_back(pos);
        values.push_back(uint16_t(idx - 1));
      }
    BloomierChunk &c = chunks[ci];
    c.firstCell = totalCells;
    uint64_t n = keys.size();
    if (n == 0)
      continue;
    if (n > UINT32_MAX / 2)
      return Status::error("bloomier: chunk " + str(ci) + " has " + str(n) +
                           " nonzeros; lower rowsPerChunk");
    double cpk = p.cellsPerKey > 0 ? p.cellsPerKey : defaultCellsPerKey(k, n);
    int lgWanted = fuseSegmentLengthLog2(k, n, cpk);
    int maxLg = int(32 / k);
    // Segments shorter than the paper's (huge chunks) peel less reliably:
    // the default then leaves more room.
    if (lgWanted > maxLg && p.cellsPerKey == 0)
      cpk = std::max(cpk, k == 3 ? 1.25 : 1.2);
    unsigned lgL = unsigned(std::clamp(lgWanted, 1, maxLg));
    double want = std::ceil(cpk * double(n) / double(uint64_t(1) << lgL));
    double segs = std::max(1.0, want - double(k - 1));
    if (segs > double(UINT32_MAX >> 1) ||
        (segs + k - 1) * double(uint64_t(1) << lgL) > double(UINT32_MAX))
      return Status::error("bloomier: chunk " + str(ci) +
                           " needs too many cells; lower rowsPerChunk");
    c.segmentCount = uint32_t(segs);
    c.segmentLengthLog2 = lgL;
    bool built = false;
    for (unsigned a = 0; a < p.maxAttempts && !built; ++a) {
      ++attempts;
      c.seed = chunkSeed(p.seed, ci, a);
      built =
          buildChunk(keys, values, k, t, c.seed, c.segmentCount, lgL, cells);
    }
    if (!built)
      return Status::error("bloomier: chunk " + str(ci) + " (" + str(n) +
                           " keys, " +
                           str((uint64_t(c.segmentCount) + k - 1) << lgL) +
                           " cells) did not peel after " + str(p.maxAttempts) +
                           " seeds; raise cellsPerKey or maxAttempts");
    for (uint16_t v : cells) {
      cellWriter.write(v, t);
      ++cellCounts[v];
    }
    totalCells += cells.size();
  }

  std::vector<uint8_t> out;
  out.insert(out.end(), kMagic, kMagic + 4);
  appendU8(out, kVersion);
  appendU8(out, uint8_t(k));
  appendU8(out, uint8_t(t));
  appendU8(out, 0);
  appendU64(out, rows);
  appendU64(out, cols);
  appendU16(out, uint16_t(numClusters));
  appendU16(out, 0);
  appendU32(out, uint32_t(rpc));
  appendU32(out, uint32_t(numChunks));
  appendU32(out, 0);
  appendU64(out, totalCells);
  for (const BloomierChunk &c : chunks) {
    appendU64(out, c.seed);
    appendU64(out, c.firstCell);
    appendU32(out, c.segmentCount);
    appendU8(out, uint8_t(c.segmentLengthLog2));
    appendU8(out, 0);
    appendU8(out, 0);
    appendU8(out, 0);
  }
  const std::vector<uint8_t> &payload = cellWriter.bytes();
  out.insert(out.end(), payload.begin(), payload.end());
  out.insert(out.end(), kPaddingBytes, 0);

  double cellFloor = entropyFloorBitsFromCounts(cellCounts);
  if (stats) {
    stats->blobBytes = out.size();
    stats->codebookBytes = numClusters * 4;
    stats->entropyFloorBits = cellFloor;
  }
  if (bstats) {
    Result<BloomierView> view = parseBloomier(out.data(), out.size());
    if (!view)
      return Status::error("bloomier: internal error: " + view.message());
    BloomierStats &s = *bstats;
    s = BloomierStats();
    s.nonzeros = nnz;
    s.zeroPositions = m.size() - nnz;
    s.totalCells = totalCells;
    s.numChunks = numChunks;
    s.rowsPerChunk = uint32_t(rpc);
    s.attempts = attempts;
    s.cellsPerKey = nnz ? double(totalCells) / double(nnz) : 0.0;
    uint64_t fp = 0;
    for (uint64_t ci = 0; ci < numChunks; ++ci) {
      const BloomierChunk &c = view->chunks[ci];
      if (c.segmentCount == 0)
        continue;
      uint64_t r0 = ci * rpc, r1 = std::min(rows, r0 + rpc);
      for (uint64_t pos = r0 * cols; pos < r1 * cols; ++pos)
        if (m.indices[pos] == 0)
          fp += queryChunk(*view, c, pos) != 0;
    }
    s.falsePositives = fp;
    s.falsePositiveRate =
        s.zeroPositions ? double(fp) / double(s.zeroPositions) : 0.0;
    s.theoreticalFalsePositiveRate =
        double(numClusters) / double(uint64_t(1) << t);
    s.cellEntropyBits = cellFloor;
    std::vector<uint64_t> valueCounts(numClusters + 1, 0);
    for (uint16_t idx : m.indices)
      if (idx)
        ++valueCounts[idx];
    s.valueEntropyBits = entropyFloorBitsFromCounts(valueCounts);
  }
  return out;
}

Result<BloomierView> parseBloomier(const uint8_t *data, size_t size) {
  return parseHeader(data, size, /*requirePayload=*/true, nullptr);
}

uint16_t bloomierQuery(const BloomierView &v, uint64_t row, uint64_t col) {
  assert(row < v.rows && col < v.cols && "position out of range");
  return queryChunk(v, v.chunks[row / v.rowsPerChunk], row * v.cols + col);
}

Status decodeBloomierChunk(const BloomierView &v, uint64_t chunk,
                           std::vector<uint16_t> &out) {
  if (chunk >= v.chunks.size())
    return Status::error("bloomier: chunk " + str(chunk) + " out of range (" +
                         str(v.chunks.size()) + " chunks)");
  uint64_t r0 = chunk * v.rowsPerChunk;
  uint64_t r1 = std::min<uint64_t>(v.rows, r0 + v.rowsPerChunk);
  uint64_t count = (r1 - r0) * v.cols;
  if (count > kMaxDecodePositions)
    return Status::error("bloomier: chunk of " + str(count) +
                         " positions is too large to decode densely");
  out.assign(count, 0);
  const BloomierChunk &c = v.chunks[chunk];
  if (c.segmentCount == 0)
    return Status::ok();
  uint64_t base = r0 * v.cols;
  for (uint64_t i = 0; i < count; ++i)
    out[i] = queryChunk(v, c, base + i);
  return Status::ok();
}

Result<ClusteredMatrix> decodeBloomierMatrix(const uint8_t *data, size_t size) {
  Result<BloomierView> view = parseBloomier(data, size);
  if (!view)
    return view.status();
  const BloomierView &v = *view;
  uint64_t total = v.rows * v.cols; // overflow checked by the parser
  if (total > kMaxDecodePositions)
    return Status::error("bloomier: matrix of " + str(total) +
                         " positions is too large to decode densely");
  ClusteredMatrix m;
  m.rows = v.rows;
  m.cols = v.cols;
  m.indices.assign(total, 0);
  for (uint64_t ci = 0; ci < v.chunks.size(); ++ci) {
    const BloomierChunk &c = v.chunks[ci];
    if (c.segmentCount == 0)
      continue;
    uint64_t r0 = ci * v.rowsPerChunk;
    uint64_t r1 = std::min<uint64_t>(v.rows, r0 + v.rowsPerChunk);
    for (uint64_t pos = r0 * v.cols; pos < r1 * v.cols; ++pos)
      m.indices[pos] = queryChunk(v, c, pos);
  }
  return m;
}

namespace {
uint32_t fnv1a32(const uint8_t *data, size_t size) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < size; ++i) {
    h ^= data[i];
    h *= 0x100000001b3ULL;
  }
  return uint32_t(h);
}
} // namespace

Result<std::vector<uint8_t>> compressBloomierTable(const uint8_t *blob,
                                                   size_t size) {
  size_t prefix = 0;
  Result<BloomierView> view = parseHeader(blob, size, true, &prefix);
  if (!view)
    return view.status();
  const BloomierView &v = *view;
  std::vector<uint16_t> symbols(v.totalCells);
  for (uint64_t i = 0; i < v.totalCells; ++i)
    symbols[i] = uint16_t(readCell(v.cells, i, v.cellBits));
  Result<std::vector<uint8_t>> coded = rangeEncodeSymbols(symbols, v.cellBits);
  if (!coded)
    return coded.status();
  std::vector<uint8_t> out;
  out.insert(out.end(), kArithMagic, kArithMagic + 4);
  appendU8(out, kVersion);
  appendU8(out, 0);
  appendU8(out, 0);
  appendU8(out, 0);
  appendU64(out, size);
  appendU64(out, prefix);
  appendU64(out, coded->size());
  appendU32(out, fnv1a32(blob, size));
  appendU32(out, 0);
  out.insert(out.end(), blob, blob + prefix);
  out.insert(out.end(), coded->begin(), coded->end());
  return out;
}

Result<std::vector<uint8_t>> decompressBloomierTable(const uint8_t *data,
                                                     size_t size) {
  ByteReader r(data, size);
  const uint8_t *magic = r.readBytes(4);
  if (!magic)
    return Status::error("bloomier-arith: truncated header: need " +
                         str(kArithHeaderBytes) + " bytes, have " + str(size));
  if (std::memcmp(magic, kArithMagic, 4) != 0)
    return Status::error("bloomier-arith: bad magic");
  uint8_t version = 0, res[3] = {0, 0, 0};
  uint64_t origSize = 0, prefix = 0, codedSize = 0;
  uint32_t checksum = 0, res32 = 0;
  if (!r.readU8(version) || !r.readU8(res[0]) || !r.readU8(res[1]) ||
      !r.readU8(res[2]) || !r.readU64(origSize) || !r.readU64(prefix) ||
      !r.readU64(codedSize) || !r.readU32(checksum) || !r.readU32(res32))
    return Status::error("bloomier-arith: truncated header: need " +
                         str(kArithHeaderBytes) + " bytes, have " + str(size));
  if (version != kVersion)
    return Status::error("bloomier-arith: unsupported version " + str(version));
  if (res[0] || res[1] || res[2] || res32)
    return Status::error("bloomier-arith: reserved fields are not zero");
  if (prefix > r.remaining() || codedSize != r.remaining() - prefix)
    return Status::error("bloomier-arith: length mismatch: header says " +
                         str(prefix) + " + " + str(codedSize) +
                         " bytes, have " + str(r.remaining()));
  const uint8_t *prefixData = r.readBytes(size_t(prefix));
  const uint8_t *coded = r.current();
  size_t parsedPrefix = 0;
  Result<BloomierView> view =
      parseHeader(prefixData, size_t(prefix), false, &parsedPrefix);
  if (!view)
    return view.status();
  if (parsedPrefix != prefix)
    return Status::error("bloomier-arith: prefix of " + str(prefix) +
                         " bytes, the header and chunk table take " +
                         str(parsedPrefix));
  uint64_t totalCells = view->totalCells;
  unsigned t = view->cellBits;
  uint64_t payloadBytes = (totalCells * t + 7) / 8 + kPaddingBytes;
  if (origSize != prefix + payloadBytes)
    return Status::error("bloomier-arith: original size " + str(origSize) +
                         " does not match the table's " +
                         str(prefix + payloadBytes) + " bytes");
  Result<std::vector<uint16_t>> symbols =
      rangeDecodeSymbols(coded, size_t(codedSize), totalCells, t);
  if (!symbols)
    return Status::error("bloomier-arith: " + symbols.message());
  std::vector<uint8_t> out(prefixData, prefixData + prefix);
  BitWriter w;
  for (uint16_t s : *symbols)
    w.write(s, t);
  out.insert(out.end(), w.bytes().begin(), w.bytes().end());
  out.insert(out.end(), kPaddingBytes, 0);
  if (out.size() != origSize)
    return Status::error("bloomier-arith: rebuilt " + str(out.size()) +
                         " bytes, expected " + str(origSize));
  if (fnv1a32(out.data(), out.size()) != checksum)
    return Status::error("bloomier-arith: checksum mismatch");
  return out;
}

} // namespace cw::codec

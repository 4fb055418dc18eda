//===- WaveletCodec.cpp - Wavelet-tree matrix encoding --------------------===//

#include "cw/Codec/WaveletCodec.h"

#include "cw/Codec/BitStream.h"
#include "cw/Codec/Entropy.h"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace cw::codec {

const char *waveletModeName(WaveletMode mode) {
  switch (mode) {
  case WaveletMode::Element:
    return "element";
  case WaveletMode::Block:
    return "block";
  case WaveletMode::Sparse:
    return "sparse";
  }
  return "?";
}

using rs::loadLE32;
using rs::loadLE64;

static constexpr uint8_t kVersion = 1;
static constexpr uint64_t kHeaderBytes = 64;
static constexpr unsigned kMaxBlockSize = 64;
static constexpr unsigned kMaxGapBits = 16;

static void putLE32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = uint8_t(v >> (8 * i));
}
static void putLE64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = uint8_t(v >> (8 * i));
}
static void padTo64(std::vector<uint8_t> &out) {
  out.resize((out.size() + 63) / 64 * 64, 0);
}

uint32_t waveletHeaderCheck(const uint8_t *header) {
  uint32_t h = 2166136261u;
  for (int i = 0; i < 64; ++i) {
    if (i >= 28 && i < 32)
      continue;
    h ^= header[i];
    h *= 16777619u;
  }
  return h;
}

static Status err(const std::string &msg) {
  return Status::error("wavelet codec: " + msg);
}

//===----------------------------------------------------------------------===//
// Encoder
//===----------------------------------------------------------------------===//

Result<std::vector<uint8_t>> encodeWaveletMatrix(const ClusteredMatrix &m,
                                                 const WaveletParams &p,
                                                 EncodingStats *stats) {
  Status valid = m.validate();
  if (!valid)
    return err(valid.message());
  uint64_t k = m.codebook.size();
  uint64_t n = m.size();
  if (n > rs::kMaxBits)
    return err("matrix of " + std::to_string(n) +
               " elements exceeds the limit of 2^37 - 1");
  if (p.mode != WaveletMode::Element && p.mode != WaveletMode::Block &&
      p.mode != WaveletMode::Sparse)
    return err("unknown mode " + std::to_string(unsigned(p.mode)));

  std::vector<uint8_t> out(kHeaderBytes, 0);
  uint64_t offsets[3] = {0, 0, 0};
  uint32_t param = 0;
  double floorBits = 0;

  if (p.mode == WaveletMode::Element) {
    std::vector<uint64_t> counts(k + 1, 0);
    for (uint16_t v : m.indices)
      ++counts[v];
    floorBits = entropyFloorBitsFromCounts(counts);
    offsets[0] = out.size();
    Status st = appendWaveletTree(out, m.indices.data(), n,
                                  std::max<uint64_t>(k + 1, 2));
    if (!st)
      return err(st.message());
  } else if (p.mode == WaveletMode::Block) {
    unsigned b = p.blockSize;
    if (b < 1 || b > kMaxBlockSize)
      return err("block size " + std::to_string(b) + " outside [1, 64]");
    param = b;
    uint64_t bpr = (m.cols + b - 1) / b;
    uint64_t numBlocks = m.rows * bpr;
    // Pattern -> (count, id), keyed by the little-endian u16 entries.
    std::unordered_map<std::string, std::pair<uint64_t, uint64_t>> patterns;
    std::string key(2 * b, '\0');
    auto blockKey = [&](uint64_t r, uint64_t t) {
      for (unsigned j = 0; j < b; ++j) {
        uint64_t c = t * b + j;
        uint16_t v = c < m.cols ? m.indices[r * m.cols + c] : 0;
        key[2 * j] = char(v & 0xFF);
        key[2 * j + 1] = char(v >> 8);
      }
    };
    for (uint64_t r = 0; r < m.rows; ++r)
      for (uint64_t t = 0; t < bpr; ++t) {
        blockKey(r, t);
        ++patterns[key].first;
      }
    std::vector<std::pair<uint64_t, const std::string *>> order;
    order.reserve(patterns.size());
    for (auto &kv : patterns)
      order.push_back({kv.second.first, &kv.first});
    auto entryLess = [&](const std::string &a, const std::string &c) {
      for (unsigned j = 0; j < b; ++j) {
        unsigned va = uint8_t(a[2 * j]) | uint8_t(a[2 * j + 1]) << 8;
        unsigned vc = uint8_t(c[2 * j]) | uint8_t(c[2 * j + 1]) << 8;
        if (va != vc)
          return va < vc;
      }
      return false;
    };
    std::sort(order.begin(), order.end(), [&](const auto &x, const auto &y) {
      if (x.first != y.first)
        return x.first > y.first;
      return entryLess(*x.second, *y.second);
    });
    uint64_t numPatterns = order.size();
    if (numPatterns > UINT32_MAX)
      return err(std::to_string(numPatterns) + " distinct blocks exceed 2^32");
    std::vector<uint64_t> counts(numPatterns);
    for (uint64_t id = 0; id < numPatterns; ++id) {
      patterns[*order[id].second].second = id;
      counts[id] = order[id].first;
    }
    floorBits = entropyFloorBitsFromCounts(counts);
    std::vector<uint32_t> ids(numBlocks);
    for (uint64_t r = 0; r < m.rows; ++r)
      for (uint64_t t = 0; t < bpr; ++t) {
        blockKey(r, t);
        ids[r * bpr + t] = uint32_t(patterns[key].second);
      }
    offsets[0] = out.size();
    Status st = appendWaveletTree(out, ids.data(), numBlocks,
                                  std::max<uint64_t>(numPatterns, 2));
    if (!st)
      return err(st.message());
    offsets[1] = out.size();
    appendU64(out, numPatterns);
    for (uint64_t id = 0; id < numPatterns; ++id)
      out.insert(out.end(), order[id].second->begin(), order[id].second->end());
    padTo64(out);
  } else {
    unsigned g = p.gapBits;
    if (g > kMaxGapBits)
      return err("gap bits " + std::to_string(g) + " outside [1, 16]");
    // Zeros skipped before each nonzero (d = c - previous nonzero - 1).
    std::vector<uint64_t> skips;
    for (uint64_t r = 0; r < m.rows; ++r) {
      uint64_t prev = 0; // column after the previous nonzero
      for (uint64_t c = 0; c < m.cols; ++c)
        if (m.indices[r * m.cols + c]) {
          skips.push_back(c - prev);
          prev = c + 1;
        }
    }
    uint64_t nnz = skips.size();
    auto tuplesFor = [&](unsigned bits) {
      uint64_t e = (uint64_t(1) << bits) - 1, t = nnz;
      for (uint64_t d : skips)
        t += d / e;
      return t;
    };
    if (g == 0) {
      uint64_t best = UINT64_MAX;
      for (unsigned bits = 1; bits <= kMaxGapBits; ++bits) {
        uint64_t cost = tuplesFor(bits) * bits;
        if (cost < best) {
          best = cost;
          g = bits;
        }
      }
    }
    param = g;
    uint64_t esc = (uint64_t(1) << g) - 1;
    uint64_t numTuples = tuplesFor(g);
    if (numTuples > UINT32_MAX)
      return err(std::to_string(numTuples) +
                 " tuples exceed the row table's 32-bit limit");
    std::vector<uint32_t> gaps;
    std::vector<uint16_t> values;
    gaps.reserve(numTuples);
    values.reserve(nnz);
    std::vector<uint8_t> rowTable;
    rowTable.reserve(8 * (m.rows + 1) + 64);
    for (uint64_t r = 0; r < m.rows; ++r) {
      appendU32(rowTable, uint32_t(gaps.size()));
      appendU32(rowTable, uint32_t(values.size()));
      uint64_t prev = 0;
      for (uint64_t c = 0; c < m.cols; ++c) {
        uint16_t v = m.indices[r * m.cols + c];
        if (!v)
          continue;
        uint64_t d = c - prev;
        for (; d >= esc; d -= esc)
          gaps.push_back(uint32_t(esc));
        gaps.push_back(uint32_t(d));
        values.push_back(uint16_t(v - 1));
        prev = c + 1;
      }
    }
    appendU32(rowTable, uint32_t(gaps.size()));
    appendU32(rowTable, uint32_t(values.size()));
    std::vector<uint64_t> gapCounts(esc + 1, 0), valueCounts(k + 1, 0);
    for (uint32_t s : gaps)
      ++gapCounts[s];
    for (uint16_t v : values)
      ++valueCounts[v];
    floorBits = entropyFloorBitsFromCounts(gapCounts) +
                entropyFloorBitsFromCounts(valueCounts);
    offsets[0] = out.size();
    Status st = appendWaveletTree(out, gaps.data(), gaps.size(), esc + 1);
    if (!st)
      return err(st.message());
    offsets[1] = out.size();
    st = appendWaveletTree(out, values.data(), values.size(),
                           std::max<uint64_t>(k, 2));
    if (!st)
      return err(st.message());
    offsets[2] = out.size();
    out.insert(out.end(), rowTable.begin(), rowTable.end());
    padTo64(out);
  }

  uint8_t *h = out.data();
  h[0] = 'C';
  h[1] = 'W';
  h[2] = 'W';
  h[3] = 'T';
  h[4] = kVersion;
  h[5] = uint8_t(p.mode);
  h[6] = uint8_t(k);
  h[7] = uint8_t(k >> 8);
  putLE64(h + 8, m.rows);
  putLE64(h + 16, m.cols);
  putLE32(h + 24, param);
  putLE64(h + 32, offsets[0]);
  putLE64(h + 40, offsets[1]);
  putLE64(h + 48, offsets[2]);
  putLE64(h + 56, out.size());
  putLE32(h + 28, waveletHeaderCheck(h));

  if (stats) {
    stats->blobBytes = out.size();
    stats->codebookBytes = 4 * k;
    stats->entropyFloorBits = floorBits;
  }
  return out;
}

//===----------------------------------------------------------------------===//
// View and decoder
//===----------------------------------------------------------------------===//

Result<WaveletCodecView> WaveletCodecView::parse(const uint8_t *data,
                                                 size_t size) {
  if (size < kHeaderBytes)
    return err("truncated header: need 64 bytes, have " + std::to_string(size));
  if (data[0] != 'C' || data[1] != 'W' || data[2] != 'W' || data[3] != 'T')
    return err("bad magic (expected \"CWWT\")");
  if (data[4] != kVersion)
    return err("unsupported version " + std::to_string(data[4]));
  if (loadLE32(data + 28) != waveletHeaderCheck(data))
    return err("header check mismatch (corrupted header)");
  WaveletCodecView v;
  if (data[5] > 2)
    return err("unknown mode " + std::to_string(data[5]));
  v.md = WaveletMode(data[5]);
  v.k = unsigned(data[6] | data[7] << 8);
  v.nRows = loadLE64(data + 8);
  v.nCols = loadLE64(data + 16);
  v.prm = loadLE32(data + 24);
  uint64_t off[3] = {loadLE64(data + 32), loadLE64(data + 40),
                     loadLE64(data + 48)};
  uint64_t blobSize = loadLE64(data + 56);
  std::string mode = waveletModeName(v.md);
  if (v.k > 256)
    return err(std::to_string(v.k) + " clusters, at most 256 are supported");
  if (v.nRows != 0 && v.nCols > rs::kMaxBits / v.nRows)
    return err(std::to_string(v.nRows) + "x" + std::to_string(v.nCols) +
               " matrix exceeds 2^37 - 1 elements");
  if (blobSize != size)
    return err("blob size " + std::to_string(size) + " but the header says " +
               std::to_string(blobSize));
  if (off[0] != kHeaderBytes)
    return err("section 0 at offset " + std::to_string(off[0]) +
               ", expected 64");
  unsigned numSections = v.md == WaveletMode::Element ? 1
                         : v.md == WaveletMode::Block ? 2
                                                      : 3;
  for (unsigned s = numSections; s < 3; ++s)
    if (off[s] != 0)
      return err(mode + " mode blob has a section " + std::to_string(s));
  if (v.md == WaveletMode::Element && v.prm != 0)
    return err("element mode parameter " + std::to_string(v.prm) + " is not 0");

  auto sectionEnd = [&](unsigned s) {
    return s + 1 < numSections ? off[s + 1] : size;
  };
  for (unsigned s = 1; s < numSections; ++s)
    if (off[s] < off[s - 1] || off[s] > size)
      return err("section " + std::to_string(s) + " offset " +
                 std::to_string(off[s]) + " out of range");
  auto parseTree = [&](unsigned s, WaveletTreeView &tree) -> Status {
    Result<WaveletTreeView> r =
        WaveletTreeView::parse(data + off[s], sectionEnd(s) - off[s]);
    if (!r)
      return err("section " + std::to_string(s) + ": " + r.message());
    if (r->serializedBytes() != sectionEnd(s) - off[s])
      return err("section " + std::to_string(s) + " holds " +
                 std::to_string(sectionEnd(s) - off[s]) +
                 " bytes, its wavelet tree " +
                 std::to_string(r->serializedBytes()));
    tree = *r;
    return Status::ok();
  };
  Status st = parseTree(0, v.seq);
  if (!st)
    return st;

  uint64_t n = v.nRows * v.nCols;
  if (v.md == WaveletMode::Element) {
    uint64_t sigma = std::max<uint64_t>(v.k + 1, 2);
    if (v.seq.size() != n || v.seq.alphabetSize() != sigma)
      return err("element sequence of " + std::to_string(v.seq.size()) +
                 " symbols over " + std::to_string(v.seq.alphabetSize()) +
                 ", expected " + std::to_string(n) + " over " +
                 std::to_string(sigma));
    if (v.seq.countLess(v.k + 1, 0, n) != n)
      return err("cluster index >= k + 1 in the element sequence");
    return v;
  }

  if (v.md == WaveletMode::Block) {
    unsigned b = v.prm;
    if (b < 1 || b > kMaxBlockSize)
      return err("block size " + std::to_string(b) + " outside [1, 64]");
    uint64_t secBytes = size - off[1];
    if (secBytes < 8)
      return err("truncated dictionary");
    v.nPatterns = loadLE64(data + off[1]);
    if (v.nPatterns > (secBytes - 8) / (2 * b))
      return err("dictionary of " + std::to_string(v.nPatterns) +
                 " patterns overruns the blob");
    uint64_t dictBytes = (8 + 2 * b * v.nPatterns + 63) / 64 * 64;
    if (dictBytes != secBytes)
      return err("dictionary section holds " + std::to_string(secBytes) +
                 " bytes, expected " + std::to_string(dictBytes));
    v.dict = data + off[1] + 8;
    for (uint64_t e = 0; e < v.nPatterns * b; ++e) {
      unsigned idx = v.dict[2 * e] | v.dict[2 * e + 1] << 8;
      if (idx > v.k)
        return err("dictionary entry " + std::to_string(idx) +
                   " >= k + 1 = " + std::to_string(v.k + 1));
    }
    uint64_t bpr = (v.nCols + b - 1) / b;
    uint64_t sigma = std::max<uint64_t>(v.nPatterns, 2);
    if (v.seq.size() != v.nRows * bpr || v.seq.alphabetSize() != sigma)
      return err("block sequence of " + std::to_string(v.seq.size()) +
                 " symbols over " + std::to_string(v.seq.alphabetSize()) +
                 ", expected " + std::to_string(v.nRows * bpr) + " over " +
                 std::to_string(sigma));
    if (v.seq.countLess(v.nPatterns, 0, v.seq.size()) != v.seq.size())
      return err("block id >= the number of patterns");
    return v;
  }

  // Sparse.
  unsigned g = v.prm;
  if (g < 1 || g > kMaxGapBits)
    return err("gap bits " + std::to_string(g) + " outside [1, 16]");
  st = parseTree(1, v.vals);
  if (!st)
    return st;
  uint64_t esc = (uint64_t(1) << g) - 1;
  if (v.seq.alphabetSize() != esc + 1)
    return err("gap alphabet " + std::to_string(v.seq.alphabetSize()) +
               ", expected " + std::to_string(esc + 1));
  if (v.vals.alphabetSize() != std::max<uint64_t>(v.k, 2))
    return err("value alphabet " + std::to_string(v.vals.alphabetSize()) +
               ", expected " + std::to_string(std::max<uint64_t>(v.k, 2)));
  if (v.vals.countLess(v.k, 0, v.vals.size()) != v.vals.size())
    return err("cluster index >= k + 1 among the values");
  uint64_t secBytes = size - off[2];
  if (v.nRows >= secBytes / 8 || (8 * (v.nRows + 1) + 63) / 64 * 64 != secBytes)
    return err("row table holds " + std::to_string(secBytes) + " bytes for " +
               std::to_string(v.nRows) + " rows");
  v.rowTable = data + off[2];
  if (v.rowTupleStart(0) != 0 || v.rowValueStart(0) != 0 ||
      v.rowTupleStart(v.nRows) != v.seq.size() ||
      v.rowValueStart(v.nRows) != v.vals.size())
    return err("row table does not span the gap and value sequences");
  for (const uint8_t *q = v.rowTable + 8 * (v.nRows + 1); q < data + size; ++q)
    if (*q)
      return err("nonzero padding after the row table");
  uint64_t prevEsc = 0;
  for (uint64_t r = 0; r < v.nRows; ++r) {
    uint64_t t0 = v.rowTupleStart(r), t1 = v.rowTupleStart(r + 1);
    uint64_t v0 = v.rowValueStart(r), v1 = v.rowValueStart(r + 1);
    if (t1 < t0 || v1 < v0 || t1 > v.seq.size() || v1 > v.vals.size())
      return err("row table not monotone at row " + std::to_string(r));
    uint64_t escEnd = v.seq.rank(esc, t1);
    if (escEnd < prevEsc || (t1 - t0) - (escEnd - prevEsc) != v1 - v0)
      return err("row " + std::to_string(r) + " has " +
                 std::to_string(v1 - v0) + " values for " +
                 std::to_string(t1 - t0) + " tuples");
    prevEsc = escEnd;
  }
  return v;
}

uint16_t WaveletCodecView::weight(uint64_t r, uint64_t c) const {
  switch (md) {
  case WaveletMode::Element:
    return uint16_t(seq.access(r * nCols + c));
  case WaveletMode::Block: {
    uint64_t bpr = (nCols + prm - 1) / prm;
    return patternEntry(seq.access(r * bpr + c / prm), unsigned(c % prm));
  }
  case WaveletMode::Sparse: {
    uint64_t esc = (uint64_t(1) << prm) - 1;
    uint64_t t = rowTupleStart(r), t1 = rowTupleStart(r + 1);
    uint64_t vi = rowValueStart(r), col = 0;
    for (; t < t1; ++t) {
      uint64_t s = seq.access(t);
      col += s;
      if (s == esc)
        continue;
      if (col == c)
        return uint16_t(vals.access(vi) + 1);
      if (col > c)
        return 0;
      ++col;
      ++vi;
    }
    return 0;
  }
  }
  return 0;
}

Status WaveletCodecView::decodeRows(uint64_t rowBegin, uint64_t rowEnd,
                                    uint16_t *out) const {
  if (rowBegin > rowEnd || rowEnd > nRows)
    return err("row range [" + std::to_string(rowBegin) + ", " +
               std::to_string(rowEnd) + ") outside " + std::to_string(nRows) +
               " rows");
  uint64_t numRows = rowEnd - rowBegin;
  if (md == WaveletMode::Element || md == WaveletMode::Block) {
    uint64_t perRow =
        md == WaveletMode::Element ? nCols : (nCols + prm - 1) / prm;
    uint64_t begin = rowBegin * perRow, end = rowEnd * perRow;
    uint64_t chunk =
        std::max<uint64_t>(uint64_t(1) << 16, 4 * seq.alphabetSize());
    chunk = std::min<uint64_t>(chunk, std::max<uint64_t>(end - begin, 1));
    std::vector<uint32_t> buf(chunk);
    for (uint64_t at = begin; at < end; at += chunk) {
      uint64_t len = std::min(chunk, end - at);
      seq.extract(at, at + len, buf.data());
      if (md == WaveletMode::Element) {
        uint16_t *o = out + (at - begin);
        for (uint64_t i = 0; i < len; ++i)
          o[i] = uint16_t(buf[i]);
        continue;
      }
      for (uint64_t i = 0; i < len; ++i) {
        uint64_t blk = at + i - begin;
        uint64_t r = blk / perRow, t = blk % perRow;
        uint16_t *o = out + r * nCols;
        uint64_t c0 = t * prm;
        unsigned width = unsigned(std::min<uint64_t>(prm, nCols - c0));
        for (unsigned j = 0; j < width; ++j)
          o[c0 + j] = patternEntry(buf[i], j);
      }
    }
    return Status::ok();
  }

  // Sparse.
  std::fill(out, out + numRows * nCols, uint16_t(0));
  uint64_t esc = (uint64_t(1) << prm) - 1;
  uint64_t t0 = rowTupleStart(rowBegin), t1 = rowTupleStart(rowEnd);
  uint64_t v0 = rowValueStart(rowBegin), v1 = rowValueStart(rowEnd);
  std::vector<uint32_t> gaps(t1 - t0), values(v1 - v0);
  seq.extract(t0, t1, gaps.data());
  vals.extract(v0, v1, values.data());
  for (uint64_t r = rowBegin; r < rowEnd; ++r) {
    uint16_t *o = out + (r - rowBegin) * nCols;
    uint64_t col = 0, vi = rowValueStart(r) - v0;
    for (uint64_t t = rowTupleStart(r) - t0, te = rowTupleStart(r + 1) - t0;
         t < te; ++t) {
      uint64_t s = gaps[t];
      col += s;
      if (s == esc)
        continue;
      if (col >= nCols)
        return err("row " + std::to_string(r) + " runs past column " +
                   std::to_string(nCols));
      o[col++] = uint16_t(values[vi++] + 1);
    }
  }
  return Status::ok();
}

Result<ClusteredMatrix> decodeWaveletMatrix(const uint8_t *data, size_t size) {
  Result<WaveletCodecView> v = WaveletCodecView::parse(data, size);
  if (!v)
    return v.status();
  ClusteredMatrix m;
  m.rows = v->rows();
  m.cols = v->cols();
  m.indices.assign(m.rows * m.cols, 0);
  Status st = v->decodeRows(0, m.rows, m.indices.data());
  if (!st)
    return st;
  return m;
}

} // namespace cw::codec

//===- WaveletTree.cpp - Level-wise wavelet tree (wavelet matrix) ---------===//

#include "cw/Codec/WaveletTree.h"

#include <algorithm>
#include <string>

namespace cw::codec {

using rs::loadLE64;

namespace wt {
unsigned levelsFor(uint64_t sigma) {
  unsigned l = 0;
  while (l < 64 && (uint64_t(1) << l) < sigma)
    ++l;
  return l;
}
} // namespace wt

static void putLE64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = uint8_t(v >> (8 * i));
}

template <typename T>
static Status appendImpl(std::vector<uint8_t> &out, const T *seq, uint64_t n,
                         uint64_t sigma) {
  if (sigma < 1 || sigma > wt::kMaxSigma)
    return Status::error("wavelet: alphabet size " + std::to_string(sigma) +
                         " outside [1, 2^32]");
  if (n > rs::kMaxBits)
    return Status::error("wavelet: sequence length " + std::to_string(n) +
                         " exceeds 2^37 - 1");
  for (uint64_t i = 0; i < n; ++i)
    if (uint64_t(seq[i]) >= sigma)
      return Status::error("wavelet: symbol " + std::to_string(seq[i]) +
                           " at position " + std::to_string(i) +
                           " is outside the alphabet [0, " +
                           std::to_string(sigma) + ")");
  unsigned numLevels = wt::levelsFor(sigma);
  uint64_t start = out.size();
  uint64_t tableWords = (numLevels + 7) / 8 * 8;
  out.resize(start + wt::kHeaderBytes + 8 * tableWords, 0);
  putLE64(out.data() + start, n);
  putLE64(out.data() + start + 8, sigma);
  putLE64(out.data() + start + 16, numLevels);

  // Level l's order: stably partition level l - 1's order by its bit,
  // zeros first. Two copies of the sequence, O(n) per level.
  std::vector<T> cur(seq, seq + n), next(n);
  std::vector<uint64_t> bits((n + 63) / 64);
  for (unsigned l = 0; l < numLevels; ++l) {
    unsigned bitShift = numLevels - 1 - l;
    std::fill(bits.begin(), bits.end(), 0);
    uint64_t zeros = 0;
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t bit = (uint64_t(cur[i]) >> bitShift) & 1;
      bits[i / 64] |= bit << (i % 64);
      zeros += bit ^ 1;
    }
    if (l + 1 < numLevels) {
      uint64_t z = 0, o = zeros;
      for (uint64_t i = 0; i < n; ++i) {
        if ((uint64_t(cur[i]) >> bitShift) & 1)
          next[o++] = cur[i];
        else
          next[z++] = cur[i];
      }
      cur.swap(next);
    }
    putLE64(out.data() + start + wt::kHeaderBytes + 8 * l, out.size() - start);
    Status st = appendRankSelect(out, bits.data(), n);
    if (!st)
      return st;
  }
  return Status::ok();
}

Status appendWaveletTree(std::vector<uint8_t> &out, const uint32_t *seq,
                         uint64_t n, uint64_t sigma) {
  return appendImpl(out, seq, n, sigma);
}
Status appendWaveletTree(std::vector<uint8_t> &out, const uint16_t *seq,
                         uint64_t n, uint64_t sigma) {
  return appendImpl(out, seq, n, sigma);
}

Result<WaveletTreeView> WaveletTreeView::parse(const uint8_t *data,
                                               size_t size) {
  if (size < wt::kHeaderBytes)
    return Status::error("wavelet: truncated header: need 64 bytes, have " +
                         std::to_string(size));
  WaveletTreeView v;
  v.n = loadLE64(data);
  v.sigma = loadLE64(data + 8);
  uint64_t levels = loadLE64(data + 16);
  if (v.n > rs::kMaxBits)
    return Status::error("wavelet: sequence length " + std::to_string(v.n) +
                         " exceeds 2^37 - 1");
  if (v.sigma < 1 || v.sigma > wt::kMaxSigma)
    return Status::error("wavelet: alphabet size " + std::to_string(v.sigma) +
                         " outside [1, 2^32]");
  if (levels != wt::levelsFor(v.sigma))
    return Status::error("wavelet: " + std::to_string(levels) +
                         " levels for an alphabet of " +
                         std::to_string(v.sigma) + " symbols");
  for (int w = 3; w < 8; ++w)
    if (loadLE64(data + 8 * w) != 0)
      return Status::error("wavelet: reserved header word " +
                           std::to_string(w) + " is not zero");
  v.numLevels = unsigned(levels);
  uint64_t tableWords = (levels + 7) / 8 * 8;
  uint64_t offset = wt::kHeaderBytes + 8 * tableWords;
  if (offset > size)
    return Status::error("wavelet: truncated level table: need " +
                         std::to_string(offset) + " bytes, have " +
                         std::to_string(size));
  for (uint64_t w = levels; w < tableWords; ++w)
    if (loadLE64(data + wt::kHeaderBytes + 8 * w) != 0)
      return Status::error("wavelet: nonzero padding in the level table");
  for (unsigned l = 0; l < v.numLevels; ++l) {
    uint64_t at = loadLE64(data + wt::kHeaderBytes + 8 * l);
    if (at != offset)
      return Status::error("wavelet: level " + std::to_string(l) +
                           " at offset " + std::to_string(at) + ", expected " +
                           std::to_string(offset));
    Result<RankSelectView> r = RankSelectView::parse(data + at, size - at);
    if (!r)
      return Status::error("wavelet: level " + std::to_string(l) + ": " +
                           r.message());
    if (r->size() != v.n)
      return Status::error("wavelet: level " + std::to_string(l) + " has " +
                           std::to_string(r->size()) + " bits, expected " +
                           std::to_string(v.n));
    v.lv[l] = *r;
    v.z[l] = r->numZeros();
    offset += r->serializedBytes();
  }
  v.bytes = offset;
  if (v.countLess(v.sigma, 0, v.n) != v.n)
    return Status::error("wavelet: the sequence holds symbols >= the "
                         "alphabet size " +
                         std::to_string(v.sigma));
  return v;
}

uint64_t WaveletTreeView::rank(uint64_t c, uint64_t i) const {
  if (c >= sigma)
    return 0;
  uint64_t p = 0;
  for (unsigned l = 0; l < numLevels; ++l) {
    if ((c >> (numLevels - 1 - l)) & 1) {
      p = z[l] + lv[l].rank1(p);
      i = z[l] + lv[l].rank1(i);
    } else {
      p = lv[l].rank0(p);
      i = lv[l].rank0(i);
    }
  }
  return i - p;
}

uint64_t WaveletTreeView::select(uint64_t c, uint64_t j) const {
  if (c >= sigma)
    return n;
  uint64_t p = 0, e = n;
  for (unsigned l = 0; l < numLevels; ++l) {
    if ((c >> (numLevels - 1 - l)) & 1) {
      p = z[l] + lv[l].rank1(p);
      e = z[l] + lv[l].rank1(e);
    } else {
      p = lv[l].rank0(p);
      e = lv[l].rank0(e);
    }
  }
  if (j >= e - p)
    return n;
  uint64_t pos = p + j;
  for (unsigned l = numLevels; l-- > 0;) {
    if ((c >> (numLevels - 1 - l)) & 1)
      pos = lv[l].select1(pos - z[l]);
    else
      pos = lv[l].select0(pos);
  }
  return pos;
}

uint64_t WaveletTreeView::countLess(uint64_t c, uint64_t begin,
                                    uint64_t end) const {
  if (numLevels == 0 || (c >> numLevels) != 0)
    return c == 0 ? 0 : end - begin;
  uint64_t less = 0;
  for (unsigned l = 0; l < numLevels; ++l) {
    uint64_t rb = lv[l].rank1(begin), re = lv[l].rank1(end);
    if ((c >> (numLevels - 1 - l)) & 1) {
      less += (end - re) - (begin - rb);
      begin = z[l] + rb;
      end = z[l] + re;
    } else {
      begin -= rb;
      end -= re;
    }
  }
  return less;
}

void WaveletTreeView::extract(uint64_t begin, uint64_t end,
                              uint32_t *out) const {
  uint64_t len = end - begin;
  if (numLevels == 0) {
    for (uint64_t i = 0; i < len; ++i)
      out[i] = 0;
    return;
  }
  if (2 * sigma > len * numLevels) {
    for (uint64_t i = 0; i < len; ++i)
      out[i] = access(begin + i);
    return;
  }
  // One cursor per symbol prefix per level: the next level-l position of an
  // element of [begin, end) whose first l bits are q. Elements sharing a
  // prefix keep their sequence order in every level, so each cursor only
  // moves forward.
  uint64_t levelStart[wt::kMaxLevels + 1];
  uint64_t total = 0;
  for (unsigned l = 0; l < numLevels; ++l) {
    levelStart[l] = total;
    total += ((sigma - 1) >> (numLevels - l)) + 1;
  }
  levelStart[numLevels] = total;
  std::vector<uint64_t> cursor(total);
  cursor[0] = begin;
  for (unsigned l = 0; l + 1 < numLevels; ++l) {
    uint64_t count = levelStart[l + 1] - levelStart[l];
    uint64_t nextCount = levelStart[l + 2] - levelStart[l + 1];
    for (uint64_t q = 0; q < count; ++q) {
      uint64_t pos = cursor[levelStart[l] + q];
      uint64_t r1 = lv[l].rank1(pos);
      if (2 * q < nextCount)
        cursor[levelStart[l + 1] + 2 * q] = pos - r1;
      if (2 * q + 1 < nextCount)
        cursor[levelStart[l + 1] + 2 * q + 1] = z[l] + r1;
    }
  }
  for (uint64_t i = 0; i < len; ++i) {
    uint64_t q = 0;
    for (unsigned l = 0; l < numLevels; ++l) {
      uint64_t pos = cursor[levelStart[l] + q]++;
      q = q << 1 | uint64_t(lv[l].access(pos));
    }
    out[i] = uint32_t(q);
  }
}

} // namespace cw::codec

//===- RankSelect.cpp - Rank/select bit vectors ---------------------------===//

#include "cw/Codec/RankSelect.h"

#include <algorithm>
#include <string>

#if defined(__BMI2__)
#include <immintrin.h>
#endif

namespace cw::codec {

namespace rs {

unsigned selectInWord(uint64_t x, unsigned r) {
#if defined(__BMI2__)
  return unsigned(__builtin_ctzll(_pdep_u64(uint64_t(1) << r, x)));
#else
  unsigned shift = 0;
  for (;;) {
    unsigned c = popcount64(x & 0xFF);
    if (r < c)
      break;
    r -= c;
    x >>= 8;
    shift += 8;
  }
  for (; r; --r)
    x &= x - 1;
  return shift + unsigned(__builtin_ctzll(x));
#endif
}

static uint64_t sampleWords(uint64_t count) {
  uint64_t samples = (count + kSelectSample - 1) / kSelectSample;
  return (samples + 1) / 2;
}

uint64_t serializedBytes(uint64_t n, uint64_t ones) {
  uint64_t words =
      8 + 8 * numLines(n) + sampleWords(ones) + sampleWords(n - ones);
  words = (words + 7) / 8 * 8;
  return words * 8;
}

} // namespace rs

using namespace rs;

static void putLE64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = uint8_t(v >> (8 * i));
}
static void putLE32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = uint8_t(v >> (8 * i));
}

/// The meta word of a line from its absolute count and 7 data words.
static uint64_t makeMeta(uint64_t abs, const uint64_t *data) {
  unsigned c[7];
  for (int j = 0; j < 7; ++j)
    c[j] = popcount64(data[j]);
  uint64_t p2 = c[0] + c[1], p4 = p2 + c[2] + c[3], p6 = p4 + c[4] + c[5];
  return abs | p2 << kAbsBits | p4 << (kAbsBits + 9) | p6 << (kAbsBits + 18);
}

Status appendRankSelect(std::vector<uint8_t> &out, const uint64_t *bits,
                        uint64_t numBits) {
  if (numBits > kMaxBits)
    return Status::error("rankselect: " + std::to_string(numBits) +
                         " bits exceed the limit of 2^37 - 1");
  uint64_t inWords = (numBits + 63) / 64;
  auto inputWord = [&](uint64_t w) -> uint64_t {
    if (w >= inWords)
      return 0;
    uint64_t v = bits[w];
    if (w == inWords - 1 && numBits % 64)
      v &= (uint64_t(1) << (numBits % 64)) - 1;
    return v;
  };
  uint64_t ones = 0;
  for (uint64_t w = 0; w < inWords; ++w)
    ones += popcount64(inputWord(w));

  uint64_t start = out.size();
  uint64_t total = serializedBytes(numBits, ones);
  out.resize(start + total, 0);
  uint8_t *p = out.data() + start;
  putLE64(p, numBits);
  putLE64(p + 8, ones);

  uint64_t lines = numLines(numBits);
  uint64_t numS1 = (ones + kSelectSample - 1) / kSelectSample;
  uint64_t zeros = numBits - ones;
  uint64_t numS0 = (zeros + kSelectSample - 1) / kSelectSample;
  uint8_t *linePtr = p + kHeaderBytes;
  uint8_t *s1 = linePtr + lines * kLineBytes;
  uint8_t *s0 = s1 + 8 * sampleWords(ones);
  uint64_t abs = 0, zerosBefore = 0, nextS1 = 0, nextS0 = 0;
  for (uint64_t line = 0; line < lines; ++line) {
    uint64_t data[7];
    for (int j = 0; j < 7; ++j)
      data[j] = inputWord(7 * line + j);
    uint8_t *lp = linePtr + line * kLineBytes;
    putLE64(lp, makeMeta(abs, data));
    for (int j = 0; j < 7; ++j)
      putLE64(lp + 8 + 8 * j, data[j]);
    uint64_t lineOnes = 0;
    for (int j = 0; j < 7; ++j)
      lineOnes += popcount64(data[j]);
    uint64_t lineBits =
        line * kLineBits >= numBits
            ? 0
            : std::min<uint64_t>(kLineBits, numBits - line * kLineBits);
    uint64_t lineZeros = lineBits - lineOnes;
    for (; nextS1 < numS1 && nextS1 * kSelectSample < abs + lineOnes; ++nextS1)
      putLE32(s1 + 4 * nextS1, uint32_t(line));
    for (; nextS0 < numS0 && nextS0 * kSelectSample < zerosBefore + lineZeros;
         ++nextS0)
      putLE32(s0 + 4 * nextS0, uint32_t(line));
    abs += lineOnes;
    zerosBefore += lineZeros;
  }
  return Status::ok();
}

Result<RankSelectView> RankSelectView::parse(const uint8_t *data, size_t size) {
  if (size < kHeaderBytes)
    return Status::error("rankselect: truncated header: need 64 bytes, have " +
                         std::to_string(size));
  uint64_t n = loadLE64(data), ones = loadLE64(data + 8);
  if (n > kMaxBits)
    return Status::error("rankselect: bit count " + std::to_string(n) +
                         " exceeds 2^37 - 1");
  if (ones > n)
    return Status::error("rankselect: " + std::to_string(ones) +
                         " ones in a vector of " + std::to_string(n) + " bits");
  for (int w = 2; w < 8; ++w)
    if (loadLE64(data + 8 * w) != 0)
      return Status::error("rankselect: reserved header word " +
                           std::to_string(w) + " is not zero");
  uint64_t total = rs::serializedBytes(n, ones);
  if (total > size)
    return Status::error("rankselect: truncated vector: need " +
                         std::to_string(total) + " bytes, have " +
                         std::to_string(size));

  RankSelectView v;
  v.base = data;
  v.n = n;
  v.ones = ones;
  v.nLines = numLines(n);
  v.lines = data + kHeaderBytes;
  v.s1 = v.lines + v.nLines * kLineBytes;
  v.s0 = v.s1 + 8 * sampleWords(ones);
  const uint8_t *end = v.s0 + 8 * sampleWords(n - ones);

  // Verify every line: meta word, zero padding past n, running counts, and
  // the select samples.
  uint64_t numS1 = (ones + kSelectSample - 1) / kSelectSample;
  uint64_t numS0 = (n - ones + kSelectSample - 1) / kSelectSample;
  uint64_t abs = 0, zerosBefore = 0, nextS1 = 0, nextS0 = 0;
  for (uint64_t line = 0; line < v.nLines; ++line) {
    const uint8_t *lp = v.lines + line * kLineBytes;
    uint64_t words[7];
    uint64_t lineOnes = 0;
    for (int j = 0; j < 7; ++j) {
      words[j] = loadLE64(lp + 8 + 8 * j);
      uint64_t first = line * kLineBits + 64 * uint64_t(j);
      if (first >= n) {
        if (words[j])
          return Status::error("rankselect: nonzero padding bits in line " +
                               std::to_string(line));
      } else if (n - first < 64 && (words[j] >> (n - first)) != 0) {
        return Status::error("rankselect: nonzero padding bits in line " +
                             std::to_string(line));
      }
      lineOnes += popcount64(words[j]);
    }
    if (loadLE64(lp) != makeMeta(abs, words))
      return Status::error("rankselect: corrupted rank metadata in line " +
                           std::to_string(line));
    uint64_t lineBits =
        line * kLineBits >= n
            ? 0
            : std::min<uint64_t>(kLineBits, n - line * kLineBits);
    uint64_t lineZeros = lineBits - lineOnes;
    for (; nextS1 < numS1 && nextS1 * kSelectSample < abs + lineOnes; ++nextS1)
      if (v.sample1(nextS1) != line)
        return Status::error("rankselect: corrupted select1 sample " +
                             std::to_string(nextS1));
    for (; nextS0 < numS0 && nextS0 * kSelectSample < zerosBefore + lineZeros;
         ++nextS0)
      if (v.sample0(nextS0) != line)
        return Status::error("rankselect: corrupted select0 sample " +
                             std::to_string(nextS0));
    abs += lineOnes;
    zerosBefore += lineZeros;
  }
  if (abs != ones)
    return Status::error("rankselect: header says " + std::to_string(ones) +
                         " ones, the bits hold " + std::to_string(abs));
  // Padding after the samples must be zero (odd sample counts leave a zero
  // high half; the vector is padded to whole lines).
  if (numS1 % 2 && loadLE32(v.s1 + 4 * numS1) != 0)
    return Status::error("rankselect: nonzero select1 padding");
  if (numS0 % 2 && loadLE32(v.s0 + 4 * numS0) != 0)
    return Status::error("rankselect: nonzero select0 padding");
  for (const uint8_t *q = end; q < data + total; q += 8)
    if (loadLE64(q) != 0)
      return Status::error("rankselect: nonzero trailing padding");
  return v;
}

uint64_t RankSelectView::select1(uint64_t j) const {
  if (j >= ones)
    return n;
  uint64_t s = j / kSelectSample;
  uint64_t numS1 = (ones + kSelectSample - 1) / kSelectSample;
  uint64_t lo = sample1(s);
  uint64_t hi = s + 1 < numS1 ? sample1(s + 1) : nLines - 1;
  // Last line in [lo, hi] with abs <= j (abs(lo) <= j holds).
  while (hi - lo > 8) {
    uint64_t mid = lo + (hi - lo + 1) / 2;
    if (lineAbs(mid) <= j)
      lo = mid;
    else
      hi = mid - 1;
  }
  while (lo < hi && lineAbs(lo + 1) <= j)
    ++lo;
  const uint8_t *p = lines + lo * kLineBytes;
  uint64_t meta = loadLE64(p);
  unsigned r = unsigned(j - (meta & kMaxBits));
  unsigned p2 = unsigned(meta >> kAbsBits) & 511,
           p4 = unsigned(meta >> (kAbsBits + 9)) & 511,
           p6 = unsigned(meta >> (kAbsBits + 18)) & 511;
  unsigned w, before;
  if (r < p2) {
    w = 0;
    before = 0;
  } else if (r < p4) {
    w = 2;
    before = p2;
  } else if (r < p6) {
    w = 4;
    before = p4;
  } else {
    w = 6;
    before = p6;
  }
  r -= before;
  uint64_t word = loadLE64(p + 8 + 8 * w);
  unsigned c = popcount64(word);
  if (r >= c) {
    r -= c;
    ++w;
    word = loadLE64(p + 8 + 8 * w);
  }
  return lo * kLineBits + 64 * w + selectInWord(word, r);
}

uint64_t RankSelectView::select0(uint64_t j) const {
  if (j >= n - ones)
    return n;
  uint64_t s = j / kSelectSample;
  uint64_t numS0 = (n - ones + kSelectSample - 1) / kSelectSample;
  uint64_t lo = sample0(s);
  uint64_t hi = s + 1 < numS0 ? sample0(s + 1) : nLines - 1;
  while (hi - lo > 8) {
    uint64_t mid = lo + (hi - lo + 1) / 2;
    if (lineZerosBefore(mid) <= j)
      lo = mid;
    else
      hi = mid - 1;
  }
  while (lo < hi && lineZerosBefore(lo + 1) <= j)
    ++lo;
  const uint8_t *p = lines + lo * kLineBytes;
  uint64_t meta = loadLE64(p);
  unsigned r = unsigned(j - (lo * kLineBits - (meta & kMaxBits)));
  unsigned p2 = 128 - (unsigned(meta >> kAbsBits) & 511),
           p4 = 256 - (unsigned(meta >> (kAbsBits + 9)) & 511),
           p6 = 384 - (unsigned(meta >> (kAbsBits + 18)) & 511);
  unsigned w, before;
  if (r < p2) {
    w = 0;
    before = 0;
  } else if (r < p4) {
    w = 2;
    before = p2;
  } else if (r < p6) {
    w = 4;
    before = p4;
  } else {
    w = 6;
    before = p6;
  }
  r -= before;
  uint64_t word = ~loadLE64(p + 8 + 8 * w);
  unsigned c = popcount64(word);
  if (r >= c) {
    r -= c;
    ++w;
    word = ~loadLE64(p + 8 + 8 * w);
  }
  return lo * kLineBits + 64 * w + selectInWord(word, r);
}

} // namespace cw::codec

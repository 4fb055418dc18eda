//===- csr_lanes_probe.cpp - 16 rows in lockstep from one word stream ----===//
//
// A feasibility probe for an interleaved csr layout: 16 consecutive rows are
// decoded in lockstep, one AVX-512 lane each; the lanes' bits are interleaved
// in 16-bit words in the order the decoder's refills consume them (a masked
// expand-load feeds every lane whose buffer runs low), and the Huffman codes
// are length-limited so that each decode table (128 bytes) lives in two zmm
// registers and is read with vpermi2b instead of a gather.
//
// Build and run (AVX-512 VBMI2 machine, from the repository root):
//   clang++-22 -O3 -march=native -std=c++17 -Iinclude \
//     bench/probes/csr_lanes_probe.cpp build/lib/Codec/libCWCodec.a \
//     -o /tmp/csr_lanes_probe && /tmp/csr_lanes_probe
//
//===----------------------------------------------------------------------===//

#include "cw/Codec/Huffman.h"
#include "cw/Codec/Matrix.h"
#include "cw/Codec/RelativeIndex.h"

#include "ProbeUtil.h"

#include <immintrin.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace cw::codec;
using namespace cw::probe;

namespace {

constexpr unsigned kLanes = 16;

struct Layout {
  std::vector<uint16_t> words;
  std::vector<uint32_t> groupWord; // groups + 1
  std::vector<uint32_t> counts;    // rows (padded to 16)
  std::vector<uint32_t> minCount, maxCount;
  std::vector<uint8_t> gapLen, gapSym, idxLen, idxSym; // 128 each
};

uint64_t costBits(const std::vector<uint64_t> &counts,
                  const std::vector<uint8_t> &lengths) {
  uint64_t bits = 0;
  for (size_t s = 0; s < counts.size(); ++s)
    bits += counts[s] * lengths[s];
  return bits;
}

Layout build(const ClusteredMatrix &m, unsigned gapBits, unsigned maxLen) {
  RelativeIndexStreams s = *buildRelativeIndex(m, gapBits);
  std::vector<uint64_t> gapCounts(1u << gapBits),
      idxCounts(m.codebook.size() + 1);
  for (size_t e = 0; e < s.numEntries(); ++e) {
    ++gapCounts[s.gaps[e]];
    ++idxCounts[s.indices[e]];
  }
  HuffmanCode gapCode = *buildHuffmanCode(gapCounts, maxLen);
  HuffmanCode idxCode = *buildHuffmanCode(idxCounts, maxLen);
  HuffmanCode gap16 = *buildHuffmanCode(gapCounts, 16);
  HuffmanCode idx16 = *buildHuffmanCode(idxCounts, 16);
  std::printf("L=%u: gap %.0f KB idx %.0f KB; L=16: gap %.0f KB idx %.0f KB; "
              "entries %zu, fillers %llu\n",
              maxLen, costBits(gapCounts, gapCode.lengths) / 8e3,
              costBits(idxCounts, idxCode.lengths) / 8e3,
              costBits(gapCounts, gap16.lengths) / 8e3,
              costBits(idxCounts, idx16.lengths) / 8e3, s.numEntries(),
              (unsigned long long)s.fillers);

  Layout out;
  auto fill = [&](const HuffmanCode &c, std::vector<uint8_t> &len,
                  std::vector<uint8_t> &sym, int bias) {
    len.assign(128, 0);
    sym.assign(128, 0);
    for (uint32_t v = 0; v < c.lengths.size(); ++v) {
      unsigned l = c.lengths[v];
      if (!l)
        continue;
      for (uint32_t f = 0; f < (128u >> l); ++f) {
        len[c.codes[v] | (f << l)] = l;
        sym[c.codes[v] | (f << l)] = uint8_t(int(v) + bias);
      }
    }
  };
  fill(gapCode, out.gapLen, out.gapSym, 0);
  fill(idxCode, out.idxLen, out.idxSym, -1); // 0xFF for the zero index

  uint64_t rows = m.rows, groups = (rows + kLanes - 1) / kLanes;
  out.counts.assign(groups * kLanes, 0);
  for (uint64_t r = 0; r < rows; ++r)
    out.counts[r] = uint32_t(s.rowEntries(r));
  for (uint64_t g = 0; g < groups; ++g) {
    out.groupWord.push_back(uint32_t(out.words.size()));
    // Each lane's bits, LSB-first.
    std::vector<std::vector<uint8_t>> bits(kLanes);
    std::vector<std::vector<uint8_t>> stepBits(kLanes);
    uint32_t lo = ~0u, hi = 0;
    for (unsigned l = 0; l < kLanes; ++l) {
      uint64_t r = g * kLanes + l;
      uint32_t n = out.counts[r];
      lo = std::min(lo, n);
      hi = std::max(hi, n);
      for (uint32_t e = 0; e < n; ++e) {
        uint64_t i = s.rowBegin[r] + e;
        unsigned before = bits[l].size();
        for (unsigned b = 0; b < gapCode.lengths[s.gaps[i]]; ++b)
          bits[l].push_back((gapCode.codes[s.gaps[i]] >> b) & 1);
        for (unsigned b = 0; b < idxCode.lengths[s.indices[i]]; ++b)
          bits[l].push_back((idxCode.codes[s.indices[i]] >> b) & 1);
        stepBits[l].push_back(uint8_t(bits[l].size() - before));
      }
    }
    out.minCount.push_back(lo);
    out.maxCount.push_back(hi);
    std::vector<unsigned> cnt(kLanes, 0), fed(kLanes, 0);
    for (uint32_t step = 0; step < hi; ++step)
      for (unsigned l = 0; l < kLanes; ++l) {
        if (step >= out.counts[g * kLanes + l])
          continue;
        if (cnt[l] < 16) {
          uint16_t w = 0;
          for (unsigned b = 0; b < 16; ++b)
            if (fed[l] + b < bits[l].size() && bits[l][fed[l] + b])
              w |= uint16_t(1u << b);
          out.words.push_back(w);
          fed[l] += 16;
          cnt[l] += 16;
        }
        cnt[l] -= stepBits[l][step];
      }
  }
  out.groupWord.push_back(uint32_t(out.words.size()));
  out.words.resize(out.words.size() + 32, 0);
  std::printf("interleaved payload %.0f KB\n", out.words.size() * 2 / 1e3);
  return out;
}

struct Tables {
  __m512i gapLenLo, gapLenHi, gapSymLo, gapSymHi, idxLenLo, idxLenHi, idxSymLo,
      idxSymHi;
  __m512 cbLo, cbHi;
};

/// Widens 64 byte table entries to one zmm.
__m512i bytes(const uint8_t *p) { return _mm512_loadu_si512(p); }

constexpr __mmask64 kLowBytes = 0x1111111111111111ull;

struct GroupState {
  __m512i buf, cnt, next;
  __m512 acc;
  const uint16_t *ptr;
};

template <bool Masked>
inline void step(GroupState &st, const Tables &t, __mmask16 active,
                 const float *xm1) {
  const __m512i sixteen = _mm512_set1_epi32(16), low7 = _mm512_set1_epi32(127);
  __mmask16 need = _mm512_cmplt_epu32_mask(st.cnt, sixteen);
  if (Masked)
    need &= active;
  __m256i w = _mm256_maskz_expandloadu_epi16(need, st.ptr);
  st.ptr += _mm_popcnt_u32(need);
  st.buf = _mm512_or_si512(st.buf,
                           _mm512_sllv_epi32(_mm512_cvtepu16_epi32(w), st.cnt));
  st.cnt = _mm512_mask_add_epi32(st.cnt, need, st.cnt, sixteen);
  // Gap.
  __m512i peek = _mm512_and_si512(st.buf, low7);
  __m512i len =
      _mm512_maskz_permutex2var_epi8(kLowBytes, t.gapLenLo, peek, t.gapLenHi);
  __m512i gap =
      _mm512_maskz_permutex2var_epi8(kLowBytes, t.gapSymLo, peek, t.gapSymHi);
  st.buf = _mm512_srlv_epi32(st.buf, len);
  st.cnt = _mm512_sub_epi32(st.cnt, len);
  // Index.
  peek = _mm512_and_si512(st.buf, low7);
  len = _mm512_maskz_permutex2var_epi8(kLowBytes, t.idxLenLo, peek, t.idxLenHi);
  __m512i sym =
      _mm512_maskz_permutex2var_epi8(kLowBytes, t.idxSymLo, peek, t.idxSymHi);
  st.buf = _mm512_srlv_epi32(st.buf, len);
  st.cnt = _mm512_sub_epi32(st.cnt, len);
  st.next =
      _mm512_add_epi32(st.next, _mm512_add_epi32(gap, _mm512_set1_epi32(1)));
  __mmask16 nz = _mm512_testn_epi32_mask(sym, _mm512_set1_epi32(0x80));
  if (Masked)
    nz &= active;
  __m512 v = _mm512_maskz_permutex2var_ps(nz, t.cbLo, sym, t.cbHi);
  __m512 xv =
      _mm512_mask_i32gather_ps(_mm512_setzero_ps(), nz, st.next, xm1, 4);
  st.acc = _mm512_fmadd_ps(v, xv, st.acc);
}

template <unsigned G>
void decode(const Layout &L, const Tables &t, const float *x, float *y,
            uint64_t groups) {
  const float *xm1 = x - 1;
  for (uint64_t g0 = 0; g0 < groups; g0 += G) {
    GroupState st[G];
    uint32_t common = ~0u;
    for (unsigned i = 0; i < G; ++i) {
      st[i] = {_mm512_setzero_si512(), _mm512_setzero_si512(),
               _mm512_setzero_si512(), _mm512_setzero_ps(),
               L.words.data() + L.groupWord[g0 + i]};
      common = std::min(common, L.minCount[g0 + i]);
    }
    for (uint32_t s = 0; s < common; ++s)
      for (unsigned i = 0; i < G; ++i)
        step<false>(st[i], t, 0xFFFF, xm1);
    for (unsigned i = 0; i < G; ++i) {
      __m512i counts = _mm512_loadu_si512(L.counts.data() + (g0 + i) * kLanes);
      for (uint32_t s = common; s < L.maxCount[g0 + i]; ++s) {
        __mmask16 active =
            _mm512_cmpgt_epu32_mask(counts, _mm512_set1_epi32(s));
        step<true>(st[i], t, active, xm1);
      }
      _mm512_storeu_ps(y + (g0 + i) * kLanes, st[i].acc);
    }
  }
}

} // namespace

int main(int argc, char **argv) {
  unsigned maxLen = argc > 1 ? unsigned(std::atoi(argv[1])) : 7;
  const unsigned rows = 4096, cols = 25088;
  ClusteredMatrix m = makeSyntheticClustered(rows, cols, 0.04, 32, 306);
  unsigned gapBits = argc > 2 ? unsigned(std::atoi(argv[2])) : 5;
  Layout L = build(m, gapBits, maxLen);
  Tables t;
  t.gapLenLo = bytes(L.gapLen.data());
  t.gapLenHi = bytes(L.gapLen.data() + 64);
  t.gapSymLo = bytes(L.gapSym.data());
  t.gapSymHi = bytes(L.gapSym.data() + 64);
  t.idxLenLo = bytes(L.idxLen.data());
  t.idxLenHi = bytes(L.idxLen.data() + 64);
  t.idxSymLo = bytes(L.idxSym.data());
  t.idxSymHi = bytes(L.idxSym.data() + 64);
  t.cbLo = _mm512_loadu_ps(m.codebook.data());
  t.cbHi = _mm512_loadu_ps(m.codebook.data() + 16);

  std::vector<float> x(cols), y(rows);
  for (unsigned c = 0; c < cols; ++c)
    x[c] = std::sin(c * 0.37f);
  std::vector<float> dense = m.toDense();
  uint64_t groups = rows / kLanes, nonzeros = m.countNonzeros();
  auto check = [&](const char *what, double ns) {
    double maxErr = 0;
    for (unsigned r = 0; r < rows; ++r) {
      double ref = 0;
      for (unsigned c = 0; c < cols; ++c)
        ref += double(dense[size_t(r) * cols + c]) * x[c];
      maxErr = std::max(maxErr, std::fabs(y[r] - ref));
    }
    std::printf("%s: %.3f ms (%.3f ns per nonzero), max |err| %.3g\n", what,
                ns / 1e6, ns / nonzeros, maxErr);
  };
  check("1 group",
        bestOf(20, [&] { decode<1>(L, t, x.data(), y.data(), groups); }));
  check("2 groups",
        bestOf(20, [&] { decode<2>(L, t, x.data(), y.data(), groups); }));
  check("4 groups",
        bestOf(20, [&] { decode<4>(L, t, x.data(), y.data(), groups); }));
  return 0;
}

//===- csr_gather_probe.cpp - Can AVX-512 gathers decode csr faster? ------===//
//
// A feasibility probe, not a benchmark of cw's kernels (those are in
// bench/kernels). It answers one design question for the csr kernel: would
// decoding 16 rows at once with AVX-512 gathers (one lane per row: gather
// the stream window, gather the gap and index table entries, gather x[col])
// beat the scalar interleaved lanes cw generates? It measures
//   1. the throughput and latency of one 16-lane vpgatherdd from L1,
//   2. that gather decoder on the benchmark's VGG-16 fc6 layer (4096 x
//      25088, 4 % nonzero, 32 clusters, #cw.csr<gap_bits = 5>), checked
//      against a double-precision product,
//   3. a scalar CSR SpMV (fp32 values + int32 columns) for reference.
//
// Build and run (AVX-512 machine, from the repository root, after a build):
//   clang++-22 -O3 -march=native -std=c++17 -Iinclude \
//     bench/probes/csr_gather_probe.cpp build/lib/Codec/libCWCodec.a \
//     -o /tmp/csr_gather_probe && /tmp/csr_gather_probe
//
//===----------------------------------------------------------------------===//

#include "cw/Codec/Huffman.h"
#include "cw/Codec/HuffmanCodec.h"
#include "cw/Codec/Matrix.h"

#include "ProbeUtil.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace cw::codec;
using namespace cw::probe;

static void probeGathers() {
  std::vector<int> table(4096 + 64);
  for (int i = 0; i < 4096 + 64; ++i)
    table[i] = (i * 37) & 4095;
  const int n = 10000000;
  __m512i a = _mm512_set_epi32(1, 5, 9, 13, 17, 21, 25, 29, 33, 37, 41, 45, 49,
                               53, 57, 61);
  __m512i b = _mm512_add_epi32(a, _mm512_set1_epi32(2));
  __m512i sum = _mm512_setzero_si512();
  double t = threadNs();
  for (int i = 0; i < n; ++i) {
    // Indices that change every iteration (no hoisting), still L1-resident.
    __m512i shift = _mm512_set1_epi32(i & 4095);
    sum =
        _mm512_add_epi32(sum, _mm512_i32gather_epi32(_mm512_add_epi32(a, shift),
                                                     table.data(), 4));
    sum =
        _mm512_add_epi32(sum, _mm512_i32gather_epi32(_mm512_add_epi32(b, shift),
                                                     table.data(), 4));
  }
  double throughput = (threadNs() - t) / (2.0 * n);
  __m512i chain = a;
  t = threadNs();
  for (int i = 0; i < n; ++i)
    chain = _mm512_i32gather_epi32(chain, table.data(), 4);
  double latency = (threadNs() - t) / n;
  std::printf("vpgatherdd zmm (16 x i32 from L1): %.2f ns per gather "
              "(independent), %.2f ns (dependent chain)  [%d]\n",
              throughput, latency,
              _mm512_reduce_add_epi32(sum) + _mm512_reduce_add_epi32(chain));
}

int main() {
  probeGathers();

  const unsigned rows = 4096, cols = 25088;
  ClusteredMatrix m = makeSyntheticClustered(rows, cols, 0.04, 32, 306);
  CsrParams params; // as #cw.csr<gap_bits = 5> (max_code_length 12)
  params.gapBits = 5;
  params.maxCodeLength = 12;
  Result<std::vector<uint8_t>> blob = encodeCsrMatrix(m, params);
  Result<CsrBlobView> view = parseCsrBlob(blob->data(), blob->size());
  Result<std::vector<uint64_t>> rowBits = csrRowBitOffsets(*view);
  if (!blob || !view || !rowBits) {
    std::fprintf(stderr, "encoding failed\n");
    return 1;
  }
  unsigned gapLen = longestCode(view->gapLengths);
  unsigned indexLen = longestCode(view->indexLengths);
  if (gapLen + indexLen > 25) {
    std::fprintf(stderr, "codes too long for one 32-bit window\n");
    return 1;
  }
  uint64_t nonzeros = m.countNonzeros();
  std::printf("VGG-16 fc6: %llu nonzeros, blob %zu B, longest gap code %u, "
              "index code %u bits\n",
              (unsigned long long)nonzeros, blob->size(), gapLen, indexLen);

  std::vector<uint32_t> gapTable = flatTable(view->gapLengths, gapLen, 1);
  std::vector<uint32_t> indexTable = flatTable(view->indexLengths, indexLen, 0);
  std::vector<uint8_t> stream(view->payload,
                              view->payload + view->payloadBytes);
  stream.resize(stream.size() + 16, 0);
  std::vector<uint32_t> start(rows + 16);
  for (unsigned r = 0; r <= rows; ++r)
    start[r] = uint32_t((*rowBits)[r]);
  for (unsigned r = rows + 1; r < rows + 16; ++r)
    start[r] = start[rows];
  std::vector<float> x(cols), y(rows + 16);
  for (unsigned c = 0; c < cols; ++c)
    x[c] = std::sin(c * 0.37f);
  std::vector<float> dense = m.toDense();

  // One lane per row, 16 consecutive rows at a time; a lane is active while
  // its bit position is before the next row's start.
  __m512 codebookLo = _mm512_loadu_ps(m.codebook.data());
  __m512 codebookHi = _mm512_loadu_ps(m.codebook.data() + 16);
  const float *xMinus1 = x.data() - 1; // gathers use col + 1
  auto gatherDecode = [&]() {
    const __m512i seven = _mm512_set1_epi32(7), one = _mm512_set1_epi32(1);
    const __m512i gapMask = _mm512_set1_epi32((1 << gapLen) - 1);
    const __m512i indexMask = _mm512_set1_epi32((1 << indexLen) - 1);
    const __m512i low16 = _mm512_set1_epi32(0xFFFF),
                  zero = _mm512_setzero_si512();
    for (unsigned r0 = 0; r0 < rows; r0 += 16) {
      __m512i pos = _mm512_loadu_si512(start.data() + r0);
      __m512i end = _mm512_loadu_si512(start.data() + r0 + 1);
      __m512i next = zero;
      __m512 acc = _mm512_setzero_ps();
      __mmask16 active = _mm512_cmplt_epu32_mask(pos, end);
      while (active) {
        __m512i w = _mm512_mask_i32gather_epi32(
            zero, active, _mm512_srli_epi32(pos, 3), stream.data(), 1);
        w = _mm512_srlv_epi32(w, _mm512_and_si512(pos, seven));
        __m512i gap = _mm512_mask_i32gather_epi32(
            zero, active, _mm512_and_si512(w, gapMask), gapTable.data(), 4);
        __m512i gapBits = _mm512_srli_epi32(gap, 16);
        w = _mm512_srlv_epi32(w, gapBits);
        __m512i index = _mm512_mask_i32gather_epi32(
            zero, active, _mm512_and_si512(w, indexMask), indexTable.data(), 4);
        pos = _mm512_add_epi32(
            pos, _mm512_add_epi32(gapBits, _mm512_srli_epi32(index, 16)));
        next = _mm512_add_epi32(next, _mm512_and_si512(gap, low16));
        __m512i cluster = _mm512_and_si512(index, low16);
        __mmask16 nonzero =
            _mm512_mask_cmpneq_epi32_mask(active, cluster, zero);
        __m512 weight = _mm512_maskz_permutex2var_ps(
            nonzero, codebookLo, _mm512_sub_epi32(cluster, one), codebookHi);
        __m512 xv = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), nonzero, next,
                                             xMinus1, 4);
        acc = _mm512_fmadd_ps(weight, xv, acc);
        active = _mm512_mask_cmplt_epu32_mask(active, pos, end);
      }
      _mm512_storeu_ps(y.data() + r0, acc);
    }
  };
  auto best = [](auto &&fn) { return bestOf(20, fn); };

  gatherDecode();
  double maxErr = 0;
  for (unsigned r = 0; r < rows; ++r) {
    double ref = 0;
    for (unsigned c = 0; c < cols; ++c)
      ref += double(dense[size_t(r) * cols + c]) * x[c];
    maxErr = std::max(maxErr, std::fabs(y[r] - ref));
  }
  double tGather = best(gatherDecode);
  std::printf("gather decoder: %.3f ms (%.2f ns per nonzero), max |err| %.3g\n",
              tGather / 1e6, tGather / nonzeros, maxErr);

  std::vector<float> values;
  std::vector<int> columns, rowStart(rows + 1);
  for (unsigned r = 0; r < rows; ++r) {
    rowStart[r] = int(values.size());
    for (unsigned c = 0; c < cols; ++c)
      if (float v = dense[size_t(r) * cols + c]; v != 0.0f) {
        values.push_back(v);
        columns.push_back(int(c));
      }
  }
  rowStart[rows] = int(values.size());
  double tCsr = best([&]() {
    for (unsigned r = 0; r < rows; ++r) {
      float s = 0;
      for (int e = rowStart[r]; e < rowStart[r + 1]; ++e)
        s += values[e] * x[columns[e]];
      y[r] = s;
    }
  });
  std::printf("scalar fp32 CSR SpMV: %.3f ms (%.2f ns per nonzero)\n",
              tCsr / 1e6, tCsr / nonzeros);
  return 0;
}

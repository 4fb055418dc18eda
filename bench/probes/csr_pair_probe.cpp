//===- csr_pair_probe.cpp - Would one lookup per csr entry be faster? -----===//
//
// A feasibility probe, not a benchmark of cw's kernels (those are in
// bench/kernels). It answers one design question for the csr kernel: a csr
// entry is a Huffman-coded gap followed by a Huffman-coded cluster index,
// and cw's generated loop resolves them with two dependent table lookups.
// Would a joint table, indexed by the next J bits and holding (gap, index,
// total length) for every pair of codes that fits in J bits (a fallback to
// the two lookups for the rest), decode faster? Both loops are written by
// hand here in the shape cw generates (four row lanes, one unaligned 8-byte
// window per entry, the row sum in a register per lane), on the benchmark's
// synthetic layer, and checked against each other.
//
// Build and run (from the repository root, after a build):
//   clang++-22 -O3 -march=native -std=c++17 -Iinclude \
//     bench/probes/csr_pair_probe.cpp build/lib/Codec/libCWCodec.a \
//     -o /tmp/csr_pair_probe && /tmp/csr_pair_probe [rows cols density
//     gap_bits J]    (default: AlexNet fc6, 4096 9216 0.09 5 11)
//
//===----------------------------------------------------------------------===//

#include "cw/Codec/Huffman.h"
#include "cw/Codec/HuffmanCodec.h"
#include "cw/Codec/Matrix.h"

#include "ProbeUtil.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

using namespace cw::codec;
using namespace cw::probe;

/// The joint table: entry = gap | index << 16 | total length << 24 for a
/// gap code and an index code that fit in `bits` together, 0 otherwise.
static std::vector<uint32_t> pairTable(const CsrBlobView &view,
                                       const HuffmanCode &gapCode,
                                       const HuffmanCode &indexCode,
                                       unsigned bits) {
  std::vector<uint32_t> table(size_t(1) << bits, 0);
  for (uint32_t g = 0; g < view.gapLengths.size(); ++g) {
    unsigned gl = view.gapLengths[g];
    if (gl == 0 || gl > bits)
      continue;
    for (uint32_t i = 0; i < view.indexLengths.size(); ++i) {
      unsigned il = view.indexLengths[i];
      if (il == 0 || gl + il > bits)
        continue;
      uint32_t pattern = gapCode.codes[g] | (indexCode.codes[i] << gl);
      for (uint32_t fill = 0; fill < (1u << (bits - gl - il)); ++fill)
        table[pattern | (fill << (gl + il))] = g | (i << 16) | (gl + il) << 24;
    }
  }
  return table;
}

int main(int argc, char **argv) {
  unsigned rows = argc > 1 ? unsigned(atoi(argv[1])) : 4096;
  unsigned cols = argc > 2 ? unsigned(atoi(argv[2])) : 9216;
  double density = argc > 3 ? atof(argv[3]) : 0.09;
  unsigned gapBits = argc > 4 ? unsigned(atoi(argv[4])) : 5;
  unsigned pairBits = argc > 5 ? unsigned(atoi(argv[5])) : 11;
  constexpr unsigned kLanes = 4;
  if (rows % kLanes || pairBits < 2 || pairBits > 20) {
    std::fprintf(stderr, "rows must be a multiple of 4, J in 2..20\n");
    return 1;
  }

  ClusteredMatrix m = makeSyntheticClustered(rows, cols, density, 32, 306);
  CsrParams params; // as #cw.csr<gap_bits = N> (max_code_length 12)
  params.gapBits = gapBits;
  params.maxCodeLength = 12;
  Result<std::vector<uint8_t>> blob = encodeCsrMatrix(m, params);
  if (!blob) {
    std::fprintf(stderr, "encoding failed: %s\n", blob.message().c_str());
    return 1;
  }
  Result<CsrBlobView> view = parseCsrBlob(blob->data(), blob->size());
  if (!view) {
    std::fprintf(stderr, "parsing failed: %s\n", view.message().c_str());
    return 1;
  }
  Result<std::vector<uint64_t>> rowBits = csrRowBitOffsets(*view);
  Result<HuffmanCode> gapCode = makeCanonicalHuffmanCode(view->gapLengths);
  Result<HuffmanCode> indexCode = makeCanonicalHuffmanCode(view->indexLengths);
  if (!rowBits || !gapCode || !indexCode) {
    std::fprintf(stderr, "parsing failed\n");
    return 1;
  }
  unsigned gapLen = longestCode(view->gapLengths);
  unsigned indexLen = longestCode(view->indexLengths);
  std::vector<uint32_t> gapTable = flatTable(view->gapLengths, gapLen);
  std::vector<uint32_t> indexTable = flatTable(view->indexLengths, indexLen);
  std::vector<uint32_t> pairs =
      pairTable(*view, *gapCode, *indexCode, pairBits);
  uint32_t gapMask = (1u << gapLen) - 1, indexMask = (1u << indexLen) - 1,
           pairMask = (1u << pairBits) - 1;

  std::vector<uint8_t> stream(view->payload,
                              view->payload + view->payloadBytes);
  stream.resize(stream.size() + 16, 0);
  auto window = [&](uint64_t pos) {
    uint64_t w;
    std::memcpy(&w, stream.data() + (pos >> 3), 8);
    return w >> (pos & 7);
  };
  std::vector<float> x(cols), codebook(33, 0.0f);
  for (unsigned c = 0; c < cols; ++c)
    x[c] = std::sin(c * 0.37f);
  for (unsigned k = 0; k < 32; ++k)
    codebook[k + 1] = m.codebook[k];
  std::vector<uint32_t> counts(rows);
  uint64_t entries = 0, fits = 0;
  for (unsigned r = 0; r < rows; ++r)
    entries += counts[r] = view->rowEntryCount(r);
  for (uint64_t e = 0, pos = 0; e < entries; ++e) {
    uint64_t w = window(pos);
    uint32_t g = gapTable[w & gapMask];
    uint32_t i = indexTable[(w >> (g >> 16)) & indexMask];
    unsigned length = (g >> 16) + (i >> 16);
    fits += length <= pairBits;
    pos += length;
  }

  // Four lanes of rows/4 consecutive rows; `decode` resolves one entry at
  // `pos` into (gap, cluster index) and advances pos.
  unsigned perLane = rows / kLanes;
  auto run = [&](std::vector<float> &y, auto decode) {
    uint64_t pos[kLanes], col[kLanes], row[kLanes], left[kLanes];
    float acc[kLanes];
    auto nextRow = [&](unsigned l) {
      while (row[l] < (l + 1) * perLane && counts[row[l]] == 0)
        y[row[l]++] = 0;
      left[l] = row[l] < (l + 1) * perLane ? counts[row[l]] : 0;
    };
    for (unsigned l = 0; l < kLanes; ++l) {
      row[l] = l * perLane;
      pos[l] = (*rowBits)[row[l]];
      col[l] = 0;
      acc[l] = 0;
      nextRow(l);
    }
    for (bool any = true; any;) {
      any = false;
      for (unsigned l = 0; l < kLanes; ++l) {
        if (left[l] == 0)
          continue;
        any = true;
        auto [gap, index] = decode(pos[l]);
        col[l] += gap;
        acc[l] += codebook[index] * x[col[l]++];
        if (--left[l] == 0) {
          y[row[l]++] = acc[l];
          acc[l] = 0;
          col[l] = 0;
          nextRow(l);
        }
      }
    }
  };
  auto separate = [&](uint64_t &pos) {
    uint64_t w = window(pos);
    uint32_t g = gapTable[w & gapMask];
    uint32_t i = indexTable[(w >> (g >> 16)) & indexMask];
    pos += (g >> 16) + (i >> 16);
    return std::pair<uint32_t, uint32_t>(g & 0xFFFF, i & 0xFFFF);
  };
  auto joint = [&](uint64_t &pos) {
    uint64_t w = window(pos);
    uint32_t p = pairs[w & pairMask];
    if (__builtin_expect(p != 0, 1)) {
      pos += p >> 24;
      return std::pair<uint32_t, uint32_t>(p & 0xFFFF, (p >> 16) & 0xFF);
    }
    uint32_t g = gapTable[w & gapMask];
    uint32_t i = indexTable[(w >> (g >> 16)) & indexMask];
    pos += (g >> 16) + (i >> 16);
    return std::pair<uint32_t, uint32_t>(g & 0xFFFF, i & 0xFFFF);
  };
  std::vector<float> ySeparate(rows), yJoint(rows);
  double tSeparate = bestOf(15, [&] { run(ySeparate, separate); });
  double tJoint = bestOf(15, [&] { run(yJoint, joint); });
  bool same = ySeparate == yJoint;
  uint64_t nonzeros = m.countNonzeros();
  std::printf("%ux%u, %.0f %% nonzero, gap_bits %u: %llu entries (%.2f per "
              "nonzero), longest codes %u + %u bits\n",
              rows, cols, 100 * density, gapBits, (unsigned long long)entries,
              double(entries) / nonzeros, gapLen, indexLen);
  std::printf("two lookups: %.3f ms (%.2f ns per nonzero)\n", tSeparate / 1e6,
              tSeparate / nonzeros);
  std::printf("joint %u-bit table (%.1f %% of entries fit): %.3f ms (%.2f ns "
              "per nonzero), outputs %s\n",
              pairBits, 100.0 * fits / entries, tJoint / 1e6, tJoint / nonzeros,
              same ? "identical" : "DIFFER");
  return same ? 0 : 1;
}

//===- HuffmanBench.cpp - csr (relative-index) and huffman matrix codecs --===//
//
// AlexNet fc6 statistics after Deep Compression: 4096x9216 Laplace(0, 0.05)
// weights, magnitude-pruned to 9 % density, 32 linear clusters
// (makeSyntheticClustered, seed 42). Counters:
//   blob_B      the whole blob (header, code tables, offsets, counts, payload)
//   floor_B     order-0 entropy floor of the coded streams, in bytes (csr:
//               gaps + indices including filler entries; huffman: all
//               rows*cols indices)
//   vs_floor    blob bits / floor bits
//   idx_vs_floor, gap_vs_floor  (csr) payload bits / floor of each stream
//   bits_nnz    blob bits per nonzero weight
//   vs_fp32     dense fp32 bytes / (blob + codebook) bytes
//   fillers     (csr) filler entries
// Throughput: items_per_second = weights (rows*cols) per second,
// bytes_per_second = dense fp32 bytes per second, blob_MB/s = blob bytes.
//
// Run only these, briefly:
//   build/bench/cw-codec-bench --benchmark_filter='^(Csr|HuffmanMatrix)' \
//       --benchmark_min_time=0.05s
//
//===----------------------------------------------------------------------===//

#include "cw/Codec/HuffmanCodec.h"
#include "cw/Codec/Matrix.h"

#include <benchmark/benchmark.h>

using namespace cw::codec;

namespace {

const ClusteredMatrix &fc6() {
  static const ClusteredMatrix m =
      makeSyntheticClustered(4096, 9216, 0.09, 32, 42);
  return m;
}

/// Args: gapBits, Huffman on indices, Huffman on gaps.
CsrParams csrParams(const benchmark::State &state) {
  CsrParams p;
  p.gapBits = unsigned(state.range(0));
  p.huffmanIndices = state.range(1) != 0;
  p.huffmanGaps = state.range(2) != 0;
  return p;
}

void setThroughput(benchmark::State &state, const ClusteredMatrix &m,
                   uint64_t blobBytes) {
  state.SetItemsProcessed(int64_t(state.iterations() * m.size()));
  state.SetBytesProcessed(int64_t(state.iterations() * m.size() * 4));
  state.counters["blob_MB/s"] =
      benchmark::Counter(double(state.iterations()) * double(blobBytes) / 1e6,
                         benchmark::Counter::kIsRate);
}

void setSizes(benchmark::State &state, const ClusteredMatrix &m,
              uint64_t blobBytes, double floorBits) {
  state.counters["blob_B"] = double(blobBytes);
  state.counters["floor_B"] = floorBits / 8;
  state.counters["vs_floor"] = double(blobBytes) * 8 / floorBits;
  state.counters["bits_nnz"] =
      double(blobBytes) * 8 / double(m.countNonzeros());
  state.counters["vs_fp32"] =
      double(m.size() * 4) / double(blobBytes + 4 * m.codebook.size());
}

void CsrEncode(benchmark::State &state) {
  const ClusteredMatrix &m = fc6();
  CsrParams p = csrParams(state);
  uint64_t blobBytes = 0;
  for (auto _ : state) {
    auto blob = encodeCsrMatrix(m, p);
    if (!blob) {
      state.SkipWithError(blob.message().c_str());
      return;
    }
    blobBytes = blob->size();
    benchmark::DoNotOptimize(blob->data());
  }
  auto rep = analyzeCsrMatrix(m, p);
  setSizes(state, m, rep->blobBytes,
           rep->gaps.floorBits + rep->indices.floorBits);
  state.counters["idx_vs_floor"] = rep->indices.ratioToFloor();
  state.counters["gap_vs_floor"] = rep->gaps.ratioToFloor();
  state.counters["fillers"] = double(rep->fillers);
  setThroughput(state, m, blobBytes);
}

void CsrDecode(benchmark::State &state) {
  const ClusteredMatrix &m = fc6();
  CsrParams p = csrParams(state);
  EncodingStats stats;
  auto blob = encodeCsrMatrix(m, p, &stats);
  if (!blob) {
    state.SkipWithError(blob.message().c_str());
    return;
  }
  {
    auto check = decodeCsrMatrix(blob->data(), blob->size());
    if (!check || check->indices != m.indices) {
      state.SkipWithError("csr: decode failed or differs");
      return;
    }
  }
  for (auto _ : state) {
    auto back = decodeCsrMatrix(blob->data(), blob->size());
    benchmark::DoNotOptimize(back->indices.data());
  }
  setSizes(state, m, stats.blobBytes, stats.entropyFloorBits);
  setThroughput(state, m, stats.blobBytes);
}

void HuffmanMatrixEncode(benchmark::State &state) {
  const ClusteredMatrix &m = fc6();
  HuffmanParams p;
  uint64_t blobBytes = 0;
  for (auto _ : state) {
    auto blob = encodeHuffmanMatrix(m, p);
    if (!blob) {
      state.SkipWithError(blob.message().c_str());
      return;
    }
    blobBytes = blob->size();
    benchmark::DoNotOptimize(blob->data());
  }
  EncodingStats stats;
  auto blob = encodeHuffmanMatrix(m, p, &stats);
  setSizes(state, m, stats.blobBytes, stats.entropyFloorBits);
  setThroughput(state, m, blobBytes);
}

void HuffmanMatrixDecode(benchmark::State &state) {
  const ClusteredMatrix &m = fc6();
  HuffmanParams p;
  EncodingStats stats;
  auto blob = encodeHuffmanMatrix(m, p, &stats);
  if (!blob) {
    state.SkipWithError(blob.message().c_str());
    return;
  }
  {
    auto check = decodeHuffmanMatrix(blob->data(), blob->size());
    if (!check || check->indices != m.indices) {
      state.SkipWithError("huffman: decode failed or differs");
      return;
    }
  }
  for (auto _ : state) {
    auto back = decodeHuffmanMatrix(blob->data(), blob->size());
    benchmark::DoNotOptimize(back->indices.data());
  }
  setSizes(state, m, stats.blobBytes, stats.entropyFloorBits);
  setThroughput(state, m, stats.blobBytes);
}

} // namespace

BENCHMARK(CsrEncode)
    ->ArgNames({"gapBits", "hidx", "hgap"})
    ->Args({5, 1, 1})
    ->Args({8, 1, 1})
    ->Args({5, 0, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(CsrDecode)
    ->ArgNames({"gapBits", "hidx", "hgap"})
    ->Args({5, 1, 1})
    ->Args({8, 1, 1})
    ->Args({5, 0, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(HuffmanMatrixEncode)->Unit(benchmark::kMillisecond);
BENCHMARK(HuffmanMatrixDecode)->Unit(benchmark::kMillisecond);

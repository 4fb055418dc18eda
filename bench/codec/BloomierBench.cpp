//===- BloomierBench.cpp - Bloomier filter encoding (Weightless §3) -------===//
//
// LeNet-300-100 ip1 (300 x 784, 8 % density) and AlexNet fc6 (4096 x 9216,
// 9 % density), 32 clusters, t = 8, default k = 3 (and k = 4, Weightless's):
// encode time, full decode time (every position queried; Weightless reports
// 0.52 s for LeNet-300-100 FC-0), blob bytes against a CSR-like bound,
// the arithmetic-coded table size, and the false positives on the zeros
// against K / 2^t.
//
//   build/bench/cw-codec-bench --benchmark_filter='Bloomier'
//
//===----------------------------------------------------------------------===//

#include "cw/Codec/Bloomier.h"
#include "cw/Codec/Matrix.h"

#include "benchmark/benchmark.h"

#include <cmath>
#include <cstdlib>

using namespace cw::codec;

namespace {

struct Layer {
  const char *name;
  uint64_t rows, cols;
  double density;
};
constexpr Layer kLayers[] = {{"lenet_ip1", 300, 784, 0.08},
                             {"alexnet_fc6", 4096, 9216, 0.09}};
constexpr unsigned kClusters = 32;

const ClusteredMatrix &layer(int i) {
  // Built on first use (the fc6 matrix takes a few seconds).
  static ClusteredMatrix cache[2];
  static bool built[2] = {false, false};
  if (!built[i]) {
    cache[i] = makeSyntheticClustered(kLayers[i].rows, kLayers[i].cols,
                                      kLayers[i].density, kClusters, 1);
    built[i] = true;
  }
  return cache[i];
}

BloomierParams params(unsigned hashes) {
  BloomierParams p;
  p.cellBits = 8;
  p.hashes = hashes;
  return p;
}

/// CSR-like bound: per nonzero a column index and a cluster index in the
/// fewest fixed bits, plus 32-bit row pointers.
double csrBytes(const ClusteredMatrix &m) {
  double colBits = std::ceil(std::log2(double(m.cols)));
  double idxBits = std::ceil(std::log2(double(m.codebook.size())));
  return (double(m.countNonzeros()) * (colBits + idxBits) +
          double(m.rows + 1) * 32) /
         8;
}

void BM_BloomierEncode(benchmark::State &state) {
  int li = int(state.range(0));
  unsigned hashes = unsigned(state.range(1));
  const ClusteredMatrix &m = layer(li);
  state.SetLabel(kLayers[li].name);
  for (auto _ : state) {
    Result<std::vector<uint8_t>> blob = encodeBloomierMatrix(m, params(hashes));
    if (!blob)
      std::abort();
    benchmark::DoNotOptimize(blob->data());
  }
  // Sizes and false positives, measured once outside the timed loop.
  BloomierStats bs;
  EncodingStats es;
  Result<std::vector<uint8_t>> blob =
      encodeBloomierMatrix(m, params(hashes), &es, &bs);
  Result<std::vector<uint8_t>> coded = compressBloomierTable(*blob);
  if (!coded)
    std::abort();
  double csr = csrBytes(m);
  state.counters["blob_B"] = double(es.blobBytes);
  state.counters["csr_B"] = csr;
  state.counters["csr_over_blob"] = csr / double(es.blobBytes);
  state.counters["arith_B"] = double(coded->size());
  state.counters["cellH0_B"] = bs.cellEntropyBits / 8;
  state.counters["bits_per_nz"] =
      double(es.blobBytes) * 8 / double(bs.nonzeros);
  state.counters["cells_per_key"] = bs.cellsPerKey;
  state.counters["attempts"] = double(bs.attempts);
  state.counters["chunks"] = double(bs.numChunks);
  state.counters["fp"] = double(bs.falsePositives);
  state.counters["fp_rate"] = bs.falsePositiveRate;
  state.counters["fp_theory"] = bs.theoreticalFalsePositiveRate;
  state.counters["ratio_fp32"] =
      double(m.size()) * 4 / double(es.blobBytes + es.codebookBytes);
  state.SetItemsProcessed(int64_t(state.iterations() * bs.nonzeros));
}
BENCHMARK(BM_BloomierEncode)
    ->Args({0, 3})
    ->Args({0, 4})
    ->Args({1, 3})
    ->Args({1, 4})
    ->Unit(benchmark::kMillisecond);

void BM_BloomierDecode(benchmark::State &state) {
  int li = int(state.range(0));
  unsigned hashes = unsigned(state.range(1));
  const ClusteredMatrix &m = layer(li);
  state.SetLabel(kLayers[li].name);
  Result<std::vector<uint8_t>> blob = encodeBloomierMatrix(m, params(hashes));
  if (!blob)
    std::abort();
  for (auto _ : state) {
    Result<ClusteredMatrix> d = decodeBloomierMatrix(*blob);
    if (!d)
      std::abort();
    benchmark::DoNotOptimize(d->indices.data());
  }
  state.counters["ns_per_position"] = benchmark::Counter(
      double(m.size()) * 1e-9, benchmark::Counter::kIsIterationInvariantRate |
                                   benchmark::Counter::kInvert);
  state.SetItemsProcessed(int64_t(state.iterations() * m.size()));
}
BENCHMARK(BM_BloomierDecode)
    ->Args({0, 3})
    ->Args({0, 4})
    ->Args({1, 3})
    ->Args({1, 4})
    ->Unit(benchmark::kMillisecond);

void BM_BloomierArithCompress(benchmark::State &state) {
  int li = int(state.range(0));
  const ClusteredMatrix &m = layer(li);
  state.SetLabel(kLayers[li].name);
  Result<std::vector<uint8_t>> blob = encodeBloomierMatrix(m, params(3));
  if (!blob)
    std::abort();
  size_t codedBytes = 0;
  for (auto _ : state) {
    Result<std::vector<uint8_t>> coded = compressBloomierTable(*blob);
    if (!coded)
      std::abort();
    codedBytes = coded->size();
  }
  state.counters["blob_B"] = double(blob->size());
  state.counters["arith_B"] = double(codedBytes);
  state.SetBytesProcessed(int64_t(state.iterations() * blob->size()));
}
BENCHMARK(BM_BloomierArithCompress)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

void BM_BloomierArithDecompress(benchmark::State &state) {
  int li = int(state.range(0));
  const ClusteredMatrix &m = layer(li);
  state.SetLabel(kLayers[li].name);
  Result<std::vector<uint8_t>> blob = encodeBloomierMatrix(m, params(3));
  Result<std::vector<uint8_t>> coded = compressBloomierTable(*blob);
  if (!coded)
    std::abort();
  for (auto _ : state) {
    Result<std::vector<uint8_t>> back = decompressBloomierTable(*coded);
    if (!back || back->size() != blob->size())
      std::abort();
  }
  state.SetBytesProcessed(int64_t(state.iterations() * blob->size()));
}
BENCHMARK(BM_BloomierArithDecompress)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

} // namespace

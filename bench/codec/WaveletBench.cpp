//===- WaveletBench.cpp - Wavelet-tree encoding (Succinct Compression) ----===//
//
// LeNet-300-100 ip1 (300 x 784, 8 % density) and AlexNet fc6 (4096 x 9216,
// 9 % density), 32 clusters, every CWWT mode (element, block B = 2 and 4,
// sparse with automatic gap bits): blob size against the n * H0 floor of the
// coded sequences, encode time, full decode time, random weight access,
// wavelet rank, and the bare rank/select bit vector.
//
//   build/bench/cw-codec-bench --benchmark_filter='Wavelet' \
//       --benchmark_min_time=0.05s
//
//===----------------------------------------------------------------------===//

#include "cw/Codec/Matrix.h"
#include "cw/Codec/RankSelect.h"
#include "cw/Codec/WaveletCodec.h"

#include "benchmark/benchmark.h"

#include <cstdlib>
#include <map>
#include <random>

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
  static ClusteredMatrix cache[2];
  static bool built[2] = {false, false};
  if (!built[i]) {
    cache[i] = makeSyntheticClustered(kLayers[i].rows, kLayers[i].cols,
                                      kLayers[i].density, kClusters, 1);
    built[i] = true;
  }
  return cache[i];
}

// Mode index: 0 element, 1 block B=2, 2 block B=4, 3 sparse (auto g).
WaveletParams params(int mode) {
  switch (mode) {
  case 1:
    return {WaveletMode::Block, 2, 0};
  case 2:
    return {WaveletMode::Block, 4, 0};
  case 3:
    return {WaveletMode::Sparse, 4, 0};
  default:
    return {WaveletMode::Element, 4, 0};
  }
}
const char *modeLabel(int mode) {
  static const char *names[] = {"element", "block2", "block4", "sparse"};
  return names[mode];
}

struct Encoded {
  std::vector<uint8_t> blob;
  EncodingStats stats;
};

const Encoded &encoded(int layerIdx, int mode) {
  static std::map<std::pair<int, int>, Encoded> cache;
  auto key = std::make_pair(layerIdx, mode);
  auto it = cache.find(key);
  if (it != cache.end())
    return it->second;
  Encoded e;
  Result<std::vector<uint8_t>> r =
      encodeWaveletMatrix(layer(layerIdx), params(mode), &e.stats);
  if (!r) {
    std::fprintf(stderr, "encode failed: %s\n", r.message().c_str());
    std::abort();
  }
  e.blob = std::move(*r);
  return cache.emplace(key, std::move(e)).first->second;
}

WaveletCodecView view(const Encoded &e) {
  Result<WaveletCodecView> v =
      WaveletCodecView::parse(e.blob.data(), e.blob.size());
  if (!v) {
    std::fprintf(stderr, "parse failed: %s\n", v.message().c_str());
    std::abort();
  }
  return *v;
}

void sizeCounters(benchmark::State &state, int layerIdx, int mode) {
  const Encoded &e = encoded(layerIdx, mode);
  const ClusteredMatrix &m = layer(layerIdx);
  double floorBytes = e.stats.entropyFloorBits / 8;
  state.counters["blob_bytes"] = double(e.blob.size());
  state.counters["floor_bytes"] = floorBytes;
  state.counters["blob_over_floor"] = double(e.blob.size()) / floorBytes;
  state.counters["bits_per_weight"] =
      8.0 * double(e.blob.size()) / double(m.size());
  state.counters["ratio_vs_fp32"] =
      4.0 * double(m.size()) / double(e.blob.size() + e.stats.codebookBytes);
  state.SetLabel(std::string(kLayers[layerIdx].name) + "/" + modeLabel(mode));
}

void BM_WaveletEncode(benchmark::State &state) {
  int l = int(state.range(0)), mode = int(state.range(1));
  const ClusteredMatrix &m = layer(l);
  for (auto _ : state) {
    Result<std::vector<uint8_t>> r = encodeWaveletMatrix(m, params(mode));
    benchmark::DoNotOptimize(r.isOk());
  }
  sizeCounters(state, l, mode);
  state.SetItemsProcessed(int64_t(state.iterations() * m.size()));
}

void BM_WaveletDecodeFull(benchmark::State &state) {
  int l = int(state.range(0)), mode = int(state.range(1));
  const Encoded &e = encoded(l, mode);
  for (auto _ : state) {
    Result<ClusteredMatrix> d =
        decodeWaveletMatrix(e.blob.data(), e.blob.size());
    if (!d || d->indices != layer(l).indices) {
      state.SkipWithError("decode mismatch");
      return;
    }
  }
  sizeCounters(state, l, mode);
  state.SetItemsProcessed(int64_t(state.iterations() * layer(l).size()));
}

/// Decode only (the view parsed once, no verification or comparison).
void BM_WaveletDecodeRows(benchmark::State &state) {
  int l = int(state.range(0)), mode = int(state.range(1));
  const Encoded &e = encoded(l, mode);
  WaveletCodecView v = view(e);
  std::vector<uint16_t> out(v.rows() * v.cols());
  for (auto _ : state) {
    Status st = v.decodeRows(0, v.rows(), out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::DoNotOptimize(st.isOk());
  }
  sizeCounters(state, l, mode);
  state.SetItemsProcessed(int64_t(state.iterations() * layer(l).size()));
}

constexpr int kBatch = 4096;

/// Random weight(r, c): one wavelet access (element / block); the sparse
/// mode walks row r's tuples up to column c (O(row length) accesses).
void BM_WaveletWeightAccess(benchmark::State &state) {
  int l = int(state.range(0)), mode = int(state.range(1));
  const Encoded &e = encoded(l, mode);
  WaveletCodecView v = view(e);
  std::mt19937_64 rng(42);
  std::vector<std::pair<uint64_t, uint64_t>> at(kBatch);
  for (auto &p : at)
    p = {rng() % v.rows(), rng() % v.cols()};
  uint64_t sum = 0;
  for (auto _ : state) {
    for (auto &p : at)
      sum += v.weight(p.first, p.second);
    benchmark::DoNotOptimize(sum);
  }
  state.counters["ns_per_op"] = benchmark::Counter(
      double(state.iterations()) * kBatch,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetLabel(std::string(kLayers[l].name) + "/" + modeLabel(mode));
}

void BM_WaveletRank(benchmark::State &state) {
  int l = int(state.range(0)), mode = int(state.range(1));
  const Encoded &e = encoded(l, mode);
  WaveletCodecView v = view(e);
  const WaveletTreeView &s = v.sequence();
  std::mt19937_64 rng(43);
  std::vector<std::pair<uint64_t, uint64_t>> q(kBatch);
  for (auto &p : q)
    p = {rng() % s.alphabetSize(), rng() % (s.size() + 1)};
  uint64_t sum = 0;
  for (auto _ : state) {
    for (auto &p : q)
      sum += s.rank(p.first, p.second);
    benchmark::DoNotOptimize(sum);
  }
  state.counters["ns_per_op"] = benchmark::Counter(
      double(state.iterations()) * kBatch,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["levels"] = s.levels();
  state.SetLabel(std::string(kLayers[l].name) + "/" + modeLabel(mode));
}

void BM_WaveletAccessSeq(benchmark::State &state) {
  int l = int(state.range(0)), mode = int(state.range(1));
  const Encoded &e = encoded(l, mode);
  WaveletCodecView v = view(e);
  const WaveletTreeView &s = v.sequence();
  std::mt19937_64 rng(44);
  std::vector<uint64_t> q(kBatch);
  for (auto &i : q)
    i = rng() % s.size();
  uint64_t sum = 0;
  for (auto _ : state) {
    for (uint64_t i : q)
      sum += s.access(i);
    benchmark::DoNotOptimize(sum);
  }
  state.counters["ns_per_op"] = benchmark::Counter(
      double(state.iterations()) * kBatch,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["levels"] = s.levels();
  state.SetLabel(std::string(kLayers[l].name) + "/" + modeLabel(mode));
}

/// The bare bit vector: random rank1 / select1 on 2^20 and 2^27 bits, 50 %.
void BM_WaveletBitVector(benchmark::State &state) {
  uint64_t n = uint64_t(1) << state.range(0);
  bool select = state.range(1) != 0;
  static std::map<uint64_t, std::vector<uint8_t>> cache;
  std::vector<uint8_t> &blob = cache[n];
  if (blob.empty()) {
    std::mt19937_64 rng(n);
    std::vector<uint64_t> bits(n / 64);
    for (auto &w : bits)
      w = rng();
    if (!appendRankSelect(blob, bits.data(), n)) {
      state.SkipWithError("build failed");
      return;
    }
  }
  RankSelectView v = *RankSelectView::parse(blob.data(), blob.size());
  std::mt19937_64 rng(45);
  std::vector<uint64_t> q(kBatch);
  for (auto &i : q)
    i = rng() % (select ? v.numOnes() : n);
  uint64_t sum = 0;
  for (auto _ : state) {
    if (select)
      for (uint64_t i : q)
        sum += v.select1(i);
    else
      for (uint64_t i : q)
        sum += v.rank1(i);
    benchmark::DoNotOptimize(sum);
  }
  state.counters["ns_per_op"] = benchmark::Counter(
      double(state.iterations()) * kBatch,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["overhead_pct"] =
      100.0 * (double(blob.size()) * 8 / double(n) - 1);
  state.SetLabel(select ? "select1" : "rank1");
}

void layerModes(benchmark::internal::Benchmark *b) {
  for (int l = 0; l < 2; ++l)
    for (int mode = 0; mode < 4; ++mode)
      b->Args({l, mode});
}

} // namespace

BENCHMARK(BM_WaveletEncode)->Apply(layerModes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WaveletDecodeFull)
    ->Apply(layerModes)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WaveletDecodeRows)
    ->Apply(layerModes)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WaveletWeightAccess)
    ->Apply(layerModes)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_WaveletAccessSeq)
    ->Apply(layerModes)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_WaveletRank)->Apply(layerModes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_WaveletBitVector)
    ->Args({20, 0})
    ->Args({20, 1})
    ->Args({27, 0})
    ->Args({27, 1})
    ->Unit(benchmark::kMicrosecond);

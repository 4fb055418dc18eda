//===- ClusterBench.cpp - Pruning, weight sharing and the dense encoding --===//
//
// AlexNet fc6-shaped Laplace weights (4096 x 9216), pruned to 9 % density,
// clustered to k = 32 with every initialisation (and the exact optimum);
// time and SSE as counters. Then the dense encoding's encode/decode
// throughput on the linear-init result.
//
//   build/bench/cw-codec-bench --benchmark_filter='Prune|Cluster|Dense'
//
//===----------------------------------------------------------------------===//

#include "cw/Codec/Cluster.h"
#include "cw/Codec/DenseCodec.h"
#include "cw/Codec/Matrix.h"
#include "cw/Codec/Prune.h"

#include "benchmark/benchmark.h"

#include <cstdlib>

using namespace cw::codec;

namespace {

constexpr uint64_t kRows = 4096, kCols = 9216;
constexpr double kDensity = 0.09;
constexpr unsigned kClusters = 32;

const std::vector<float> &fc6Weights() {
  static const std::vector<float> w = makeLaplaceWeights(kRows * kCols, 1);
  return w;
}

const std::vector<float> &fc6Pruned() {
  static const std::vector<float> p = [] {
    Result<PruneResult> r = pruneByMagnitude(
        fc6Weights(), PruneOptions::bySparsity(1.0 - kDensity));
    if (!r)
      std::abort();
    return r->weights;
  }();
  return p;
}

const ClusteredMatrix &fc6Clustered() {
  static const ClusteredMatrix m = [] {
    ClusterOptions o;
    o.k = kClusters;
    Result<ClusteredMatrix> r = clusterWeights(fc6Pruned(), kRows, kCols, o);
    if (!r)
      std::abort();
    return *r;
  }();
  return m;
}

void BM_PruneFc6(benchmark::State &state) {
  const std::vector<float> &w = fc6Weights();
  PruneStats stats;
  for (auto _ : state) {
    Result<PruneResult> r =
        pruneByMagnitude(w, PruneOptions::bySparsity(1.0 - kDensity));
    if (!r) {
      state.SkipWithError(r.message().c_str());
      return;
    }
    stats = r->stats;
    benchmark::DoNotOptimize(r->weights.data());
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(w.size()));
  state.counters["density"] = stats.density;
  state.counters["nonzeros"] = double(stats.nonzeros);
}
BENCHMARK(BM_PruneFc6)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ClusterFc6(benchmark::State &state) {
  const std::vector<float> &pruned = fc6Pruned();
  ClusterOptions o;
  o.k = kClusters;
  o.init = ClusterInit(state.range(0));
  o.seed = 1;
  state.SetLabel(clusterInitName(o.init));
  ClusterStats stats;
  for (auto _ : state) {
    Result<ClusteredMatrix> r = clusterWeights(pruned, kRows, kCols, o, &stats);
    if (!r) {
      state.SkipWithError(r.message().c_str());
      return;
    }
    benchmark::DoNotOptimize(r->indices.data());
  }
  state.counters["SSE"] = stats.finalSSE;
  state.counters["initSSE"] = stats.initialSSE;
  state.counters["MSE_nz"] = stats.finalSSE / double(stats.nonzeros);
  state.counters["iters"] = stats.iterations;
  state.counters["converged"] = stats.converged;
  state.counters["clusters"] = stats.clusters;
  state.counters["distinct"] = double(stats.distinctValues);
  state.counters["r_share"] =
      weightSharingCompressionRate(stats.nonzeros, stats.clusters);
}
BENCHMARK(BM_ClusterFc6)
    ->Arg(int(ClusterInit::Linear))
    ->Arg(int(ClusterInit::Density))
    ->Arg(int(ClusterInit::Forgy))
    ->Arg(int(ClusterInit::Optimal))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_DenseEncodeFc6(benchmark::State &state) {
  const ClusteredMatrix &m = fc6Clustered();
  EncodingStats stats;
  for (auto _ : state) {
    Result<std::vector<uint8_t>> blob = encodeDenseMatrix(m, {}, &stats);
    if (!blob) {
      state.SkipWithError(blob.message().c_str());
      return;
    }
    benchmark::DoNotOptimize(blob->data());
  }
  double n = double(m.size());
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(m.size()));
  state.SetBytesProcessed(int64_t(state.iterations()) *
                          int64_t(stats.blobBytes));
  state.counters["blobBytes"] = double(stats.blobBytes);
  state.counters["bitsPerWeight"] = double(stats.totalBits()) / n;
  state.counters["floorBitsPerWeight"] = stats.entropyFloorBits / n;
  state.counters["ratio_fp32"] = 4.0 * n / double(stats.totalBits() / 8);
}
BENCHMARK(BM_DenseEncodeFc6)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DenseDecodeFc6(benchmark::State &state) {
  const ClusteredMatrix &m = fc6Clustered();
  Result<std::vector<uint8_t>> blob = encodeDenseMatrix(m);
  if (!blob) {
    state.SkipWithError(blob.message().c_str());
    return;
  }
  {
    Result<ClusteredMatrix> d = decodeDenseMatrix(blob->data(), blob->size());
    if (!d || d->indices != m.indices) {
      state.SkipWithError("dense: decode mismatch");
      return;
    }
  }
  for (auto _ : state) {
    Result<ClusteredMatrix> d = decodeDenseMatrix(blob->data(), blob->size());
    benchmark::DoNotOptimize(d->indices.data());
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(m.size()));
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(blob->size()));
}
BENCHMARK(BM_DenseDecodeFc6)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DenseDecodeRowFc6(benchmark::State &state) {
  const ClusteredMatrix &m = fc6Clustered();
  Result<std::vector<uint8_t>> blob = encodeDenseMatrix(m);
  if (!blob) {
    state.SkipWithError(blob.message().c_str());
    return;
  }
  uint64_t row = 0;
  for (auto _ : state) {
    Result<std::vector<uint16_t>> r =
        decodeDenseRows(blob->data(), blob->size(), row, 1);
    benchmark::DoNotOptimize(r->data());
    row = (row + 1237) % kRows;
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(kCols));
}
BENCHMARK(BM_DenseDecodeRowFc6)->Unit(benchmark::kMicrosecond);

} // namespace

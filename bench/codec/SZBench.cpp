//===- SZBench.cpp - SZ-style error-bounded encoding benchmarks -----------===//
//
// DeepSZ layer shapes with Laplace(0, 0.05) weights magnitude-pruned to the
// paper densities: LeNet-300-100 ip1 (300x784, 8 %) and AlexNet fc6
// (4096x9216, 9 %). Counters:
//   blob_B      SZ blob bytes (headers, chunk table, every section)
//   csr_B       CSR baseline: 4-byte value + 1-byte gap per nonzero
//   vs_csr      csr_B / blob_B
//   vs_fp32     dense fp32 bytes / blob_B (DESIGN.md compression ratio)
//   bits_nnz    blob bits per nonzero
//   floor_B     order-0 floor of bin symbols + gaps, in bytes
//   max_err     max |x - x'| measured by the encoder
//   escapes     unpredictable values stored raw
// Throughput: bytes_per_second counts the dense fp32 matrix, nnz/s the
// nonzeros.
//
// Run only these, briefly:
//   build/bench/cw-codec-bench --benchmark_filter='^SZ' \
//       --benchmark_min_time=0.05s
//
//===----------------------------------------------------------------------===//

#include "cw/Codec/SZ.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <map>

using namespace cw::codec;

namespace {

struct Layer {
  uint64_t rows, cols;
  std::vector<float> dense;
  uint64_t nnz = 0;
};

/// Laplace weights magnitude-pruned to `density` (ties at the threshold
/// pruned too), deterministic.
Layer makeLayer(uint64_t rows, uint64_t cols, double density, uint64_t seed) {
  Layer l{rows, cols, makeLaplaceWeights(rows * cols, seed), 0};
  std::vector<float> mags(l.dense.size());
  for (size_t i = 0; i < mags.size(); ++i)
    mags[i] = std::fabs(l.dense[i]);
  size_t keep = size_t(std::llround(density * double(mags.size())));
  std::nth_element(mags.begin(), mags.begin() + (mags.size() - keep),
                   mags.end());
  float threshold = mags[mags.size() - keep];
  for (float &v : l.dense) {
    if (std::fabs(v) < threshold)
      v = 0.0f;
    l.nnz += v != 0.0f;
  }
  return l;
}

const Layer &layer(int id) {
  static std::map<int, Layer> cache;
  auto it = cache.find(id);
  if (it != cache.end())
    return it->second;
  Layer l = id == 0 ? makeLayer(300, 784, 0.08, 1)    // LeNet-300-100 ip1
                    : makeLayer(4096, 9216, 0.09, 6); // AlexNet fc6
  return cache.emplace(id, std::move(l)).first->second;
}

/// Args: layer (0 LeNet ip1, 1 AlexNet fc6), eb exponent (-3 -> 1e-3),
/// predictor (0 prev, 1 lorenzo, 2 linear), entropy stage (1 Huffman,
/// 0 zstd only), rowsPerChunk (0 = whole layer), zstd level.
SZParams paramsFrom(const benchmark::State &state) {
  SZParams p;
  p.errorBound = std::pow(10.0, double(state.range(1)));
  p.predictor = SZPredictor(state.range(2));
  p.entropy = SZEntropyStage(state.range(3));
  p.rowsPerChunk = uint64_t(state.range(4));
  p.zstdLevel = int(state.range(5));
  return p;
}

void setLabel(benchmark::State &state, const SZParams &p) {
  state.SetLabel(
      std::string(state.range(0) ? "alexnet-fc6" : "lenet-ip1") + " eb=1e" +
      std::to_string(state.range(1)) + " " + predictorName(p.predictor) +
      (p.entropy == SZEntropyStage::Huffman ? " huff+zstd" : " zstd") +
      " rpc=" + (p.rowsPerChunk ? std::to_string(p.rowsPerChunk) : "all") +
      " lvl=" + std::to_string(p.zstdLevel));
}

void reportSizes(benchmark::State &state, const Layer &l,
                 const EncodingStats &st, const SZEncodeInfo &info) {
  double blob = double(st.blobBytes);
  double csr = 5.0 * double(l.nnz);
  double fp32 = 4.0 * double(l.rows * l.cols);
  state.counters["blob_B"] = blob;
  state.counters["csr_B"] = csr;
  state.counters["vs_csr"] = csr / blob;
  state.counters["vs_fp32"] = fp32 / blob;
  state.counters["bits_nnz"] = 8.0 * blob / double(l.nnz);
  state.counters["floor_B"] = st.entropyFloorBits / 8.0;
  state.counters["max_err"] = info.maxAbsError;
  state.counters["escapes"] = double(info.numEscapes);
}

void SZEncode(benchmark::State &state) {
  const Layer &l = layer(int(state.range(0)));
  SZParams p = paramsFrom(state);
  EncodingStats st;
  SZEncodeInfo info;
  for (auto _ : state) {
    Result<std::vector<uint8_t>> blob =
        encodeSZMatrix(l.dense, l.rows, l.cols, p, &st, &info);
    if (!blob) {
      state.SkipWithError(blob.message().c_str());
      return;
    }
    benchmark::DoNotOptimize(blob->data());
  }
  reportSizes(state, l, st, info);
  state.SetBytesProcessed(int64_t(state.iterations()) *
                          int64_t(l.rows * l.cols * 4));
  state.counters["nnz/s"] = benchmark::Counter(
      double(l.nnz) * double(state.iterations()), benchmark::Counter::kIsRate);
  setLabel(state, p);
}

void SZDecode(benchmark::State &state) {
  const Layer &l = layer(int(state.range(0)));
  SZParams p = paramsFrom(state);
  EncodingStats st;
  SZEncodeInfo info;
  Result<std::vector<uint8_t>> blob =
      encodeSZMatrix(l.dense, l.rows, l.cols, p, &st, &info);
  if (!blob) {
    state.SkipWithError(blob.message().c_str());
    return;
  }
  // Check the bound once, outside the timed loop.
  Result<std::vector<float>> check = decodeSZMatrix(blob->data(), blob->size());
  if (!check) {
    state.SkipWithError(check.message().c_str());
    return;
  }
  for (size_t i = 0; i < l.dense.size(); ++i)
    if (std::fabs(double(l.dense[i]) - double((*check)[i])) > p.errorBound) {
      state.SkipWithError("error bound violated");
      return;
    }
  // Decode into a resident buffer: the timing is decode work plus zeroing
  // the dense output, not page faults of a fresh 151 MB allocation.
  std::vector<float> out(l.dense.size());
  for (auto _ : state) {
    Status s =
        decodeSZMatrixInto(blob->data(), blob->size(), out.data(), out.size());
    if (!s) {
      state.SkipWithError(s.message().c_str());
      return;
    }
    benchmark::DoNotOptimize(out.data());
  }
  reportSizes(state, l, st, info);
  state.SetBytesProcessed(int64_t(state.iterations()) *
                          int64_t(l.rows * l.cols * 4));
  state.counters["nnz/s"] = benchmark::Counter(
      double(l.nnz) * double(state.iterations()), benchmark::Counter::kIsRate);
  setLabel(state, p);
}

// Headline: both layers, eb 1e-3 and 1e-2, defaults (lorenzo, Huffman+zstd,
// 256 rows per chunk, zstd level 3).
void headline(benchmark::internal::Benchmark *b) {
  for (int layerId : {0, 1})
    for (int e : {-3, -2})
      b->Args({layerId, e, 1, 1, 256, 3});
}

// Sweeps at eb = 1e-2 (sizes only matter; encode time is reported too).
void sweeps(benchmark::internal::Benchmark *b) {
  for (int layerId : {0, 1}) {
    for (int pred : {0, 2})
      b->Args({layerId, -2, pred, 1, 256, 3});
    b->Args({layerId, -2, 1, 0, 256, 3}); // zstd alone on the bins
    for (int rpc : {0, 16, 64, 1024})
      b->Args({layerId, -2, 1, 1, rpc, 3});
    b->Args({layerId, -2, 1, 1, 256, 19});
  }
}

void SZEncodeSweep(benchmark::State &state) { SZEncode(state); }

} // namespace

BENCHMARK(SZEncode)->Apply(headline)->Unit(benchmark::kMillisecond);
BENCHMARK(SZDecode)->Apply(headline)->Unit(benchmark::kMillisecond);
BENCHMARK(SZEncodeSweep)->Apply(sweeps)->Unit(benchmark::kMillisecond);

//===- KernelBench.cpp - cw's generated kernels against BLAS baselines ----===//
//
// For every layer of Layers.h, batch 1 and 64, and every thread count T
// (one thread unless CMake's CW_BENCH_THREADS lists more):
//
//   <layer>/b<B>/t<T>/openblas  cblas_sgemv (B = 1) / cblas_sgemm on the
//                               dense fp32 matrix (zeros included),
//                               openblas_set_num_threads(T);
//   <layer>/b<B>/t<T>/eigen     Eigen::SparseMatrix<float, RowMajor> (CSR)
//                               times the input (SpMV / SpMM) on the same
//                               pruned matrix, Eigen::setNbThreads(T)
//                               (OpenMP);
//   <layer>/b<B>/t<T>/cw_<enc>  the kernel cw-compile generated for the
//                               encoding (--kernel-threads=T), linked from
//                               its object.
//
// All of them multiply the matrix Layers.h builds by makeInput's activations
// (the kernels' blobs were encoded from that matrix by cw-bench-gen). Before
// timing, each benchmark runs once and compares its output with the expected
// one (the matrix's product computed in double for the baselines; for a cw
// kernel, the product of its blob's reference decode, which cw-bench-gen
// wrote); a mismatch beyond float rounding aborts the program.
//
//   build/bench/cw-kernel-bench --benchmark_filter='vgg_fc6/b1/t1/'
//
// Only the kernels listed in the generated kernels.def are linked (CMake's
// CW_BENCH_ENCODINGS / CW_BENCH_LAYERS / CW_BENCH_SKIP / CW_BENCH_THREADS
// select them).
//
//===----------------------------------------------------------------------===//

#include "Layers.h"

#include "benchmark/benchmark.h"
#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <cblas.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using namespace cwbench;

namespace {

using KernelFn = int (*)(const float *, float *);

struct Kernel {
  const char *layer;
  const char *encoding;
  unsigned threads;
  KernelFn b1, b64;
};

} // namespace

#define CW_THREADS(T)
#define CW_LAYER(L)
#define CW_KERNEL(L, E, T, NAME)                                               \
  extern "C" int cw_##NAME##_b1(const float *, float *);                       \
  extern "C" int cw_##NAME##_b64(const float *, float *);
#include "kernels.def"
#undef CW_KERNEL
#undef CW_LAYER
#undef CW_THREADS

namespace {

const Kernel kKernels[] = {
#define CW_THREADS(T)
#define CW_LAYER(L)
#define CW_KERNEL(L, E, T, NAME) {#L, #E, T, cw_##NAME##_b1, cw_##NAME##_b64},
#include "kernels.def"
#undef CW_KERNEL
#undef CW_LAYER
#undef CW_THREADS
    {nullptr, nullptr, 0, nullptr, nullptr}};

const char *const kLayerNames[] = {
#define CW_THREADS(T)
#define CW_LAYER(L) #L,
#define CW_KERNEL(L, E, T, NAME)
#include "kernels.def"
#undef CW_KERNEL
#undef CW_LAYER
#undef CW_THREADS
    nullptr};

const unsigned kThreadCounts[] = {
#define CW_THREADS(T) T,
#define CW_LAYER(L)
#define CW_KERNEL(L, E, T, NAME)
#include "kernels.def"
#undef CW_KERNEL
#undef CW_LAYER
#undef CW_THREADS
    0};

using SparseCSR = Eigen::SparseMatrix<float, Eigen::RowMajor, int>;

/// The matrix, input and expected output of one layer. One layer is kept at a
/// time (VGG-16 fc6's dense copy alone is 411 MB); benchmarks run in
/// registration order, layer by layer.
struct LayerData {
  const Layer *layer = nullptr;
  cw::codec::ClusteredMatrix m;
  std::vector<float> x;           // kMaxBatch x cols
  std::vector<float> yRef, bound; // kMaxBatch x rows
  std::vector<float> dense;       // rows x cols, built on first use
  std::unique_ptr<SparseCSR> csr; // built on first use

  const std::vector<float> &getDense() {
    if (dense.empty())
      dense = m.toDense();
    return dense;
  }
  const SparseCSR &getCSR() {
    if (!csr) {
      std::vector<Eigen::Triplet<float, int>> t;
      t.reserve(m.countNonzeros());
      for (uint64_t r = 0; r < m.rows; ++r)
        for (uint64_t c = 0; c < m.cols; ++c)
          if (uint16_t i = m.indices[r * m.cols + c])
            t.emplace_back(int(r), int(c), m.codebook[i - 1]);
      csr = std::make_unique<SparseCSR>(int(m.rows), int(m.cols));
      csr->setFromTriplets(t.begin(), t.end());
      csr->makeCompressed();
    }
    return *csr;
  }
};

LayerData &getLayerData(const Layer &l) {
  static std::unique_ptr<LayerData> cache;
  if (cache && cache->layer == &l)
    return *cache;
  cache.reset(); // free the previous layer first
  cache = std::make_unique<LayerData>();
  LayerData &d = *cache;
  d.layer = &l;
  d.m = makeLayerMatrix(l);
  d.x = makeInput(l.cols);
  std::vector<double> y(kMaxBatch * l.rows, 0.0), b(kMaxBatch * l.rows, 0.0);
  for (uint64_t r = 0; r < l.rows; ++r)
    for (uint64_t c = 0; c < l.cols; ++c)
      if (uint16_t i = d.m.indices[r * l.cols + c]) {
        double w = d.m.codebook[i - 1];
        for (uint64_t n = 0; n < kMaxBatch; ++n) {
          double p = w * double(d.x[n * l.cols + c]);
          y[n * l.rows + r] += p;
          b[n * l.rows + r] += std::fabs(p);
        }
      }
  d.yRef.assign(y.begin(), y.end());
  d.bound.assign(b.begin(), b.end());
  return d;
}

std::string dataDir() {
  if (const char *env = std::getenv("CW_BENCH_DATA_DIR"))
    return env;
  return CW_BENCH_DATA_DIR;
}

[[noreturn]] void die(const std::string &message) {
  std::fprintf(stderr, "cw-kernel-bench: error: %s\n", message.c_str());
  std::fflush(stderr);
  std::abort();
}

/// Float rounding of a sum of products stays far below this fraction of
/// sum |w x|; one wrong weight does not.
constexpr double kRelTolerance = 3e-5;

/// Aborts unless `y` matches `ref` within rounding; returns the largest
/// |y - ref| / sum |w x| (reported as a counter).
double check(const std::string &what, const float *y, const float *ref,
             const float *bound, size_t n) {
  double worst = 0;
  for (size_t i = 0; i < n; ++i) {
    double err = std::fabs(double(y[i]) - double(ref[i]));
    double tol = kRelTolerance * double(bound[i]) + 1e-6;
    if (!(err <= tol)) // NaN (an unwritten output) fails too
      die(what + ": output " + std::to_string(i) + " is " +
          std::to_string(y[i]) + ", expected " + std::to_string(ref[i]) +
          " (tolerance " + std::to_string(tol) + ")");
    worst = std::max(worst, err / (double(bound[i]) + 1e-30));
  }
  return worst;
}

std::vector<float> nanBuffer(size_t n) {
  return std::vector<float>(n, std::numeric_limits<float>::quiet_NaN());
}

template <typename Fn>
void runTimed(benchmark::State &state, const std::string &what, Fn &&run,
              std::vector<float> &y, const float *ref, const float *bound) {
  run();
  state.counters["check_err"] = check(what, y.data(), ref, bound, y.size());
  for (auto _ : state) {
    run();
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
}

void benchOpenBLAS(benchmark::State &state, std::string name, const Layer *l,
                   int batch, unsigned threads) {
  openblas_set_num_threads(int(threads));
  LayerData &d = getLayerData(*l);
  const float *w = d.getDense().data();
  const float *x = d.x.data();
  int rows = int(l->rows), cols = int(l->cols);
  std::vector<float> y = nanBuffer(size_t(batch) * rows);
  auto run = [&] {
    if (batch == 1)
      cblas_sgemv(CblasRowMajor, CblasNoTrans, rows, cols, 1.0f, w, cols, x, 1,
                  0.0f, y.data(), 1);
    else // Y[batch, rows] = X[batch, cols] * W^T
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, rows, cols,
                  1.0f, x, cols, w, cols, 0.0f, y.data(), rows);
  };
  runTimed(state, name, run, y, d.yRef.data(), d.bound.data());
}

void benchEigen(benchmark::State &state, std::string name, const Layer *l,
                int batch, unsigned threads) {
  Eigen::setNbThreads(int(threads));
  LayerData &d = getLayerData(*l);
  const SparseCSR &s = d.getCSR();
  Eigen::Index rows = Eigen::Index(l->rows), cols = Eigen::Index(l->cols);
  std::vector<float> y = nanBuffer(size_t(batch) * rows);
  Eigen::Map<const Eigen::VectorXf> xv(d.x.data(), cols);
  Eigen::Map<Eigen::VectorXf> yv(y.data(), rows);
  // Batch > 1: Y^T = W X^T with X^T copied to row-major first, so each
  // nonzero scales one contiguous row of X^T. On the column-major view of
  // the input (no copies) Eigen is 5-10x slower. The two transposes are
  // timed: the layout in and out is the same for every implementation.
  using RowMajorXf =
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const Eigen::MatrixXf> xcol(d.x.data(), cols, batch);
  Eigen::Map<RowMajorXf> yrow(y.data(), batch, rows);
  RowMajorXf xt(cols, batch), yt(rows, batch);
  auto run = [&] {
    if (batch == 1) {
      yv.noalias() = s * xv;
    } else {
      xt = xcol;
      yt.noalias() = s * xt;
      yrow = yt.transpose();
    }
  };
  runTimed(state, name, run, y, d.yRef.data(), d.bound.data());
}

void benchCW(benchmark::State &state, std::string name, const Layer *l,
             const Kernel *k, int batch) {
  LayerData &d = getLayerData(*l);
  // The expected output of this kernel's blob (lossy encodings differ from
  // the matrix by design).
  std::string path =
      dataDir() + "/" + k->layer + "_" + k->encoding + ".expect.bin";
  size_t n = kMaxBatch * l->rows;
  std::vector<float> expect(2 * n);
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f || std::fread(expect.data(), sizeof(float), expect.size(), f) !=
                expect.size())
    die("cannot read " + path);
  std::fclose(f);
  KernelFn fn = batch == 1 ? k->b1 : k->b64;
  std::vector<float> y = nanBuffer(size_t(batch) * l->rows);
  const float *x = d.x.data();
  auto run = [&] {
    if (fn(x, y.data()) != 0)
      die(name + ": the kernel returned an error");
  };
  runTimed(state, name, run, y, expect.data(), expect.data() + n);
}

} // namespace

int main(int argc, char **argv) {
  std::string threadList;
  for (const unsigned *t = kThreadCounts; *t; ++t)
    threadList += (threadList.empty() ? "" : ",") + std::to_string(*t);
  benchmark::AddCustomContext("threads", threadList);
  benchmark::AddCustomContext("openblas_config", openblas_get_config());
  benchmark::AddCustomContext("openblas_corename", openblas_get_corename());
  benchmark::AddCustomContext("eigen_version",
                              std::to_string(EIGEN_WORLD_VERSION) + "." +
                                  std::to_string(EIGEN_MAJOR_VERSION) + "." +
                                  std::to_string(EIGEN_MINOR_VERSION));
  benchmark::AddCustomContext("simd", Eigen::SimdInstructionSetsInUse());

  // Thread count outermost: OpenMP workers spinning after a multi-threaded
  // benchmark must not share the cores with single-threaded ones.
  for (const unsigned *t = kThreadCounts; *t; ++t) {
    unsigned threads = *t;
    for (const char *const *layerName = kLayerNames; *layerName; ++layerName) {
      const Layer *l = findLayer(*layerName);
      if (!l) {
        std::fprintf(stderr, "cw-kernel-bench: unknown layer %s\n", *layerName);
        return 1;
      }
      for (int batch : {1, int(kMaxBatch)}) {
        std::string prefix = std::string(l->name) + "/b" +
                             std::to_string(batch) + "/t" +
                             std::to_string(threads) + "/";
        std::string name = prefix + "openblas";
        benchmark::RegisterBenchmark(name.c_str(), benchOpenBLAS, name, l,
                                     batch, threads)
            ->Unit(benchmark::kMicrosecond);
#ifndef EIGEN_HAS_OPENMP
        if (threads == 1)
#endif
        {
          name = prefix + "eigen";
          benchmark::RegisterBenchmark(name.c_str(), benchEigen, name, l, batch,
                                       threads)
              ->Unit(benchmark::kMicrosecond);
        }
        for (const Kernel *k = kKernels; k->layer; ++k)
          if (k->threads == threads && std::strcmp(k->layer, l->name) == 0) {
            name = prefix + "cw_" + k->encoding;
            benchmark::RegisterBenchmark(name.c_str(), benchCW, name, l, k,
                                         batch)
                ->Unit(benchmark::kMicrosecond);
          }
      }
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

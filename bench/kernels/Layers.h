//===- Layers.h - Layer shapes and inputs of the kernel benchmark -*- C++
//-*-===//
//
// Shared by the generator (cw-bench-gen, which encodes the weights and writes
// the models cw-compile turns into kernels) and the benchmark
// (cw-kernel-bench, which rebuilds the same matrix for the OpenBLAS and Eigen
// baselines): both call makeLayerMatrix and makeInput, so every
// implementation multiplies the identical pruned, clustered matrix by the
// identical activations.
//
//===----------------------------------------------------------------------===//
#ifndef CW_BENCH_KERNELS_LAYERS_H
#define CW_BENCH_KERNELS_LAYERS_H

#include "cw/Codec/Matrix.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace cwbench {

/// A fully connected layer as the papers prune it: weight [rows = outputs,
/// cols = inputs], `density` the fraction of weights kept.
struct Layer {
  const char *name;
  uint64_t rows, cols;
  double density;
  uint64_t seed;
};

/// Deep Compression's LeNet-300-100 and AlexNet densities, DESIGN.md's VGG-16
/// fc6 density.
inline constexpr Layer kLayers[] = {
    {"lenet_ip1", 300, 784, 0.08, 101},
    {"lenet_ip2", 100, 300, 0.09, 102},
    {"lenet_ip3", 10, 100, 0.26, 103},
    {"alexnet_fc6", 4096, 9216, 0.09, 206},
    {"alexnet_fc7", 4096, 4096, 0.09, 207},
    {"alexnet_fc8", 1000, 4096, 0.25, 208},
    {"vgg_fc6", 4096, 25088, 0.04, 306},
};

/// Clusters per layer (5-bit indices, as Deep Compression uses for FC).
inline constexpr unsigned kClusters = 32;
/// Every input is the first `batch` rows of one kMaxBatch x cols input.
inline constexpr uint64_t kMaxBatch = 64;

inline const Layer *findLayer(std::string_view name) {
  for (const Layer &l : kLayers)
    if (name == l.name)
      return &l;
  return nullptr;
}

/// Laplace weights pruned to the layer's density, 32 linear clusters.
inline cw::codec::ClusteredMatrix makeLayerMatrix(const Layer &l) {
  return cw::codec::makeSyntheticClustered(l.rows, l.cols, l.density, kClusters,
                                           l.seed);
}

/// kMaxBatch x cols activations, uniform in [-1, 1), from a splitmix64
/// stream (independent of the standard library's distributions).
inline std::vector<float> makeInput(uint64_t cols) {
  std::vector<float> x(kMaxBatch * cols);
  uint64_t state = 0x9E3779B97F4A7C15ull * (cols + 1);
  for (float &v : x) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    v = float(double(z >> 40) * 0x1.0p-23 - 1.0);
  }
  return x;
}

} // namespace cwbench

#endif // CW_BENCH_KERNELS_LAYERS_H

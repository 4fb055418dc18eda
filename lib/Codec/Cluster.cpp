//===- Cluster.cpp - Weight sharing by 1-D k-means ------------------------===//

#include "cw/Codec/Cluster.h"

#include "cw/Codec/BitStream.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <utility>

namespace cw::codec {

namespace {

/// The distinct nonzero values, sorted, with multiplicities and prefix sums of
/// the counts, of (v - shift) and of (v - shift)^2 (shifted by the mean for
/// precision).
struct Points {
  std::vector<double> v;
  std::vector<uint64_t> cnt;
  std::vector<double> w, s1, s2; // size u + 1
  double shift = 0;
  uint64_t total = 0;

  size_t size() const { return v.size(); }

  void buildPrefix() {
    size_t u = v.size();
    double sum = 0;
    for (size_t p = 0; p < u; ++p)
      sum += double(cnt[p]) * v[p];
    shift = total ? sum / double(total) : 0.0;
    w.assign(u + 1, 0.0);
    s1.assign(u + 1, 0.0);
    s2.assign(u + 1, 0.0);
    for (size_t p = 0; p < u; ++p) {
      double c = double(cnt[p]), d = v[p] - shift;
      w[p + 1] = w[p] + c;
      s1[p + 1] = s1[p] + c * d;
      s2[p + 1] = s2[p] + c * d * d;
    }
  }

  double mean(size_t s, size_t e) const {
    return shift + (s1[e] - s1[s]) / (w[e] - w[s]);
  }
  /// SSE of the values [s, e] (inclusive) around their mean.
  double cost(size_t s, size_t e) const {
    double ww = w[e + 1] - w[s];
    double a = s1[e + 1] - s1[s];
    double c = (s2[e + 1] - s2[s]) - a * a / ww;
    return c > 0 ? c : 0.0;
  }
};

/// Contiguous clusters: cluster j holds the values [start[j], start[j + 1]).
using Starts = std::vector<size_t>;

void assignNearest(const Points &pts, const std::vector<double> &c,
                   Starts &start) {
  size_t k = c.size();
  start.assign(k + 1, 0);
  start[k] = pts.size();
  for (size_t j = 1; j < k; ++j) {
    double mid = 0.5 * (c[j - 1] + c[j]);
    start[j] = size_t(std::upper_bound(pts.v.begin(), pts.v.end(), mid) -
                      pts.v.begin());
  }
}

double sseOf(const Points &pts, const std::vector<double> &c,
             const Starts &start) {
  double sse = 0;
  for (size_t j = 0; j < c.size(); ++j)
    for (size_t p = start[j]; p < start[j + 1]; ++p) {
      double d = pts.v[p] - c[j];
      sse += double(pts.cnt[p]) * d * d;
    }
  return sse;
}

/// Re-seeds empty clusters (see Cluster.h). Returns the number of re-seeds.
unsigned fixEmpty(const Points &pts, std::vector<double> &c, Starts &start) {
  unsigned reseeds = 0;
  size_t k = c.size();
  for (size_t attempt = 0; attempt < 2 * k; ++attempt) {
    size_t empty = k;
    for (size_t j = 0; j < k; ++j)
      if (start[j] == start[j + 1]) {
        empty = j;
        break;
      }
    if (empty == k)
      break;
    double best = 0;
    size_t bestP = pts.size();
    for (size_t j = 0; j < k; ++j)
      for (size_t p = start[j]; p < start[j + 1]; ++p) {
        double d = pts.v[p] - c[j];
        double e = double(pts.cnt[p]) * d * d;
        if (e > best) {
          best = e;
          bestP = p;
        }
      }
    if (bestP == pts.size())
      break;
    c.erase(c.begin() + empty);
    c.insert(std::upper_bound(c.begin(), c.end(), pts.v[bestP]), pts.v[bestP]);
    assignNearest(pts, c, start);
    ++reseeds;
  }
  return reseeds;
}

void initLinear(const Points &pts, unsigned k, std::vector<double> &c) {
  double lo = pts.v.front(), hi = pts.v.back();
  c.resize(k);
  if (k == 1) {
    c[0] = 0.5 * (lo + hi);
    return;
  }
  for (unsigned j = 0; j < k; ++j)
    c[j] = lo + (hi - lo) * double(j) / double(k - 1);
  c.back() = hi;
}

void initDensity(const Points &pts, unsigned k, std::vector<double> &c) {
  c.resize(k);
  for (unsigned j = 0; j < k; ++j) {
    // Rank floor((j + 1/2) * n / k), computed exactly in integers.
    uint64_t rank = (uint64_t(2 * j + 1) * pts.total) / (2 * uint64_t(k));
    // The distinct value p with w[p] <= rank < w[p + 1].
    size_t p =
        size_t(std::upper_bound(pts.w.begin(), pts.w.end(), double(rank)) -
               pts.w.begin()) -
        1;
    c[j] = pts.v[std::min(p, pts.size() - 1)];
  }
}

void initForgy(const Points &pts, unsigned k, uint64_t seed,
               std::vector<double> &c) {
  // Efraimidis-Spirakis: key = log(U) / weight, keep the k largest keys.
  std::mt19937_64 rng(seed);
  std::vector<std::pair<double, size_t>> keys(pts.size());
  for (size_t p = 0; p < pts.size(); ++p) {
    double u = (double(rng() >> 11) + 0.5) * 0x1.0p-53;
    keys[p] = {std::log(u) / double(pts.cnt[p]), p};
  }
  auto better = [](const std::pair<double, size_t> &a,
                   const std::pair<double, size_t> &b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  std::nth_element(keys.begin(), keys.begin() + (k - 1), keys.end(), better);
  c.resize(k);
  for (unsigned j = 0; j < k; ++j)
    c[j] = pts.v[keys[j].second];
  std::sort(c.begin(), c.end());
}

/// Exact optimal clustering of the u distinct values into k < u contiguous
/// clusters (k >= 2): D[m][i] = min_j D[m-1][j-1] + cost(j, i), the argmin
/// j (start of the last cluster) monotone in i, computed by divide and
/// conquer and stored per layer in unary for backtracking.
void optimalDP(const Points &pts, unsigned k, Starts &start) {
  const size_t u = pts.size();
  std::vector<double> prev(u), cur(u);
  std::vector<uint32_t> opt(u);
  for (size_t i = 0; i < u; ++i)
    prev[i] = pts.cost(0, i);
  // layers[m] (1 <= m <= k - 2): opt[i] for i in [m, u) in unary: each i
  // writes (opt[i] - opt[i - 1]) one bits then a zero bit (opt[m - 1] := m).
  std::vector<std::vector<uint8_t>> layers(k);

  struct Frame {
    size_t iLo, iHi, jLo, jHi;
  };
  std::vector<Frame> stack;
  for (unsigned m = 1; m + 1 < k; ++m) {
    stack.clear();
    stack.push_back({m, u - 1, m, u - 1});
    while (!stack.empty()) {
      Frame f = stack.back();
      stack.pop_back();
      size_t mid = f.iLo + (f.iHi - f.iLo) / 2;
      size_t jEnd = std::min(f.jHi, mid);
      double best = INFINITY;
      size_t bestJ = f.jLo;
      for (size_t j = f.jLo; j <= jEnd; ++j) {
        double val = prev[j - 1] + pts.cost(j, mid);
        if (val < best) {
          best = val;
          bestJ = j;
        }
      }
      cur[mid] = best;
      opt[mid] = uint32_t(bestJ);
      if (mid > f.iLo)
        stack.push_back({f.iLo, mid - 1, f.jLo, bestJ});
      if (mid < f.iHi)
        stack.push_back({mid + 1, f.iHi, bestJ, f.jHi});
    }
    BitWriter bw;
    size_t last = m;
    for (size_t i = m; i < u; ++i) {
      size_t delta = opt[i] - last;
      last = opt[i];
      while (delta >= 64) {
        bw.write(~uint64_t(0), 64);
        delta -= 64;
      }
      bw.write((uint64_t(1) << delta) - 1, unsigned(delta) + 1);
    }
    layers[m] = bw.take();
    std::swap(prev, cur);
  }

  // Last layer: only the whole range [0, u - 1] matters.
  start.assign(k + 1, 0);
  start[k] = u;
  {
    double best = INFINITY;
    size_t bestJ = k - 1;
    for (size_t j = k - 1; j < u; ++j) {
      double val = prev[j - 1] + pts.cost(j, u - 1);
      if (val < best) {
        best = val;
        bestJ = j;
      }
    }
    start[k - 1] = bestJ;
  }
  // Backtrack: the last index of cluster m is start[m + 1] - 1.
  for (unsigned m = k - 2; m >= 1; --m) {
    size_t target = start[m + 1] - 1; // i, >= m
    size_t zerosNeeded = target - m + 1;
    const std::vector<uint8_t> &bytes = layers[m];
    BitReader br(bytes.data(), bytes.size());
    size_t ones = 0, zeros = 0;
    while (true) {
      uint64_t word = br.read(64);
      unsigned z = unsigned(64 - __builtin_popcountll(word));
      if (zeros + z < zerosNeeded && br.remaining() > 0) {
        zeros += z;
        ones += size_t(__builtin_popcountll(word));
        continue;
      }
      // The wanted zero bit is in this word (or the stream ended).
      for (unsigned b = 0; b < 64; ++b) {
        if ((word >> b) & 1) {
          ++ones;
        } else if (++zeros == zerosNeeded) {
          break;
        }
      }
      break;
    }
    start[m] = m + ones;
  }
}

Status checkInput(const std::vector<float> &pruned, uint64_t rows,
                  uint64_t cols, const ClusterOptions &options) {
  if (options.k < 1 || options.k > 256)
    return Status::error("cluster: k = " + std::to_string(options.k) +
                         " is outside [1, 256]");
  if (rows != 0 && cols > UINT64_MAX / rows)
    return Status::error("cluster: rows * cols overflows");
  if (uint64_t(pruned.size()) != rows * cols)
    return Status::error("cluster: " + std::to_string(pruned.size()) +
                         " weights for a " + std::to_string(rows) + "x" +
                         std::to_string(cols) + " matrix");
  for (size_t i = 0; i < pruned.size(); ++i)
    if (!std::isfinite(pruned[i]))
      return Status::error("cluster: weight " + std::to_string(i) +
                           " is NaN or Inf");
  return Status::ok();
}

} // namespace

Result<ClusterInit> parseClusterInit(std::string_view name) {
  if (name == "linear")
    return ClusterInit::Linear;
  if (name == "density")
    return ClusterInit::Density;
  if (name == "forgy")
    return ClusterInit::Forgy;
  if (name == "optimal")
    return ClusterInit::Optimal;
  return Status::error("cluster: unknown initialisation '" + std::string(name) +
                       "' (expected linear, density, forgy or optimal)");
}

const char *clusterInitName(ClusterInit init) {
  switch (init) {
  case ClusterInit::Linear:
    return "linear";
  case ClusterInit::Density:
    return "density";
  case ClusterInit::Forgy:
    return "forgy";
  case ClusterInit::Optimal:
    return "optimal";
  }
  return "unknown";
}

Result<ClusteredMatrix> clusterWeights(const std::vector<float> &pruned,
                                       uint64_t rows, uint64_t cols,
                                       const ClusterOptions &options,
                                       ClusterStats *statsOut) {
  if (Status st = checkInput(pruned, rows, cols, options); !st)
    return st;
  ClusterStats stats;
  ClusteredMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.indices.assign(pruned.size(), 0);

  // Distinct nonzero values with multiplicities.
  Points pts;
  {
    std::vector<float> nz;
    for (float x : pruned)
      if (x != 0.0f)
        nz.push_back(x);
    std::sort(nz.begin(), nz.end());
    pts.total = nz.size();
    for (size_t i = 0; i < nz.size();) {
      size_t e = i;
      while (e < nz.size() && nz[e] == nz[i])
        ++e;
      pts.v.push_back(double(nz[i]));
      pts.cnt.push_back(e - i);
      i = e;
    }
  }
  stats.nonzeros = pts.total;
  stats.distinctValues = pts.size();
  if (pts.total == 0) {
    stats.converged = true;
    if (statsOut)
      *statsOut = stats;
    return m;
  }
  pts.buildPrefix();

  std::vector<double> c;
  Starts start;
  const unsigned k = options.k;
  if (pts.size() <= k) {
    // Every distinct value is its own centroid.
    c = pts.v;
    assignNearest(pts, c, start);
    stats.converged = true;
  } else if (options.init == ClusterInit::Optimal) {
    if (k == 1) {
      start = {0, pts.size()};
    } else {
      optimalDP(pts, k, start);
    }
    c.resize(k);
    for (unsigned j = 0; j < k; ++j)
      c[j] = pts.mean(start[j], start[j + 1]);
    assignNearest(pts, c, start);
    stats.initialSSE = sseOf(pts, c, start);
    stats.converged = true;
  } else {
    switch (options.init) {
    case ClusterInit::Linear:
      initLinear(pts, k, c);
      break;
    case ClusterInit::Density:
      initDensity(pts, k, c);
      break;
    case ClusterInit::Forgy:
    case ClusterInit::Optimal:
      initForgy(pts, k, options.seed, c);
      break;
    }
    assignNearest(pts, c, start);
    stats.initialSSE = sseOf(pts, c, start);
    stats.reseeds += fixEmpty(pts, c, start);
    Starts next;
    while (stats.iterations < options.maxIterations) {
      for (unsigned j = 0; j < k; ++j)
        if (start[j] < start[j + 1])
          c[j] = pts.mean(start[j], start[j + 1]);
      ++stats.iterations;
      assignNearest(pts, c, next);
      stats.reseeds += fixEmpty(pts, c, next);
      bool same = next == start;
      start.swap(next);
      if (same) {
        stats.converged = true;
        break;
      }
    }
  }

  // Final float codebook: drop empty clusters and float duplicates.
  std::vector<float> book;
  for (size_t j = 0; j < c.size(); ++j) {
    if (start[j] == start[j + 1])
      continue;
    float f = float(c[j]);
    if (book.empty() || f > book.back())
      book.push_back(f);
  }
  // Nearest float centroid (ties to the lower) for every nonzero.
  std::vector<double> mids;
  for (size_t j = 1; j < book.size(); ++j)
    mids.push_back(0.5 * (double(book[j - 1]) + double(book[j])));
  std::vector<uint64_t> members(book.size(), 0);
  for (size_t i = 0; i < pruned.size(); ++i) {
    if (pruned[i] == 0.0f)
      continue;
    size_t j =
        size_t(std::lower_bound(mids.begin(), mids.end(), double(pruned[i])) -
               mids.begin());
    m.indices[i] = uint16_t(j + 1);
    ++members[j];
  }
  std::vector<uint16_t> remap(book.size() + 1, 0);
  for (size_t j = 0; j < book.size(); ++j)
    if (members[j]) {
      m.codebook.push_back(book[j]);
      remap[j + 1] = uint16_t(m.codebook.size());
    }
  if (m.codebook.size() != book.size())
    for (uint16_t &idx : m.indices)
      idx = remap[idx];

  double sse = 0;
  for (size_t p = 0; p < pts.size(); ++p) {
    // The same rule as above on the distinct values.
    size_t j = size_t(std::lower_bound(mids.begin(), mids.end(), pts.v[p]) -
                      mids.begin());
    double d = pts.v[p] - double(book[j]);
    sse += double(pts.cnt[p]) * d * d;
  }
  stats.finalSSE = sse;
  stats.clusters = unsigned(m.codebook.size());
  if (statsOut)
    *statsOut = stats;
  return m;
}

double weightSharingCompressionRate(uint64_t n, unsigned k,
                                    unsigned bitsPerWeight) {
  if (n == 0 || k == 0)
    return 0.0;
  double nb = double(n) * double(bitsPerWeight);
  return nb /
         (double(n) * std::log2(double(k)) + double(k) * double(bitsPerWeight));
}

double clusteringSSE(const std::vector<float> &weights,
                     const ClusteredMatrix &m) {
  double sse = 0;
  size_t n = std::min<size_t>(weights.size(), m.indices.size());
  for (size_t i = 0; i < n; ++i) {
    uint16_t idx = m.indices[i];
    double rec =
        idx && idx <= m.codebook.size() ? double(m.codebook[idx - 1]) : 0.0;
    double d = double(weights[i]) - rec;
    sse += d * d;
  }
  return sse;
}

} // namespace cw::codec

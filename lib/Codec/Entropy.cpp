//===- Entropy.cpp - Empirical entropy of symbol streams ------------------===//

#include "cw/Codec/Entropy.h"

#include <cmath>
#include <unordered_map>

namespace cw::codec {

double entropyFloorBitsFromCounts(const std::vector<uint64_t> &counts) {
  uint64_t total = 0;
  for (uint64_t c : counts)
    total += c;
  if (total == 0)
    return 0.0;
  double bits = 0.0;
  for (uint64_t c : counts)
    if (c)
      bits -= double(c) * std::log2(double(c) / double(total));
  return bits;
}

double entropyFloorBits(const std::vector<uint32_t> &symbols) {
  std::unordered_map<uint32_t, uint64_t> histogram;
  for (uint32_t s : symbols)
    ++histogram[s];
  std::vector<uint64_t> counts;
  counts.reserve(histogram.size());
  for (auto &kv : histogram)
    counts.push_back(kv.second);
  return entropyFloorBitsFromCounts(counts);
}

double entropyBitsPerSymbol(const std::vector<uint32_t> &symbols) {
  return symbols.empty() ? 0.0 : entropyFloorBits(symbols) / symbols.size();
}

} // namespace cw::codec

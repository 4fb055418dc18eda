//===- ProbeUtil.h - Shared pieces of the feasibility probes ----*- C++ -*-===//
//
// Header-only, so each probe still builds with one clang++ line.
//
//===----------------------------------------------------------------------===//
#ifndef CW_BENCH_PROBES_PROBEUTIL_H
#define CW_BENCH_PROBES_PROBEUTIL_H

#include "cw/Codec/Huffman.h"

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <vector>

namespace cw::probe {

/// CPU time of the calling thread, in ns.
inline double threadNs() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

/// The best CPU time of `runs` calls of `fn`, in ns.
template <typename Fn> double bestOf(int runs, Fn &&fn) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) {
    double t0 = threadNs();
    fn();
    best = std::min(best, threadNs() - t0);
  }
  return best;
}

/// The longest code length among `lengths`.
inline unsigned longestCode(const std::vector<uint8_t> &lengths) {
  unsigned longest = 0;
  for (uint8_t l : lengths)
    longest = std::max<unsigned>(longest, l);
  return longest;
}

/// The flat 2^bits decode table cw embeds for the canonical code with
/// `lengths` (LSB-first codes): entry = (symbol + symbolBias) | length << 16.
/// Empty when the lengths are not a valid code.
inline std::vector<uint32_t> flatTable(const std::vector<uint8_t> &lengths,
                                       unsigned bits, unsigned symbolBias = 0) {
  codec::Result<codec::HuffmanCode> code =
      codec::makeCanonicalHuffmanCode(lengths);
  if (!code)
    return {};
  std::vector<uint32_t> table(size_t(1) << bits, 0);
  for (uint32_t s = 0; s < lengths.size(); ++s) {
    unsigned l = lengths[s];
    if (l == 0)
      continue;
    for (uint32_t fill = 0; fill < (1u << (bits - l)); ++fill)
      table[code->codes[s] | (fill << l)] = (s + symbolBias) | (l << 16);
  }
  return table;
}

} // namespace cw::probe

#endif // CW_BENCH_PROBES_PROBEUTIL_H

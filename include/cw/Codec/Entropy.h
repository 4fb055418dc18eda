//===- Entropy.h - Empirical entropy of symbol streams ----------*- C++ -*-===//
#ifndef CW_CODEC_ENTROPY_H
#define CW_CODEC_ENTROPY_H

#include <cstdint>
#include <vector>

namespace cw::codec {

/// Empirical order-0 entropy H0 in bits per symbol of `symbols`.
double entropyBitsPerSymbol(const std::vector<uint32_t> &symbols);
/// n * H0: the order-0 floor in bits for coding `symbols` (tables excluded).
double entropyFloorBits(const std::vector<uint32_t> &symbols);
/// The same from a histogram of symbol counts.
double entropyFloorBitsFromCounts(const std::vector<uint64_t> &counts);

} // namespace cw::codec

#endif // CW_CODEC_ENTROPY_H

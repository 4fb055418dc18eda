//===- ArithmeticCoder.h - Adaptive order-0 range coder ---------*- C++ -*-===//
//
// The arithmetic (range) coder Weightless uses to store and transmit a
// Bloomier table. It is a storage format only: generated code never reads it
// (the compiled binary keeps the raw, randomly accessible table), so it favours
// simplicity and bit-exactness over speed.
//
// Model: adaptive order-0 over `bitsPerSymbol`-bit symbols (1..16), factored
// as a binary tree (LZMA's "bit tree"): a symbol is coded MSB first, one binary
// decision per bit, the decision for bit i using the adaptive probability of
// the node reached by the bits above it. Node 1 is the root; after coding bit
// b the node becomes 2 * node + b. There are 2^bitsPerSymbol - 1 nodes, each
// a 15-bit probability p of a zero bit, initialised to 16384 (one half), and a
// count n of the decisions it has coded (saturating at 255). After each
// decision, with shift = min(7, 1 + n / 2) (fast warm-up, then a window of
// ~128 decisions): p += (32768 - p) >> shift on a zero, p -= p >> shift on a
// one, then p is clamped to [64, 32704] and n incremented. Because the tree
// conditions every bit on all bits above it, the model adapts to the full
// order-0 distribution of the symbols.
//
// Coder: the LZMA range coder (32-bit range, 33-bit low with carry
// propagation through a cache byte, renormalised bytewise when the range falls
// below 2^24). bound = (range >> 15) * p; a zero keeps [low, low + bound), a
// one keeps [low + bound, low + range). The encoder ends with five shifts of
// low. The stream therefore starts with a zero byte and holds at least five
// bytes (an empty symbol sequence codes to exactly five zero bytes).
//
// The decoder reads the five-byte prologue, decodes exactly `count` symbols
// and then requires that it consumed every byte and that its code register is
// zero (the encoder flushed low exactly): anything else is reported as
// corruption. Reads past the end never touch memory outside the buffer.
// `count` is checked against what `size` bytes can possibly hold (every
// binary decision costs at least 0.0028 bits), so a corrupted count cannot
// trigger an allocation out of proportion to the input.
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_ARITHMETICCODER_H
#define CW_CODEC_ARITHMETICCODER_H

#include "cw/Codec/Status.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cw::codec {

/// Range-codes `count` symbols of `bitsPerSymbol` bits (1..16) each. Fails
/// when bitsPerSymbol is out of range or a symbol does not fit in it.
Result<std::vector<uint8_t>> rangeEncodeSymbols(const uint16_t *symbols,
                                                size_t count,
                                                unsigned bitsPerSymbol);
inline Result<std::vector<uint8_t>>
rangeEncodeSymbols(const std::vector<uint16_t> &symbols,
                   unsigned bitsPerSymbol) {
  return rangeEncodeSymbols(symbols.data(), symbols.size(), bitsPerSymbol);
}

/// Decodes exactly `count` symbols written by rangeEncodeSymbols with the same
/// `bitsPerSymbol`. Rejects streams that are too short, too long, or whose
/// final state shows they were not produced by the encoder.
Result<std::vector<uint16_t>> rangeDecodeSymbols(const uint8_t *data,
                                                 size_t size, uint64_t count,
                                                 unsigned bitsPerSymbol);

/// The largest symbol count `size` coded bytes could hold (see above).
uint64_t rangeCoderMaxSymbols(size_t size, unsigned bitsPerSymbol);

} // namespace cw::codec

#endif // CW_CODEC_ARITHMETICCODER_H

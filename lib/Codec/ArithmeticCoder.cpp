//===- ArithmeticCoder.cpp - Adaptive order-0 range coder -----------------===//

#include "cw/Codec/ArithmeticCoder.h"

#include <string>

namespace cw::codec {

namespace {

constexpr unsigned kProbBits = 15;
constexpr uint32_t kProbOne = 1u << kProbBits; // 32768
constexpr uint32_t kProbMin = 64;
constexpr uint32_t kProbMax = kProbOne - kProbMin;
constexpr unsigned kMaxShift = 7;
constexpr uint32_t kTop = 1u << 24;

/// One node of the bit tree: the probability of a zero and how many bits it
/// has seen (saturating; sets the adaptation rate).
struct BitModel {
  uint16_t prob = kProbOne / 2;
  uint8_t seen = 0;

  void update(unsigned bit) {
    unsigned shift = 1 + seen / 2;
    if (shift > kMaxShift)
      shift = kMaxShift;
    if (seen < 255)
      ++seen;
    uint32_t p = prob;
    if (bit == 0)
      p += (kProbOne - p) >> shift;
    else
      p -= p >> shift;
    prob = uint16_t(p < kProbMin ? kProbMin : p > kProbMax ? kProbMax : p);
  }
};

class RangeEncoder {
public:
  void encodeBit(BitModel &model, unsigned bit) {
    uint32_t bound = (range >> kProbBits) * model.prob;
    if (bit == 0) {
      range = bound;
    } else {
      low += bound;
      range -= bound;
    }
    model.update(bit);
    while (range < kTop) {
      range <<= 8;
      shiftLow();
    }
  }

  std::vector<uint8_t> finish() {
    for (int i = 0; i < 5; ++i)
      shiftLow();
    return std::move(out);
  }

private:
  void shiftLow() {
    if (uint32_t(low) < 0xFF000000u || (low >> 32) != 0) {
      uint8_t carry = uint8_t(low >> 32);
      uint8_t temp = cache;
      do {
        out.push_back(uint8_t(temp + carry));
        temp = 0xFF;
      } while (--cacheSize != 0);
      cache = uint8_t(low >> 24);
    }
    ++cacheSize;
    low = (low & 0x00FFFFFFu) << 8;
  }

  uint64_t low = 0;
  uint32_t range = 0xFFFFFFFFu;
  uint8_t cache = 0;
  uint64_t cacheSize = 1;
  std::vector<uint8_t> out;
};

class RangeDecoder {
public:
  RangeDecoder(const uint8_t *data, size_t size) : data(data), size(size) {
    for (int i = 0; i < 5; ++i)
      code = (code << 8) | nextByte();
  }

  unsigned decodeBit(BitModel &model) {
    uint32_t bound = (range >> kProbBits) * model.prob;
    unsigned bit;
    if (code < bound) {
      range = bound;
      bit = 0;
    } else {
      code -= bound;
      range -= bound;
      bit = 1;
    }
    model.update(bit);
    while (range < kTop) {
      range <<= 8;
      code = (code << 8) | nextByte();
    }
    return bit;
  }

  bool overrun() const { return overran; }
  size_t consumed() const { return pos; }
  uint32_t codeValue() const { return code; }
  bool firstByteZero() const { return size > 0 && data[0] == 0; }

private:
  uint8_t nextByte() {
    if (pos >= size) {
      overran = true;
      return 0;
    }
    return data[pos++];
  }

  const uint8_t *data;
  size_t size;
  size_t pos = 0;
  uint32_t code = 0;
  uint32_t range = 0xFFFFFFFFu;
  bool overran = false;
};

} // namespace

uint64_t rangeCoderMaxSymbols(size_t size, unsigned bitsPerSymbol) {
  if (bitsPerSymbol == 0)
    return 0;
  // A binary decision keeps at most 32704/32768 of the range (plus rounding),
  // i.e. costs at least 0.0028 bits (355 decisions per bit); 512 decisions
  // per coded bit is a safe over-estimate of what `size` bytes can carry.
  uint64_t bits = uint64_t(size) * 8 + 64;
  if (bits > (UINT64_MAX >> 10))
    return UINT64_MAX;
  return bits * 512 / bitsPerSymbol;
}

Result<std::vector<uint8_t>> rangeEncodeSymbols(const uint16_t *symbols,
                                                size_t count,
                                                unsigned bitsPerSymbol) {
  if (bitsPerSymbol < 1 || bitsPerSymbol > 16)
    return Status::error("arith: bits per symbol must be 1..16, got " +
                         std::to_string(bitsPerSymbol));
  std::vector<BitModel> probs(size_t(1) << bitsPerSymbol);
  RangeEncoder enc;
  for (size_t i = 0; i < count; ++i) {
    uint32_t s = symbols[i];
    if (s >> bitsPerSymbol)
      return Status::error("arith: symbol " + std::to_string(s) +
                           " does not fit in " + std::to_string(bitsPerSymbol) +
                           " bits");
    uint32_t node = 1;
    for (unsigned b = bitsPerSymbol; b-- > 0;) {
      unsigned bit = (s >> b) & 1;
      enc.encodeBit(probs[node], bit);
      node = (node << 1) | bit;
    }
  }
  return enc.finish();
}

Result<std::vector<uint16_t>> rangeDecodeSymbols(const uint8_t *data,
                                                 size_t size, uint64_t count,
                                                 unsigned bitsPerSymbol) {
  if (bitsPerSymbol < 1 || bitsPerSymbol > 16)
    return Status::error("arith: bits per symbol must be 1..16, got " +
                         std::to_string(bitsPerSymbol));
  if (size < 5)
    return Status::error("arith: truncated stream: need at least 5 bytes, "
                         "have " +
                         std::to_string(size));
  if (data[0] != 0)
    return Status::error("arith: corrupted stream: first byte is not zero");
  if (count > rangeCoderMaxSymbols(size, bitsPerSymbol))
    return Status::error("arith: " + std::to_string(count) +
                         " symbols cannot come from " + std::to_string(size) +
                         " coded bytes");
  std::vector<BitModel> probs(size_t(1) << bitsPerSymbol);
  std::vector<uint16_t> out(count);
  RangeDecoder dec(data, size);
  for (uint64_t i = 0; i < count; ++i) {
    uint32_t node = 1;
    for (unsigned b = 0; b < bitsPerSymbol; ++b)
      node = (node << 1) | dec.decodeBit(probs[node]);
    out[i] = uint16_t(node - (1u << bitsPerSymbol));
    if (dec.overrun())
      return Status::error("arith: truncated stream: ran past " +
                           std::to_string(size) + " bytes after " +
                           std::to_string(i) + " of " + std::to_string(count) +
                           " symbols");
  }
  if (dec.consumed() != size)
    return Status::error("arith: length mismatch: decoding used " +
                         std::to_string(dec.consumed()) + " of " +
                         std::to_string(size) + " bytes");
  if (dec.codeValue() != 0)
    return Status::error("arith: corrupted stream: final code is not zero");
  return out;
}

} // namespace cw::codec

//===- BitStream.h - Bit-level writer and reader ----------------*- C++ -*-===//
//
// Bit order (shared by every cw code): bits are packed LSB-first. The first
// bit written is bit 0 of byte 0; a value of n bits written with write(v, n)
// occupies the next n bit positions with its least significant bit first.
// Reading back with read(n) returns the same value. A stream of B bits
// occupies ceil(B / 8) bytes; unused high bits of the last byte are zero.
//
// LSB-first lets a decoder peek 57 bits with one unaligned 64-bit load and a
// shift, which the table-driven Huffman decoder and generated code rely on.
//
//===----------------------------------------------------------------------===//
#ifndef CW_CODEC_BITSTREAM_H
#define CW_CODEC_BITSTREAM_H

#include "cw/Codec/Status.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cw::codec {

class BitWriter {
public:
  /// Appends the low `numBits` bits of `value` (numBits <= 64).
  void write(uint64_t value, unsigned numBits);
  void writeBit(bool bit) { write(bit ? 1 : 0, 1); }
  /// Pads with zero bits to the next byte boundary.
  void alignToByte();
  uint64_t bitSize() const { return numBits; }
  const std::vector<uint8_t> &bytes() const { return buffer; }
  std::vector<uint8_t> take() { return std::move(buffer); }

private:
  std::vector<uint8_t> buffer;
  uint64_t numBits = 0;
};

/// Reads a bit stream written by BitWriter. Reading past the end never touches
/// memory outside the buffer: it sets the overrun flag and yields zero bits.
/// Decoders check overrun() (or use the checked read) and report truncation.
class BitReader {
public:
  BitReader(const uint8_t *data, size_t sizeInBytes)
      : data(data), sizeBits(uint64_t(sizeInBytes) * 8) {}
  /// Restricts the stream to its first `bits` bits (<= the byte size * 8).
  BitReader(const uint8_t *data, size_t sizeInBytes, uint64_t bits)
      : data(data), sizeBits(bits <= uint64_t(sizeInBytes) * 8
                                 ? bits
                                 : uint64_t(sizeInBytes) * 8) {}

  /// Reads `numBits` (<= 64) bits; past the end sets overrun and reads zeros.
  uint64_t read(unsigned numBits);
  bool readBit() { return read(1) != 0; }
  /// Returns the next `numBits` (<= 57) bits without consuming them; bits
  /// past the end read as zero (without setting overrun).
  uint64_t peek(unsigned numBits) const;
  /// Consumes `numBits`; past the end sets overrun.
  void skip(unsigned numBits);
  void alignToByte();
  void seek(uint64_t bitPos) { pos = bitPos; }

  uint64_t position() const { return pos; }
  uint64_t sizeInBits() const { return sizeBits; }
  uint64_t remaining() const { return pos >= sizeBits ? 0 : sizeBits - pos; }
  bool overrun() const { return overran; }

private:
  const uint8_t *data;
  uint64_t sizeBits;
  uint64_t pos = 0;
  bool overran = false;
};

/// Little-endian fixed-width helpers for byte-aligned headers. The reader
/// variants return false (and leave `value` untouched) when out of bounds.
void appendU8(std::vector<uint8_t> &out, uint8_t v);
void appendU16(std::vector<uint8_t> &out, uint16_t v);
void appendU32(std::vector<uint8_t> &out, uint32_t v);
void appendU64(std::vector<uint8_t> &out, uint64_t v);
void appendF32(std::vector<uint8_t> &out, float v);
void appendF64(std::vector<uint8_t> &out, double v);

/// Cursor over a byte buffer for parsing headers with bounds checks.
class ByteReader {
public:
  ByteReader(const uint8_t *data, size_t size) : data(data), size(size) {}
  bool readU8(uint8_t &v);
  bool readU16(uint16_t &v);
  bool readU32(uint32_t &v);
  bool readU64(uint64_t &v);
  bool readF32(float &v);
  bool readF64(double &v);
  /// Returns a pointer to the next `n` bytes and advances, or nullptr.
  const uint8_t *readBytes(size_t n);
  size_t offset() const { return pos; }
  size_t remaining() const { return size - pos; }
  const uint8_t *current() const { return data + pos; }

private:
  const uint8_t *data;
  size_t size;
  size_t pos = 0;
};

} // namespace cw::codec

#endif // CW_CODEC_BITSTREAM_H

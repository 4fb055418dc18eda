//===- BitStream.cpp - Bit-level writer and reader ------------------------===//

#include "cw/Codec/BitStream.h"

#include <cstring>

namespace cw::codec {

void BitWriter::write(uint64_t value, unsigned bits) {
  assert(bits <= 64 && "at most 64 bits per write");
  if (bits == 0)
    return;
  if (bits < 64)
    value &= (uint64_t(1) << bits) - 1;
  while (bits > 0) {
    unsigned bitInByte = numBits & 7;
    if (bitInByte == 0)
      buffer.push_back(0);
    unsigned take = 8 - bitInByte;
    if (take > bits)
      take = bits;
    buffer.back() |= uint8_t((value & ((1u << take) - 1)) << bitInByte);
    value >>= take;
    bits -= take;
    numBits += take;
  }
}

void BitWriter::alignToByte() { numBits = (numBits + 7) & ~uint64_t(7); }

uint64_t BitReader::peek(unsigned bits) const {
  assert(bits <= 57 && "peek is limited to 57 bits");
  if (bits == 0 || pos >= sizeBits)
    return 0;
  uint64_t byteIndex = pos >> 3;
  uint64_t sizeBytes = (sizeBits + 7) >> 3;
  uint64_t word = 0;
  uint64_t avail = sizeBytes - byteIndex;
  size_t n = avail < 8 ? size_t(avail) : 8;
  std::memcpy(&word, data + byteIndex, n); // little-endian hosts only
  word >>= (pos & 7);
  uint64_t left = sizeBits - pos;
  if (left < bits)
    bits = unsigned(left);
  return word & ((uint64_t(1) << bits) - 1);
}

uint64_t BitReader::read(unsigned bits) {
  assert(bits <= 64 && "at most 64 bits per read");
  if (bits == 0)
    return 0;
  if (bits > remaining()) {
    overran = true;
    uint64_t v = peek(unsigned(remaining() > 57 ? 57 : remaining()));
    pos = sizeBits;
    return v;
  }
  uint64_t value;
  if (bits <= 57) {
    value = peek(bits);
  } else {
    uint64_t low = peek(32);
    BitReader tmp = *this;
    tmp.pos += 32;
    value = low | (tmp.peek(bits - 32) << 32);
  }
  pos += bits;
  return value;
}

void BitReader::skip(unsigned bits) {
  if (bits > remaining()) {
    overran = true;
    pos = sizeBits;
    return;
  }
  pos += bits;
}

void BitReader::alignToByte() {
  uint64_t aligned = (pos + 7) & ~uint64_t(7);
  pos = aligned > sizeBits ? sizeBits : aligned;
}

template <typename T> static void appendLE(std::vector<uint8_t> &out, T v) {
  uint8_t bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out.insert(out.end(), bytes, bytes + sizeof(T));
}

void appendU8(std::vector<uint8_t> &out, uint8_t v) { out.push_back(v); }
void appendU16(std::vector<uint8_t> &out, uint16_t v) { appendLE(out, v); }
void appendU32(std::vector<uint8_t> &out, uint32_t v) { appendLE(out, v); }
void appendU64(std::vector<uint8_t> &out, uint64_t v) { appendLE(out, v); }
void appendF32(std::vector<uint8_t> &out, float v) { appendLE(out, v); }
void appendF64(std::vector<uint8_t> &out, double v) { appendLE(out, v); }

template <typename T> static bool readLE(ByteReader &r, T &v) {
  const uint8_t *p = r.readBytes(sizeof(T));
  if (!p)
    return false;
  std::memcpy(&v, p, sizeof(T));
  return true;
}

bool ByteReader::readU8(uint8_t &v) { return readLE(*this, v); }
bool ByteReader::readU16(uint16_t &v) { return readLE(*this, v); }
bool ByteReader::readU32(uint32_t &v) { return readLE(*this, v); }
bool ByteReader::readU64(uint64_t &v) { return readLE(*this, v); }
bool ByteReader::readF32(float &v) { return readLE(*this, v); }
bool ByteReader::readF64(double &v) { return readLE(*this, v); }

const uint8_t *ByteReader::readBytes(size_t n) {
  if (n > size - pos)
    return nullptr;
  const uint8_t *p = data + pos;
  pos += n;
  return p;
}

} // namespace cw::codec

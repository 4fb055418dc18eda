//===- Huffman.cpp - Length-limited canonical Huffman codes ---------------===//

#include "cw/Codec/Huffman.h"

#include <algorithm>
#include <string>

namespace cw::codec {

uint64_t HuffmanCode::costBits(const std::vector<uint64_t> &counts) const {
  uint64_t bits = 0;
  for (size_t s = 0; s < counts.size() && s < lengths.size(); ++s)
    bits += counts[s] * lengths[s];
  return bits;
}

Result<std::vector<uint8_t>>
buildHuffmanLengths(const std::vector<uint64_t> &counts, unsigned maxLength) {
  if (counts.size() > kHuffmanMaxAlphabet)
    return Status::error("huffman: alphabet of " +
                         std::to_string(counts.size()) +
                         " symbols exceeds the limit of 65536");
  if (maxLength < 1 || maxLength > kHuffmanMaxLength)
    return Status::error("huffman: length limit " + std::to_string(maxLength) +
                         " outside 1..24");
  std::vector<uint8_t> lengths(counts.size(), 0);
  std::vector<uint32_t> syms;
  for (size_t s = 0; s < counts.size(); ++s)
    if (counts[s])
      syms.push_back(uint32_t(s));
  size_t n = syms.size();
  if (n == 0)
    return lengths;
  if (n == 1) {
    lengths[syms[0]] = 1;
    return lengths;
  }
  if (n > (uint64_t(1) << maxLength))
    return Status::error("huffman: " + std::to_string(n) +
                         " used symbols cannot be coded in at most " +
                         std::to_string(maxLength) + " bits");
  std::sort(syms.begin(), syms.end(), [&](uint32_t a, uint32_t b) {
    return counts[a] != counts[b] ? counts[a] < counts[b] : a < b;
  });
  std::vector<uint64_t> leaf(n);
  for (size_t i = 0; i < n; ++i)
    leaf[i] = counts[syms[i]];

  // Package-merge. Level 0 is the deepest (length L) list: the leaves. Each
  // further level merges the leaves with the pairwise packages of the list
  // below. Only the first 2n - 2 items of any list can ever be selected, so
  // lists are truncated there. isLeaf[level][i] records the item kinds.
  size_t keep = 2 * n - 2;
  std::vector<std::vector<uint8_t>> isLeaf(maxLength);
  std::vector<uint64_t> cur(leaf.begin(), leaf.begin() + std::min(n, keep));
  isLeaf[0].assign(cur.size(), 1);
  std::vector<uint64_t> next;
  for (unsigned level = 1; level < maxLength; ++level) {
    next.clear();
    std::vector<uint8_t> &flags = isLeaf[level];
    size_t li = 0, pi = 0, numPackages = cur.size() / 2;
    while (next.size() < keep && (li < n || pi < numPackages)) {
      uint64_t pw = pi < numPackages ? cur[2 * pi] + cur[2 * pi + 1] : 0;
      if (li < n && (pi >= numPackages || leaf[li] <= pw)) {
        next.push_back(leaf[li++]);
        flags.push_back(1);
      } else {
        next.push_back(pw);
        ++pi;
        flags.push_back(0);
      }
    }
    cur.swap(next);
  }
  // Select the first 2n - 2 items of the top list and expand packages down.
  size_t take = keep;
  for (unsigned level = maxLength; level-- > 0;) {
    const std::vector<uint8_t> &flags = isLeaf[level];
    size_t leaves = 0;
    for (size_t i = 0; i < take && i < flags.size(); ++i)
      leaves += flags[i];
    for (size_t i = 0; i < leaves; ++i)
      ++lengths[syms[i]];
    take = 2 * (take - leaves);
  }
  return lengths;
}

uint64_t huffmanKraftSum(const std::vector<uint8_t> &lengths) {
  uint64_t sum = 0;
  for (uint8_t l : lengths)
    if (l && l <= kHuffmanMaxLength)
      sum += uint64_t(1) << (kHuffmanMaxLength - l);
  return sum;
}

static uint32_t reverseBits(uint32_t v, unsigned n) {
  uint32_t r = 0;
  for (unsigned i = 0; i < n; ++i) {
    r = (r << 1) | (v & 1);
    v >>= 1;
  }
  return r;
}

static Status checkLengths(const std::vector<uint8_t> &lengths) {
  if (lengths.size() > kHuffmanMaxAlphabet)
    return Status::error("huffman: alphabet of " +
                         std::to_string(lengths.size()) +
                         " symbols exceeds the limit of 65536");
  for (size_t s = 0; s < lengths.size(); ++s)
    if (lengths[s] > kHuffmanMaxLength)
      return Status::error("huffman: code length " +
                           std::to_string(lengths[s]) + " of symbol " +
                           std::to_string(s) + " exceeds 24");
  if (huffmanKraftSum(lengths) > (uint64_t(1) << kHuffmanMaxLength))
    return Status::error("huffman: code lengths violate the Kraft inequality");
  return Status::ok();
}

Result<HuffmanCode>
makeCanonicalHuffmanCode(const std::vector<uint8_t> &lengths) {
  if (Status st = checkLengths(lengths); !st)
    return st;
  HuffmanCode code;
  code.lengths = lengths;
  code.codes.assign(lengths.size(), 0);
  uint32_t numOfLength[kHuffmanMaxLength + 1] = {};
  for (uint8_t l : lengths)
    if (l) {
      ++numOfLength[l];
      code.maxLength = std::max<unsigned>(code.maxLength, l);
    }
  uint32_t nextCode[kHuffmanMaxLength + 2] = {};
  uint32_t c = 0;
  for (unsigned l = 1; l <= kHuffmanMaxLength; ++l) {
    c = (c + numOfLength[l - 1]) << 1;
    nextCode[l] = c;
  }
  // numOfLength[0] counts nothing (lengths of 0 were skipped above).
  for (size_t s = 0; s < lengths.size(); ++s)
    if (unsigned l = lengths[s])
      code.codes[s] = reverseBits(nextCode[l]++, l);
  return code;
}

Result<HuffmanCode> buildHuffmanCode(const std::vector<uint64_t> &counts,
                                     unsigned maxLength) {
  auto lengths = buildHuffmanLengths(counts, maxLength);
  if (!lengths)
    return lengths.status();
  return makeCanonicalHuffmanCode(*lengths);
}

//===----------------------------------------------------------------------===//
// Serialisation of code lengths
//===----------------------------------------------------------------------===//

static constexpr unsigned kItemBits = 5;
static constexpr unsigned kRunItem = 31;
static constexpr unsigned kRunBits = 16;
static constexpr size_t kMinRun = 4;

void serializeHuffmanLengths(const std::vector<uint8_t> &lengths,
                             std::vector<uint8_t> &out) {
  BitWriter w;
  for (size_t i = 0; i < lengths.size();) {
    if (lengths[i] == 0) {
      size_t j = i;
      while (j < lengths.size() && lengths[j] == 0 &&
             j - i < (size_t(1) << kRunBits))
        ++j;
      if (j - i >= kMinRun) {
        w.write(kRunItem, kItemBits);
        w.write(j - i - 1, kRunBits);
        i = j;
        continue;
      }
    }
    w.write(lengths[i], kItemBits);
    ++i;
  }
  appendU32(out, uint32_t(lengths.size()));
  appendU32(out, uint32_t(w.bytes().size()));
  out.insert(out.end(), w.bytes().begin(), w.bytes().end());
}

Result<std::vector<uint8_t>> deserializeHuffmanLengths(ByteReader &r) {
  uint32_t alphabet = 0, packedBytes = 0;
  if (!r.readU32(alphabet) || !r.readU32(packedBytes))
    return Status::error("huffman: truncated code-length table header");
  if (alphabet > kHuffmanMaxAlphabet)
    return Status::error("huffman: code-length table declares " +
                         std::to_string(alphabet) +
                         " symbols, at most 65536 are supported");
  const uint8_t *packed = r.readBytes(packedBytes);
  if (!packed)
    return Status::error("huffman: truncated code-length table: need " +
                         std::to_string(packedBytes) + " bytes, have " +
                         std::to_string(r.remaining()));
  std::vector<uint8_t> lengths;
  lengths.reserve(alphabet);
  BitReader br(packed, packedBytes);
  while (lengths.size() < alphabet) {
    unsigned item = unsigned(br.read(kItemBits));
    if (br.overrun())
      return Status::error("huffman: code-length table ends after " +
                           std::to_string(lengths.size()) + " of " +
                           std::to_string(alphabet) + " lengths");
    if (item <= kHuffmanMaxLength) {
      lengths.push_back(uint8_t(item));
    } else if (item == kRunItem) {
      uint64_t run = br.read(kRunBits) + 1;
      if (br.overrun())
        return Status::error("huffman: truncated zero run in code lengths");
      if (run > alphabet - lengths.size())
        return Status::error("huffman: zero run overflows the alphabet");
      lengths.insert(lengths.end(), size_t(run), 0);
    } else {
      return Status::error("huffman: invalid code-length item " +
                           std::to_string(item));
    }
  }
  if ((br.position() + 7) / 8 != packedBytes)
    return Status::error("huffman: code-length table has " +
                         std::to_string(packedBytes) + " bytes, uses " +
                         std::to_string((br.position() + 7) / 8));
  if (Status st = checkLengths(lengths); !st)
    return st;
  return lengths;
}

//===----------------------------------------------------------------------===//
// Table-driven decoding
//===----------------------------------------------------------------------===//

Result<HuffmanDecodeTable>
buildHuffmanDecodeTable(const std::vector<uint8_t> &lengths,
                        unsigned lookupBits) {
  if (lookupBits < 1 || lookupBits > 16)
    return Status::error("huffman: lookup bits " + std::to_string(lookupBits) +
                         " outside 1..16");
  auto code = makeCanonicalHuffmanCode(lengths);
  if (!code)
    return code.status();
  HuffmanDecodeTable t;
  t.maxLength = code->maxLength;
  t.lookupBits = std::min(lookupBits, std::max(1u, t.maxLength));
  t.primaryMask = (uint32_t(1) << t.lookupBits) - 1;
  t.primary.assign(size_t(1) << t.lookupBits, 0);
  const unsigned lb = t.lookupBits;
  // Subtable widths per primary slot for the codes longer than lookupBits.
  std::vector<uint8_t> extraBits(t.primary.size(), 0);
  for (size_t s = 0; s < lengths.size(); ++s) {
    unsigned l = lengths[s];
    if (l > lb) {
      uint32_t prefix = code->codes[s] & t.primaryMask;
      extraBits[prefix] = std::max<uint8_t>(extraBits[prefix], uint8_t(l - lb));
    }
  }
  for (size_t p = 0; p < t.primary.size(); ++p)
    if (extraBits[p]) {
      t.primary[p] = HuffmanDecodeTable::kLinkFlag |
                     (uint32_t(extraBits[p]) << 24) |
                     uint32_t(t.secondary.size());
      t.secondary.resize(t.secondary.size() + (size_t(1) << extraBits[p]), 0);
    }
  for (size_t s = 0; s < lengths.size(); ++s) {
    unsigned l = lengths[s];
    if (!l)
      continue;
    uint32_t leafEntry = uint32_t(s) | (uint32_t(l) << 16);
    uint32_t c = code->codes[s];
    if (l <= lb) {
      for (uint32_t j = 0; j < (uint32_t(1) << (lb - l)); ++j)
        t.primary[c | (j << l)] = leafEntry;
    } else {
      uint32_t link = t.primary[c & t.primaryMask];
      unsigned extra = (link >> 24) & 31;
      uint32_t base = link & 0xFFFFFF;
      uint32_t high = c >> lb;
      unsigned own = l - lb;
      for (uint32_t j = 0; j < (uint32_t(1) << (extra - own)); ++j)
        t.secondary[base + (high | (j << own))] = leafEntry;
    }
  }
  // Multi-symbol table: follow whole leaf codes inside each window.
  t.multi.assign(t.primary.size(), 0);
  for (uint32_t w = 0; w < t.primary.size(); ++w) {
    unsigned used = 0, count = 0;
    uint64_t m = 0;
    while (count < HuffmanDecodeTable::kMultiMaxSymbols) {
      uint32_t e = t.primary[(w >> used) & t.primaryMask];
      unsigned len = HuffmanDecodeTable::entryLength(e);
      if ((e & HuffmanDecodeTable::kLinkFlag) || len == 0 || len > lb - used)
        break;
      m |= uint64_t(HuffmanDecodeTable::entrySymbol(e)) << (16 + 16 * count);
      used += len;
      ++count;
    }
    t.multi[w] = m | count | (uint64_t(used) << 8);
  }
  return t;
}

Status decodeHuffmanSymbol(const HuffmanDecodeTable &table, BitReader &r,
                           uint32_t &symbol) {
  uint32_t e = table.lookup(r.peek(table.maxLength));
  uint32_t len = HuffmanDecodeTable::entryLength(e);
  if (len == 0)
    return Status::error("huffman: invalid code at bit " +
                         std::to_string(r.position()));
  if (len > r.remaining())
    return Status::error("huffman: code runs past the end of the stream at "
                         "bit " +
                         std::to_string(r.position()));
  r.skip(len);
  symbol = HuffmanDecodeTable::entrySymbol(e);
  return Status::ok();
}

Status decodeHuffmanSymbols(const HuffmanDecodeTable &table, BitReader &r,
                            uint64_t count, uint32_t *out) {
  const unsigned maxLen = table.maxLength;
  uint64_t i = 0;
  while (i < count) {
    if (maxLen == 0)
      return Status::error("huffman: stream uses an empty code");
    uint64_t window = r.peek(57);
    unsigned avail = 57, used = 0;
    while (i < count && avail - used >= maxLen) {
      uint64_t m = table.multi[(window >> used) & table.primaryMask];
      unsigned c = HuffmanDecodeTable::multiCount(m);
      if (c && count - i >= c) {
        for (unsigned j = 0; j < c; ++j)
          out[i + j] = HuffmanDecodeTable::multiSymbol(m, j);
        i += c;
        used += HuffmanDecodeTable::multiLength(m);
        continue;
      }
      uint32_t e = table.lookup(window >> used);
      uint32_t len = HuffmanDecodeTable::entryLength(e);
      if (len == 0)
        return Status::error("huffman: invalid code at bit " +
                             std::to_string(r.position() + used));
      used += len;
      out[i++] = HuffmanDecodeTable::entrySymbol(e);
    }
    if (used > r.remaining())
      return Status::error("huffman: stream overrun: symbol " +
                           std::to_string(i) + " of " + std::to_string(count) +
                           " runs past the end");
    r.skip(used);
  }
  return Status::ok();
}

} // namespace cw::codec

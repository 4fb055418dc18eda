//===- SZInternal.h - What the SZ stages share (private) --------*- C++ -*-===//
//
// The predictor, the reconstruction formula and the quantised entries are
// the same for every entropy stage; SZ.cpp serialises them with zstd
// (stages 0 and 1), SZRaw.cpp without (stage 2). Layouts:
// include/cw/Codec/SZ.h.
//
//===----------------------------------------------------------------------===//
#ifndef CW_LIB_CODEC_SZINTERNAL_H
#define CW_LIB_CODEC_SZINTERNAL_H

#include "cw/Codec/SZ.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

// The decoders must reproduce the encoder's reconstructions bit for bit (and
// generated code must reproduce both): keep `pred + twoEb * q` as two
// roundings, never a fused multiply-add.
#pragma clang fp contract(off)

namespace cw::codec::sz_detail {

constexpr uint8_t kVersion = 1;
constexpr uint8_t kStageHuffmanRaw = 2;
constexpr size_t kFixedHeaderBytes = 44;
constexpr uint32_t kMaxBinRadius = 32767;
constexpr unsigned kMaxGap = 255;
/// The reference decoder refuses to materialise more than 2^34 weights.
constexpr uint64_t kMaxElements = uint64_t(1) << 34;

inline std::string str(uint64_t v) { return std::to_string(v); }

uint32_t fnv1a(const uint8_t *p, size_t n);

/// Predictor state over reconstructed values (see SZ.h).
struct Predictor {
  SZPredictor kind;
  float r1 = 0, r2 = 0; // r[i-1], r[i-2]
  uint64_t seen = 0;    // entries since the last reset

  void reset() {
    r1 = r2 = 0;
    seen = 0;
  }
  void startRow() {
    if (kind == SZPredictor::Prev)
      reset();
  }
  double predict() const {
    switch (kind) {
    case SZPredictor::Prev:
    case SZPredictor::Lorenzo:
      return double(r1);
    case SZPredictor::Linear:
      if (seen >= 2)
        return 2.0 * double(r1) - double(r2);
      return double(r1); // 0 for the first entry, r[0] for the second
    }
    return 0;
  }
  void push(float r) {
    r2 = r1;
    r1 = r;
    ++seen;
  }
};

/// The one reconstruction formula, shared by encoders and decoders.
inline float reconstruct(double pred, double twoEb, int64_t q) {
  double prod = twoEb * double(q);
  double sum = pred + prod;
  return float(sum);
}

inline uint32_t zigzag(int64_t q) {
  return q >= 0 ? uint32_t(2 * q) : uint32_t(-2 * q - 1);
}
inline int64_t unzigzag(uint32_t z) {
  return (z & 1) ? -int64_t(z >> 1) - 1 : int64_t(z >> 1);
}

/// Decodes one entry's value from its bin symbol, as every stage stores it:
/// symbol 0 takes the next escaped value (`escape(i)`, i < numEscapes, from
/// *nextEscape on), symbol s in 1..maxSym the bin unzigzag(s - 1) around the
/// prediction. Checks the escape count, the symbol and that the value is
/// finite; `where()` names the entry in errors ("row 3", "entry 17") and is
/// only called on one.
template <typename EscapeFn, typename WhereFn>
Status decodeEntry(uint32_t sym, uint32_t maxSym, double twoEb,
                   const Predictor &pred, EscapeFn escape, uint64_t &nextEscape,
                   uint64_t numEscapes, uint64_t chunk, WhereFn where,
                   float &out) {
  if (sym == 0) {
    if (nextEscape >= numEscapes)
      return Status::error("sz: chunk " + str(chunk) +
                           " uses more escapes than its " + str(numEscapes));
    out = escape(nextEscape++);
    if (!std::isfinite(out))
      return Status::error("sz: chunk " + str(chunk) +
                           " escape value is NaN or Inf");
    return Status::ok();
  }
  if (sym > maxSym)
    return Status::error("sz: chunk " + str(chunk) + " bin symbol " + str(sym) +
                         " exceeds " + str(maxSym));
  out = reconstruct(pred.predict(), twoEb, unzigzag(sym - 1));
  if (!std::isfinite(out))
    return Status::error("sz: chunk " + str(chunk) + " " + where() +
                         " reconstructs to NaN or Inf");
  return Status::ok();
}

/// One chunk's entries after the sparse layout, prediction and quantisation.
struct QuantisedChunk {
  std::vector<uint32_t> rowCounts; // entries per row, fillers included
  std::vector<uint8_t> gaps;       // 1..255 per entry
  std::vector<uint16_t> symbols;   // bin symbol per entry (0 = escape)
  std::vector<float> escapes;      // escaped values, in entry order
};

/// Builds rows [firstRow, firstRow + numRows) of `dense` (cols wide) into
/// `out` with bins q in [-radius, radius]. Accumulates numNonzeros,
/// numFillers, numEscapes and maxAbsError into `info`.
Status quantiseChunk(const float *dense, uint64_t firstRow, uint64_t numRows,
                     uint64_t cols, double eb, SZPredictor predictor,
                     uint32_t radius, QuantisedChunk &out, SZEncodeInfo &info);

/// Stage 2: serialises `chunks` after the 44-byte fixed `header` (whose
/// stage byte is 2). Fills the stage-specific fields of `info`.
Result<std::vector<uint8_t>>
encodeRawStage(std::vector<uint8_t> header,
               const std::vector<QuantisedChunk> &chunks,
               unsigned maxCodeLength, SZEncodeInfo &info);

/// Reads the 44-byte fixed header (magic, version, predictor, stage and
/// reserved byte checked) into `h`; the chunk table is left empty.
Status parseFixedHeader(const uint8_t *data, size_t size, SZHeader &h,
                        uint32_t &numChunks);
/// Checks the fixed header's values (after the stage's checksum passed).
Status validateFixedHeader(const SZHeader &h, uint32_t numChunks);

/// Stage 2: decodes chunks [first, end) into `out` (their rows * cols,
/// zero-filled).
Status decodeRawChunksInto(const SZRawView &v, uint64_t first, uint64_t end,
                           float *out);

} // namespace cw::codec::sz_detail

#endif // CW_LIB_CODEC_SZINTERNAL_H

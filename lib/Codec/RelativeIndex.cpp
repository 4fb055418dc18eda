//===- RelativeIndex.cpp - Relative-index sparse rows ---------------------===//

#include "cw/Codec/RelativeIndex.h"

#include <string>

namespace cw::codec {

void appendRelativeIndexRow(const uint16_t *row, uint64_t cols,
                            unsigned gapBits, std::vector<uint32_t> &gaps,
                            std::vector<uint32_t> &indices, uint64_t *fillers) {
  const uint64_t maxGap = (uint64_t(1) << gapBits) - 1;
  uint64_t next = 0; // first column not yet covered (q + 1)
  for (uint64_t p = 0; p < cols; ++p) {
    if (!row[p])
      continue;
    while (p - next > maxGap) {
      gaps.push_back(uint32_t(maxGap));
      indices.push_back(0);
      next += maxGap + 1;
      if (fillers)
        ++*fillers;
    }
    gaps.push_back(uint32_t(p - next));
    indices.push_back(row[p]);
    next = p + 1;
  }
}

Result<RelativeIndexStreams> buildRelativeIndex(const ClusteredMatrix &m,
                                                unsigned gapBits) {
  if (gapBits < kRelativeIndexMinGapBits || gapBits > kRelativeIndexMaxGapBits)
    return Status::error("relative-index: gap bits " + std::to_string(gapBits) +
                         " outside 3..8");
  if (Status st = m.validate(); !st)
    return Status::error("relative-index: " + st.message());
  RelativeIndexStreams s;
  s.gapBits = gapBits;
  s.rows = m.rows;
  s.cols = m.cols;
  s.rowBegin.reserve(m.rows + 1);
  s.rowBegin.push_back(0);
  for (uint64_t r = 0; r < m.rows; ++r) {
    appendRelativeIndexRow(m.indices.data() + r * m.cols, m.cols, gapBits,
                           s.gaps, s.indices, &s.fillers);
    s.rowBegin.push_back(s.gaps.size());
  }
  return s;
}

Result<ClusteredMatrix> expandRelativeIndex(const RelativeIndexStreams &s,
                                            unsigned numClusters) {
  if (s.gapBits < kRelativeIndexMinGapBits ||
      s.gapBits > kRelativeIndexMaxGapBits)
    return Status::error("relative-index: gap bits " +
                         std::to_string(s.gapBits) + " outside 3..8");
  if (s.rowBegin.size() != s.rows + 1 || s.rowBegin[0] != 0 ||
      s.rowBegin[s.rows] != s.gaps.size() || s.indices.size() != s.gaps.size())
    return Status::error("relative-index: inconsistent row offsets");
  for (uint64_t r = 0; r < s.rows; ++r)
    if (s.rowBegin[r + 1] < s.rowBegin[r])
      return Status::error("relative-index: row offsets decrease at row " +
                           std::to_string(r));
  if (s.rows && s.cols > UINT64_MAX / 2 / s.rows)
    return Status::error("relative-index: matrix too large");
  ClusteredMatrix m;
  m.rows = s.rows;
  m.cols = s.cols;
  m.indices.assign(s.rows * s.cols, 0);
  const uint64_t maxGap = (uint64_t(1) << s.gapBits) - 1;
  for (uint64_t r = 0; r < s.rows; ++r) {
    uint64_t next = 0;
    for (uint64_t e = s.rowBegin[r]; e < s.rowBegin[r + 1]; ++e) {
      if (s.gaps[e] > maxGap)
        return Status::error("relative-index: gap " +
                             std::to_string(s.gaps[e]) + " exceeds " +
                             std::to_string(maxGap));
      uint64_t p = next + s.gaps[e];
      if (p >= s.cols)
        return Status::error("relative-index: entry past the end of row " +
                             std::to_string(r));
      if (s.indices[e] > numClusters)
        return Status::error("relative-index: cluster index " +
                             std::to_string(s.indices[e]) + " exceeds " +
                             std::to_string(numClusters));
      m.indices[r * s.cols + p] = uint16_t(s.indices[e]);
      next = p + 1;
    }
  }
  return m;
}

} // namespace cw::codec

//===- Idx.cpp - Fashion-MNIST IDX files, gzipped or plain ----------------===//

#include "Idx.h"

#include "llvm/ADT/Twine.h"

#include <zlib.h>

using namespace llvm;

namespace cwrun {
namespace {

/// IDX files larger than this are refused (a gzip bomb, or the wrong file):
/// they are read whole and their pixels take four times as much as floats.
constexpr size_t kMaxIdxBytes = size_t(1) << 30;

Error fileError(StringRef path, const Twine &what) {
  return createStringError(inconvertibleErrorCode(), Twine(path) + ": " + what);
}

/// Reads a whole file through zlib, which passes plain files through as they
/// are, so `.gz` and unpacked copies both work.
Expected<std::vector<uint8_t>> readMaybeGzipped(StringRef path) {
  gzFile f = gzopen(path.str().c_str(), "rb");
  if (!f)
    return fileError(path, "cannot open");
  std::vector<uint8_t> data;
  uint8_t chunk[1 << 16];
  for (;;) {
    int n = gzread(f, chunk, sizeof(chunk));
    if (n < 0) {
      int code = 0;
      std::string msg = gzerror(f, &code);
      gzclose(f);
      return fileError(path, "read error: " + msg);
    }
    if (n == 0)
      break;
    if (data.size() + size_t(n) > kMaxIdxBytes) {
      gzclose(f);
      return fileError(path, "larger than " + Twine(kMaxIdxBytes) +
                                 " bytes (uncompressed)");
    }
    data.insert(data.end(), chunk, chunk + n);
  }
  gzclose(f);
  return data;
}

uint32_t bigEndian32(const uint8_t *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 |
         uint32_t(p[3]);
}

/// Checks the IDX header (u8 elements, `rank` dimensions) and the payload size;
/// returns the dimensions.
Expected<std::vector<int64_t>>
parseHeader(StringRef path, const std::vector<uint8_t> &data, unsigned rank) {
  if (data.size() < 4 + 4 * size_t(rank))
    return fileError(path,
                     "truncated IDX header (" + Twine(data.size()) + " bytes)");
  uint32_t magic = bigEndian32(data.data());
  if ((magic >> 16) != 0 || ((magic >> 8) & 0xff) != 0x08)
    return fileError(path, "not an IDX file of unsigned bytes (magic 0x" +
                               Twine::utohexstr(magic) + ")");
  if ((magic & 0xff) != rank)
    return fileError(path, "IDX rank " + Twine(magic & 0xff) + ", expected " +
                               Twine(rank));
  std::vector<int64_t> dims;
  std::string shape;
  uint64_t elements = 1;
  bool tooLarge = false;
  for (unsigned i = 0; i < rank; ++i) {
    dims.push_back(bigEndian32(data.data() + 4 + 4 * i));
    shape += (i ? "x" : "") + std::to_string(dims.back());
    // Unchecked, the product could wrap around to the file's size. Each
    // dimension is bounded too, as a 0 elsewhere would hide a huge one.
    tooLarge |= uint64_t(dims.back()) > kMaxIdxBytes;
    elements *= uint64_t(dims.back());
    tooLarge |= elements > kMaxIdxBytes;
  }
  if (tooLarge)
    return fileError(path, "IDX dimensions " + shape + " hold more than " +
                               Twine(kMaxIdxBytes) + " bytes");
  uint64_t expected = 4 + 4 * uint64_t(rank) + elements;
  if (data.size() != expected)
    return fileError(path, "holds " + Twine(data.size()) +
                               " bytes, its IDX header says " +
                               Twine(expected));
  return dims;
}

} // namespace

Expected<Dataset> readIdxDataset(StringRef imagesPath, StringRef labelsPath,
                                 int64_t limit) {
  Expected<std::vector<uint8_t>> images = readMaybeGzipped(imagesPath);
  if (!images)
    return images.takeError();
  Expected<std::vector<int64_t>> imageDims =
      parseHeader(imagesPath, *images, 3);
  if (!imageDims)
    return imageDims.takeError();
  Expected<std::vector<uint8_t>> labels = readMaybeGzipped(labelsPath);
  if (!labels)
    return labels.takeError();
  Expected<std::vector<int64_t>> labelDims =
      parseHeader(labelsPath, *labels, 1);
  if (!labelDims)
    return labelDims.takeError();
  if ((*labelDims)[0] != (*imageDims)[0])
    return fileError(labelsPath, "has " + Twine((*labelDims)[0]) +
                                     " labels for " + Twine((*imageDims)[0]) +
                                     " images in " + imagesPath);

  Dataset ds;
  ds.count = (*imageDims)[0];
  if (limit >= 0 && limit < ds.count)
    ds.count = limit;
  ds.rows = (*imageDims)[1];
  ds.cols = (*imageDims)[2];
  const size_t n = size_t(ds.count * ds.pixelsPerImage());
  const uint8_t *pixels = images->data() + 16;
  ds.pixels.resize(n);
  // The models' normalisation: float32(pixel) / 255, nothing else.
  for (size_t i = 0; i < n; ++i)
    ds.pixels[i] = float(pixels[i]) / 255.0f;
  ds.labels.assign(labels->begin() + 8, labels->begin() + 8 + ds.count);
  return ds;
}

} // namespace cwrun

//===- CsrLanes.h - Lockstep SIMD loops for lane-interleaved csr -*- C++
//-*-===//
#ifndef CW_LIB_CONVERSION_DECODERS_CSRLANES_H
#define CW_LIB_CONVERSION_DECODERS_CSRLANES_H

#include "cw/Codec/HuffmanCodec.h"
#include "cw/Conversion/DecodeEmitter.h"

namespace mlir::cw {

/// Emits the decode loops of a #cw.csr<lanes = 16> blob (view.lanes != 0).
LogicalResult emitCsrLaneLoops(DecodeEmitter &e,
                               const ::cw::codec::CsrBlobView &view);

} // namespace mlir::cw

#endif // CW_LIB_CONVERSION_DECODERS_CSRLANES_H

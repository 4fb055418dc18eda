//===- CWDialect.cpp - The cw dialect -------------------------------------===//

#include "cw/Dialect/CW/CWDialect.h"
#include "cw/Dialect/CW/CWOps.h"

using namespace mlir;
using namespace mlir::cw;

#include "cw/Dialect/CW/CWDialect.cpp.inc"

void CWDialect::initialize() {
  registerAttributes();
  registerTypes();
  addOperations<
#define GET_OP_LIST
#include "cw/Dialect/CW/CWOps.cpp.inc"
      >();
}

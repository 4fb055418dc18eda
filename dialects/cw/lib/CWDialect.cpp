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

/// cw.decode folds to dense values; they become arith.constant.
Operation *CWDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto typed = llvm::dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type)
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}

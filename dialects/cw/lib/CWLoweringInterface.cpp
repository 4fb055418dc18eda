//===- CWLoweringInterface.cpp - How an encoding is decoded in code -------===//

#include "cw/Dialect/CW/CWLoweringInterface.h"

#include "cw/Dialect/CW/CWLoweringInterface.cpp.inc"

//===- CW.td - Everything of the cw dialect ------------------*- tablegen -*-===//
include "cw/Dialect/CW/CWAttrs.td"
include "cw/Dialect/CW/CWTypes.td"
include "cw/Dialect/CW/CWOps.td"

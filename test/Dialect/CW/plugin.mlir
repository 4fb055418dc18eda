// Upstream mlir-opt loads cw as a dialect and pass plugin and round-trips the
// op tests.
// RUN: %mlir_opt --load-dialect-plugin=%cw_plugin --load-pass-plugin=%cw_plugin %S/ops.mlir | FileCheck %S/ops.mlir
// RUN: %mlir_opt --load-dialect-plugin=%cw_plugin --load-pass-plugin=%cw_plugin %S/ops.mlir | %mlir_opt --load-dialect-plugin=%cw_plugin | FileCheck %S/ops.mlir
// RUN: %mlir_opt --load-dialect-plugin=%cw_plugin --load-pass-plugin=%cw_plugin %S/types.mlir | FileCheck %S/types.mlir
// RUN: %mlir_opt --load-dialect-plugin=%cw_plugin %S/invalid-ops.mlir -split-input-file -verify-diagnostics
// RUN: %mlir_opt --load-dialect-plugin=%cw_plugin %S/invalid-attrs.mlir -split-input-file -verify-diagnostics

// The report: an aligned table and JSON, per layer and in total. Its
// encoded bytes are the blobs plus codebooks actually stored in the IR.
// RUN: cw-opt %S/Inputs/mlp.mlir --cw-compress="report=%t.txt report-json=%t.json" -o %t.mlir
// RUN: FileCheck %s --check-prefix=TABLE < %t.txt
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: %python %S/Inputs/check_report.py %t.mlir %t.json | FileCheck %s --check-prefix=SIZES
// RUN: cw-opt %S/Inputs/convnet.mlir --cw-compress="encoding=sz report-json=%t.sz.json" -o %t.sz.mlir
// RUN: %python %S/Inputs/check_report.py %t.sz.mlir %t.sz.json | FileCheck %s --check-prefix=SIZES
// RUN: cw-opt %S/Inputs/convnet.mlir --cw-compress="encoding=huffman report-json=%t.h.json" -o %t.h.mlir
// RUN: %python %S/Inputs/check_report.py %t.h.mlir %t.h.json | FileCheck %s --check-prefix=SIZES
// cw-encode alone measures errors against its own input: zero when lossless.
// RUN: cw-opt %S/Inputs/mlp.mlir --cw-prune --cw-cluster --cw-encode="encoding=dense report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=LOSSLESS
// RUN: cw-opt %S/Inputs/mlp.mlir --cw-prune --cw-cluster --cw-encode="encoding=sz error-bound=0.01 report-json=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SZ

// TABLE: layer         shape  density  clusters  encoding  orig B  enc B  blob B  cb B  ratio  bits/w  bits/nz  floor B    max err   mean err  fp
// TABLE-NEXT: -----
// TABLE-NEXT: fc1           12x16   0.0990        19  #cw.csr<gap_bits = 3>      768  [[#ENC1:]]  [[#BLOB1:]]    76  {{[0-9.]+}}  {{[0-9.]+}}  {{[0-9.]+}}  {{[0-9]+}}  {{[0-9.e+-]+}}  {{[0-9.e+-]+}}   0
// TABLE-NEXT: main.matmul1  10x12   0.1000        12  #cw.csr<gap_bits = 3>      480  [[#ENC2:]]  [[#BLOB2:]]    48  {{.*}}
// TABLE-NEXT: -----
// TABLE-NEXT: total                 0.0994                        1248  [[#ENC1+ENC2]]  [[#BLOB1+BLOB2]]   124  {{.*}}

// JSON: "layers": [
// JSON: "attribute": "#cw.csr<gap_bits = 3>",
// JSON: "bits_per_nonzero":
// JSON: "bits_per_weight":
// JSON: "blob_bytes":
// JSON: "clusters":
// JSON: "codebook_bytes":
// JSON: "density": 0.098958{{[0-9]*}},
// JSON: "encoded_bytes":
// JSON: "encoding": "csr",
// JSON: "entropy_floor_bits":
// JSON: "false_positives": 0,
// JSON: "kind": "matmul",
// JSON: "max_abs_error":
// JSON: "mean_abs_error":
// JSON: "name": "fc1",
// JSON: "nonzeros": 19,
// JSON: "original_bytes": 768,
// JSON: "ratio":
// JSON: "shape": [
// JSON-NEXT: 12,
// JSON-NEXT: 16
// JSON: "weights": 192
// JSON: "name": "main.matmul1",
// JSON: "total": {
// JSON: "original_bytes": 1248,
// JSON: "weights": 312

// SIZES: OK

// LOSSLESS: 0.000e+00  0.000e+00   0
// LOSSLESS: 0.000e+00  0.000e+00   0
// LOSSLESS: total {{.*}} 0.000e+00  0.000e+00   0

// SZ: "encoding": "sz",
// SZ: "max_abs_error": {{[0-9.e-]+}}

// cw-compress on the small MLP and conv net, for every encoding: every
// layer becomes cw IR; matmuls and convolutions multiply from the encoded
// weight, the depthwise convolution reads through cw.decode.
// RUN: cw-opt %S/Inputs/mlp.mlir --mlir-print-debuginfo --cw-compress | FileCheck %s --check-prefix=MLP -DENC=csr
// RUN: cw-opt %S/Inputs/convnet.mlir --cw-compress 2>&1 | FileCheck %s --check-prefix=CONV -DENC=csr -DCONVENC="csr<gap_bits = 3>"
// RUN: cw-opt %S/Inputs/mlp.mlir --cw-compress=encoding=dense | FileCheck %s --check-prefix=MLP -DENC=dense
// RUN: cw-opt %S/Inputs/convnet.mlir --cw-compress=encoding=dense 2>&1 | FileCheck %s --check-prefix=CONV -DENC=dense -DCONVENC=dense
// RUN: cw-opt %S/Inputs/mlp.mlir --cw-compress=encoding=huffman | FileCheck %s --check-prefix=MLP -DENC=huffman
// RUN: cw-opt %S/Inputs/convnet.mlir --cw-compress=encoding=huffman 2>&1 | FileCheck %s --check-prefix=CONV -DENC=huffman -DCONVENC=huffman
// RUN: cw-opt %S/Inputs/mlp.mlir --cw-compress=encoding=bloomier | FileCheck %s --check-prefix=MLP -DENC=bloomier
// RUN: cw-opt %S/Inputs/convnet.mlir --cw-compress=encoding=bloomier 2>&1 | FileCheck %s --check-prefix=CONV -DENC=bloomier -DCONVENC=bloomier
// RUN: cw-opt %S/Inputs/mlp.mlir --cw-compress=encoding=wavelet | FileCheck %s --check-prefix=MLP -DENC=wavelet
// RUN: cw-opt %S/Inputs/convnet.mlir --cw-compress=encoding=wavelet 2>&1 | FileCheck %s --check-prefix=CONV -DENC=wavelet -DCONVENC=wavelet
// RUN: cw-opt %S/Inputs/mlp.mlir --cw-compress=encoding=sz | FileCheck %s --check-prefix=MLP -DENC=sz
// RUN: cw-opt %S/Inputs/convnet.mlir --cw-compress=encoding=sz 2>&1 | FileCheck %s --check-prefix=CONV -DENC=sz -DCONVENC=sz
// The flag form and the pipeline form agree.
// RUN: cw-opt %S/Inputs/mlp.mlir --pass-pipeline="builtin.module(cw-compress{sparsity=0.8 fc-bits=3 encoding=huffman})" | FileCheck %s --check-prefix=MLP -DENC=huffman
// Stages chained by hand give the same IR as the pipeline.
// RUN: cw-opt %S/Inputs/mlp.mlir --cw-compress="sparsity=0.7 bits=4" -o %t.pipeline.mlir
// RUN: cw-opt %S/Inputs/mlp.mlir --cw-prune=sparsity=0.7 --cw-cluster=bits=4 --cw-encode --cw-fuse -o %t.stages.mlir
// RUN: diff %t.pipeline.mlir %t.stages.mlir
// fuse=false stops before cw-fuse.
// RUN: cw-opt %S/Inputs/mlp.mlir --cw-compress=fuse=false | FileCheck %s --check-prefix=NOFUSE

// MLP-LABEL: func.func @main
// MLP-NOT: tosa.matmul
// MLP: %[[W1:.*]] = cw.weights {{.*}}name = "fc1"} : <12x16xf32, #cw.[[ENC]]{{.*}}>
// MLP: cw.matmul %{{.*}}, %[[W1]] : (tensor<1x1x16xf32>, !cw.tensor<12x16xf32, #cw.[[ENC]]{{.*}}>) -> tensor<1x1x12xf32>
// MLP: %[[W2:.*]] = cw.weights {{.*}}name = "main.matmul1"} : <10x12xf32, #cw.[[ENC]]{{.*}}>
// MLP: cw.matmul %{{.*}}, %[[W2]] : (tensor<1x1x12xf32>, !cw.tensor<10x12xf32, #cw.[[ENC]]{{.*}}>) -> tensor<1x1x10xf32>
// MLP-NOT: tosa.matmul
// MLP-NOT: cw.decode

// CONV: remark: cw-compress: layer 'main.depthwise_conv2d0' not fused (cw has no fused depthwise convolution)
// CONV-LABEL: func.func @main
// CONV: %[[WC:.*]] = cw.weights {{.*}}name = "conv1"} : <4x3x3x2xf32, #cw.[[CONVENC]]{{.*}}>
// CONV: cw.conv2d %{{.*}}, %[[WC]], %{{.*}} {{.*}} -> tensor<1x6x6x4xf32>
// CONV: %[[WD:.*]] = cw.weights {{.*}}name = "main.depthwise_conv2d0"} : <4x9xf32, #cw.[[CONVENC]]{{.*}}>
// CONV: cw.decode %[[WD]]
// CONV: tosa.depthwise_conv2d
// CONV: %[[WF:.*]] = cw.weights {{.*}}name = "fc"} : <10x64xf32, #cw.[[ENC]]{{.*}}>
// CONV: cw.matmul %{{.*}}, %[[WF]]
// CONV-NOT: tosa.matmul
// CONV-NOT: tosa.conv2d

// NOFUSE: cw.decode
// NOFUSE: tosa.matmul
// NOFUSE-NOT: cw.matmul

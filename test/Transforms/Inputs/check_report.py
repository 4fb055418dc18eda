#!/usr/bin/env python3
"""Checks a cw report against the IR it describes.

usage: check_report.py IR.mlir REPORT.json

For every cw.weights in the IR (printed with its resources), the report's
blob_bytes must equal the blob's size (the i8 tensor size and the resource's
byte count), codebook_bytes 4 per codebook entry, and encoded_bytes their
sum; the totals must be the sums. Prints one line per layer and "OK".
"""
import json
import re
import sys


def main():
    ir = open(sys.argv[1]).read()
    report = json.load(open(sys.argv[2]))
    layers = {l["name"]: l for l in report["layers"]}
    resources = dict(re.findall(r'^\s*([\w.]+): "0x([0-9A-Fa-f]*)"', ir, re.M))
    weights = re.findall(
        r'cw\.weights \{(?:codebook = dense<[^>]*> : tensor<(\d+)xf32>, )?'
        r'data = dense_resource<([\w.]+)> : tensor<(\d+)xi8>, name = "([^"]+)"\}', ir)
    if not weights:
        sys.exit("no cw.weights in the IR")
    if len(weights) != len(layers):
        sys.exit(f"{len(weights)} cw.weights but {len(layers)} report layers")
    total = 0
    for clusters, key, size, name in weights:
        layer = layers.get(name)
        if layer is None:
            sys.exit(f"layer {name} missing from the report")
        blob = int(size)
        # The resource hex starts with the 4-byte alignment.
        stored = len(resources[key]) // 2 - 4
        codebook = 4 * int(clusters or 0)
        if stored != blob:
            sys.exit(f"{name}: resource {key} holds {stored} bytes, type says {blob}")
        if layer["blob_bytes"] != blob or layer["codebook_bytes"] != codebook:
            sys.exit(f"{name}: report blob/codebook {layer['blob_bytes']}/"
                     f"{layer['codebook_bytes']} != IR {blob}/{codebook}")
        if layer["encoded_bytes"] != blob + codebook:
            sys.exit(f"{name}: encoded_bytes {layer['encoded_bytes']} != {blob + codebook}")
        total += blob + codebook
        print(f"{name}: {blob} + {codebook} = {blob + codebook}")
    if report["total"]["encoded_bytes"] != total:
        sys.exit(f"total encoded_bytes {report['total']['encoded_bytes']} != {total}")
    print("OK")


if __name__ == "__main__":
    main()

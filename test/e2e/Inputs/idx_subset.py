#!/usr/bin/env python3
"""Writes the first N Fashion-MNIST test images and labels as plain
(not gzipped) IDX files, or with --truncate an image file whose header
claims more images than it holds. For cw-run's tests."""
import argparse
import gzip
import os
import struct

ap = argparse.ArgumentParser()
ap.add_argument("--data-dir", default=os.environ.get(
    "CW_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
ap.add_argument("--count", type=int, default=100)
ap.add_argument("--truncate", action="store_true")
ap.add_argument("images")
ap.add_argument("labels")
args = ap.parse_args()

with gzip.open(os.path.join(args.data_dir, "t10k-images-idx3-ubyte.gz")) as f:
    images = f.read()
with gzip.open(os.path.join(args.data_dir, "t10k-labels-idx1-ubyte.gz")) as f:
    labels = f.read()
n = args.count
with open(args.images, "wb") as f:
    f.write(struct.pack(">IIII", 0x803, n, 28, 28))
    f.write(images[16:16 + (n - 1 if args.truncate else n) * 784])
with open(args.labels, "wb") as f:
    f.write(struct.pack(">II", 0x801, n))
    f.write(labels[8:8 + n])

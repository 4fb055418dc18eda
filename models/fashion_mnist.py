#!/usr/bin/python3
"""Fashion-MNIST idx loader shared by train_lenet.py and eval_onnx.py.

Data: Debian package `dataset-fashion-mnist`, which installs the four gzipped
idx files under /usr/share/datasets/fashion-mnist/ (override with the
environment variable CW_FASHION_MNIST_DIR). Plain (non-gzipped) idx files are
accepted too.

Normalisation used everywhere in cw: float32(pixel) / 255, nothing else (no
mean/std shift), pixels in row-major 28x28 order.

Command line (for the C accuracy harness):
    models/fashion_mnist.py --write-test IMAGES.f32 LABELS.u8
writes the 10,000 test images as raw little-endian float32 [10000, 784]
(pixel/255, row-major, no header) and the labels as raw uint8 [10000].
"""

import argparse
import gzip
import os
import struct
import sys

import numpy as np

DEFAULT_DIR = "/usr/share/datasets/fashion-mnist"

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
           "Shirt", "Sneaker", "Bag", "Ankle boot")


def data_dir():
    return os.environ.get("CW_FASHION_MNIST_DIR", DEFAULT_DIR)


def _open(path):
    if os.path.exists(path):
        return open(path, "rb")
    if os.path.exists(path + ".gz"):
        return gzip.open(path + ".gz", "rb")
    raise FileNotFoundError(
        "Fashion-MNIST file not found: %s[.gz] (apt-get install "
        "dataset-fashion-mnist, or set CW_FASHION_MNIST_DIR)" % path)


def read_idx(path):
    """Reads an idx file (optionally .gz) and returns a numpy array."""
    with _open(path) as f:
        data = f.read()
    if len(data) < 4:
        raise ValueError("%s: truncated idx header" % path)
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError("%s: not an unsigned-byte idx file" % path)
    hdr = 4 + 4 * ndim
    dims = struct.unpack(">" + "I" * ndim, data[4:hdr])
    count = int(np.prod(dims))
    if len(data) - hdr != count:
        raise ValueError("%s: expected %d bytes of data, found %d" %
                         (path, count, len(data) - hdr))
    return np.frombuffer(data, dtype=np.uint8, offset=hdr).reshape(dims)


def load(kind="train", directory=None):
    """Returns (images uint8 [N, 28, 28], labels uint8 [N]).

    kind is "train" (60,000 images) or "test" (10,000 images)."""
    directory = directory or data_dir()
    prefix = {"train": "train", "test": "t10k"}[kind]
    images = read_idx(os.path.join(directory, prefix + "-images-idx3-ubyte"))
    labels = read_idx(os.path.join(directory, prefix + "-labels-idx1-ubyte"))
    if images.shape[0] != labels.shape[0] or images.shape[1:] != (28, 28):
        raise ValueError("inconsistent Fashion-MNIST %s files" % kind)
    return images, labels


def normalise(images):
    """uint8 [N, 28, 28] -> float32 [N, 784] = pixel / 255."""
    return images.reshape(images.shape[0], 784).astype(np.float32) / np.float32(255.0)


def write_test_raw(images_path, labels_path, directory=None):
    """Writes the test set for the C harness.

    images_path: raw little-endian float32 [10000, 784], pixel/255, no header.
    labels_path: raw uint8 [10000], no header."""
    images, labels = load("test", directory)
    x = normalise(images).astype("<f4")
    with open(images_path, "wb") as f:
        f.write(x.tobytes())
    with open(labels_path, "wb") as f:
        f.write(labels.astype(np.uint8).tobytes())
    return x.shape[0]


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write-test", nargs=2, metavar=("IMAGES", "LABELS"),
                    required=True,
                    help="write the test set as raw float32 images and uint8 labels")
    ap.add_argument("--data-dir", default=None)
    args = ap.parse_args(argv)
    n = write_test_raw(args.write_test[0], args.write_test[1], args.data_dir)
    print("wrote %d test images to %s and labels to %s" %
          (n, args.write_test[0], args.write_test[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

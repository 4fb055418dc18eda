#!/usr/bin/env python3
"""Writes a plain IDX file of unsigned bytes for cw-run's error tests:
the given dimensions in the header, then the given byte values, or with
--zeros N that many zero bytes (the header may claim more or fewer)."""
import argparse
import struct

ap = argparse.ArgumentParser()
ap.add_argument("path")
ap.add_argument("dims", help="comma-separated, such as 2,8,8")
ap.add_argument("--values", default="", help="comma-separated bytes")
ap.add_argument("--zeros", type=int, default=0)
args = ap.parse_args()

dims = [int(d) for d in args.dims.split(",")]
values = [int(v) for v in args.values.split(",") if v]
with open(args.path, "wb") as f:
    f.write(struct.pack(">I", 0x800 + len(dims)))
    f.write(struct.pack(">%dI" % len(dims), *dims))
    f.write(bytes(values) + bytes(args.zeros))

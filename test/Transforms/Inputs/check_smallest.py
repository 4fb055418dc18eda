#!/usr/bin/env python3
"""Checks that an auto-chosen encoding is the smallest of the explicit ones.

usage: check_smallest.py AUTO.json EXPLICIT.json...

Every file is a cw report (report-json=) of the same module. For each layer,
the auto report's encoded_bytes must equal the least encoded_bytes among the
explicit reports, and its attribute that of the first explicit report with
that size. Prints one line per layer.
"""
import json
import sys


def layers(path):
    return {l["name"]: l for l in json.load(open(path))["layers"]}


def main():
    auto = layers(sys.argv[1])
    explicit = [layers(p) for p in sys.argv[2:]]
    for name, layer in sorted(auto.items()):
        sizes = [(e[name]["encoded_bytes"], e[name]["attribute"]) for e in explicit]
        best = min(s for s, _ in sizes)
        want = next(a for s, a in sizes if s == best)
        got = (layer["encoded_bytes"], layer["attribute"])
        if got != (best, want):
            sys.exit(f"{name}: auto chose {got}, the smallest is {(best, want)}")
        print(f"{name}: {layer['attribute']} {best} B (widths: "
              + " ".join(str(s) for s, _ in sizes) + ")")


if __name__ == "__main__":
    main()

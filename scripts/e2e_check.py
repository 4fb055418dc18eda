#!/usr/bin/env python3
"""Runs the entry points of cw-compiled shared libraries and compares them.

  e2e_check.py --header model.h --lib model.so --ref ref.so [options]

The header (written by `cw-compile --header`) gives every entry point and the
shapes of its buffers. For each entry point (or the one named by --func) the
script fills the inputs with uniform random values in [-1, 1) from a fixed
seed, calls the function of both libraries and compares the outputs:

  |out - ref| <= atol + rtol * |ref|                    (default)
  |out - ref| <= atol + l1_bound * sum(|inputs|)        (--l1-bound EB)

The second form is the bound a single linear layer keeps when every weight
is within EB of the reference (sz's error bound): |sum_k x_k dw_k| <= EB
sum_k |x_k|. With one input whose leading (batch) dimension the output
shares, the sum runs over the output's batch item only.

It also checks that the entry points return 0, write every output element
(outputs start as NaN), and give bit-identical outputs when called twice.
Prints one line per entry point and exits 1 on any failure. No numpy needed.
"""
import argparse
import ctypes
import math
import os
import random
import re
import sys

CTYPES = {
    "float": ctypes.c_float,
    "double": ctypes.c_double,
    "int8_t": ctypes.c_int8,
    "int16_t": ctypes.c_int16,
    "int32_t": ctypes.c_int32,
    "int64_t": ctypes.c_int64,
}


def parse_header(text):
    """[(func, symbol, [(name, ctype, shape)] inputs, [...] outputs)]"""
    entries = []
    for m in re.finditer(r"^int (cw_\w+)\(([^)]*)\);", text, re.M):
        symbol, params = m.group(1), m.group(2).strip()
        ins, outs = [], []
        if params != "void":
            for p in params.split(","):
                pm = re.match(r"\s*(const\s+)?(\w+)\s*\*\s*(\w+)\s*$", p)
                if not pm:
                    raise ValueError("cannot parse parameter %r" % p)
                (ins if pm.group(1) else outs).append((pm.group(3), pm.group(2)))
        entries.append([symbol, ins, outs])
    result = []
    prev = 0
    for symbol, ins, outs in entries:
        # The macros of an entry point sit between the previous prototype and
        # its own: CW_<FUNC>_IN0_RANK / _SHAPE (no _SHAPE for scalars).
        pos = text.index("int %s(" % symbol)
        block = text[prev:pos]
        prev = pos

        def shape_of(name):
            rank = re.findall(r"^#define CW_\w+_%s_RANK (\d+)" % name.upper(),
                              block, re.M)
            if not rank:
                raise ValueError("no rank macro for %s of %s" % (name, symbol))
            if rank[-1] == "0":
                return []
            dims = re.findall(r"^#define CW_\w+_%s_SHAPE \{([^}]*)\}"
                              % name.upper(), block, re.M)
            if not dims:
                raise ValueError("no shape macro for %s of %s" % (name, symbol))
            return [int(d) for d in dims[-1].split(",")]
        result.append((symbol,
                       [(n, t, shape_of(n)) for n, t in ins],
                       [(n, t, shape_of(n)) for n, t in outs]))
    return result


def numel(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def call(lib, symbol, inputs, outs_spec):
    fn = getattr(lib, symbol)
    fn.restype = ctypes.c_int
    outs = []
    for _, t, shape in outs_spec:
        buf = (CTYPES[t] * numel(shape))()
        if t in ("float", "double"):
            for i in range(len(buf)):
                buf[i] = float("nan")
        outs.append(buf)
    args = [ctypes.cast(b, ctypes.c_void_p) for b in inputs + outs]
    fn.argtypes = [ctypes.c_void_p] * len(args)
    rc = fn(*args)
    return rc, [list(b) for b in outs]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--header", required=True)
    ap.add_argument("--lib", required=True)
    ap.add_argument("--ref", help="reference library (default: none, only "
                    "the self checks)")
    ap.add_argument("--func", help="only this function (C name without cw_)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rtol", type=float, default=1e-5)
    ap.add_argument("--atol", type=float, default=1e-5)
    ap.add_argument("--l1-bound", type=float, default=None)
    ap.add_argument("--trials", type=int, default=3,
                    help="random inputs per entry point")
    args = ap.parse_args()

    with open(args.header) as f:
        entries = parse_header(f.read())
    if args.func:
        entries = [e for e in entries if e[0] == "cw_" + args.func]
    if not entries:
        print("FAIL: no entry point found in %s" % args.header)
        return 1
    # A path without a slash would be looked up on the library path.
    lib = ctypes.CDLL(os.path.abspath(args.lib))
    ref = ctypes.CDLL(os.path.abspath(args.ref)) if args.ref else None
    rng = random.Random(args.seed)
    failed = False
    for symbol, ins, outs in entries:
        worst_abs, worst_rel, checked = 0.0, 0.0, 0
        problems = []
        for trial in range(args.trials):
            inputs, l1 = [], 0.0
            batch_l1 = None
            for _, t, shape in ins:
                buf = (CTYPES[t] * numel(shape))()
                for i in range(len(buf)):
                    if t in ("float", "double"):
                        v = rng.uniform(-1.0, 1.0)
                        l1 += abs(v)
                    else:
                        v = rng.randrange(-4, 5)
                    buf[i] = v
                inputs.append(buf)
            if len(ins) == 1 and ins[0][2] and ins[0][1] in ("float", "double"):
                shape = ins[0][2]
                per = numel(shape) // shape[0]
                vals = list(inputs[0])
                batch_l1 = [sum(abs(v) for v in vals[b * per:(b + 1) * per])
                            for b in range(shape[0])]
            rc, got = call(lib, symbol, inputs, outs)
            rc2, again = call(lib, symbol, inputs, outs)
            if rc != 0 or rc2 != 0:
                problems.append("returned %d" % (rc or rc2))
            if got != again and not all(
                    (a != a and b != b) or a == b
                    for x, y in zip(got, again) for a, b in zip(x, y)):
                problems.append("two calls gave different outputs")
            for (name, _, _), values in zip(outs, got):
                if any(isinstance(v, float) and math.isnan(v) for v in values):
                    problems.append("%s has NaN (not written?)" % name)
            if ref is None:
                continue
            rrc, want = call(ref, symbol, inputs, outs)
            if rrc != 0:
                problems.append("reference returned %d" % rrc)
            for (name, _, oshape), a, b in zip(outs, got, want):
                per_batch = (batch_l1 is not None and oshape
                             and oshape[0] == len(batch_l1))
                for i, (x, y) in enumerate(zip(a, b)):
                    err = abs(x - y)
                    worst_abs = max(worst_abs, err)
                    if y != 0:
                        worst_rel = max(worst_rel, err / abs(y))
                    if args.l1_bound is not None:
                        norm = l1
                        if per_batch:
                            norm = batch_l1[i // (len(a) // oshape[0])]
                        tol = args.atol + args.l1_bound * norm
                    else:
                        tol = args.atol + args.rtol * abs(y)
                    checked += 1
                    if not err <= tol:
                        problems.append("%s[%d] = %r, reference %r (|diff| %.3g > "
                                        "%.3g)" % (name, i, x, y, err, tol))
        if problems:
            failed = True
            print("FAIL %s: %s" % (symbol, "; ".join(problems[:5])))
        else:
            print("PASS %s: %d inputs x %d trials, %d outputs compared, max "
                  "abs err %.3g, max rel err %.3g"
                  % (symbol, len(ins), args.trials, checked, worst_abs,
                     worst_rel))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

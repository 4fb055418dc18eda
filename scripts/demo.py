#!/usr/bin/env python3
"""The cw demo: compress, compile and run the bundled LeNet-300-100.

  demo.py --build BUILD [--work-dir DIR] [--model ONNX] [--calls N]

1. cw-import models/lenet300100-clustered.onnx (pruned and clustered by
   training) to TOSA MLIR bytecode (bytecode keeps the ONNX node names, so
   the layers are named /ip1/Gemm, ...);
2. cw-compile it twice: compressed by cw-compress's default pipeline
   (Deep Compression: relative-index sparse rows, Huffman-coded cluster
   indices and gaps, 5-bit FC / 8-bit conv clusters), and uncompressed
   through MLIR's upstream dense TOSA pipeline (--no-compress);
3. cw-run both on the 10,000 Fashion-MNIST test images (top-1) and time
   batch-1 calls of both in alternating rounds;
4. print the table.

No option departs from the defaults: the model is already pruned by
training (8 % / 9 % / 26 % per layer), and cw-prune keeps the mask of a
layer that is at least 30 % exact zeros unless sparsity= or threshold= is
given
(pruning ip3 again to 10 % without retraining would cost about 10 points).
Clustering with k = 32 keeps the trained centroids exactly (every layer has
at most 32 distinct values). Everything but the latency is deterministic.
Exits 1 if a step fails or if top-1 drops by more than 0.5 points.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPRESS = ""  # cw-compress with its defaults
MAX_LOSS_POINTS = 0.5


class StepError(Exception):
    pass


def run(cmd, what):
    """Runs a command; raises StepError with its output on failure."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    if proc.returncode != 0:
        raise StepError("%s failed (exit %d): %s\n%s%s" % (
            what, proc.returncode, " ".join(cmd), proc.stdout, proc.stderr))
    return proc.stdout


def tool(build, name):
    path = os.path.join(build, "bin", name)
    if not os.access(path, os.X_OK):
        raise StepError("%s not found: build cw first (scripts/build.sh)"
                        % path)
    return path


def short_name(layer):
    """'/ip1/Gemm' -> 'ip1'."""
    parts = [p for p in layer.split("/") if p]
    return parts[0] if len(parts) == 2 else layer


def kib(n):
    return "%.1f KiB" % (n / 1024.0)


def table(rows, align):
    """Aligned text table; align is a string of 'l'/'r' per column."""
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    out = []
    for k, r in enumerate(rows):
        cells = [str(c).ljust(w) if a == "l" else str(c).rjust(w)
                 for c, w, a in zip(r, widths, align)]
        out.append("  ".join(cells).rstrip())
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"),
                    help="cw build directory (default: build)")
    ap.add_argument("--work-dir", help="where the files go (default: "
                    "BUILD/demo, emptied first)")
    ap.add_argument("--model", default=os.path.join(
        ROOT, "models", "lenet300100-clustered.onnx"))
    ap.add_argument("--calls", type=int, default=2000,
                    help="timed batch-1 calls per library")
    ap.add_argument("--data-dir", help="Fashion-MNIST directory (default: "
                    "cw-run's)")
    args = ap.parse_args()

    build = os.path.abspath(args.build)
    work = os.path.abspath(args.work_dir or os.path.join(build, "demo"))
    try:
        cw_import = tool(build, "cw-import")
        cw_compile = tool(build, "cw-compile")
        cw_run = tool(build, "cw-run")
        if os.path.isdir(work):
            shutil.rmtree(work)
        os.makedirs(work)
        mlir = os.path.join(work, "model.mlirbc")
        run([cw_import, args.model, "--emit-bytecode", "-o", mlir],
            "cw-import")
        cw_so = os.path.join(work, "model_cw.so")
        dense_so = os.path.join(work, "model_dense.so")
        header = os.path.join(work, "model.h")
        report = os.path.join(work, "model_cw.json")
        compress = ["--cw-compress=" + COMPRESS] if COMPRESS else []
        run([cw_compile, mlir] + compress + ["--shared", "-o", cw_so,
                                             "--header", header,
                                             "--report", report],
            "cw-compile (compressed)")
        run([cw_compile, mlir, "--no-compress", "--shared", "-o", dense_so,
             "--header", os.path.join(work, "model_dense.h")],
            "cw-compile (uncompressed)")
        cmd = [cw_run, cw_so, "--header", header, "--ref", dense_so,
               "--calls", str(args.calls), "--json"]
        if args.data_dir:
            cmd += ["--data-dir", args.data_dir]
        result = json.loads(run(cmd, "cw-run"))
        with open(report) as f:
            rep = json.load(f)
    except (StepError, OSError, ValueError) as e:
        print("demo: error: %s" % e, file=sys.stderr)
        return 1

    ref = result["reference"]
    images = result["images"]
    top1_after = 100.0 * result["correct"] / images
    top1_before = 100.0 * ref["correct"] / images

    print("cw demo: %s, Fashion-MNIST test set (%d images)"
          % (os.path.relpath(args.model, os.getcwd()), images))
    print("cw-compress options: %s (the default pipeline: the prune step "
          "keeps the trained masks)\n" % ("'%s'" % COMPRESS if COMPRESS
                                          else "none"))

    rows = [["layer", "shape", "density", "clusters", "encoding",
             "fp32 bytes", "encoded bytes", "ratio"]]
    for l in rep["layers"]:
        rows.append([short_name(l["name"]), "x".join(map(str, l["shape"])),
                     "%.1f %%" % (100 * l["density"]), l["clusters"],
                     l["attribute"], "{:,}".format(l["original_bytes"]),
                     "{:,}".format(l["encoded_bytes"]),
                     "%.1fx" % l["ratio"]])
    t = rep["total"]
    rows.append(["total", "", "%.1f %%" % (100 * t["density"]), "", "",
                 "{:,}".format(t["original_bytes"]),
                 "{:,}".format(t["encoded_bytes"]), "%.1fx" % t["ratio"]])
    print(table(rows, "llrrlrrr"))
    print()

    lat, ref_lat = result["latency"], ref["latency"]
    so_cw, so_dense = os.path.getsize(cw_so), os.path.getsize(dense_so)
    rows = [["", "uncompressed (MLIR dense)", "cw (compressed)", "ratio"],
            ["weights", "{:,} B".format(t["original_bytes"]),
             "{:,} B".format(t["encoded_bytes"]), "%.1fx" % t["ratio"]],
            ["shared library", kib(so_dense), kib(so_cw),
             "%.1fx" % (so_dense / so_cw)],
            ["top-1", "%.2f %%" % top1_before, "%.2f %%" % top1_after,
             "%+.2f points" % (top1_after - top1_before)],
            ["batch-1 latency, median", "%.1f us" % ref_lat["median_us"],
             "%.1f us" % lat["median_us"],
             "%.2fx" % (ref_lat["median_us"] / lat["median_us"])],
            ["batch-1 latency, p90", "%.1f us" % ref_lat["p90_us"],
             "%.1f us" % lat["p90_us"],
             "%.2fx" % (ref_lat["p90_us"] / lat["p90_us"])]]
    print(table(rows, "lrrr"))
    threads = result.get("threads", 0)
    print("\ntop-1 agreement: %d / %d images, max |logit diff| %.3g; "
          "latency: %d calls each, %s, alternating rounds"
          % (ref["agree"], images, ref["max_abs_logit_diff"], lat["calls"],
             "one thread" if threads == 1 else "%d threads" % threads))
    print("files: %s" % work)

    if top1_before - top1_after > MAX_LOSS_POINTS:
        print("demo: error: top-1 dropped by %.2f points (more than %.1f)"
              % (top1_before - top1_after, MAX_LOSS_POINTS), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Regenerates docs/results.md: the four papers' tables on cw's LeNets.

  results.py [--build BUILD] [--out docs/results.md] [--models lenet300100,lenet5]
             [--work-dir DIR] [--budget 0.3] [--select-count 5000] [--calls 1000]

From the committed ONNX models (models/*.onnx) it imports, compresses and
compiles every variant with cw-import / cw-opt / cw-compile, runs each one on
the 10,000 Fashion-MNIST test images with cw-run (top-1, batch-1 latency)
and writes:

  * Deep Compression Tables 2-3: weights % after pruning, weight and index
    bits with and without Huffman coding (P+Q, P+Q+H), compression rate;
  * Weightless Table 2: CSR against Bloomier filters, per layer;
  * DeepSZ Table 2: CSR against SZ error-bounded coding, per layer, with the
    error bounds picked by DeepSZ's Algorithms 1-2;
  * Succinct Table 3: Huffman against wavelet trees (element-/block-wise);
  * per model, whole-model ratio and top-1 per encoding, the default
    pipeline and the best encoding per layer.

Every choice (DeepSZ's error bounds, the best encoding per layer) is made on
a selection set, the first --select-count *training* images, never on the
test set; the test set only measures. An encoding whose fused kernels do not
compile yet is measured through `cw-compile --cw-reference` (weights decoded
by the codec's reference decoder, compiled densely): the same weights, so
the same top-1, but no cw latency; such rows say "reference".
Sizes and top-1 are deterministic; latencies depend on the machine's load.
"""
import argparse
import hashlib
import heapq
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MODELS = {
    "lenet300100": {"title": "LeNet-300-100", "paper_dc": "40x",
                    "paper_sz": "55.8x"},
    "lenet5": {"title": "LeNet-5", "paper_dc": "39x", "paper_sz": "57.3x"},
}
# cw-compress with this prune setting keeps exactly the zeros the models were
# trained with (see "Settings" in the generated page).
BASE = {"threshold": "0"}
BLOOMIER_T = [8, 12, 16]
SZ_BOUNDS = [1e-3, 3e-3, 1e-2, 3e-2, 1e-1]
LOSSY_SZ_BOUNDS = [1e-2, 3e-2, 1e-1]


class StepError(Exception):
    pass


def log(msg):
    print("results: " + msg, file=sys.stderr, flush=True)


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    return p.returncode, p.stdout, p.stderr


def first_error(text):
    for line in text.splitlines():
        if "error" in line:
            return line.strip()
    return text.strip().splitlines()[-1] if text.strip() else "failed"


def opt_string(glob, layers=None):
    """cw-compress/cw-encode option text: 'k=v ... layer=L:k=v,L2:k=v'."""
    parts = ["%s=%s" % kv for kv in sorted(glob.items())]
    if layers:
        entries = [":".join([name] + ["%s=%s" % kv
                                      for kv in sorted(o.items())])
                   for name, o in sorted(layers.items()) if o]
        if entries:
            parts.append("layer=" + ",".join(entries))
    return " ".join(parts)


def short(name):
    """'/ip1/Gemm' -> 'ip1'."""
    parts = [p for p in name.split("/") if p]
    return parts[0] if len(parts) == 2 else name


class Build:
    def __init__(self, key, so=None, header=None, report=None, kind=None,
                 note="", error=None):
        self.key, self.so, self.header, self.report = key, so, header, report
        self.kind, self.note, self.error = kind, note, error


class Bench:
    """Runs the tools, with every artefact cached by its command line."""

    def __init__(self, args):
        self.args = args
        b = os.path.join(os.path.abspath(args.build), "bin")
        self.tool = {t: os.path.join(b, t) for t in
                     ("cw-import", "cw-opt", "cw-compile", "cw-run")}
        for t, p in self.tool.items():
            if not os.access(p, os.X_OK):
                raise StepError("%s not found: build cw first" % p)
        self.work = args.work_dir
        self.builds, self.evals, self.sizes_cache = {}, {}, {}
        self.evals_path = os.path.join(self.work, "evals.json")
        if os.path.exists(self.evals_path):
            with open(self.evals_path) as f:
                self.evals = json.load(f)
        self.data = args.data_dir or os.environ.get(
            "CW_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")

    def path(self, key, ext):
        h = hashlib.sha1(key.encode()).hexdigest()[:12]
        return os.path.join(self.work, h + ext)

    def mlir(self, model, stage):
        out = os.path.join(self.work, "%s-%s.mlirbc" % (model, stage))
        if not os.path.exists(out):
            onnx = os.path.join(ROOT, "models", "%s-%s.onnx" % (model, stage))
            rc, o, e = run([self.tool["cw-import"], onnx, "--emit-bytecode",
                            "-o", out])
            if rc:
                raise StepError("cw-import %s: %s" % (onnx, first_error(e)))
        return out

    def sizes(self, mlir, opts):
        """The cw-compress report for `opts`, without compiling."""
        key = mlir + "|" + opts
        if key not in self.sizes_cache:
            rep = self.path(key, ".sizes.json")
            rc, o, e = (0, "", "") if os.path.exists(rep) else run([self.tool["cw-opt"], mlir,
                            "--cw-compress=%s report-json=%s" % (opts, rep),
                            "-o", os.devnull])
            if rc:
                raise StepError("cw-opt --cw-compress='%s': %s"
                                % (opts, first_error(e)))
            with open(rep) as f:
                self.sizes_cache[key] = json.load(f)
        return self.sizes_cache[key]

    def compile(self, mlir, opts=None, encode=None):
        """opts: cw-compress options (None: --no-compress). encode: instead,
        cw-opt --cw-encode options run first (DeepSZ on unclustered
        weights). Falls back to --cw-reference when the fused kernels do
        not compile."""
        key = "%s|%s|%s" % (mlir, opts, encode)
        if key in self.builds:
            return self.builds[key]
        so, hdr, rep = (self.path(key, e) for e in (".so", ".h", ".json"))
        meta = self.path(key, ".meta.json")
        if os.path.exists(meta):  # --keep: built by an earlier run
            with open(meta) as f:
                m = json.load(f)
            b = Build(key, m.get("so"), m.get("header"), m.get("report"),
                      m.get("kind"), m.get("note", ""), m.get("error"))
            self.builds[key] = b
            return b
        b = self.compile_new(key, mlir, opts, encode, so, hdr, rep)
        with open(meta, "w") as f:
            json.dump({"so": b.so, "header": b.header, "report": b.report,
                       "kind": b.kind, "note": b.note, "error": b.error}, f)
        self.builds[key] = b
        return b

    def compile_new(self, key, mlir, opts, encode, so, hdr, rep):
        src, args = mlir, []
        if encode is not None:
            src = self.path(key, ".enc.mlirbc")
            erep = self.path(key, ".enc.json")
            rc, o, e = run([self.tool["cw-opt"], mlir,
                            "--cw-encode=%s report-json=%s" % (encode, erep),
                            "--cw-fuse", "--emit-bytecode", "-o", src])
            if rc:
                return Build(key, error="cw-opt --cw-encode: " +
                             first_error(e))
            args = ["--no-compress"]
        elif opts is None:
            args = ["--no-compress"]
        else:
            args = ["--cw-compress=" + opts]
        base = [self.tool["cw-compile"], src] + args + [
            "--shared", "-o", so, "--header", hdr, "--report", rep]
        rc, o, e = run(base)
        kind, note = "fused", ""
        if rc:
            note = first_error(e)
            rc, o, e2 = run(base + ["--cw-reference"])
            kind = "reference"
            if rc:
                return Build(key, error="cw-compile: " + first_error(e2))
        with open(rep) as f:
            report = json.load(f)
        if encode is not None:
            with open(erep) as f:
                report["layers"] = json.load(f)["layers"]
        return Build(key, so, hdr, report,
                     kind if opts is not None or encode else "dense", note)

    def evaluate(self, build, dataset="test", latency=False):
        """cw-run: {'correct', 'images', 'top1' (%), 'median_us', 'p90_us'}."""
        if build.error:
            return None
        key = "%s|%s|%s" % (build.key, dataset, latency)
        if key in self.evals:
            return self.evals[key]
        cmd = [self.tool["cw-run"], build.so, "--header", build.header,
               "--json", "--calls",
               str(self.args.calls if latency else 0)]
        if dataset == "select":
            cmd += ["--images", os.path.join(
                        self.data, "train-images-idx3-ubyte.gz"),
                    "--labels", os.path.join(
                        self.data, "train-labels-idx1-ubyte.gz"),
                    "--count", str(self.args.select_count)]
        else:
            cmd += ["--data-dir", self.data]
        rc, o, e = run(cmd)
        if rc:
            raise StepError("cw-run %s: %s" % (build.so, first_error(e)))
        r = json.loads(o)
        res = {"correct": r["correct"], "images": r["images"],
               "top1": 100.0 * r["correct"] / r["images"]}
        if latency:
            res["median_us"] = r["latency"]["median_us"]
            res["p90_us"] = r["latency"]["p90_us"]
        self.evals[key] = res
        with open(self.evals_path, "w") as f:
            json.dump(self.evals, f, indent=0, sort_keys=True)
        return res


# --- weights and Deep Compression's bit counts -------------------------------

def onnx_layers(model, stage):
    """{layer name as cw reports it: weight matrix in cw's orientation}."""
    import numpy as np
    import onnx
    from onnx import numpy_helper
    m = onnx.load(os.path.join(ROOT, "models", "%s-%s.onnx" % (model, stage)))
    out = {}
    for init in m.graph.initializer:
        if not init.name.endswith(".weight"):
            continue
        w = numpy_helper.to_array(init).astype(np.float32)
        layer = init.name[:-len(".weight")]
        if w.ndim == 4:  # [M, C, KH, KW] -> cw's [OC, KH, KW, IC] rows
            out["/%s/Conv" % layer] = w.transpose(0, 2, 3, 1).reshape(
                w.shape[0], -1)
        else:            # Gemm transB = 1: [out, in], as cw encodes it
            out["/%s/Gemm" % layer] = w
    return out


def huffman_lengths(freqs):
    """Code length per symbol of an optimal (unlimited) Huffman code."""
    items = [(f, i, [s]) for i, (s, f) in enumerate(sorted(freqs.items()))
             if f > 0]
    if len(items) == 1:
        return {items[0][2][0]: 1}
    lengths = {s: 0 for _, _, ss in items for s in ss}
    heapq.heapify(items)
    n = len(items)
    while len(items) > 1:
        f1, _, s1 = heapq.heappop(items)
        f2, _, s2 = heapq.heappop(items)
        for s in s1 + s2:
            lengths[s] += 1
        heapq.heappush(items, (f1 + f2, n, s1 + s2))
        n += 1
    return lengths


def csr_gap_bits(layer):
    """The gap width of a report layer's #cw.csr attribute (default 5)."""
    m = re.search(r"gap_bits = (\d+)", layer["attribute"])
    return int(m.group(1)) if m else 5


def relative_index_streams(w, gap_bits):
    """Deep Compression's (gap, cluster index) entries, fillers included, as
    cw's csr codec builds them (RelativeIndex.h): per row, gap = zero
    columns skipped; a gap over 2^b - 1 first takes filler entries."""
    import numpy as np
    values = np.unique(w[w != 0])
    index_of = {float(v): i + 1 for i, v in enumerate(values)}
    span = 1 << gap_bits
    gaps, idx = {}, {}
    entries = fillers = 0
    for row in w:
        cols = np.flatnonzero(row)
        d = np.diff(np.concatenate(([-1], cols))) - 1
        f = d // span
        fillers += int(f.sum())
        for g in (d % span).tolist():
            gaps[g] = gaps.get(g, 0) + 1
        for v in row[cols].tolist():
            k = index_of[v]
            idx[k] = idx.get(k, 0) + 1
        if f.sum():
            gaps[span - 1] = gaps.get(span - 1, 0) + int(f.sum())
            idx[0] = idx.get(0, 0) + int(f.sum())
        entries += len(cols) + int(f.sum())
    return {"entries": entries, "fillers": fillers, "gaps": gaps,
            "indices": idx, "clusters": len(values)}


def avg_bits(freqs):
    lengths = huffman_lengths(freqs)
    total = sum(freqs.values())
    return sum(freqs[s] * lengths[s] for s in freqs) / total


# --- formatting ---------------------------------------------------------------

def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---" if i == 0 else "---:"
                          for i in range(len(header))) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(out)


def num(n):
    return "{:,}".format(int(n))


def ratio(orig, enc):
    return "%.1fx" % (orig / enc) if enc else "-"


def top1_cell(ev, base=None):
    if ev is None:
        return "failed"
    s = "%.2f %%" % ev["top1"]
    if base is not None:
        s += " (%+.2f)" % (ev["top1"] - base["top1"])
    return s


def whole_sizes(layers, report):
    """(fp32 bytes of every weight layer, bytes as compiled): a layer the
    report does not list stays fp32."""
    enc = {l["name"]: l for l in report["layers"]} if report else {}
    orig = sum(l["original_bytes"] for l in layers)
    comp = sum(enc[l["name"]]["encoded_bytes"] if l["name"] in enc
               else l["original_bytes"] for l in layers)
    return orig, comp


# --- the studies ----------------------------------------------------------------

class ModelStudy:
    def __init__(self, bench, model, args):
        self.b, self.model, self.args = bench, model, args
        self.title = MODELS[model]["title"]
        self.clustered = bench.mlir(model, "clustered")
        self.pruned = bench.mlir(model, "pruned")
        self.dense = bench.mlir(model, "dense")
        rep = bench.sizes(self.clustered, opt_string(BASE))
        self.layers = rep["layers"]
        self.names = [l["name"] for l in self.layers]
        self.summary = []  # (label, build, eval, note)
        self.out = []

    def ev(self, build, dataset="test", latency=False):
        return self.b.evaluate(build, dataset, latency)

    def compress(self, glob=None, layers=None, mlir=None):
        g = dict(BASE)
        g.update(glob or {})
        return self.b.compile(mlir or self.clustered, opt_string(g, layers))

    def add_summary(self, label, build, note=""):
        ev = self.ev(build, "test", latency=build.kind in ("fused", "dense"))
        self.summary.append((label, build, ev, note))
        return ev

    # Models and settings.
    def baselines(self):
        acc = json.load(open(os.path.join(ROOT, "models", "accuracy.json")))
        stages = acc["models"][self.model]["stages"]
        rows = []
        self.base = {}
        for stage, mlir in (("dense", self.dense), ("pruned", self.pruned),
                            ("clustered", self.clustered)):
            b = self.b.compile(mlir)
            ev = self.ev(b)
            self.base[stage] = ev
            rows.append(["`%s-%s.onnx`" % (self.model, stage),
                         "%.2f %%" % (100 * stages[stage]["top1"]),
                         top1_cell(ev),
                         "%.2f %%" % (100 * stages[stage]["total"]["density"])])
        self.base_select = self.ev(self.b.compile(self.clustered), "select")
        self.out.append("### Models\n")
        self.out.append(md_table(
            ["model", "top-1 (accuracy.json)", "top-1 (cw-run, --no-compress)",
             "weights kept"], rows))
        # The prune setting.
        d = self.b.compile(self.clustered, opt_string({"sparsity": "0.9"}))
        t = self.compress()
        rows = []
        for label, b in (("`sparsity=0.9` (explicit)", d),
                         ("`threshold=0`", t)):
            o, c = whole_sizes(self.layers, b.report)
            dens = ", ".join("%s %.0f %%" % (short(l["name"]),
                                            100 * l["density"])
                             for l in b.report["layers"])
            rows.append([label, dens, ratio(o, c),
                         top1_cell(self.ev(b), self.base["clustered"])])
        self.out.append("\nThe prune step on the clustered model (the rest "
                        "of the pipeline at its defaults):\n")
        self.out.append(md_table(["prune setting", "density per layer",
                                  "ratio", "top-1 (vs uncompressed)"], rows))
        self.add_summary("uncompressed (MLIR dense pipeline)",
                         self.b.compile(self.clustered))

    # Deep Compression Tables 2-3.
    def deep_compression(self):
        w = onnx_layers(self.model, "clustered")
        pq = self.compress({"huffman-indices": "false",
                            "huffman-gaps": "false"})
        pqh = self.compress()
        rep_pq = {l["name"]: l for l in pq.report["layers"]}
        rep_pqh = {l["name"]: l for l in pqh.report["layers"]}
        rows = []
        tot = {"w": 0, "nz": 0, "e": 0, "e_pq": 0, "wb": 0.0, "wbh": 0.0,
               "ib": 0.0,
               "ibh": 0.0, "o": 0, "pq": 0, "pqh": 0}
        for name in self.names:
            m = w[name]
            lp, lh = rep_pq[name], rep_pqh[name]
            # The gap widths cw-encode chose (auto: the smallest blob).
            gap_bits, gap_bits_h = csr_gap_bits(lp), csr_gap_bits(lh)
            s_pq = relative_index_streams(m, gap_bits)
            s = relative_index_streams(m, gap_bits_h)
            if s["entries"] - s["fillers"] != lh["nonzeros"]:
                raise StepError("%s: %d nonzeros in the ONNX file, %d in the "
                                "report" % (name, s["entries"] - s["fillers"],
                                            lh["nonzeros"]))
            wbits = math.ceil(math.log2(s["clusters"] + 1))
            wb_h, ib_h = avg_bits(s["indices"]), avg_bits(s["gaps"])
            e, e_pq = s["entries"], s_pq["entries"]
            tot["w"] += lh["weights"]
            tot["nz"] += lh["nonzeros"]
            tot["e"] += e
            tot["e_pq"] += e_pq
            tot["wb"] += wbits * e_pq
            tot["wbh"] += wb_h * e
            tot["ib"] += gap_bits * e_pq
            tot["ibh"] += ib_h * e
            tot["o"] += lh["original_bytes"]
            tot["pq"] += lp["encoded_bytes"]
            tot["pqh"] += lh["encoded_bytes"]
            rows.append([
                short(name), num(lh["weights"]),
                "%.1f %%" % (100 * lh["density"]),
                "%d" % wbits, "%.2f" % wb_h, "%d" % gap_bits,
                "%.2f (%d-bit gaps)" % (ib_h, gap_bits_h),
                "%s / %s" % (num(s_pq["fillers"]), num(s["fillers"])),
                "%.2f %% (%s)" % (100 * lp["encoded_bytes"] /
                                  lp["original_bytes"],
                                  ratio(lp["original_bytes"],
                                        lp["encoded_bytes"])),
                "%.2f %% (%s)" % (100 * lh["encoded_bytes"] /
                                  lh["original_bytes"],
                                  ratio(lh["original_bytes"],
                                        lh["encoded_bytes"]))])
        e = tot["e"]
        rows.append([
            "**total**", num(tot["w"]),
            "%.1f %% (%s)" % (100 * tot["nz"] / tot["w"],
                              ratio(tot["w"], tot["nz"])),
            "%.2f" % (tot["wb"] / tot["e_pq"]), "%.2f" % (tot["wbh"] / e),
            "%.2f" % (tot["ib"] / tot["e_pq"]), "%.2f" % (tot["ibh"] / e), "",
            "%.2f %% (%s)" % (100 * tot["pq"] / tot["o"],
                              ratio(tot["o"], tot["pq"])),
            "%.2f %% (%s)" % (100 * tot["pqh"] / tot["o"],
                              ratio(tot["o"], tot["pqh"]))])
        ev_pq, ev_pqh = self.ev(pq), self.ev(pqh)
        rows.append(["top-1", "", "", "", "", "", "", "",
                     top1_cell(ev_pq, self.base["clustered"]),
                     top1_cell(ev_pqh, self.base["clustered"])])
        self.out.append("\n### Deep Compression (Han et al., Tables 2-3)\n")
        self.out.append(
            "Pruning (P) and quantisation (Q) come from training "
            "(`%s-clustered.onnx`); cw adds the relative-index sparse format "
            "and Huffman coding (H). Weight bits: the cluster index of an "
            "entry (fixed width ceil(log2(k+1)) for P+Q, the average "
            "Huffman code length for P+Q+H); index bits: the relative index "
            "(gap), likewise, with the gap width cw-encode chose for the "
            "layer (auto: the smallest blob; Deep Compression fixed 5 bits "
            "for FC, 8 for conv). Per entry, filler entries included "
            "(fillers: P+Q / P+Q+H). Rates are "
            "the encoded bytes (blob, code tables, codebook, row counts) "
            "over fp32 bytes, as cw-compile reports them. Paper: 8 %% of "
            "the weights kept, %s.\n" % (self.model,
                                         MODELS[self.model]["paper_dc"]))
        self.out.append(md_table(
            ["layer", "weights", "weights % (P)", "weight bits P+Q",
             "weight bits P+Q+H", "index bits P+Q", "index bits P+Q+H",
             "fillers", "rate P+Q", "rate P+Q+H"], rows))
        self.add_summary("csr without Huffman (P+Q)", pq)
        self.add_summary("**csr, the default pipeline (P+Q+H)**", pqh)
        self.default_build = pqh

    # Weightless Table 2.
    def weightless(self):
        csr = {l["name"]: l for l in self.compress().report["layers"]}
        rows = []
        for name in self.names:
            k = csr[name]["clusters"]
            zeros = csr[name]["weights"] - csr[name]["nonzeros"]
            for t in BLOOMIER_T:
                if (1 << t) <= k:
                    continue
                b = self.compress(layers={name: {"encoding": "bloomier",
                                                 "cell-bits": t}})
                if b.error:
                    rows.append([short(name), num(csr[name]["nonzeros"]),
                                 num(csr[name]["encoded_bytes"]), t,
                                 "failed: " + b.error, "", "", ""])
                    continue
                l = {x["name"]: x for x in b.report["layers"]}[name]
                rows.append([
                    short(name), num(l["nonzeros"]),
                    num(csr[name]["encoded_bytes"]), t,
                    num(l["encoded_bytes"]),
                    "%.2f" % (csr[name]["encoded_bytes"] /
                              l["encoded_bytes"]),
                    "%s (%.2f %%)" % (num(l["false_positives"]),
                                      100 * l["false_positives"] / zeros),
                    top1_cell(self.ev(b), self.base["clustered"]) +
                    (" ref" if b.kind == "reference" else "")])
        self.out.append("\n### Weightless (Reagen et al., Table 2): CSR vs "
                        "Bloomier filter, per layer\n")
        self.out.append(
            "One layer at a time is a Bloomier filter (t-bit cells, 3 "
            "hashes, cells range-coded), the others stay csr. A pruned "
            "position is a false positive with probability about k / 2^t; "
            "Weightless retrains the network around its false positives, cw "
            "does not train, so t must grow until they stop costing "
            "accuracy. CSR/Bloomier > 1 means the filter is smaller. "
            "`ref`: measured on the reference build.\n")
        self.out.append(md_table(
            ["layer", "nonzeros", "csr bytes", "t", "Bloomier bytes",
             "CSR / Bloomier", "false positives (of the zeros)",
             "top-1 (vs uncompressed)"], rows))
        self.add_summary("bloomier (t = 8, every layer)",
                         self.compress({"encoding": "bloomier"}))

    # DeepSZ: Algorithm 1 (per-layer error bounds) and 2 (combination).
    def deepsz(self):
        budget = self.select_budget()
        base_sel = self.ev(self.b.compile(self.pruned), "select")
        w = onnx_layers(self.model, "pruned")
        csr = {l["name"]: l for l in self.compress().report["layers"]}
        options = {}   # name -> [(eb, bytes, drop in images)]
        sweep = []
        for name in self.names:
            options[name] = []
            for eb in SZ_BOUNDS:
                enc = opt_string({"encoding": "sz", "error-bound": eb},
                                 {n: {"skip": "true"} for n in self.names
                                  if n != name})
                b = self.b.compile(self.pruned, encode=enc)
                if b.error:
                    sweep.append((name, eb, None, b.error))
                    continue
                l = {x["name"]: x for x in b.report["layers"]}[name]
                ev = self.ev(b, "select")
                drop = base_sel["correct"] - ev["correct"]
                options[name].append(
                    (eb, l["original_bytes"] - l["encoded_bytes"], drop))
                sweep.append((name, eb, l["encoded_bytes"], drop))
        choice = choose(options, budget, lambda c: self.deepsz_build(c),
                        lambda b: base_sel["correct"] -
                        self.ev(b, "select")["correct"])
        final = self.deepsz_build(choice)
        rows = []
        for name in self.names:
            m = w[name]
            s = relative_index_streams(m, 8)
            eb = choice.get(name)
            one = (self.deepsz_build({name: eb}) if eb else None)
            l = ({x["name"]: x for x in one.report["layers"]}[name]
                 if one and not one.error else None)
            fp32_csr = 5 * s["entries"]
            rows.append([
                short(name), num(csr[name]["original_bytes"]),
                num(csr[name]["nonzeros"]),
                "%s (%s)" % (num(fp32_csr),
                             ratio(csr[name]["original_bytes"], fp32_csr)),
                "%s (%s)" % (num(csr[name]["encoded_bytes"]),
                             ratio(csr[name]["original_bytes"],
                                   csr[name]["encoded_bytes"])),
                "%g" % eb if eb else "none",
                ("%s (%s)" % (num(l["encoded_bytes"]),
                              ratio(l["original_bytes"], l["encoded_bytes"]))
                 if l else "fp32"),
                top1_cell(self.ev(one), self.base["pruned"])
                if one else ""])
        o, c = whole_sizes(self.layers, final.report)
        rows.append(["**model**", num(o), "", "", "", "",
                     "%s (%s)" % (num(c), ratio(o, c)),
                     top1_cell(self.ev(final), self.base["pruned"])])
        self.out.append("\n### DeepSZ (Jin et al., Table 2): CSR vs SZ, per "
                        "layer\n")
        self.out.append(
            "SZ codes the *pruned* model's nonzero values (%s-pruned.onnx, "
            "not clustered) with an error bound eb, and the gaps losslessly. "
            "The fp32 CSR column counts DeepSZ's baseline: 32-bit values and "
            "8-bit gaps (5 bytes per entry, fillers included); the cw csr "
            "column is the default pipeline on the clustered model. "
            "Algorithm 1: every layer alone at eb in %s, top-1 drop measured "
            "on the selection set; Algorithm 2: the per-layer bounds of "
            "least total size whose summed drops stay within %.2f points, "
            "checked on the whole model (below). Each row: top-1 on the "
            "test set with only that layer coded (vs the pruned model "
            "uncompressed, %.2f %%); the last row, all layers together. "
            "Paper: %s.\n" % (self.model,
                              ", ".join("%g" % e for e in SZ_BOUNDS),
                              self.args.budget, self.base["pruned"]["top1"],
                              MODELS[self.model]["paper_sz"]))
        self.out.append(md_table(
            ["layer", "fp32 bytes", "nonzeros", "fp32 CSR bytes",
             "cw csr bytes", "eb", "SZ bytes", "top-1 (vs pruned)"], rows))
        self.out.append("\nAlgorithm 1 on the selection set (%d training "
                        "images): size, and the change in correctly classified "
                        "images, per layer and bound.\n" % self.args.select_count)
        srows = []
        for name in self.names:
            cells = []
            for eb in SZ_BOUNDS:
                hit = [s for s in sweep if s[0] == name and s[1] == eb]
                if not hit or hit[0][2] is None:
                    cells.append("failed")
                else:
                    cells.append("%s B, %+d" % (num(hit[0][2]), -hit[0][3]))
            srows.append([short(name)] + cells)
        self.out.append(md_table(["layer"] + ["eb %g" % e for e in SZ_BOUNDS],
                                 srows))
        self.add_summary("sz (eb = 1e-3, clustered model)",
                         self.compress({"encoding": "sz"}))
        self.add_summary("DeepSZ (pruned model, per-layer eb)", final,
                         "vs pruned: %+.2f" % (self.ev(final)["top1"] -
                                               self.base["pruned"]["top1"]))

    def deepsz_build(self, choice):
        per = {n: ({"error-bound": choice[n]} if n in choice
                   else {"skip": "true"}) for n in self.names}
        return self.b.compile(self.pruned,
                              encode=opt_string({"encoding": "sz"}, per))

    def select_budget(self):
        """The top-1 budget in images of the selection set."""
        return int(self.args.budget / 100.0 * self.args.select_count)

    # Succinct Table 3.
    def succinct(self):
        encs = [("huffman", {"encoding": "huffman"}),
                ("wavelet element", {"encoding": "wavelet",
                                     "wavelet-mode": "element"}),
                ("wavelet block", {"encoding": "wavelet",
                                   "wavelet-mode": "block"}),
                ("wavelet sparse", {"encoding": "wavelet",
                                    "wavelet-mode": "sparse"}),
                ("csr", {})]
        reps = [(label, self.b.sizes(self.clustered,
                                     opt_string(dict(BASE, **o))))
                for label, o in encs]
        rows = []
        for name in self.names + [None]:
            row = [short(name) if name else "**model**"]
            for label, rep in reps:
                if name:
                    l = {x["name"]: x for x in rep["layers"]}[name]
                    o, c = l["original_bytes"], l["encoded_bytes"]
                else:
                    o, c = whole_sizes(self.layers, rep)
                row.append("%s (%s)" % (num(c), ratio(o, c)))
            rows.append(row)
        top = ["top-1"]
        for label, o in encs:
            b = self.compress(o)
            if label != "csr":
                self.add_summary(label, b)
            top.append(top1_cell(self.ev(b), self.base["clustered"]) +
                       (" ref" if b.kind == "reference" else ""))
        rows.append(top)
        self.out.append("\n### Succinct (Table 3): Huffman vs wavelet trees\n")
        self.out.append(
            "All lossless on the clustered model. huffman: every position's "
            "cluster index (zeros included) Huffman-coded; wavelet element: "
            "the element-wise sequence of cluster indices in a wavelet tree "
            "(rank/select access); block: the sequence of blocks of 4 "
            "indices; sparse: the (relative position, value) tuples of the "
            "nonzeros; csr for comparison. `ref`: measured on the reference "
            "build.\n")
        self.out.append(md_table(["layer"] + [e[0] for e in encs], rows))

    # The best encoding per layer.
    def best_per_layer(self):
        budget = self.select_budget()
        # Lossless: the smallest encoding per layer from a grid of global
        # settings (sizes only, no compile).
        grid = [{"encoding": "huffman"}, {"encoding": "dense"}]
        for mode in ("element", "block", "sparse"):
            grid.append({"encoding": "wavelet", "wavelet-mode": mode})
        for gb in range(3, 9):
            for hi in ("true", "false"):
                for hg in ("true", "false"):
                    for rpc in (None, "100000"):
                        o = {"gap-bits": gb, "huffman-indices": hi,
                             "huffman-gaps": hg}
                        if rpc:
                            o["rows-per-chunk"] = rpc
                        grid.append(o)
        best = {}
        for o in grid:
            rep = self.b.sizes(self.clustered, opt_string(dict(BASE, **o)))
            for l in rep["layers"]:
                if (l["name"] not in best or
                        l["encoded_bytes"] < best[l["name"]][1]):
                    best[l["name"]] = (o, l["encoded_bytes"])
        lossless = {n: best[n][0] for n in self.names}
        lossless_build = self.compress(layers=lossless)
        self.add_summary("best lossless encoding per layer", lossless_build)

        # Lossy candidates, each alone on top of the lossless choice.
        base_sel = self.ev(lossless_build, "select")
        options = {}
        for name in self.names:
            options[name] = []
            conv = name.endswith("Conv")
            cands = []
            for bits in ((6, 5, 4, 3) if conv else (4, 3, 2)):
                cands.append(dict(lossless[name], bits=bits))
            for eb in LOSSY_SZ_BOUNDS:
                cands.append({"encoding": "sz", "error-bound": eb})
            for t in BLOOMIER_T:
                cands.append({"encoding": "bloomier", "cell-bits": t})
            for c in cands:
                try:
                    rep = self.b.sizes(self.clustered, opt_string(
                        BASE, dict(lossless, **{name: c})))
                except StepError:
                    continue  # e.g. 2^t <= clusters
                size = {l["name"]: l for l in rep["layers"]}[name][
                    "encoded_bytes"]
                if size >= best[name][1]:
                    continue
                b = self.compress(layers=dict(lossless, **{name: c}))
                if b.error:
                    continue
                drop = base_sel["correct"] - self.ev(b, "select")["correct"]
                options[name].append((c, best[name][1] - size, drop))

        def build(choice):
            return self.compress(layers=dict(lossless, **choice))
        choice = choose(options, budget, build, lambda b: base_sel["correct"]
                        - self.ev(b, "select")["correct"])
        final = build(choice)
        rows = []
        rep = {l["name"]: l for l in final.report["layers"]}
        for name in self.names:
            o = choice.get(name, lossless[name])
            l = rep[name]
            shown = {k: v for k, v in o.items()
                     if (k, str(v)) not in (("huffman-indices", "true"),
                                            ("huffman-gaps", "true"))}
            rows.append([short(name), "`%s`" % (opt_string(shown) or "csr"),
                         l["attribute"].split("<")[0], num(l["encoded_bytes"]),
                         ratio(l["original_bytes"], l["encoded_bytes"])])
        o, c = whole_sizes(self.layers, final.report)
        rows.append(["**model**", "", "", num(c), ratio(o, c)])
        self.out.append("\n### Best encoding per layer\n")
        self.out.append(
            "Lossless first: per layer, the smallest of %d encodings and "
            "settings (csr with gap bits 3-8, Huffman on or off for indices "
            "and gaps, one chunk or the default; huffman; wavelet; dense). "
            "Then lossy candidates per layer (fewer cluster bits, re-clustered "
            "by cw; sz on the clustered values; Bloomier filters), each "
            "measured alone on the selection set; the combination of least "
            "size whose summed drops stay within %.2f points (%d images), "
            "checked together (DeepSZ's Algorithm 2). Options per layer:\n"
            % (len(grid), self.args.budget, budget))
        self.out.append(md_table(["layer", "options", "encoding", "bytes",
                                  "ratio"], rows))
        self.add_summary("**best encoding per layer (lossy, within budget)**",
                         final)
        self.best_build = final

    def goal(self):
        """One line: the default pipeline and the best per layer."""
        inp = self.base["clustered"]["top1"]
        parts = []
        for label, b in (("default pipeline", self.default_build),
                         ("best encoding per layer", self.best_build)):
            o, c = whole_sizes(self.layers, b.report)
            t = self.ev(b)["top1"]
            met = o / c >= 40 and inp - t <= 0.5
            parts.append("%s %.1fx at %+.2f points (%s)"
                         % (label, o / c, t - inp, "met" if met else
                            "not met"))
        return ("* %s: %s. Pruning and clustering in training already cost "
                "%.2f points against the dense network (%.2f %% -> %.2f %%)."
                % (self.title, "; ".join(parts),
                   self.base["dense"]["top1"] - inp,
                   self.base["dense"]["top1"], inp))

    def summary_table(self):
        rows = []
        dense = self.base["dense"]["top1"]
        inp = self.base["clustered"]["top1"]
        for label, b, ev, note in self.summary:
            if b.error:
                rows.append([label, "failed: " + b.error] + [""] * 6)
                continue
            o, c = whole_sizes(self.layers,
                               b.report if b.kind != "dense" else None)
            lat = ("%.1f us" % ev["median_us"]) if "median_us" in ev else (
                "reference" if b.kind == "reference" else "")
            if b.kind == "reference" and not note:
                note = "no fused kernel: " + b.note
            rows.append([label, num(c), ratio(o, c), "%.2f %%" % ev["top1"],
                         "%+.2f" % (ev["top1"] - inp),
                         "%+.2f" % (ev["top1"] - dense), lat, note])
        self.out.insert(0, md_table(
            ["encoding", "weight bytes", "ratio", "top-1",
             "vs uncompressed", "vs dense-trained", "batch-1 median",
             "note"], rows) + "\n")
        self.out.insert(0, "### Whole model, per encoding\n\nTop-1 on the "
                        "10,000 test images; the loss against the same model "
                        "compiled uncompressed (%.2f %%, what cw is "
                        "responsible for) and against the dense network "
                        "before pruning and clustering (%.2f %%, training "
                        "included). Latency: median of cw-run's timed "
                        "batch-1 calls on one thread.\n" % (inp, dense))


def choose(options, budget, build, measure):
    """Per layer at most one option (opt, bytes saved, drop in images): the
    most bytes saved with the summed (non-negative) drops within `budget`
    (a knapsack, DeepSZ's Algorithm 2). The combination is measured as a
    whole; while it costs more than the budget (drops need not add up), the
    budget is tightened by one image and the knapsack solved again."""
    b = budget
    while b >= 0:
        best = {0: (0, {})}  # drop used -> (bytes saved, choice)
        for name, opts in options.items():
            nxt = dict(best)
            for used, (saved, ch) in best.items():
                for opt, gain, drop in opts:
                    d = used + max(0, drop)
                    if d <= b and (d not in nxt or saved + gain > nxt[d][0]):
                        nxt[d] = (saved + gain, {**ch, name: opt})
            best = nxt
        saved, choice = max(best.values(), key=lambda v: v[0])
        if not choice:
            return {}
        got = measure(build(choice))
        if got <= budget:
            return choice
        b -= 1
    return {}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "results.md"))
    ap.add_argument("--work-dir", help="artefacts (default: BUILD/results, "
                    "emptied first)")
    ap.add_argument("--models", default="lenet300100,lenet5")
    ap.add_argument("--budget", type=float, default=0.3,
                    help="top-1 points the lossy choices may cost on the "
                    "selection set")
    ap.add_argument("--select-count", type=int, default=5000)
    ap.add_argument("--calls", type=int, default=500,
                    help="timed batch-1 calls per summary row")
    ap.add_argument("--data-dir")
    ap.add_argument("--keep", action="store_true",
                    help="reuse the builds and measurements in the work "
                    "directory (only while the tools are unchanged)")
    args = ap.parse_args()
    args.work_dir = os.path.abspath(args.work_dir or os.path.join(
        os.path.abspath(args.build), "results"))
    if os.path.isdir(args.work_dir) and not args.keep:
        shutil.rmtree(args.work_dir)
    os.makedirs(args.work_dir, exist_ok=True)
    start = time.time()
    try:
        bench = Bench(args)
        sections, goals = [], []
        for model in args.models.split(","):
            if model not in MODELS:
                raise StepError("unknown model %r (%s)"
                                % (model, ", ".join(MODELS)))
            log("%s ..." % model)
            s = ModelStudy(bench, model, args)
            for step in (s.baselines, s.deep_compression, s.weightless,
                         s.deepsz, s.succinct, s.best_per_layer):
                log("%s: %s" % (model, step.__name__))
                step()
            s.summary_table()
            goals.append(s.goal())
            sections.append("## %s\n\n%s\n" % (s.title, "\n".join(s.out)))
    except StepError as e:
        print("results: error: %s" % e, file=sys.stderr)
        return 1
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    text = HEADER % {"budget": args.budget, "select": args.select_count,
                     "cpu": cpu}
    text += GOALS + "\n".join(goals) + "\n\n" + "\n".join(sections)
    with open(args.out, "w") as f:
        f.write(text)
    log("wrote %s in %.1f min" % (args.out, (time.time() - start) / 60.0))
    return 0


GOALS = """## Goals

The goal: at least 40x (Deep Compression's figure on MNIST) at no more than
0.5 points of top-1 loss against the same model compiled uncompressed, with
the default pipeline, and more with the best encoding per layer.

"""

HEADER = """# Results: the papers' tables on cw's LeNets

Generated by `scripts/results.py` (do not edit by hand; rerun it:
`/usr/bin/python3 scripts/results.py --build build`) from the committed
models in `models/` (Fashion-MNIST; see `models/README.md`). Every top-1 is
measured by `cw-run` on the compiled model over the 10,000 test images.

## Settings

* **The models come pruned and clustered by training** (Deep Compression's
  retraining, `models/train_lenet.py`). An explicit `sparsity=0.9` would
  prune every layer to 10 %% whatever the training left: it removes weights
  the retrained network needs (LeNet-300-100's ip3 keeps 26 %%, LeNet-5's
  conv1 66 %%) and adds back nothing where the training kept less. Without
  a prune option, cw-prune keeps the mask of every layer that is at least
  30 %% exact zeros (these models: every layer), which is what `threshold=0`, used
  by every run here, does too: it removes exactly the zeros that are there. Clustering then keeps the
  trained centroids exactly: a layer with at most 2^bits distinct values
  (cw-cluster's defaults: FC 5 bits, conv 8 bits) becomes its own
  codebook. The tables under "Models" show both prune settings.
* **csr's gap width is chosen per layer** by cw-encode (auto, the default:
  every width 3..8 is encoded and the smallest blob kept).
* **Choices are made on a selection set, never on the test set**: the first
  %(select)d training images. DeepSZ's error bounds and the best encoding
  per layer spend a budget of %(budget).2f points of top-1 on that set;
  the test set then only measures the result.
* **Fused or reference**: an encoding whose fused decode-multiply kernels do
  not compile yet is measured on `cw-compile --cw-reference` (the same
  decoded weights, compiled densely): its top-1 is exact, its latency is
  not cw's, so those rows show "reference" instead of a latency.
* Sizes count everything needed to rebuild the weights: blob (tables,
  offsets, row counts, checksum) and codebook; biases are not counted
  (fp32, as in the papers). Ratios are fp32 weight bytes over that.
* Latencies: %(cpu)s, one thread, while other jobs shared the machine:
  compare rows of one table, not across runs.

"""

if __name__ == "__main__":
    sys.exit(main())

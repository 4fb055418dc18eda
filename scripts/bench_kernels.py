#!/usr/bin/python3
"""Builds and runs cw-kernel-bench and writes docs/benchmarks.md.

  scripts/bench_kernels.py [--build-dir build] [--layers ...] [--encodings ...]
                           [--threads 1 2]
                           [--min-time 0.5] [--repetitions 5] [--out FILE]

1. Compiles every requested layer x encoding model (bench/kernels: cw-bench-gen
   writes the model, cw-compile the object) in one `ninja -k 0` run with a
   time limit; a pair that fails (an encoding whose lowering does not exist
   yet, a layer too big) is recorded with its first error line and left out.
2. Reconfigures the build with the pairs that compiled, builds
   cw-kernel-bench and runs it (--benchmark_format=json, fixed
   --benchmark_min_time, repetitions, medians).
3. Writes the tables: per layer and batch, median time per call, speed-up
   against OpenBLAS and Eigen, compressed bytes; the compile time and peak
   memory of cw-compile per model; the issue's targets; the machine.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAYERS = ["lenet_ip1", "lenet_ip2", "lenet_ip3", "alexnet_fc6", "alexnet_fc7",
          "alexnet_fc8", "vgg_fc6"]
SHAPES = {  # rows (outputs), cols (inputs), density: bench/kernels/Layers.h
    "lenet_ip1": (300, 784, 0.08), "lenet_ip2": (100, 300, 0.09),
    "lenet_ip3": (10, 100, 0.26), "alexnet_fc6": (4096, 9216, 0.09),
    "alexnet_fc7": (4096, 4096, 0.09), "alexnet_fc8": (1000, 4096, 0.25),
    "vgg_fc6": (4096, 25088, 0.04),
}
TITLES = {
    "lenet_ip1": "LeNet-300-100 ip1", "lenet_ip2": "LeNet-300-100 ip2",
    "lenet_ip3": "LeNet-300-100 ip3", "alexnet_fc6": "AlexNet fc6",
    "alexnet_fc7": "AlexNet fc7", "alexnet_fc8": "AlexNet fc8",
    "vgg_fc6": "VGG-16 fc6",
}
ENCODINGS = ["dense", "csr", "csr_lanes", "csr_plain", "huffman", "bloomier",
             "wavelet_element", "wavelet_block", "wavelet_sparse", "sz"]
DESCRIPTIONS = {
    "dense": "`#cw.dense`: fixed-width cluster indices, every position",
    "csr": "`#cw.csr<gap_bits = 5>`: relative indices, Huffman-coded gaps "
           "and indices (Deep Compression's format)",
    "csr_lanes": "`#cw.csr<gap_bits = 6, max_code_length = 7, lanes = 16>`: "
                 "the same codes, 16 rows interleaved in one word stream "
                 "that a lockstep SIMD decoder reads, one row per lane",
    "csr_plain": "`#cw.csr<gap_bits = 5, huffman_indices = false, "
                 "huffman_gaps = false>`: fixed-width gaps and indices",
    "huffman": "`#cw.huffman`: canonical Huffman over every position's index",
    "bloomier": "`#cw.bloomier`: Bloomier filter (t = 8, k = 3), Weightless",
    "wavelet_element": "`#cw.wavelet<mode = element>`: wavelet tree",
    "wavelet_block": "`#cw.wavelet<mode = block, block_size = 4>`",
    "wavelet_sparse": "`#cw.wavelet<mode = sparse>`: wavelet trees over "
                      "the gaps and the nonzero values",
    "sz": "`#cw.sz<error_bound = 1.0e-3>`: DeepSZ-style error-bounded values",
}


def log(msg):
    print("[bench_kernels] " + msg, flush=True)


def run(cmd, timeout=None, **kw):
    """Runs cmd in its own process group; kills the group on timeout.
    Returns (rc, output); rc is None on timeout."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True,
                            start_new_session=True, **kw)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return None, out


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def configure(build, extra):
    cmd = ["cmake", "-G", "Ninja", "-S", ROOT, "-B", build]
    if not os.path.exists(os.path.join(build, "CMakeCache.txt")):
        cmd += ["-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_C_COMPILER=clang-22",
                "-DCMAKE_CXX_COMPILER=clang++-22",
                "-DPython3_EXECUTABLE=/usr/bin/python3",
                "-DCW_ENABLE_SANITIZED_CODEC_TESTS=OFF"]
    rc, out = run(cmd + extra)
    if rc != 0:
        sys.exit("cmake failed:\n" + out)


def ninja(build, targets, jobs, timeout=None):
    return run(["ninja", "-C", build, "-j%d" % jobs] + targets,
               timeout=timeout)


def first_error(output):
    for line in output.splitlines():
        if "error" in line.lower() and "FAILED" not in line:
            return line.strip()[:300]
    lines = [l for l in output.splitlines() if l.strip()]
    return lines[-1].strip()[:300] if lines else "failed"


def object_name(layer, enc, threads):
    return "%s_%s" % (layer, enc) + ("_t%d" % threads if threads > 1 else "")


def failed_blocks(output):
    """{output path: error lines} for every `FAILED:` edge in ninja's log."""
    blocks, current = {}, None
    for line in output.splitlines():
        if line.startswith("FAILED: "):
            current = []
            for path in line[len("FAILED: "):].split():
                blocks[path] = current
        elif re.match(r"^\[\d+/\d+\]|^ninja: ", line):
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def compile_pairs(args, build):
    """Compiles every requested layer x encoding (every thread variant) in one
    ninja run (-k 0: a failing model does not stop the others; one run also
    means cw-compile is checked for rebuilds once, not between models);
    returns {(layer, enc): info}."""
    kdir = os.path.join(build, "bench", "kernels")
    compiler = os.path.join(build, "bin", "cw-compile")
    names = {}
    for layer in args.layers:
        for enc in args.encodings:
            for threads in args.threads:
                names[(layer, enc, threads)] = object_name(layer, enc, threads)
    targets = ["bench/kernels/%s.o" % n for n in names.values()]
    t0 = time.time()
    rc, out = run(["ninja", "-C", build, "-k", "0", "-j%d" % args.jobs] +
                  targets, timeout=args.compile_timeout)
    log("compiled the models in %.0f s%s" % (
        time.time() - t0, "" if rc is not None else " (timed out)"))
    blocks = failed_blocks(out)
    results = {}
    for layer in args.layers:
        for enc in args.encodings:
            info = {"ok": True, "variants": {}}
            for threads in args.threads:
                name = names[(layer, enc, threads)]
                v = {"ok": True}
                # Built now or before from the current inputs: no failure
                # for the pair, and the object newer than its model and
                # than cw-compile.
                prefix = os.path.join(kdir, "%s_%s" % (layer, enc))
                err = [l for p, lines in blocks.items()
                       if os.path.join(build, p).startswith(prefix)
                       for l in (lines or ["failed"])]
                obj = os.path.join(kdir, name + ".o")
                deps = [os.path.join(kdir, name + ".mlirbc"), compiler]
                fresh = os.path.exists(obj) and all(
                    os.path.exists(d) and
                    os.path.getmtime(obj) >= os.path.getmtime(d)
                    for d in deps)
                if err or not fresh:
                    v["ok"] = False
                    v["error"] = (first_error("\n".join(err)) if err else
                                  "not built (timed out?)" if rc is None else
                                  "not built")
                else:
                    try:
                        with open(os.path.join(kdir, name + ".time")) as f:
                            v["compile"] = json.loads(
                                f.read().splitlines()[-1])
                    except (OSError, ValueError, IndexError):
                        pass
                    v["object_bytes"] = os.path.getsize(
                        os.path.join(kdir, name + ".o"))
                info["variants"][threads] = v
                if not v["ok"]:
                    info["ok"] = False
                    info.setdefault("error", v["error"])
            if info["ok"]:
                try:
                    with open(os.path.join(kdir, "%s_%s.gen.json" %
                                           (layer, enc))) as f:
                        info["gen"] = json.load(f)
                except (OSError, ValueError):
                    pass
            log("%-12s %-16s %s" % (layer, enc, "ok" if info["ok"] else
                                      "FAILED: " + info["error"]))
            results[(layer, enc)] = info
    return results


# OpenBLAS DYNAMIC_ARCH cores without AVX2: what it falls back to on a CPU
# newer than the library (Debian 12's 0.3.21 takes Emerald Rapids for a
# Prescott and runs SSE3 kernels, 1.3x slower sgemv and 3.7x slower sgemm
# than its SkylakeX kernels on the same host).
PRE_AVX2_CORES = {"Katmai", "Coppermine", "Northwood", "Prescott", "Banias",
                  "Atom", "Core2", "Penryn", "Dunnington", "Nehalem",
                  "Sandybridge", "Opteron", "Opteron(SSE3)", "Barcelona",
                  "Nano", "Bobcat"}


def openblas_env(exe):
    """The environment for cw-kernel-bench and a line for the report: when
    OpenBLAS would pick a core below what the host has, force the best core
    it ships for the host (OPENBLAS_CORETYPE), so the baseline is not
    handicapped by an old CPU table. A user's OPENBLAS_CORETYPE is kept."""
    env = dict(os.environ)
    if env.get("OPENBLAS_CORETYPE"):
        return env, "OPENBLAS_CORETYPE=%s (from the environment)" % (
            env["OPENBLAS_CORETYPE"])
    probe = subprocess.run(
        [exe, "--benchmark_filter=/b1/t1/openblas$",
         "--benchmark_min_time=0.001", "--benchmark_format=json"],
        capture_output=True, text=True, env=env)
    try:
        chosen = json.loads(probe.stdout)["context"]["openblas_corename"]
    except (ValueError, KeyError):
        return env, "core chosen by OpenBLAS (probe failed)"
    flags = set()
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    if chosen not in PRE_AVX2_CORES or not {"avx2", "fma"} <= flags:
        return env, "core chosen by OpenBLAS"
    forced = ("SkylakeX" if {"avx512f", "avx512bw", "avx512dq", "avx512vl",
                             "avx512cd"} <= flags else "Haswell")
    env["OPENBLAS_CORETYPE"] = forced
    return env, ("OPENBLAS_CORETYPE=%s: on its own OpenBLAS took this CPU "
                 "for a %s (pre-AVX2 kernels)" % (forced, chosen))


def run_bench(args, build, out_json):
    exe = os.path.join(build, "bench", "cw-kernel-bench")
    env, blas_note = openblas_env(exe)
    log("OpenBLAS: " + blas_note)
    cmd = [exe, "--benchmark_out=" + out_json,
           "--benchmark_out_format=json",
           "--benchmark_min_time=%g" % args.min_time,
           "--benchmark_repetitions=%d" % args.repetitions,
           # Repetitions of all kernels in random order, so that a busy
           # spell of the shared host slows every kernel of a table alike
           # instead of a few neighbours in the run order.
           "--benchmark_enable_random_interleaving=true",
           "--benchmark_report_aggregates_only=true"]
    if args.filter:
        cmd.append("--benchmark_filter=" + args.filter)
    log("running: " + " ".join(shlex.quote(c) for c in cmd))
    # The 1-minute load average every 15 s: how busy the shared machine was.
    samples, stop = [], threading.Event()

    def sample():
        while not stop.is_set():
            samples.append(float(load_average().split()[0]))
            stop.wait(15)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    proc = subprocess.run(cmd, env=env)
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit("cw-kernel-bench failed (rc %d)" % proc.returncode)
    return cmd, samples, blas_note


def medians(path):
    with open(path) as f:
        data = json.load(f)
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}
    result = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") not in ("median", None):
            continue
        if b.get("run_type") == "iteration" and args_repetitions > 1:
            continue
        name = b.get("run_name", b["name"])
        unit = scale[b.get("time_unit", "ns")]
        entry = result.setdefault(name, {})
        entry["cpu_us"] = b["cpu_time"] * unit
        entry["real_us"] = b["real_time"] * unit
        entry["check_err"] = b.get("check_err")
    cv = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "cv":
            cv[b.get("run_name", b["name"])] = b["cpu_time"]
    for name, c in cv.items():
        if name in result:
            result[name]["cv"] = c
    return data.get("context", {}), result


def fmt_time(us):
    if us is None:
        return "—"
    if us >= 1e5:
        return "%.0f ms" % (us / 1e3)
    if us >= 1e3:
        return "%.2f ms" % (us / 1e3)
    if us >= 10:
        return "%.1f µs" % us
    return "%.2f µs" % us


def fmt_ratio(base, t):
    if base is None or t is None or t <= 0:
        return "—"
    r = base / t
    return ("%.2f×" % r) if r < 10 else ("%.1f×" % r)


def fmt_bytes(n):
    if n is None:
        return "—"
    if n >= 1 << 20:
        return "%.2f MiB" % (n / (1 << 20))
    if n >= 1 << 10:
        return "%.1f KiB" % (n / (1 << 10))
    return "%d B" % n


def machine_info():
    info = {}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            k, _, v = line.partition(":")
            info[k.strip()] = v.strip()
    except OSError:
        pass
    return info


def write_markdown(args, path, pairs, context, res, meta):
    lines = []
    w = lines.append
    cpu = machine_info()
    w("# Kernel benchmarks: cw's generated kernels vs OpenBLAS and Eigen")
    w("")
    w("Written by `scripts/bench_kernels.py` (%s); the command is at the "
      "end. Each time is the median of %d repetitions (Google Benchmark, "
      "`--benchmark_min_time=%g`), the repetitions of all kernels run in "
      "random order (`--benchmark_enable_random_interleaving`) so that the "
      "shared host's busy spells fall on every kernel of a table alike." %
      (meta["started"], args.repetitions, args.min_time))
    w("")
    w("- Weights: synthetic trained-like layers (`bench/kernels/Layers.h`): "
      "Laplace(0, 0.05) values, magnitude-pruned to the papers' densities, "
      "32 linear clusters (`cw::codec::makeSyntheticClustered`). The same "
      "matrix goes to OpenBLAS (dense fp32, zeros included), Eigen "
      "(`SparseMatrix<float, RowMajor>`, CSR) and the encoders.")
    w("- Inputs: row-major `[batch, in]` floats in [-1, 1); outputs "
      "`[batch, out]`. Batch 1: `cblas_sgemv`, Eigen SpMV; batch 64: "
      "`cblas_sgemm`, Eigen SpMM (`W * X^T`, with `X^T` copied to "
      "row-major and the result transposed back inside the timed call: "
      "5-10× faster than Eigen on the column-major view of the input).")
    w("- cw: `cw-bench-gen` writes each layer in cw form (`cw.weights` + "
      "`cw.matmul`, blob from the encoding's codec) and `cw-compile` (-O3, "
      "`-mcpu=native`, `--kernel-threads=T`) generates the kernel, called "
      "through its C entry point.")
    w("- Threads: T threads for everyone in a table: "
      "`openblas_set_num_threads(T)`, `Eigen::setNbThreads(T)` (OpenMP), "
      "cw's `--kernel-threads=T`. `time` is the CPU time of the calling "
      "thread for T = 1 (steadier on a shared machine) and the wall time "
      "for T > 1 (the CPU time of one thread would hide the workers).")
    w("- Correctness: before timing, each benchmark's output is compared "
      "with a double-precision reference (for a cw kernel, the product of "
      "its blob's reference decode, so lossy encodings are checked against "
      "what they store); any difference beyond 3e-5 × Σ|w·x| aborts the "
      "run. Every row below passed.")
    w("- Speed-up columns are t(baseline) / t(kernel) at the same thread "
      "count: above 1 the kernel is faster. `ns / nonzero` is the time per "
      "call over the layer's nonzeros (at batch 64, the work of all 64 "
      "rows). `weight bytes`: everything the kernel reads to rebuild the "
      "weights (blob + codebook; Eigen: 4-byte values and column indices + "
      "row offsets).")
    w("")
    w("Encodings:")
    w("")
    for e in args.encodings:
        w("- `%s`: %s" % (e, DESCRIPTIONS.get(e, e)))
    w("")

    # Failures, one line per encoding and message (layer names folded).
    groups = {}
    for (layer, enc), v in pairs.items():
        if not v["ok"]:
            msg = v["error"].replace(layer, "<layer>").replace("|", "\\|")
            groups.setdefault((enc, msg), []).append(layer)
    if groups:
        w("Not measured (the model did not compile):")
        w("")
        for (enc, msg), layers in groups.items():
            which = ("all layers" if len(layers) == len(args.layers) else
                     ", ".join(layers))
            w("- `%s` (%s): `%s`" % (enc, which, msg))
        w("")

    def t(name):
        r = res.get(name)
        if not r:
            return None
        return r["cpu_us"] if "/t1/" in name else r["real_us"]

    # Summary: one thread, speed-up of each kernel over Eigen CSR.
    w("## Summary: speed-up over Eigen CSR, one thread")
    w("")
    w("t(Eigen) / t(kernel) per layer and batch (above 1: faster than "
      "Eigen); the Eigen column is its time per call. Details per layer "
      "below.")
    w("")
    encs = [e for e in args.encodings]
    w("| layer | batch | Eigen CSR | OpenBLAS | %s |" % " | ".join(
        "`%s`" % e for e in encs))
    w("| --- | ---: | ---: | ---: | %s |" % " | ".join("---:" for _ in encs))
    for layer in args.layers:
        for batch in (1, 64):
            p = "%s/b%d/t1/" % (layer, batch)
            te = t(p + "eigen")
            if te is None:
                continue
            w("| %s | %d | %s | %s | %s |" % (
                layer, batch, fmt_time(te), fmt_ratio(te, t(p + "openblas")),
                " | ".join(fmt_ratio(te, t(p + "cw_" + e)) for e in encs)))
    w("")

    for threads in args.threads:
        for layer in args.layers:
            rows, cols, density = SHAPES[layer]
            nnz = None
            for e in args.encodings:
                g = pairs.get((layer, e), {}).get("gen")
                if g:
                    nnz = g["nonzeros"]
            for batch in (1, 64):
                prefix = "%s/b%d/t%d/" % (layer, batch, threads)
                if not any(n.startswith(prefix) for n in res):
                    continue
                w("## %s (%d→%d, %g %% nonzero), batch %d, %d thread%s" %
                  (TITLES[layer], cols, rows, density * 100, batch, threads,
                   "" if threads == 1 else "s"))
                w("")
                w("| kernel | time | real time | ns / nonzero | vs OpenBLAS "
                  "| vs Eigen | weight bytes | fp32 / bytes |")
                w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
                tb, te = t(prefix + "openblas"), t(prefix + "eigen")
                fp32 = rows * cols * 4
                entries = [("OpenBLAS dense sgemv" if batch == 1 else
                            "OpenBLAS dense sgemm", "openblas", fp32)]
                csr_bytes = (nnz * 8 + (rows + 1) * 4) if nnz else None
                entries.append(("Eigen CSR", "eigen", csr_bytes))
                for e in args.encodings:
                    g = pairs.get((layer, e), {}).get("gen")
                    entries.append(("cw `%s`" % e, "cw_" + e,
                                    g["compressed_bytes"] if g else None))
                for label, key, nbytes in entries:
                    r = res.get(prefix + key)
                    if not r:
                        continue
                    tk = t(prefix + key)
                    w("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                        label, fmt_time(tk), fmt_time(r["real_us"]),
                        ("%.2f" % (tk * 1e3 / nnz)) if nnz else "—",
                        fmt_ratio(tb, tk), fmt_ratio(te, tk),
                        fmt_bytes(nbytes),
                        ("%.1f×" % (fp32 / nbytes)) if nbytes else "—"))
                w("")

    # The targets.
    w("## Targets (issue 5)")
    w("")
    tb, te = t("vgg_fc6/b1/t1/openblas"), t("vgg_fc6/b1/t1/eigen")
    measured = False
    for key in ("csr_lanes", "csr"):
        tc = t("vgg_fc6/b1/t1/cw_" + key)
        if not (tc and tb and te):
            continue
        measured = True
        w("- VGG-16 fc6, batch 1, one thread, Huffman-coded relative-index "
          "kernel (`%s`): %s; %s vs OpenBLAS sgemv %s (target ≥ 10×: %s), "
          "%s vs Eigen CSR %s (target ≥ 2×: %s)." % (
              key, fmt_time(tc), fmt_ratio(tb, tc), fmt_time(tb),
              "met" if tb / tc >= 10 else "**not met**", fmt_ratio(te, tc),
              fmt_time(te), "met" if te / tc >= 2 else "**not met**"))
    if not measured:
        w("- VGG-16 fc6 csr, batch 1, one thread: not measured.")
    tbl = t("lenet_ip1/b1/t1/cw_bloomier")
    if tbl:
        w("- Bloomier, LeNet-300-100 ip1 (784×300), whole layer, batch 1, "
          "one thread: %s (target ≤ 1 ms: %s; Weightless needed 520 ms to "
          "decode it)." % (fmt_time(tbl),
                           "met" if tbl <= 1000 else "**not met**"))
    else:
        w("- Bloomier, LeNet-300-100 ip1: not measured (no kernel).")
    rows_wl = []
    for layer in args.layers:
        for batch in (1, 64):
            p = "%s/b%d/t1/" % (layer, batch)
            cells = []
            for we in ("wavelet_element", "wavelet_block", "wavelet_sparse"):
                for he in ("csr", "huffman"):
                    tw, th = t(p + "cw_" + we), t(p + "cw_" + he)
                    cells.append("%.2f" % (tw / th) if tw and th else "—")
            if any(c != "—" for c in cells):
                rows_wl.append("| %s | %d | %s |" % (layer, batch,
                                                    " | ".join(cells)))
    if rows_wl:
        w("- Wavelet within 3× of the Huffman kernel on the same layer (one "
          "thread): time ratios below, ≤ 3 meets it (`csr` is the "
          "Huffman-coded relative-index kernel, `huffman` the "
          "all-positions one).")
        w("")
        w("| layer | batch | element / csr | element / huffman | "
          "block / csr | block / huffman | sparse / csr | "
          "sparse / huffman |")
        w("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        lines.extend(rows_wl)
    else:
        w("- Wavelet vs Huffman: not measured (no wavelet kernel).")
    w("")

    # Compile cost.
    w("## cw-compile: time and peak memory per model")
    w("")
    w("Each model holds one layer's two entry points (batch 1 and 64); "
      "wall time and peak RSS of `cw-compile` alone (`/usr/bin/time`), "
      "object size.")
    w("")
    w("| layer | encoding | cw-compile (%s threads) | peak RSS | object | "
      "status |" % " / ".join(map(str, args.threads)))
    w("| --- | --- | ---: | ---: | ---: | --- |")
    for layer in args.layers:
        for e in args.encodings:
            info = pairs.get((layer, e))
            if not info:
                continue
            vs = [v for _, v in sorted(info["variants"].items())]
            cs = [v.get("compile", {}) for v in vs]
            w("| %s | %s | %s | %s | %s | %s |" % (
                layer, e,
                " / ".join(("%.2f s" % c["wall_s"]) if "wall_s" in c else "—"
                           for c in cs),
                " / ".join(("%.0f MiB" % (c["max_rss_kb"] / 1024))
                           if "max_rss_kb" in c else "—" for c in cs),
                fmt_bytes(vs[0].get("object_bytes") if vs else None),
                "ok" if info["ok"] else
                "failed: " + info["error"].replace("|", "\\|")[:120]))
    w("")

    # Lossy encodings: what the kernels compute differs from the matrix.
    lossy = []
    for (layer, e), v in sorted(pairs.items()):
        g = v.get("gen")
        if g and (g["false_positives"] or g["changed_nonzeros"]):
            lossy.append("| %s | %s | %d | %d | %.3g |" % (
                layer, e, g["false_positives"], g["changed_nonzeros"],
                g["max_weight_error"]))
    if lossy:
        w("## Lossy encodings")
        w("")
        w("What their kernels multiply differs from the matrix by design "
          "(each kernel is checked against its own blob's decode): Bloomier "
          "false positives (pruned zeros decoding to a cluster value, about "
          "clusters / 2^t of them), SZ's bounded value error.")
        w("")
        w("| layer | encoding | false positives | changed nonzeros | "
          "max weight error |")
        w("| --- | --- | ---: | ---: | ---: |")
        lines.extend(lossy)
        w("")

    w("## Machine and command")
    w("")
    w("- CPU: %s, %s cores (%s), L2 %s, L3 %s; flags include %s." % (
        cpu.get("Model name", platform.processor()), cpu.get("CPU(s)", "?"),
        cpu.get("Thread(s) per core", "?") + " thread(s) per core",
        cpu.get("L2 cache", "?"), cpu.get("L3 cache", "?"),
        ", ".join(f for f in ("avx2", "avx512f", "avx512bw", "avx512vbmi")
                  if f in cpu.get("Flags", "").split())))
    samples = meta.get("load_samples")
    during = ("; the 1-minute load sampled every 15 s during the run: mean "
              "%.2f, max %.2f" % (sum(samples) / len(samples), max(samples))
              if samples else "")
    w("- Load average (1, 5, 15 min) before the run: %s; after: %s%s. The "
      "machine is shared (2 cores; other helpers' builds and tests run at "
      "times), so absolute times are noisy; ratios within one table are "
      "steadier." % (meta["load_before"], meta["load_after"], during))
    w("- OpenBLAS `%s` (core %s; %s), Eigen %s (%s), Google Benchmark %s." % (
        context.get("openblas_config", "?"),
        context.get("openblas_corename", "?"),
        meta.get("openblas", "core chosen by OpenBLAS"),
        context.get("eigen_version", "?"), context.get("simd", "?"),
        "library built as debug (Debian's package; it only affects the "
        "harness)" if context.get("library_build_type") == "debug" else
        "library " + context.get("library_build_type", "?")))
    w("- Commit: `%s`%s." % (meta.get("commit", "?"),
                             " (working tree modified)"
                             if meta.get("dirty") else ""))
    w("- Command: `%s`" % " ".join(
        shlex.quote(a.replace(ROOT + "/", "")) for a in meta["command"]))
    w("- Benchmark: `%s`" % " ".join(
        shlex.quote(c.replace(ROOT + "/", "")) for c in meta["benchmark"]))
    w("")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    log("wrote " + path)


def git_head():
    out = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    return out or "?"


def git_dirty():
    out = subprocess.run(["git", "-C", ROOT, "status", "--porcelain"],
                         capture_output=True, text=True).stdout
    return bool(out.strip())


args_repetitions = 1


def main():
    global args_repetitions
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--build-dir", default=os.environ.get(
        "CW_BUILD_DIR", os.path.join(ROOT, "build")))
    p.add_argument("--layers", nargs="+", default=LAYERS, choices=LAYERS)
    p.add_argument("--encodings", nargs="+", default=ENCODINGS,
                   choices=ENCODINGS)
    p.add_argument("--threads", nargs="+", type=int, default=[1, 2],
                   help="thread counts (1 first; cw's --kernel-threads)")
    p.add_argument("--min-time", type=float, default=0.5,
                   help="--benchmark_min_time per repetition (s)")
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--filter", default="",
                   help="--benchmark_filter regex")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--compile-timeout", type=int, default=3600,
                   help="seconds allowed to generate and compile every model")
    p.add_argument("--out", default=os.path.join(ROOT, "docs",
                                                 "benchmarks.md"))
    p.add_argument("--json", default="",
                   help="where to keep the benchmark JSON (default: "
                        "BUILD/bench/kernel-bench.json)")
    p.add_argument("--no-run", action="store_true",
                   help="compile the models only")
    p.add_argument("--report-only", action="store_true",
                   help="rewrite --out from the last run's JSON")
    args = p.parse_args()
    build = os.path.abspath(args.build_dir)
    out_json = args.json or os.path.join(build, "bench", "kernel-bench.json")
    meta_path = os.path.splitext(out_json)[0] + ".meta.json"
    if args.report_only:
        # Re-render the tables of the last run (its own options).
        with open(meta_path) as f:
            meta = json.load(f)
        for k, v in meta["args"].items():
            if k not in ("out", "report_only"):
                setattr(args, k, v)
        args_repetitions = args.repetitions
        report(args, out_json, meta)
        return
    args_repetitions = args.repetitions
    started = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")

    if args.threads[0] != 1 or any(t < 1 for t in args.threads):
        sys.exit("--threads: start with 1, then counts above 1")
    sel = ["-DCW_BENCH_LAYERS=" + ";".join(args.layers),
           "-DCW_BENCH_ENCODINGS=" + ";".join(args.encodings),
           "-DCW_BENCH_THREADS=" + ";".join(map(str, args.threads))]
    configure(build, sel + ["-DCW_BENCH_SKIP="])
    rc, out = ninja(build, ["cw-bench-gen", "cw-compile"], args.jobs)
    if rc != 0:
        sys.exit("building cw-bench-gen / cw-compile failed:\n" + out[-3000:])
    pairs = compile_pairs(args, build)
    skip = ["%s:%s" % k for k, v in pairs.items() if not v["ok"]]
    configure(build, sel + ["-DCW_BENCH_SKIP=" + ";".join(skip)])
    rc, out = ninja(build, ["cw-kernel-bench"], args.jobs)
    if rc != 0:
        sys.exit("building cw-kernel-bench failed:\n" + out[-3000:])
    if args.no_run:
        return
    before = load_average()
    cmd, samples, blas_note = run_bench(args, build, out_json)
    meta = {"started": started, "command": sys.argv, "benchmark": cmd,
            "load_before": before, "load_after": load_average(),
            "load_samples": samples, "openblas": blas_note,
            "args": vars(args),
            "commit": git_head(), "dirty": git_dirty(),
            "pairs": [{"layer": k[0], "encoding": k[1], "info": v}
                      for k, v in pairs.items()]}
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1)
    report(args, out_json, meta)


def report(args, out_json, meta):
    pairs = {}
    for p in meta["pairs"]:
        info = p["info"]
        info["variants"] = {int(k): v for k, v in info["variants"].items()}
        pairs[(p["layer"], p["encoding"])] = info
    context, res = medians(out_json)
    write_markdown(args, args.out, pairs, context, res, meta)


if __name__ == "__main__":
    main()

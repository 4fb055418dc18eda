#!/usr/bin/python3
"""Deep Compression training recipes for LeNet-300-100 and LeNet-5 on Fashion-MNIST.

Stages per model (Han, Mao, Dally, "Deep Compression", ICLR 2016):
  dense      train the full network;
  pruned     magnitude-prune each layer's weights to a target density (in a
             few rounds of prune + retrain); the masks keep pruned weights at
             exactly +0.0 during retraining;
  clustered  k-means (linear initialisation) over each layer's nonzero
             weights, 32 clusters (5 bits) for FC layers and 256 (8 bits) for
             conv layers; the centroids are then fine-tuned with shared-weight
             gradients (the gradient of a centroid is the sum of the gradients
             of the weights in its cluster, §3.3), zeros stay zero, and the
             weights are written back as centroid values.
Biases are neither pruned nor clustered (fp32, trained in every stage).

Each stage is exported to ONNX (opset 13, static batch 1, input `input`,
output `logits`, no softmax) and checked with the numpy interpreter in
eval_onnx.py; models/accuracy.json records top-1 on the 10,000 test images,
per-layer densities and cluster counts.

Run with Debian's Python (python3-torch 1.13, python3-onnx):
    /usr/bin/python3 models/train_lenet.py            # both models
    /usr/bin/python3 models/train_lenet.py --model lenet300100 --out-dir /tmp/x
Single-threaded and seeded: the same command gives the same weights.
Input normalisation: float32(pixel) / 255, nothing else.
"""

import argparse
import json
import math
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import onnx  # noqa: E402
from onnx import numpy_helper  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import eval_onnx  # noqa: E402
import fashion_mnist  # noqa: E402

SEED = 20160201  # any fixed value
BATCH = 128
OPSET = 13


# ---------------------------------------------------------------- models --
class LeNet300100(nn.Module):
    """784-300-100-10, ReLU after ip1 and ip2 (Caffe layer names)."""
    input_shape = (1, 784)
    layers = ("ip1", "ip2", "ip3")

    def __init__(self):
        super().__init__()
        self.ip1 = nn.Linear(784, 300)
        self.ip2 = nn.Linear(300, 100)
        self.ip3 = nn.Linear(100, 10)

    def forward(self, x):
        x = F.relu(self.ip1(x))
        x = F.relu(self.ip2(x))
        return self.ip3(x)


class LeNet5(nn.Module):
    """Caffe LeNet: conv 20@5x5 -> max-pool 2 -> conv 50@5x5 -> max-pool 2
    -> fc 500 -> ReLU -> fc 10 (no activation after the convolutions)."""
    input_shape = (1, 1, 28, 28)
    layers = ("conv1", "conv2", "ip1", "ip2")

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 50, 5)
        self.ip1 = nn.Linear(800, 500)
        self.ip2 = nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(self.conv1(x), 2)
        x = F.max_pool2d(self.conv2(x), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.ip1(x))
        return self.ip2(x)


# Recipes. Densities follow Deep Compression Tables 1 and 2 (fraction of
# weights kept); bits = log2(clusters).
RECIPES = {
    "lenet300100": dict(
        cls=LeNet300100,
        density={"ip1": 0.08, "ip2": 0.09, "ip3": 0.26},
        clusters={"ip1": 32, "ip2": 32, "ip3": 32},
        dense_epochs=20, dense_lr=1e-3,
        prune_epochs=[3, 3, 3, 3, 8], prune_lr=1e-3,
        cluster_epochs=4, cluster_lr=1e-4,
    ),
    "lenet5": dict(
        cls=LeNet5,
        density={"conv1": 0.66, "conv2": 0.12, "ip1": 0.08, "ip2": 0.19},
        # Fewer clusters than Deep Compression's 8-bit conv / 5-bit FC: 4 bits
        # for ip1 (four fifths of the weights) and 5 for the rest reach 40x
        # after cw's coding; fine-tuned, they keep the 8/5-bit top-1.
        clusters={"conv1": 32, "conv2": 32, "ip1": 16, "ip2": 32},
        dense_epochs=12, dense_lr=1e-3,
        prune_epochs=[2, 2, 2, 5], prune_lr=1e-3,
        cluster_epochs=4, cluster_lr=1e-4,
    ),
}


# ------------------------------------------------------------------ data --
class Data:
    def __init__(self, input_shape):
        xtr, ytr = fashion_mnist.load("train")
        xte, yte = fashion_mnist.load("test")
        shape = (-1,) + tuple(input_shape[1:])
        self.xtr = torch.from_numpy(fashion_mnist.normalise(xtr)).reshape(shape)
        self.ytr = torch.from_numpy(ytr.astype(np.int64))
        self.xte = torch.from_numpy(fashion_mnist.normalise(xte)).reshape(shape)
        self.yte_np = yte
        self.yte = torch.from_numpy(yte.astype(np.int64))

    def batches(self, gen):
        perm = torch.randperm(self.xtr.shape[0], generator=gen)
        for i in range(0, perm.shape[0], BATCH):
            idx = perm[i:i + BATCH]
            yield self.xtr[idx], self.ytr[idx]


@torch.no_grad()
def test_correct(model, data):
    model.eval()
    correct = 0
    for i in range(0, data.xte.shape[0], 1000):
        out = model(data.xte[i:i + 1000])
        correct += int((out.argmax(1) == data.yte[i:i + 1000]).sum())
    model.train()
    return correct


def cosine_lr(opt, base, step, total):
    lr = base * 0.5 * (1.0 + math.cos(math.pi * step / max(total, 1)))
    for g in opt.param_groups:
        g["lr"] = lr


def train(model, data, gen, epochs, lr, params=None, after_step=None, log=""):
    """Adam with a cosine learning-rate decay over `epochs` epochs."""
    params = list(params if params is not None else model.parameters())
    opt = torch.optim.Adam(params, lr=lr)
    steps_per_epoch = math.ceil(data.xtr.shape[0] / BATCH)
    total = epochs * steps_per_epoch
    step = 0
    model.train()
    for ep in range(epochs):
        t0 = time.time()
        loss_sum = 0.0
        for x, y in data.batches(gen):
            cosine_lr(opt, lr, step, total)
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            if after_step is not None:
                after_step()
            loss_sum += float(loss) * x.shape[0]
            step += 1
        print("  %s epoch %d/%d  loss %.4f  test %.2f %%  (%.1fs)" % (
            log, ep + 1, epochs, loss_sum / data.xtr.shape[0],
            test_correct(model, data) / 100.0, time.time() - t0), flush=True)


# --------------------------------------------------------------- pruning --
def weight(model, name):
    return getattr(model, name).weight


def magnitude_masks(model, density):
    """Per layer, keep the round(d*n) weights of largest magnitude."""
    masks = {}
    for name, d in density.items():
        w = weight(model, name).detach().flatten()
        keep = int(round(d * w.numel()))
        order = torch.argsort(w.abs(), descending=True, stable=True)
        m = torch.zeros(w.numel(), dtype=torch.bool)
        m[order[:keep]] = True
        masks[name] = m.reshape(weight(model, name).shape)
    return masks


def apply_masks(model, masks):
    with torch.no_grad():
        for name, m in masks.items():
            weight(model, name).masked_fill_(~m, 0.0)  # +0.0, never -0.0


# ------------------------------------------------------------ clustering --
def kmeans_linear(values, k, iters=200):
    """1-D k-means over float32 `values`, centroids initialised linearly
    between min and max. Returns (centroids float32 [k], labels int64)."""
    v = values.astype(np.float64)
    c = np.linspace(v.min(), v.max(), k)
    labels = None
    for _ in range(iters):
        # Centroids stay sorted in 1-D Lloyd; nearest = between midpoints.
        bounds = (c[1:] + c[:-1]) / 2.0
        new = np.searchsorted(bounds, v, side="left")
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        sums = np.bincount(labels, weights=v, minlength=k)
        counts = np.bincount(labels, minlength=k)
        nz = counts > 0
        c = np.where(nz, sums / np.maximum(counts, 1), c)  # empty: keep
        c = np.sort(c)
    return c.astype(np.float32), labels.astype(np.int64)


class SharedWeights(nn.Module):
    """A layer's weight as codebook[index]; index == k reads a fixed 0.

    Autograd's backward of the gather scatters-adds the weight gradients, so
    each centroid's gradient is the sum over its cluster (Deep Compression
    §3.3); pruned positions map to the constant zero and get no update."""

    def __init__(self, centroids, index, shape):
        super().__init__()
        self.centroids = nn.Parameter(torch.from_numpy(centroids))
        self.register_buffer("index", index)
        self.shape = shape

    def forward(self):
        table = torch.cat([self.centroids, self.centroids.new_zeros(1)])
        return table[self.index].reshape(self.shape)


class ClusteredModel(nn.Module):
    """Wraps a model; the clustered layers' weights come from SharedWeights."""

    def __init__(self, base, shared):
        super().__init__()
        self.base = base
        self.shared = nn.ModuleDict(shared)

    def forward(self, x):
        for name, sw in self.shared.items():
            layer = getattr(self.base, name)
            del layer.weight
            layer.weight = sw()
        return self.base(x)


def cluster(model, masks, clusters):
    shared = {}
    info = {}
    for name, k in clusters.items():
        w = weight(model, name).detach()
        m = masks[name].flatten()
        vals = w.flatten()[m].numpy()
        c, lab = kmeans_linear(vals, k)
        index = torch.full((w.numel(),), k, dtype=torch.int64)
        index[m] = torch.from_numpy(lab)
        shared[name] = SharedWeights(c, index, tuple(w.shape))
        info[name] = k
    return shared


def materialise(model_cls, wrapped):
    """A plain model whose clustered weights are the centroid values."""
    out = model_cls()
    sd = {}
    for key, val in wrapped.base.state_dict().items():
        sd[key] = val.clone()
    with torch.no_grad():
        for name, sw in wrapped.shared.items():
            sd[name + ".weight"] = sw().detach().clone()
    out.load_state_dict(sd)
    # Positions that map to the zero slot are +0.0 by construction.
    return out


# ---------------------------------------------------------------- export --
def layer_stats(model, names, clusters=None):
    out = {}
    for name in names:
        w = weight(model, name).detach()
        nnz = int((w != 0).sum())
        d = {"shape": list(w.shape), "weights": int(w.numel()),
             "nonzeros": nnz, "density": round(nnz / w.numel(), 6)}
        if clusters is not None:
            vals = w[w != 0].numpy()
            d["clusters"] = clusters[name]
            d["bits"] = int(math.log2(clusters[name]))
            d["distinct_nonzero_values"] = int(np.unique(vals).size)
        out[name] = d
    tot = sum(v["weights"] for v in out.values())
    nz = sum(v["nonzeros"] for v in out.values())
    return out, {"weights": tot, "nonzeros": nz, "density": round(nz / tot, 6)}


def export(model, path):
    model.eval()
    dummy = torch.zeros(model.input_shape)
    torch.onnx.export(model, dummy, path, input_names=["input"],
                      output_names=["logits"], opset_version=OPSET,
                      do_constant_folding=True, export_params=True,
                      keep_initializers_as_inputs=False)
    model.train()


def stage_record(model, name, data, path, clusters=None):
    export(model, path)
    torch_correct = test_correct(model, data)
    np_correct, total, _ = eval_onnx.evaluate(
        path, data.xte.reshape(-1, 784).numpy(), data.yte_np)
    ops = eval_onnx.Model(path).ops()
    layers, totals = layer_stats(model, model.layers, clusters)
    print("  -> %s: torch %.2f %%, numpy-onnx %.2f %%, ops %s, %d bytes" % (
        os.path.basename(path), torch_correct / 100.0, np_correct / 100.0,
        " ".join(ops), os.path.getsize(path)), flush=True)
    if np_correct != torch_correct:
        print("  WARNING: numpy ONNX reference disagrees with torch "
              "(%d vs %d)" % (np_correct, torch_correct), flush=True)
    return {
        "file": os.path.basename(path),
        "top1": round(torch_correct / total, 6),
        "correct": torch_correct,
        "numpy_onnx_correct": np_correct,
        "onnx_ops": ops,
        "onnx_bytes": os.path.getsize(path),
        "layers": layers,
        "total": totals,
    }


# ------------------------------------------------------------------ main --
def train_dense_and_prune(model, model_name, r, data, gen, rec, out_dir):
    """Stages 1 and 2: dense training, then iterative pruning with retraining.
    Returns the final masks."""
    print("[%s] dense training" % model_name, flush=True)
    train(model, data, gen, r["dense_epochs"], r["dense_lr"], log="dense")
    rec["stages"]["dense"] = stage_record(
        model, model_name, data, os.path.join(out_dir, model_name + "-dense.onnx"))

    rounds = len(r["prune_epochs"])
    print("[%s] pruning in %d rounds to %s" % (model_name, rounds, r["density"]),
          flush=True)
    masks = None
    for rnd in range(1, rounds + 1):
        frac = rnd / rounds
        dens = {k: v ** frac for k, v in r["density"].items()}  # geometric
        masks = magnitude_masks(model, dens)
        apply_masks(model, masks)
        print("  round %d: densities %s, test %.2f %% before retraining" % (
            rnd, {k: round(v, 3) for k, v in dens.items()},
            test_correct(model, data) / 100.0), flush=True)
        train(model, data, gen, r["prune_epochs"][rnd - 1], r["prune_lr"],
              after_step=lambda: apply_masks(model, masks), log="retrain")
    rec["stages"]["pruned"] = stage_record(
        model, model_name, data, os.path.join(out_dir, model_name + "-pruned.onnx"))

    return masks


def load_onnx_weights(model, path):
    """Copies a file's initializers (named like the model's parameters)."""
    graph = onnx.load(path).graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(torch.from_numpy(inits[name].copy()))


def run(model_name, out_dir, previous=None):
    """All three stages; with `previous` (the model's accuracy.json record),
    only the clustering stage, from the committed pruned model."""
    r = RECIPES[model_name]
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED + 1)
    model = r["cls"]()
    data = Data(model.input_shape)
    rec = {"architecture": model.__doc__.strip(), "stages": {}}
    t_start = time.time()

    if previous is not None:
        path = os.path.join(out_dir, model_name + "-pruned.onnx")
        print("[%s] clustering only, from %s" % (model_name, path), flush=True)
        load_onnx_weights(model, path)
        masks = {n: weight(model, n).detach() != 0 for n in model.layers}
        rec["stages"] = {k: previous["stages"][k] for k in ("dense", "pruned")}
        rec["pruning_seconds"] = previous.get("train_seconds")
    else:
        masks = train_dense_and_prune(model, model_name, r, data, gen, rec,
                                      out_dir)

    print("[%s] k-means clustering %s" % (model_name, r["clusters"]), flush=True)
    shared = cluster(model, masks, r["clusters"])
    wrapped = ClusteredModel(model, shared)
    before = test_correct(wrapped, data)
    print("  after clustering, before fine-tuning: %.2f %%" % (before / 100.0), flush=True)
    params = list(wrapped.shared.parameters()) + [
        getattr(model, n).bias for n in model.layers]
    train(wrapped, data, gen, r["cluster_epochs"], r["cluster_lr"], params=params,
          log="centroids")
    final = materialise(r["cls"], wrapped)
    rec["stages"]["clustered"] = stage_record(
        final, model_name, data, os.path.join(out_dir, model_name + "-clustered.onnx"),
        clusters=r["clusters"])
    rec["stages"]["clustered"]["top1_before_finetune"] = round(before / 10000.0, 6)

    rec["recipe"] = {k: v for k, v in r.items() if k != "cls"}
    rec["recipe"].update({"batch": BATCH, "optimizer": "Adam, cosine lr decay per stage",
                          "pruning": "per-layer magnitude, geometric schedule over rounds",
                          "kmeans_init": "linear", "seed": SEED})
    rec["train_seconds"] = round(time.time() - t_start, 1)
    if previous is not None:
        rec["recipe"]["clustering_from"] = model_name + "-pruned.onnx"
    return rec


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", choices=sorted(RECIPES) + ["all"], default="all")
    ap.add_argument("--out-dir", default=HERE)
    ap.add_argument("--from-pruned", action="store_true",
                    help="redo only the clustering stage, from the pruned model "
                         "in --out-dir (its dense and pruned records are kept)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=JSON",
                    help="override a recipe entry (experiments), e.g. "
                         "--set 'prune_epochs=[2,2,6]'")
    args = ap.parse_args(argv)
    for kv in args.set:
        key, val = kv.split("=", 1)
        for r in RECIPES.values():
            if key not in r:
                ap.error("unknown recipe key %s" % key)
            r[key] = json.loads(val)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.out_dir, exist_ok=True)

    names = ["lenet300100", "lenet5"] if args.model == "all" else [args.model]
    acc_path = os.path.join(args.out_dir, "accuracy.json")
    js = {}
    if os.path.exists(acc_path):
        with open(acc_path) as f:
            js = json.load(f)
    js.update({
        "dataset": {"name": "Fashion-MNIST", "test_images": 10000,
                    "location": fashion_mnist.DEFAULT_DIR,
                    "package": "dataset-fashion-mnist"},
        "normalisation": "float32(pixel) / 255; LeNet-300-100 input [1,784], "
                         "LeNet-5 input [1,1,28,28]",
        "metric": "top-1 on the 10,000 test images (torch; numpy_onnx_correct from "
                  "the numpy ONNX interpreter in eval_onnx.py)",
        "torch": torch.__version__,
    })
    js.setdefault("models", {})
    for name in names:
        previous = js["models"].get(name) if args.from_pruned else None
        if args.from_pruned and previous is None:
            ap.error("--from-pruned: no record of %s in %s" % (name, acc_path))
        js["models"][name] = run(name, args.out_dir, previous)
        with open(acc_path, "w") as f:
            json.dump(js, f, indent=2, sort_keys=False)
            f.write("\n")
    for name in names:
        st = js["models"][name]["stages"]
        print("%-12s dense %.2f %%  pruned %.2f %%  clustered %.2f %%  (%.0f s)" % (
            name, 100 * st["dense"]["top1"], 100 * st["pruned"]["top1"],
            100 * st["clustered"]["top1"], js["models"][name]["train_seconds"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

//===- cw-run.cpp - Accuracy and latency of a cw-compiled model -----------===//
//
//   cw-run model.so [--header model.h] [--count N] [--ref ref.so] [--json]
//   cw-run model.so --input-shape 1x784 --output-shape 1x10 --entry cw_forward
//
// Loads a shared library written by `cw-compile --shared`, classifies the
// Fashion-MNIST test images (IDX files, gzipped or plain; pixel / 255) in
// batches of the model's batch size and prints top-1. Then it times calls of
// the entry point on one thread (after warm-up; median, p90, min, mean).
// With --ref it runs a second library with the same entry point on the same
// inputs: top-1 agreement and the largest logit difference, and its latency
// measured in alternating rounds with the model's, so that both see the same
// machine load. Errors are `error: ...` and exit 1.
//
//===----------------------------------------------------------------------===//

#include "Idx.h"
#include "ModelHeader.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <dlfcn.h>
#include <optional>
#include <sched.h>

using namespace llvm;
using namespace cwrun;

static cl::OptionCategory category("cw-run options");

static cl::opt<std::string> libPath(cl::Positional, cl::Required,
                                    cl::desc("<model.so>"), cl::cat(category));
static cl::opt<std::string> headerPath(
    "header",
    cl::desc("cw-compile header of the model (default: model.h beside "
             "model.so; optional with --input-shape)"),
    cl::value_desc("model.h"), cl::cat(category));
static cl::opt<std::string>
    entryName("entry",
              cl::desc("Entry point symbol (default: the header's only one, "
                       "else cw_forward)"),
              cl::value_desc("cw_forward"), cl::cat(category));
static cl::opt<std::string> inputShape(
    "input-shape",
    cl::desc("Input shape instead of the header's (batch first). Checked "
             "against the header if there is one; without a header it must "
             "match the entry point's, which cw-run cannot check"),
    cl::value_desc("1x784"), cl::cat(category));
static cl::opt<std::string> outputShape(
    "output-shape",
    cl::desc("Output shape with --input-shape (default: the header's, else "
             "<batch>x10). Checked like --input-shape"),
    cl::value_desc("1x10"), cl::cat(category));
static cl::opt<std::string>
    refPath("ref",
            cl::desc("A second library with the same entry point: "
                     "agreement and its latency"),
            cl::value_desc("ref.so"), cl::cat(category));
static cl::opt<std::string> dataDir(
    "data-dir",
    cl::desc("Fashion-MNIST directory (default: $CW_FASHION_MNIST_DIR, else "
             "/usr/share/datasets/fashion-mnist)"),
    cl::cat(category));
static cl::opt<std::string>
    imagesPath("images",
               cl::desc("IDX image file (default: t10k-images-idx3-ubyte.gz "
                        "in the data directory)"),
               cl::cat(category));
static cl::opt<std::string>
    labelsPath("labels",
               cl::desc("IDX label file (default: t10k-labels-idx1-ubyte.gz "
                        "in the data directory)"),
               cl::cat(category));
static cl::opt<int64_t>
    imageCount("count",
               cl::desc("Classify the first N images (-1: all; 0: none)"),
               cl::init(-1), cl::cat(category));
// Each timed call keeps its latency in memory: bound them.
static constexpr unsigned kMaxCalls = 100000000;
static cl::opt<unsigned> calls("calls",
                               cl::desc("Timed calls per library (0: no "
                                        "latency measurement; at most 1e8)"),
                               cl::init(2000), cl::cat(category));
static cl::opt<unsigned> warmup("warmup",
                                cl::desc("Untimed calls before each round"),
                                cl::init(50), cl::cat(category));
static cl::opt<unsigned> rounds("rounds",
                                cl::desc("Rounds the timed calls are split "
                                         "into (alternating with --ref)"),
                                cl::init(10), cl::cat(category));
static cl::opt<int>
    cpu("cpu", cl::desc("Pin the process to this CPU (-1: do not pin)"),
        cl::init(-1), cl::cat(category));
static cl::opt<bool> jsonOut("json", cl::desc("Print JSON instead of text"),
                             cl::init(false), cl::cat(category));

static int fail(const Twine &message) {
  outs().flush();
  errs() << "error: " << message << "\n";
  return 1;
}

namespace {

using EntryFn = int (*)(const float *, float *);

/// A loaded model library and its entry point.
struct Model {
  std::string path;
  void *handle = nullptr;
  EntryFn fn = nullptr;
};

Expected<Model> loadModel(StringRef path, StringRef symbol) {
  Model m;
  m.path = path.str();
  // A name without a slash would be searched on the library path.
  SmallString<256> abs(path);
  sys::fs::make_absolute(abs);
  // RTLD_LOCAL: the model and the reference define the same symbols.
  m.handle = dlopen(abs.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!m.handle)
    return createStringError(inconvertibleErrorCode(),
                             "cannot load " + path + ": " + dlerror());
  m.fn = reinterpret_cast<EntryFn>(dlsym(m.handle, symbol.str().c_str()));
  if (!m.fn)
    return createStringError(inconvertibleErrorCode(),
                             path + " has no symbol " + symbol);
  return m;
}

/// The batch: the first dimension, if there are others.
int64_t batchOf(const std::vector<int64_t> &shape) {
  return shape.size() >= 2 ? shape[0] : 1;
}

/// The entry point to run and, where the header declares it, that
/// declaration, to check --input-shape and --output-shape against.
struct Selection {
  EntryPoint entry;
  std::optional<EntryPoint> declared;
  std::string headerPath;
};

/// The entry point to run: from the header, or from --input-shape.
Expected<Selection> selectEntry() {
  // The options first, so that their errors do not depend on the header.
  std::optional<std::vector<int64_t>> in, out;
  if (!inputShape.empty()) {
    Expected<std::vector<int64_t>> i = parseShape(inputShape, "--input-shape");
    if (!i)
      return i.takeError();
    in = std::move(*i);
  }
  if (!outputShape.empty()) {
    if (!in)
      return createStringError(inconvertibleErrorCode(),
                               "--output-shape needs --input-shape");
    Expected<std::vector<int64_t>> o =
        parseShape(outputShape, "--output-shape");
    if (!o)
      return o.takeError();
    out = std::move(*o);
  }

  Selection sel;
  std::string &path = sel.headerPath;
  path = headerPath;
  const bool given = !path.empty();
  if (!given) {
    SmallString<256> p(libPath);
    sys::path::replace_extension(p, "h");
    path = std::string(p);
  }
  // With --input-shape a header is optional unless --header names one; one
  // found beside the library is still checked, since it describes it.
  const bool needHeader = given || !in;
  std::optional<std::vector<EntryPoint>> entries;
  ErrorOr<std::unique_ptr<MemoryBuffer>> buf = MemoryBuffer::getFile(path);
  if (buf) {
    Expected<std::vector<EntryPoint>> parsed =
        parseHeader((*buf)->getBuffer(), path);
    if (!parsed)
      return parsed.takeError();
    entries = std::move(*parsed);
  } else if (needHeader) {
    return createStringError(inconvertibleErrorCode(),
                             "cannot read header " + path + ": " +
                                 buf.getError().message() +
                                 " (pass --header or --input-shape)");
  }
  if (entries && entries->empty() && needHeader)
    return createStringError(inconvertibleErrorCode(),
                             path + " declares no cw_ entry point");

  std::string want = entryName;
  if (want.empty())
    want = entries && entries->size() == 1 ? entries->front().symbol
                                           : "cw_forward";
  if (entries)
    for (EntryPoint &e : *entries)
      if (e.symbol == want)
        sel.declared = e;
  if (!sel.declared && needHeader) {
    std::string names;
    for (EntryPoint &e : *entries)
      names += (names.empty() ? "" : ", ") + e.symbol;
    return createStringError(inconvertibleErrorCode(),
                             path + " has no entry point " + want +
                                 " (it has " + names + ")");
  }
  if (!in) {
    sel.entry = *sel.declared;
    return sel;
  }
  if (!out)
    out = sel.declared && sel.declared->outputs.size() == 1
              ? sel.declared->outputs[0].shape
              : std::vector<int64_t>{batchOf(*in), 10};
  if (sel.declared) {
    // Keep the declared parameters: main() must still reject an entry point
    // that takes more than one float input and one float output.
    sel.entry = *sel.declared;
    if (!sel.entry.inputs.empty())
      sel.entry.inputs[0].shape = *in;
    if (!sel.entry.outputs.empty())
      sel.entry.outputs[0].shape = *out;
    return sel;
  }
  sel.entry.symbol = want;
  sel.entry.inputs.push_back({"in0", "float", *in});
  sel.entry.outputs.push_back({"out0", "float", *out});
  return sel;
}

/// The entry point writes and reads as many elements as its header says:
/// shapes from the options that hold fewer would let it overrun cw-run's
/// buffers. The batch must agree too, else images would be split wrongly.
Error checkDeclaredShapes(const Selection &sel) {
  if (!sel.declared)
    return Error::success();
  auto check = [&](const Buffer &b, const Buffer &d, StringRef option,
                   StringRef verb) -> Error {
    if (b.getNumElements() == d.getNumElements() &&
        batchOf(b.shape) == batchOf(d.shape))
      return Error::success();
    return createStringError(
        inconvertibleErrorCode(),
        option + " " + formatShape(b.shape) + " disagrees with " +
            sel.headerPath + ", where " + sel.entry.symbol + " " + verb + " " +
            d.name + " of shape " + formatShape(d.shape) +
            " (the batch and the number of elements must be the same)");
  };
  // Without --output-shape the output shape is the declared one.
  if (Error e = check(sel.entry.inputs[0], sel.declared->inputs[0],
                      "--input-shape", "reads"))
    return e;
  return check(sel.entry.outputs[0], sel.declared->outputs[0], "--output-shape",
               "writes");
}

/// Threads of this process after the calls (Linux: /proc/self/task), to
/// check that the model ran on the calling thread only; 0 if unknown.
int64_t countThreads() {
  std::error_code ec;
  int64_t n = 0;
  for (sys::fs::directory_iterator it("/proc/self/task", ec), end;
       it != end && !ec; it.increment(ec))
    ++n;
  return ec ? 0 : n;
}

/// Index of the largest value; the first on ties, NaN never wins.
int64_t argmax(const float *v, int64_t n) {
  int64_t best = 0;
  for (int64_t i = 1; i < n; ++i)
    if (v[i] > v[best] || std::isnan(v[best]))
      best = i;
  return best;
}

struct Shapes {
  int64_t batch, perSample, classes;
};

struct Accuracy {
  int64_t images = 0, correct = 0, nanOutputs = 0;
  // With --ref.
  int64_t refCorrect = 0, agree = 0;
  double maxLogitDiff = 0.0;
};

struct Latency {
  std::vector<double> micros;
  double quantile(double q) const {
    std::vector<double> s = micros;
    std::sort(s.begin(), s.end());
    size_t i = size_t(std::ceil(q * double(s.size())));
    return s[std::min(s.size() - 1, i ? i - 1 : 0)];
  }
  double mean() const {
    double sum = 0;
    for (double m : micros)
      sum += m;
    return sum / double(micros.size());
  }
};

Error callChecked(const Model &m, const float *in, float *out) {
  int rc = m.fn(in, out);
  if (rc != 0)
    return createStringError(inconvertibleErrorCode(),
                             m.path + ": entry point returned " + Twine(rc));
  return Error::success();
}

/// Classifies every image in batches; a partial last batch is zero-padded.
Expected<Accuracy> measureAccuracy(const Model &model, const Model *ref,
                                   const Dataset &ds, const Shapes &s) {
  Accuracy acc;
  std::vector<float> in(size_t(s.batch * s.perSample));
  std::vector<float> out(size_t(s.batch * s.classes));
  std::vector<float> refOut(out.size());
  for (int64_t first = 0; first < ds.count; first += s.batch) {
    int64_t got = std::min(s.batch, ds.count - first);
    std::fill(in.begin(), in.end(), 0.0f);
    std::copy_n(ds.pixels.begin() + first * s.perSample, got * s.perSample,
                in.begin());
    std::fill(out.begin(), out.end(), NAN);
    if (Error e = callChecked(model, in.data(), out.data()))
      return std::move(e);
    if (ref)
      if (Error e = callChecked(*ref, in.data(), refOut.data()))
        return std::move(e);
    for (int64_t b = 0; b < got; ++b) {
      const float *logits = out.data() + b * s.classes;
      for (int64_t c = 0; c < s.classes; ++c)
        acc.nanOutputs += std::isnan(logits[c]);
      int64_t pred = argmax(logits, s.classes);
      int64_t label = ds.labels[size_t(first + b)];
      acc.correct += pred == label;
      if (ref) {
        const float *r = refOut.data() + b * s.classes;
        int64_t refPred = argmax(r, s.classes);
        acc.refCorrect += refPred == label;
        acc.agree += refPred == pred;
        for (int64_t c = 0; c < s.classes; ++c)
          acc.maxLogitDiff =
              std::max(acc.maxLogitDiff, double(std::fabs(logits[c] - r[c])));
      }
    }
    acc.images += got;
  }
  return acc;
}

/// Times `n` calls after `warm` untimed ones, appending microseconds.
Error timeCalls(const Model &m, const std::vector<std::vector<float>> &inputs,
                std::vector<float> &out, unsigned n, unsigned warm,
                Latency &lat) {
  using Clock = std::chrono::steady_clock;
  // 64 bits: --warmup plus the calls may not fit in unsigned.
  for (uint64_t i = 0; i < uint64_t(warm) + n; ++i) {
    const float *in = inputs[i % inputs.size()].data();
    auto t0 = Clock::now();
    int rc = m.fn(in, out.data());
    auto t1 = Clock::now();
    if (rc != 0)
      return createStringError(inconvertibleErrorCode(),
                               m.path + ": entry point returned " + Twine(rc));
    if (i >= warm)
      lat.micros.push_back(
          std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  return Error::success();
}

/// Latency of the model (and the reference) over rounds that alternate
/// between the two, each round starting with its own warm-up.
Error measureLatency(const Model &model, const Model *ref, const Dataset &ds,
                     const Shapes &s, Latency &lat, Latency &refLat) {
  // Real images (the first few batches, or a fixed pattern without data),
  // cycled so that every call sees realistic activations.
  std::vector<std::vector<float>> inputs;
  for (int64_t first = 0; first < std::min<int64_t>(ds.count, 64 * s.batch);
       first += s.batch) {
    std::vector<float> in(size_t(s.batch * s.perSample), 0.0f);
    int64_t got = std::min(s.batch, ds.count - first);
    std::copy_n(ds.pixels.begin() + first * s.perSample, got * s.perSample,
                in.begin());
    inputs.push_back(std::move(in));
  }
  if (inputs.empty()) {
    std::vector<float> in(size_t(s.batch * s.perSample));
    for (size_t i = 0; i < in.size(); ++i)
      in[i] = float((i * 37) % 101) / 101.0f;
    inputs.push_back(std::move(in));
  }
  std::vector<float> out(size_t(s.batch * s.classes));
  unsigned r = std::max(1u, std::min<unsigned>(rounds, calls));
  for (unsigned i = 0; i < r; ++i) {
    unsigned n = calls / r + (i < calls % r ? 1 : 0);
    if (Error e = timeCalls(model, inputs, out, n, warmup, lat))
      return e;
    if (ref)
      if (Error e = timeCalls(*ref, inputs, out, n, warmup, refLat))
        return e;
  }
  return Error::success();
}

void printLatencyText(raw_ostream &os, StringRef what, const Latency &lat) {
  os << what
     << format(": median %.2f us, p90 %.2f us, min %.2f us, mean "
               "%.2f us\n",
               lat.quantile(0.5), lat.quantile(0.9), lat.quantile(0.0),
               lat.mean());
}

json::Object latencyJSON(const Latency &lat) {
  return json::Object{{"median_us", lat.quantile(0.5)},
                      {"p90_us", lat.quantile(0.9)},
                      {"min_us", lat.quantile(0.0)},
                      {"mean_us", lat.mean()},
                      {"calls", int64_t(lat.micros.size())}};
}

json::Array shapeJSON(const std::vector<int64_t> &shape) {
  json::Array a;
  for (int64_t d : shape)
    a.push_back(d);
  return a;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "cw-run: top-1 on Fashion-MNIST and batch-1 latency of a cw-compiled "
      "model\n");

  if (cpu < -1)
    return fail("--cpu " + Twine(cpu) + ": expected a CPU number, or -1");
  if (imageCount < -1)
    return fail("--count " + Twine(imageCount) +
                ": expected a number of images, or -1 for all");
  if (calls > kMaxCalls)
    return fail("--calls " + Twine(calls) + ": at most " + Twine(kMaxCalls));

  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set) != 0)
      return fail("cannot pin to CPU " + Twine(cpu));
  }

  Expected<Selection> sel = selectEntry();
  if (!sel)
    return fail(toString(sel.takeError()));
  EntryPoint *entry = &sel->entry;
  if (entry->inputs.size() != 1 || entry->outputs.size() != 1 ||
      entry->inputs[0].cType != "float" || entry->outputs[0].cType != "float")
    return fail(entry->symbol +
                " must take one float input and one float output (a "
                "classifier); it has " +
                Twine(entry->inputs.size()) + " inputs and " +
                Twine(entry->outputs.size()) + " outputs");
  const Buffer &inBuf = entry->inputs[0], &outBuf = entry->outputs[0];
  Shapes s;
  s.batch = inBuf.shape.size() >= 2 ? inBuf.shape[0] : 1;
  s.perSample = inBuf.getNumElements() / s.batch;
  s.classes = outBuf.getNumElements() / s.batch;
  if (outBuf.shape.size() >= 2 && outBuf.shape[0] != s.batch)
    return fail("output shape " + formatShape(outBuf.shape) +
                " does not start with the input's batch " + Twine(s.batch));
  if (s.classes < 1 || s.classes * s.batch != outBuf.getNumElements())
    return fail("output shape " + formatShape(outBuf.shape) +
                " holds no whole class rows per sample");

  Expected<Model> model = loadModel(libPath, entry->symbol);
  if (!model)
    return fail(toString(model.takeError()));
  std::optional<Model> ref;
  if (!refPath.empty()) {
    Expected<Model> r = loadModel(refPath, entry->symbol);
    if (!r)
      return fail(toString(r.takeError()));
    ref = *r;
  }

  Dataset ds;
  if (imageCount != 0) {
    std::string dir = dataDir;
    if (dir.empty()) {
      const char *env = std::getenv("CW_FASHION_MNIST_DIR");
      dir = env && *env ? env : "/usr/share/datasets/fashion-mnist";
    }
    auto inDir = [&](StringRef name) {
      SmallString<256> p(dir);
      sys::path::append(p, name);
      return std::string(p);
    };
    std::string images = imagesPath.empty() ? inDir("t10k-images-idx3-ubyte.gz")
                                            : std::string(imagesPath);
    std::string labels = labelsPath.empty() ? inDir("t10k-labels-idx1-ubyte.gz")
                                            : std::string(labelsPath);
    Expected<Dataset> d = readIdxDataset(images, labels, imageCount);
    if (!d)
      return fail(toString(d.takeError()));
    ds = std::move(*d);
    if (ds.pixelsPerImage() != s.perSample)
      return fail(entry->symbol + " takes " + Twine(s.perSample) +
                  " values per sample (input " + formatShape(inBuf.shape) +
                  "), the images have " + Twine(ds.rows) + "x" +
                  Twine(ds.cols));
    // A label without a logit would silently count as a wrong prediction.
    for (int64_t i = 0; i < ds.count; ++i)
      if (ds.labels[size_t(i)] >= s.classes)
        return fail(labels + ": label " +
                    Twine(unsigned(ds.labels[size_t(i)])) + " of image " +
                    Twine(i) + " is out of range: " + entry->symbol + " has " +
                    Twine(s.classes) + " classes (output " +
                    formatShape(outBuf.shape) + ")");
  }
  // After the image checks, whose errors say more where both apply.
  if (Error e = checkDeclaredShapes(*sel))
    return fail(toString(std::move(e)));

  Accuracy acc;
  if (ds.count > 0) {
    Expected<Accuracy> a =
        measureAccuracy(*model, ref ? &*ref : nullptr, ds, s);
    if (!a)
      return fail(toString(a.takeError()));
    acc = *a;
  }
  Latency lat, refLat;
  if (calls > 0)
    if (Error e =
            measureLatency(*model, ref ? &*ref : nullptr, ds, s, lat, refLat))
      return fail(toString(std::move(e)));

  const int64_t threads = countThreads();
  auto pct = [](int64_t n, int64_t d) { return d ? 100.0 * n / d : 0.0; };
  if (jsonOut) {
    json::Object o{
        {"library", model->path},
        {"entry", entry->symbol},
        {"input_shape", shapeJSON(inBuf.shape)},
        {"output_shape", shapeJSON(outBuf.shape)},
        {"batch", s.batch},
        {"images", acc.images},
        {"correct", acc.correct},
        {"top1", acc.images ? double(acc.correct) / acc.images : 0.0},
        {"nan_outputs", acc.nanOutputs},
        {"threads", threads}};
    if (calls > 0)
      o["latency"] = latencyJSON(lat);
    if (ref) {
      json::Object r{
          {"library", ref->path},
          {"correct", acc.refCorrect},
          {"top1", acc.images ? double(acc.refCorrect) / acc.images : 0.0},
          {"agree", acc.agree},
          {"max_abs_logit_diff", acc.maxLogitDiff}};
      if (calls > 0)
        r["latency"] = latencyJSON(refLat);
      o["reference"] = std::move(r);
    }
    outs() << formatv("{0:2}", json::Value(std::move(o))) << "\n";
  } else {
    raw_ostream &os = outs();
    os << "model: " << model->path << " (" << entry->symbol << ", input "
       << formatShape(inBuf.shape) << ", output " << formatShape(outBuf.shape)
       << ", batch " << s.batch << ")\n";
    if (acc.images)
      os << format("top-1: %lld / %lld = %.2f %%\n", (long long)acc.correct,
                   (long long)acc.images, pct(acc.correct, acc.images));
    if (ref && acc.images)
      os << "reference: " << ref->path
         << format("\nreference top-1: %lld / %lld = %.2f %%\n"
                   "agreement: %lld / %lld, max |logit diff| %.3g\n",
                   (long long)acc.refCorrect, (long long)acc.images,
                   pct(acc.refCorrect, acc.images), (long long)acc.agree,
                   (long long)acc.images, acc.maxLogitDiff);
    if (calls > 0) {
      os << "latency: batch " << s.batch << ", " << lat.micros.size()
         << " calls in " << std::max(1u, std::min<unsigned>(rounds, calls))
         << " rounds, " << warmup << " warm-up calls each, ";
      if (threads == 1)
        os << "one thread\n";
      else
        os << threads << " threads in the process\n";
      printLatencyText(os, "latency", lat);
      if (ref)
        printLatencyText(os, "reference latency", refLat);
    }
  }
  if (acc.nanOutputs)
    return fail(Twine(acc.nanOutputs) + " outputs of " + model->path +
                " are NaN");
  return 0;
}

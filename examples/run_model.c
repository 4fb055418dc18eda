/* run_model.c - run a model compiled by cw-compile.
 *
 *   cw-compile model.mlir -o model.o --header model.h
 *   clang-22 -O2 run_model.c model.o -o run_model -lm
 *   ./run_model                      # a fixed synthetic input
 *   ./run_model images.f32 [labels.u8 [count]]
 *
 * model.h declares `int cw_forward(const float *in0, float *out0)` with the
 * buffer shapes as macros (CW_FORWARD_IN0_SHAPE, CW_FORWARD_IN0_SIZE, ...).
 * Buffers are contiguous row-major floats that the caller owns: the model
 * allocates nothing that outlives the call.
 *
 * With images.f32 (raw little-endian float32 samples, each the size of one
 * input row, e.g. from `models/fashion_mnist.py --write-test`), the program
 * classifies `count` samples (default: all) in batches of the model's batch
 * size, prints the first few predictions and, with labels.u8, the top-1
 * accuracy.
 */
#include "model.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if CW_FORWARD_NUM_INPUTS != 1 || CW_FORWARD_NUM_OUTPUTS != 1
#error "run_model.c expects cw_forward with one input and one output"
#endif

static const int64_t inShape[] = CW_FORWARD_IN0_SHAPE;
static const int64_t outShape[] = CW_FORWARD_OUT0_SHAPE;

static int argmax(const float *v, int64_t n) {
  int64_t best = 0;
  for (int64_t i = 1; i < n; ++i)
    if (v[i] > v[best])
      best = i;
  return (int)best;
}

int main(int argc, char **argv) {
  /* Both buffers live on the caller's side. */
  static float in[CW_FORWARD_IN0_SIZE];
  static float out[CW_FORWARD_OUT0_SIZE];
  const int64_t batch = CW_FORWARD_IN0_RANK > 0 ? inShape[0] : 1;
  const int64_t sample = CW_FORWARD_IN0_SIZE / batch;
  const int64_t classes = CW_FORWARD_OUT0_SIZE / batch;
  (void)outShape;

  if (argc < 2) {
    for (int64_t i = 0; i < CW_FORWARD_IN0_SIZE; ++i)
      in[i] = (float)((i * 37) % 101) / 101.0f - 0.5f;
    if (cw_forward(in, out) != 0) {
      fprintf(stderr, "cw_forward failed\n");
      return 1;
    }
    for (int64_t b = 0; b < batch; ++b) {
      printf("sample %lld:", (long long)b);
      for (int64_t c = 0; c < classes; ++c)
        printf(" %.6f", out[b * classes + c]);
      printf("\nsample %lld: top-1 = %d\n", (long long)b,
             argmax(out + b * classes, classes));
    }
    return 0;
  }

  FILE *images = fopen(argv[1], "rb");
  if (!images) {
    perror(argv[1]);
    return 1;
  }
  FILE *labels = argc > 2 ? fopen(argv[2], "rb") : NULL;
  if (argc > 2 && !labels) {
    perror(argv[2]);
    fclose(images);
    return 1;
  }
  long limit = argc > 3 ? atol(argv[3]) : -1;
  long seen = 0, correct = 0;
  for (;;) {
    int64_t got = 0;
    while (got < batch && (limit < 0 || seen + got < limit) &&
           fread(in + got * sample, sizeof(float), (size_t)sample, images) ==
               (size_t)sample)
      ++got;
    if (got == 0)
      break;
    /* A partial last batch: pad with zeros, ignore the padded outputs. */
    memset(in + got * sample, 0,
           sizeof(float) * (size_t)((batch - got) * sample));
    if (cw_forward(in, out) != 0) {
      fprintf(stderr, "cw_forward failed\n");
      return 1;
    }
    for (int64_t b = 0; b < got; ++b) {
      int pred = argmax(out + b * classes, classes);
      if (seen < 5)
        printf("sample %ld: top-1 = %d\n", seen, pred);
      if (labels) {
        unsigned char label;
        if (fread(&label, 1, 1, labels) == 1 && label == pred)
          ++correct;
      }
      ++seen;
    }
  }
  fclose(images);
  if (labels) {
    fclose(labels);
    printf("accuracy: %ld / %ld = %.4f\n", correct, seen,
           seen ? (double)correct / (double)seen : 0.0);
  } else {
    printf("classified %ld samples\n", seen);
  }
  return 0;
}

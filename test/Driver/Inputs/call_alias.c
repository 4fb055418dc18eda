/* Calls the entry points of Inputs/alias.mlir twice and checks every output
   (the second call catches a buffer freed or reused by the first). */
#include "alias.h"

#include <stdio.h>

int main(void) {
  float x[24], flat[24], v[5], same[5];
  for (int i = 0; i < 24; ++i)
    x[i] = 1.5f * (float)i - 7.0f;
  for (int i = 0; i < 5; ++i)
    v[i] = (float)(i * i) - 3.0f;
  for (int call = 0; call < 2; ++call) {
    if (cw_flat(x, flat) != 0 || cw_same(v, same) != 0)
      return 1;
    for (int i = 0; i < 24; ++i)
      if (flat[i] != x[i]) {
        printf("flat wrong at %d: %g\n", i, flat[i]);
        return 1;
      }
    for (int i = 0; i < 5; ++i)
      if (same[i] != v[i]) {
        printf("same wrong at %d: %g\n", i, same[i]);
        return 1;
      }
  }
  printf("alias ok\n");
  return 0;
}

/* Calls the entry points of Inputs/multi.mlir and checks every output. */
#include "multi.h"

#include <stdio.h>

int main(void) {
  float a[6] = {1, -2, 3, -4, 5, -6}, b[6] = {0.5f, 1, -4, 2, 0.25f, 7};
  float sum[6], prod[6];
  if (cw_pair(a, b, sum, prod) != 0)
    return 1;
  for (int i = 0; i < 6; ++i) {
    float s = a[i] + b[i] > 0 ? a[i] + b[i] : 0;
    if (sum[i] != s || prod[i] != a[i] * b[i]) {
      printf("pair wrong at %d: %g %g\n", i, sum[i], prod[i]);
      return 1;
    }
  }
  printf("pair ok\n");
  float x[4] = {1.5f, -2.0f, 3.0f, 0.25f}, total;
  int32_t ints[4];
  if (cw_stats_v2(x, &total, ints) != 0)
    return 1;
  if (total != 2.75f || ints[0] != 1 && ints[0] != 2 || ints[1] != -2 ||
      ints[2] != 3 || ints[3] != 0) {
    printf("stats wrong: %g %d %d %d %d\n", total, ints[0], ints[1], ints[2],
           ints[3]);
    return 1;
  }
  printf("stats ok\n");
  return 0;
}

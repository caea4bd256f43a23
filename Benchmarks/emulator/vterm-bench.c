/*
 * vterm-bench: libvterm throughput on byte streams.
 *
 *   vterm-bench [--cols 80] [--rows 24] [--iterations 3] FILE...
 *
 * Each file is read into memory, then fed to a fresh VTerm (UTF-8, screen
 * layer with alt screen enabled, as Tests/Differential/vterm-dump.c) in
 * 64 KiB chunks, timed with clock_gettime(CLOCK_MONOTONIC).  Best of
 * --iterations runs.  One line per file, same format as `vibe bench emulator`:
 *   name=FILE bytes=N seconds=S mbps=X        (MB = 10^6 bytes)
 *
 * Build: cc -O2 -o vterm-bench vterm-bench.c -lvterm
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vterm.h>

#define CHUNK (64 * 1024)

static void discard_output(const char *s, size_t len, void *user) {
  (void)s; (void)len; (void)user;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); return NULL; }
  size_t cap = 1 << 20, n = 0;
  char *buf = malloc(cap);
  size_t r;
  while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) buf = realloc(buf, cap *= 2);
  }
  fclose(f);
  *len = n;
  return buf;
}

int main(int argc, char **argv) {
  int cols = 80, rows = 24, iterations = 3, nfiles = 0;
  const char **files = calloc((size_t)argc, sizeof *files);
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--cols") && i + 1 < argc) cols = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--rows") && i + 1 < argc) rows = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--iterations") && i + 1 < argc) iterations = atoi(argv[++i]);
    else if (argv[i][0] == '-') {
      fprintf(stderr, "usage: vterm-bench [--cols N] [--rows N] [--iterations N] FILE...\n");
      return 64;
    } else files[nfiles++] = argv[i];
  }
  if (!nfiles || iterations < 1 || cols < 1 || rows < 1) {
    fprintf(stderr, "usage: vterm-bench [--cols N] [--rows N] [--iterations N] FILE...\n");
    return 64;
  }
  for (int f = 0; f < nfiles; f++) {
    size_t len;
    char *data = slurp(files[f], &len);
    if (!data) return 66;
    double best = 1e300;
    for (int it = 0; it < iterations; it++) {
      VTerm *vt = vterm_new(rows, cols);
      vterm_set_utf8(vt, 1);
      vterm_output_set_callback(vt, discard_output, NULL);
      VTermScreen *screen = vterm_obtain_screen(vt);
      vterm_screen_enable_altscreen(screen, 1);
      vterm_screen_reset(screen, 1);
      double t0 = now();
      for (size_t off = 0; off < len; off += CHUNK) {
        size_t n = len - off < CHUNK ? len - off : CHUNK;
        vterm_input_write(vt, data + off, n);
      }
      vterm_screen_flush_damage(screen);
      double dt = now() - t0;
      if (dt < best) best = dt;
      vterm_free(vt);
    }
    if (best < 1e-9) best = 1e-9;
    printf("name=%s bytes=%zu seconds=%.4f mbps=%.1f\n", files[f], len, best, (double)len / 1e6 / best);
    fflush(stdout);
    free(data);
  }
  free(files);
  return 0;
}

/*
 * vterm-dump: feed a byte stream to libvterm and print the canonical dump.
 *
 *   vterm-dump [--cols 80] [--rows 24] [FILE]      (stdin when no FILE)
 *
 * Build: cc -O2 -o vterm-dump vterm-dump.c -lvterm
 *
 * Output (the format `vibe render --format dump` prints):
 *   size RxC
 *   cursor ROW COL
 *   NN|text                     wide char once, trailing blanks trimmed
 *   @RR:C0-C1 fg=F bg=B FLAGS   maximal runs of non-default attributes
 * Colours: default -> d, indexed -> iN, rgb -> #rrggbb.
 * Flags in order: B bold, I italic, U underline, K blink, R inverse, S strike.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <wchar.h>
#include <vterm.h>

static void discard_output(const char *s, size_t len, void *user) {
  (void)s; (void)len; (void)user;
}

static void put_utf8(char **p, uint32_t c) {
  char *o = *p;
  if (c < 0x80) { *o++ = (char)c; }
  else if (c < 0x800) { *o++ = (char)(0xC0 | (c >> 6)); *o++ = (char)(0x80 | (c & 0x3F)); }
  else if (c < 0x10000) {
    *o++ = (char)(0xE0 | (c >> 12)); *o++ = (char)(0x80 | ((c >> 6) & 0x3F));
    *o++ = (char)(0x80 | (c & 0x3F));
  } else {
    *o++ = (char)(0xF0 | (c >> 18)); *o++ = (char)(0x80 | ((c >> 12) & 0x3F));
    *o++ = (char)(0x80 | ((c >> 6) & 0x3F)); *o++ = (char)(0x80 | (c & 0x3F));
  }
  *p = o;
}

typedef struct { char fg[12], bg[12], flags[8]; } Attr;

static void colour_str(const VTermColor *c, int is_fg, char *out) {
  if ((is_fg && VTERM_COLOR_IS_DEFAULT_FG(c)) || (!is_fg && VTERM_COLOR_IS_DEFAULT_BG(c)))
    strcpy(out, "d");
  else if (VTERM_COLOR_IS_INDEXED(c))
    sprintf(out, "i%d", c->indexed.idx);
  else
    sprintf(out, "#%02x%02x%02x", c->rgb.red, c->rgb.green, c->rgb.blue);
}

static void cell_attr(const VTermScreenCell *cell, Attr *a) {
  char *f = a->flags;
  colour_str(&cell->fg, 1, a->fg);
  colour_str(&cell->bg, 0, a->bg);
  if (cell->attrs.bold) *f++ = 'B';
  if (cell->attrs.italic) *f++ = 'I';
  if (cell->attrs.underline) *f++ = 'U';
  if (cell->attrs.blink) *f++ = 'K';
  if (cell->attrs.reverse) *f++ = 'R';
  if (cell->attrs.strike) *f++ = 'S';
  *f = 0;
}

static int attr_default(const Attr *a) {
  return !strcmp(a->fg, "d") && !strcmp(a->bg, "d") && !a->flags[0];
}

static int attr_eq(const Attr *a, const Attr *b) {
  return !strcmp(a->fg, b->fg) && !strcmp(a->bg, b->bg) && !strcmp(a->flags, b->flags);
}

int main(int argc, char **argv) {
  int cols = 80, rows = 24;
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--cols") && i + 1 < argc) cols = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--rows") && i + 1 < argc) rows = atoi(argv[++i]);
    else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "usage: vterm-dump [--cols N] [--rows N] [FILE]\n");
      return 64;
    } else path = argv[i];
  }
  if (cols < 1 || rows < 1) { fprintf(stderr, "vterm-dump: bad size\n"); return 64; }

  if (!setlocale(LC_CTYPE, "C.UTF-8")) setlocale(LC_CTYPE, "");

  FILE *in = stdin;
  if (path && strcmp(path, "-")) {
    in = fopen(path, "rb");
    if (!in) { perror(path); return 66; }
  }

  VTerm *vt = vterm_new(rows, cols);
  vterm_set_utf8(vt, 1);
  vterm_output_set_callback(vt, discard_output, NULL);
  VTermScreen *screen = vterm_obtain_screen(vt);
  vterm_screen_enable_altscreen(screen, 1);
  vterm_screen_reset(screen, 1);

  static char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) vterm_input_write(vt, buf, n);
  if (in != stdin) fclose(in);
  vterm_screen_flush_damage(screen);

  VTermPos cur;
  vterm_state_get_cursorpos(vterm_obtain_state(vt), &cur);
  if (cur.col >= cols) cur.col = cols - 1;
  if (cur.row >= rows) cur.row = rows - 1;

  printf("size %dx%d\ncursor %d %d\n", rows, cols, cur.row, cur.col);

  Attr *attrs = calloc((size_t)rows * cols, sizeof(Attr));
  char *line = malloc((size_t)cols * VTERM_MAX_CHARS_PER_CELL * 4 + 1);
  for (int r = 0; r < rows; r++) {
    char *p = line;
    int prev_width = 1;
    for (int c = 0; c < cols; c++) {
      VTermScreenCell cell;
      VTermPos pos = { .row = r, .col = c };
      vterm_screen_get_cell(screen, pos, &cell);
      cell_attr(&cell, &attrs[r * cols + c]);
      if (cell.chars[0] == (uint32_t)-1) {
        /* right half of a wide char: printed once with its left half, and it
         * takes the left half's attributes.  libvterm can leave an orphan
         * right half when the left half was overwritten: print it as a blank
         * so the columns stay aligned. */
        if (c > 0 && prev_width == 2) {
          attrs[r * cols + c] = attrs[r * cols + c - 1];
          prev_width = 1;
          continue;
        }
        *p++ = ' ';
        prev_width = 1;
        continue;
      }
      /* libvterm reports width 2 for any char followed by an orphan right
       * half; trust the char's own width (glibc wcwidth) instead. */
      prev_width = (cell.width == 2 && wcwidth((wchar_t)cell.chars[0]) == 2) ? 2 : 1;
      if (cell.chars[0] == 0) {
        *p++ = ' ';
        continue;
      }
      for (int k = 0; k < VTERM_MAX_CHARS_PER_CELL && cell.chars[k]; k++)
        put_utf8(&p, cell.chars[k]);
    }
    /* trim trailing blanks (spaces, whether written or empty) */
    while (p > line && p[-1] == ' ') p--;
    *p = 0;
    printf("%02d|%s\n", r, line);
  }
  for (int r = 0; r < rows; r++) {
    for (int c = 0; c < cols; c++) {
      Attr *a = &attrs[r * cols + c];
      if (attr_default(a)) continue;
      int c0 = c;
      while (c + 1 < cols && attr_eq(&attrs[r * cols + c + 1], a)) c++;
      printf("@%02d:%d-%d fg=%s bg=%s%s%s\n", r, c0, c, a->fg, a->bg, a->flags[0] ? " " : "", a->flags);
    }
  }
  free(attrs);
  free(line);
  vterm_free(vt);
  return 0;
}

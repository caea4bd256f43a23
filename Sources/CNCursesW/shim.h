#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <locale.h>

/* Function-like macros do not import into Swift: wrap the ones vibe uses. */
static inline attr_t vibe_a_bold(void) { return A_BOLD; }
static inline attr_t vibe_a_dim(void) { return A_DIM; }
static inline attr_t vibe_a_italic(void) { return A_ITALIC; }
static inline attr_t vibe_a_underline(void) { return A_UNDERLINE; }
static inline attr_t vibe_a_reverse(void) { return A_REVERSE; }
static inline attr_t vibe_a_invis(void) { return A_INVIS; }
static inline attr_t vibe_a_blink(void) { return A_BLINK; }
static inline attr_t vibe_a_normal(void) { return A_NORMAL; }
/* A_STRIKEOUT only exists in newer ncurses; 0 means "not supported". */
static inline attr_t vibe_a_strike(void) {
#ifdef WA_STRIKEOUT
    return WA_STRIKEOUT;
#else
    return 0;
#endif
}

/* Draws one cell: a character (plus combining marks) with attributes and an extended colour pair. */
static inline int vibe_put_cell(int y, int x, const wchar_t *wch, attr_t attrs, int pair) {
    cchar_t cell;
    if (setcchar(&cell, wch, attrs, (short)(pair < 32767 ? pair : 0), &pair) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}

#define _GNU_SOURCE
#include "cpty.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct termios guard_saved;
static int guard_fd = -1;
static volatile sig_atomic_t guard_armed = 0;
static char guard_reset[256];
static size_t guard_reset_len = 0;
static const int guard_signals[] = {SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE};

static void guard_restore(void) {
    if (!guard_armed) return;
    guard_armed = 0;
    if (guard_reset_len > 0) {
        ssize_t ignored = write(guard_fd, guard_reset, guard_reset_len);
        (void)ignored;
    }
    tcsetattr(guard_fd, TCSAFLUSH, &guard_saved);
}

static void guard_on_signal(int sig) {
    guard_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

int cpty_guard_terminal(int fd, const char *reset_seq) {
    if (tcgetattr(fd, &guard_saved) != 0) return -1;
    guard_fd = fd;
    guard_reset_len = 0;
    if (reset_seq) {
        size_t n = strlen(reset_seq);
        if (n >= sizeof guard_reset) n = sizeof guard_reset - 1;
        memcpy(guard_reset, reset_seq, n);
        guard_reset_len = n;
    }
    static int registered = 0;
    if (!registered) {
        atexit(guard_restore);
        registered = 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = guard_on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof guard_signals / sizeof guard_signals[0]; i++) {
        sigaction(guard_signals[i], &sa, NULL);
    }
    guard_armed = 1;
    return 0;
}

void cpty_release_terminal(void) {
    guard_restore();
    for (size_t i = 0; i < sizeof guard_signals / sizeof guard_signals[0]; i++) signal(guard_signals[i], SIG_DFL);
}

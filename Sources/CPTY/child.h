#ifndef CPTY_CHILD_H
#define CPTY_CHILD_H

// What a forked child does before exec (C only: a forked child of a multithreaded process may only
// make async-signal-safe calls). Shared by cpty.c and daemon.c; not part of the module's API.

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

/// Clears the signal mask inherited from Swift's threads and restores every default disposition.
static inline void child_reset_signals(void) {
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    for (int s = 1; s < NSIG; s++) {
        if (s == SIGKILL || s == SIGSTOP) continue;
        signal(s, SIG_DFL);
    }
}

/// Closes every descriptor above stderr (the parent's sockets and pipes must not leak into the program).
static inline void child_close_fds(void) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3U, ~0U, 0) == 0) return;
#endif
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536) max = 65536;
    for (int fd = 3; fd < max; fd++) close(fd);
}

#endif

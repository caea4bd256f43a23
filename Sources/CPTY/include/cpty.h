#ifndef CPTY_H
#define CPTY_H

#include <sys/types.h>
#include <sys/inotify.h>
#include <poll.h>
#include <termios.h>

/// Resource limits applied in a spawned child before it execs (soft and hard; never raised above the
/// inherited hard limit). 0 leaves a limit as inherited.
struct cpty_limits {
    /// RLIMIT_NPROC: processes (and threads) of the child's real user at which its fork fails with EAGAIN.
    unsigned long max_processes;
    /// RLIMIT_NOFILE: open files per process.
    unsigned long max_files;
};

/// Starts `path` (looked up in the PATH of `envp` when it has no '/') with `argv` and `envp` in `cwd` on
/// a new PTY, as a session leader with the PTY as its controlling terminal. The child is made with
/// clone(CLONE_VM|CLONE_VFORK), so the cost does not grow with this process's memory; it runs C only:
/// default dispositions, an empty signal mask, every fd above 2 closed, `limits` (may be NULL) applied.
/// `raw` != 0 puts the PTY in raw mode. Blocks the calling thread until the child has exec'd.
/// Returns the child's pid (master fd in *master_fd, CLOEXEC) or -1 with errno set (a failed exec included).
pid_t cpty_spawn_limited(const char *path, char *const argv[], char *const envp[], const char *cwd,
                         int *master_fd, unsigned short rows, unsigned short cols, int raw,
                         const struct cpty_limits *limits);

/// `cpty_spawn_limited` with the limits inherited.
pid_t cpty_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
                 int *master_fd, unsigned short rows, unsigned short cols, int raw);

/// Starts `path` like `cpty_spawn_limited`, in its own process group with stdin on /dev/null and
/// stdout/stderr on pipes. Returns the pid (read ends in *out_fd / *err_fd, CLOEXEC, non-blocking) or -1
/// with errno set.
pid_t cpty_spawn_piped(const char *path, char *const argv[], char *const envp[], const char *cwd,
                       int *out_fd, int *err_fd, const struct cpty_limits *limits);

/// Sets the window size of a PTY (TIOCSWINSZ). Returns 0 or -1.
int cpty_set_winsize(int fd, unsigned short rows, unsigned short cols);

/// Reads the window size of a terminal (TIOCGWINSZ). Returns 0 or -1.
int cpty_get_winsize(int fd, unsigned short *rows, unsigned short *cols);

/// Reads the pixel size of a terminal's text area (TIOCGWINSZ; 0 when the terminal does not say). Returns 0 or -1.
int cpty_get_pixel_size(int fd, unsigned short *width, unsigned short *height);

/// Decodes a waitpid status: the exit code, or 128+signal.
int cpty_exit_code(int status);

/// Puts a terminal fd into raw mode, saving the previous mode in *saved. Returns 0 or -1.
int cpty_make_raw(int fd, struct termios *saved);

/// Restores a mode saved by cpty_make_raw. Async-signal-safe. Returns 0 or -1.
int cpty_restore(int fd, const struct termios *saved);

/// Guards a terminal: saves its mode and, on exit or on a fatal or terminating signal
/// (TERM, HUP, INT, QUIT, SEGV, BUS, ABRT, ILL, FPE), writes `reset_seq` (may be NULL) to the fd and
/// restores the mode before the signal's default action proceeds. Returns 0 or -1.
int cpty_guard_terminal(int fd, const char *reset_seq);

/// Restores the guarded terminal now (idempotent) and disarms the guard.
void cpty_release_terminal(void);

/// Starts `path arg` (with this process's environment) as a daemon, the way tmux starts its
/// server: double fork so it is no child of ours, its own session (setsid) with no controlling
/// terminal, cwd `/`, stdin on /dev/null, stdout and stderr appended to `log_path` (created 0600),
/// SIGHUP ignored, every other signal default and unblocked, fds above 2 closed.
/// Returns 0 once the intermediate child is reaped, or -1 with errno set (fork failed).
int cpty_spawn_daemon(const char *path, const char *arg, const char *log_path);

/// Takes an flock on `fd`: exclusive, and without waiting when `nonblocking` != 0.
/// Returns 0, or -1 with errno set (EWOULDBLOCK when another process holds it).
int cpty_flock(int fd, int nonblocking);

/// Listens on a unix stream socket at `path` (an old socket file there is replaced), mode 0600.
/// Returns the listening fd (CLOEXEC) or -1 with errno set.
int cpty_unix_listen(const char *path);

/// Accepts a connection on `listener` (retrying on EINTR). Returns the fd (CLOEXEC) or -1 with errno set.
int cpty_unix_accept(int listener);

/// Connects to the unix stream socket at `path`. Returns the fd (CLOEXEC) or -1 with errno set.
int cpty_unix_connect(const char *path);

#endif

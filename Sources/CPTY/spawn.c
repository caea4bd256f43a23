#define _GNU_SOURCE
#include "cpty.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

// Programs are started with clone(CLONE_VM | CLONE_VFORK), as glibc's posix_spawn does: the child borrows
// the parent's memory until it execs, so starting one costs the same whatever the server's size (fork
// copies every page table entry of the parent and write-protects its pages, which grows with the number of
// terminals open). The calling thread waits until the child has exec'd or failed; nothing else does.
// The child shares the parent's memory: it may only make system calls and write its error into `err`.

struct spawn_args {
    const char *path;                 // the program, already looked up in PATH
    char *const *argv;
    char *const *envp;
    const char *cwd;
    const struct cpty_limits *limits; // NULL: inherited
    int fds[3];                       // become the child's 0, 1 and 2 (each >= 3 in the parent)
    int tty;                          // 1: new session with fds[0] as controlling terminal; 0: own process group
    volatile int err;                 // errno of the step that failed in the child, 0 after exec
};

/// Lowers one limit to `value` (soft and hard, so the program cannot raise it again; never above the
/// current hard limit). 0 leaves it as inherited.
static int lower_limit(int resource, unsigned long value) {
    if (value == 0) return 0;
    struct rlimit current;
    if (getrlimit(resource, &current) != 0) return -1;
    rlim_t wanted = (rlim_t)value;
    if (current.rlim_max != RLIM_INFINITY && current.rlim_max < wanted) wanted = current.rlim_max;
    struct rlimit next = {wanted, wanted};
    return setrlimit(resource, &next);
}

static int spawn_child(void *p) {
    struct spawn_args *a = p;
    // Every signal is blocked (by the parent, around clone): restore default dispositions, then unblock,
    // so no handler of the parent ever runs on the shared memory.
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; s++) {
        if (s != SIGKILL && s != SIGSTOP) sigaction(s, &dfl, NULL);
    }
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, NULL);
    if (a->tty) {
        if (setsid() < 0 || ioctl(a->fds[0], TIOCSCTTY, 0) < 0) goto fail;
    } else if (setpgid(0, 0) < 0) {
        goto fail;
    }
    for (int i = 0; i < 3; i++) {
        if (dup2(a->fds[i], i) < 0) goto fail;
    }
    // Every descriptor of the server above stderr (sockets, pipes, other terminals) stays out of the program.
    if (syscall(SYS_close_range, 3U, ~0U, 0) != 0) {
        for (int fd = 3; fd < 65536; fd++) close(fd);
    }
    if (a->cwd && chdir(a->cwd) != 0) goto fail;
    if (a->limits) {
        if (lower_limit(RLIMIT_NPROC, a->limits->max_processes) != 0) goto fail;
        if (lower_limit(RLIMIT_NOFILE, a->limits->max_files) != 0) goto fail;
    }
    execve(a->path, a->argv, a->envp);
fail:
    a->err = errno ? errno : EINVAL;
    _exit(127);
}

/// Runs `a` in a new child. Returns its pid once it has exec'd, or -1 with errno set (the failed child reaped).
static pid_t spawn(struct spawn_args *a) {
    const size_t stack_size = 128 * 1024;
    char *stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return -1;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    a->err = 0;
    pid_t pid = clone(spawn_child, stack + stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD, a);
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    munmap(stack, stack_size);
    if (pid < 0) {
        errno = saved;
        return -1;
    }
    if (a->err != 0) {
        int failed = a->err;
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
        errno = failed;
        return -1;
    }
    return pid;
}

/// Looks `file` up in the PATH of `envp` (as execvp would with that environment) into `out`.
static int resolve_program(const char *file, char *const envp[], char *out, size_t size) {
    if (strchr(file, '/')) {
        if (strlen(file) >= size) { errno = ENAMETOOLONG; return -1; }
        strcpy(out, file);
        return 0;
    }
    const char *path = "/usr/local/bin:/usr/bin:/bin";
    for (char *const *e = envp; e && *e; e++) {
        if (strncmp(*e, "PATH=", 5) == 0) { path = *e + 5; break; }
    }
    size_t flen = strlen(file);
    while (*path) {
        const char *end = strchrnul(path, ':');
        size_t dlen = (size_t)(end - path);
        if (dlen + 1 + flen < size) {
            if (dlen == 0) {
                strcpy(out, file);
            } else {
                memcpy(out, path, dlen);
                out[dlen] = '/';
                strcpy(out + dlen + 1, file);
            }
            if (access(out, X_OK) == 0) return 0;
        }
        path = *end ? end + 1 : end;
    }
    errno = ENOENT;
    return -1;
}

/// `fd` moved to a number >= 3 (CLOEXEC), so dup2 onto 0-2 in the child never clobbers another; -1 on failure.
static int above_stdio(int fd) {
    if (fd < 0 || fd >= 3) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    int saved = errno;
    close(fd);
    errno = saved;
    return moved;
}

pid_t cpty_spawn_limited(const char *path, char *const argv[], char *const envp[], const char *cwd,
                         int *master_fd, unsigned short rows, unsigned short cols, int raw,
                         const struct cpty_limits *limits) {
    char program[PATH_MAX];
    if (resolve_program(path, envp, program, sizeof program) != 0) return -1;
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return -1;
    char name[128];
    int slave = -1;
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, sizeof name) != 0) goto fail;
    slave = above_stdio(open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (slave < 0) goto fail;
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    ws.ws_row = rows;
    ws.ws_col = cols;
    if (ioctl(slave, TIOCSWINSZ, &ws) != 0) goto fail;
    if (raw) {
        struct termios tio;
        if (tcgetattr(slave, &tio) != 0) goto fail;
        cfmakeraw(&tio);
        tio.c_cc[VMIN] = 1;
        tio.c_cc[VTIME] = 0;
        if (tcsetattr(slave, TCSANOW, &tio) != 0) goto fail;
    }
    struct spawn_args a = {
        .path = program, .argv = argv, .envp = envp, .cwd = cwd, .limits = limits,
        .fds = {slave, slave, slave}, .tty = 1,
    };
    pid_t pid = spawn(&a);
    if (pid < 0) goto fail;
    close(slave);
    *master_fd = master;
    return pid;
fail:;
    int saved = errno;
    if (slave >= 0) close(slave);
    close(master);
    errno = saved;
    return -1;
}

pid_t cpty_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
                 int *master_fd, unsigned short rows, unsigned short cols, int raw) {
    return cpty_spawn_limited(path, argv, envp, cwd, master_fd, rows, cols, raw, NULL);
}

pid_t cpty_spawn_piped(const char *path, char *const argv[], char *const envp[], const char *cwd,
                       int *out_fd, int *err_fd, const struct cpty_limits *limits) {
    char program[PATH_MAX];
    if (resolve_program(path, envp, program, sizeof program) != 0) return -1;
    int out[2] = {-1, -1}, err[2] = {-1, -1};
    int devnull = -1;
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) goto fail;
    for (int i = 0; i < 2; i++) {
        out[i] = above_stdio(out[i]);
        err[i] = above_stdio(err[i]);
    }
    devnull = above_stdio(open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (out[0] < 0 || out[1] < 0 || err[0] < 0 || err[1] < 0 || devnull < 0) goto fail;
    struct spawn_args a = {
        .path = program, .argv = argv, .envp = envp, .cwd = cwd, .limits = limits,
        .fds = {devnull, out[1], err[1]}, .tty = 0,
    };
    pid_t pid = spawn(&a);
    if (pid < 0) goto fail;
    close(devnull);
    close(out[1]);
    close(err[1]);
    fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
    fcntl(err[0], F_SETFL, fcntl(err[0], F_GETFL) | O_NONBLOCK);
    *out_fd = out[0];
    *err_fd = err[0];
    return pid;
fail:;
    int saved = errno;
    int fds[] = {out[0], out[1], err[0], err[1], devnull};
    for (int i = 0; i < 5; i++) {
        if (fds[i] >= 0) close(fds[i]);
    }
    errno = saved;
    return -1;
}

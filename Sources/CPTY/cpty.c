#define _GNU_SOURCE
#include "cpty.h"
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sys/syscall.h>

extern char **environ;

static void child_exec(const char *path, char *const argv[], char *const envp[], const char *cwd) {
    child_reset_signals();
    child_close_fds();
    if (cwd && chdir(cwd) != 0) _exit(127);
    if (envp) environ = (char **)envp;
    execvp(path, argv);
    _exit(127);
}

pid_t cpty_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
                 int *master_fd, unsigned short rows, unsigned short cols, int raw) {
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    ws.ws_row = rows;
    ws.ws_col = cols;
    struct termios tio;
    struct termios *tiop = NULL;
    if (raw) {
        memset(&tio, 0, sizeof tio);
        cfmakeraw(&tio);
        tio.c_cc[VMIN] = 1;
        tio.c_cc[VTIME] = 0;
        tiop = &tio;
    }
    int master = -1;
    pid_t pid = forkpty(&master, NULL, tiop, &ws);
    if (pid < 0) return -1;
    if (pid == 0) child_exec(path, argv, envp, cwd);
    fcntl(master, F_SETFD, FD_CLOEXEC);
    *master_fd = master;
    return pid;
}

pid_t cpty_spawn_piped(const char *path, char *const argv[], char *const envp[], const char *cwd,
                       int *out_fd, int *err_fd) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0) return -1;
    if (pipe2(err, O_CLOEXEC) != 0) {
        close(out[0]); close(out[1]);
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(out[0]); close(out[1]); close(err[0]); close(err[1]);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) { dup2(devnull, 0); }
        dup2(out[1], 1);
        dup2(err[1], 2);
        child_exec(path, argv, envp, cwd);
    }
    setpgid(pid, pid);
    close(out[1]);
    close(err[1]);
    fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
    fcntl(err[0], F_SETFL, fcntl(err[0], F_GETFL) | O_NONBLOCK);
    *out_fd = out[0];
    *err_fd = err[0];
    return pid;
}

int cpty_set_winsize(int fd, unsigned short rows, unsigned short cols) {
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    ws.ws_row = rows;
    ws.ws_col = cols;
    return ioctl(fd, TIOCSWINSZ, &ws);
}

int cpty_get_winsize(int fd, unsigned short *rows, unsigned short *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

int cpty_exit_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

int cpty_make_raw(int fd, struct termios *saved) {
    if (tcgetattr(fd, saved) != 0) return -1;
    struct termios raw = *saved;
    cfmakeraw(&raw);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    return tcsetattr(fd, TCSAFLUSH, &raw);
}

int cpty_restore(int fd, const struct termios *saved) {
    return tcsetattr(fd, TCSAFLUSH, saved);
}

#define _GNU_SOURCE
#include "cpty.h"
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void daemon_child(const char *path, const char *arg, const char *log_path) {
    child_reset_signals();
    signal(SIGHUP, SIG_IGN);
    if (setsid() < 0) _exit(126);
    pid_t pid = fork();
    if (pid < 0) _exit(126);
    if (pid > 0) _exit(0);
    if (chdir("/") != 0) _exit(126);
    int null = open("/dev/null", O_RDONLY);
    int log = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (null < 0 || log < 0) _exit(126);
    dup2(null, 0);
    dup2(log, 1);
    dup2(log, 2);
    child_close_fds();
    char *const argv[] = {(char *)path, (char *)arg, NULL};
    execv(path, argv);
    _exit(127);
}

int cpty_spawn_daemon(const char *path, const char *arg, const char *log_path) {
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) daemon_child(path, arg, log_path);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return 0;
}

int cpty_flock(int fd, int nonblocking) {
    int op = LOCK_EX | (nonblocking ? LOCK_NB : 0);
    while (flock(fd, op) != 0) {
        if (errno != EINTR) return -1;
    }
    return 0;
}

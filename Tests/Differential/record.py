#!/usr/bin/env python3
"""Record byte streams from real programs for the differential tests.

    python3 Tests/Differential/record.py [--out DIR] [SCENARIO...]

Runs each program under a pty (pty.fork) sized 80x24 (TIOCSWINSZ) with
TERM=xterm-256color, LANG=C.UTF-8, TZ=UTC and a throw-away HOME, feeds
scripted keystrokes with bounded waits, and saves everything the program
wrote.  For full-screen programs two files are written:

    NAME.bin       output up to the moment before the quit key (the
                   interesting screen)
    NAME-full.bin  the whole session including the exit (only if small)

Needs: vim less man-db git procps tmux bash python3 (apt-get install -y ...).
Stdlib only.  Recordings are fixtures: they are committed, and this script
is kept to regenerate them.  Contents are made as deterministic as practical
(fixed files, fixed git dates, no clocks in prompts/status lines), but top
shows live data.
"""
import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

COLS, ROWS = 80, 24
MAX_BYTES = 200 * 1024


class Session:
    def __init__(self, argv, env, cwd):
        self.out = bytearray()
        self.marks = {}
        pid, fd = pty.fork()
        if pid == 0:
            try:
                os.chdir(cwd)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', ROWS, COLS, 0, 0))
        self.alive = True

    def _read(self, timeout):
        if not self.alive:
            return False
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b''
        if not data:
            self.alive = False
            return False
        self.out += data
        return True

    def settle(self, quiet=0.3, timeout=5.0):
        """Read until no output for `quiet` seconds (bounded by `timeout`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._read(min(quiet, max(0.0, deadline - time.monotonic()))):
                return

    def expect(self, pattern, timeout=10.0):
        """Read until `pattern` (bytes regex) appears in the output since the call."""
        start = len(self.out)
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if rx.search(self.out, start):
                return True
            if not self._read(0.05) and not self.alive:
                break
        if not rx.search(self.out, start):
            raise TimeoutError(f'did not see {pattern!r} within {timeout}s')
        return True

    def send(self, data, settle=True):
        if isinstance(data, str):
            data = data.encode()
        os.write(self.fd, data)
        if settle:
            self.settle()

    def type(self, text, delay=0.01):
        for ch in text:
            os.write(self.fd, ch.encode())
            self._read(delay)
        self.settle()

    def mark(self, name):
        self.marks[name] = len(self.out)

    def finish(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while self.alive and time.monotonic() < deadline:
            self._read(0.1)
        if self.alive:
            os.kill(self.pid, signal.SIGTERM)
            self.settle(0.2, 1.0)
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


SAMPLE_PY = '''#!/usr/bin/env python3
"""A small fixed file for the vim recording."""

import sys


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


class Greeter:
    def __init__(self, name):
        self.name = name

    def greet(self):
        return f"Hello, {self.name}! 中文 café"


if __name__ == "__main__":
    print(fib(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
    print(Greeter("world").greet())
'''


def make_env(home):
    env = {
        'PATH': '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'HOME': home,
        'TERM': 'xterm-256color',
        'LANG': 'C.UTF-8',
        'LC_ALL': 'C.UTF-8',
        'TZ': 'UTC',
        'SHELL': '/bin/bash',
        'LESSHISTFILE': '-',
        'PAGER': 'less',
        'MANPAGER': 'less',
        'PS1': r'\[\e[1;32m\]user@vibe\[\e[0m\]:\[\e[1;34m\]\W\[\e[0m\]\$ ',
        'PYTHONSTARTUP': '',
        'COLUMNS': str(COLS),
        'LINES': str(ROWS),
    }
    return env


def prepare(tmp):
    home = os.path.join(tmp, 'home')
    work = os.path.join(tmp, 'work')
    os.makedirs(home)
    os.makedirs(work)
    with open(os.path.join(work, 'sample.py'), 'w') as f:
        f.write(SAMPLE_PY)
    with open(os.path.join(work, 'long.txt'), 'w') as f:
        for i in range(1, 301):
            f.write(f'{i:4d}  The quick brown fox jumps over the lazy dog. ' + ('needle ' if i % 37 == 0 else '') + '\n')
    os.makedirs(os.path.join(work, 'dir', 'sub'))
    for name in ('alpha.txt', 'beta.py', 'gamma.sh', 'delta.tar.gz', 'epsilon.png'):
        with open(os.path.join(work, 'dir', name), 'w') as f:
            f.write(name)
    os.chmod(os.path.join(work, 'dir', 'gamma.sh'), 0o755)
    os.symlink('alpha.txt', os.path.join(work, 'dir', 'link'))
    # A small git repo with fixed identities and dates.
    repo = os.path.join(work, 'repo')
    os.makedirs(repo)
    genv = dict(os.environ, HOME=home, GIT_AUTHOR_NAME='Ada', GIT_AUTHOR_EMAIL='ada@example.com',
                GIT_COMMITTER_NAME='Ada', GIT_COMMITTER_EMAIL='ada@example.com', TZ='UTC')

    def git(*a, date=None):
        e = dict(genv)
        if date:
            e['GIT_AUTHOR_DATE'] = e['GIT_COMMITTER_DATE'] = date
        subprocess.run(['git', *a], cwd=repo, env=e, check=True, stdout=subprocess.DEVNULL)

    git('init', '-q', '-b', 'main')
    for i in range(1, 7):
        with open(os.path.join(repo, 'file.txt'), 'a') as f:
            f.write(f'line {i}\n')
        with open(os.path.join(repo, f'f{i}.md'), 'w') as f:
            f.write(f'# note {i}\n')
        git('add', '.')
        git('commit', '-q', '-m', f'Commit number {i}\n\nBody of commit {i}.', date=f'2024-01-0{i}T12:00:00Z')
        if i == 3:
            git('branch', 'feature')
        if i == 4:
            git('tag', 'v1.0')
    with open(os.path.join(home, 'tmux.conf'), 'w') as f:
        f.write('set -g status-right "fixed"\nset -g default-shell /bin/bash\n'
                'set -g default-command "bash --norc --noprofile"\n')
    return home, work


def run_scenario(name, home, work, outdir):
    env = make_env(home)
    full_ok = True
    if name == 'vim':
        s = Session(['vim', '-N', '-u', 'NONE', '-i', 'NONE', '-n',
                     '+syntax on', '+set number ruler laststatus=2 background=dark', 'sample.py'], env, work)
        s.settle(0.5, 10)
        s.send('jjjj')
        s.send('ww')
        s.send('o')
        s.type('# inserted line with é and 中文')
        s.send('\x1b')
        s.send('G')
        s.send('gg')
        s.send(':set nonumber\r')
        s.send('/Greeter\r')
        s.mark('snap')
        s.send(':q!\r', settle=False)
    elif name == 'less':
        s = Session(['less', 'long.txt'], env, work)
        s.settle(0.5, 10)
        s.send(' ')
        s.send('b')
        s.send('/needle\r')
        s.send('n')
        s.mark('snap')
        s.send('q', settle=False)
    elif name == 'man':
        s = Session(['man', 'ls'], env, work)
        s.settle(1.0, 20)
        s.send(' ')
        s.send('d')
        s.mark('snap')
        s.send('q', settle=False)
    elif name == 'git-log':
        s = Session(['git', '-C', 'repo', '-c', 'color.ui=always', 'log', '--graph', '--decorate', '--stat'], env, work)
        s.settle(0.5, 10)
        s.send('j')
        s.send(' ')
        s.mark('snap')
        s.send('q', settle=False)
    elif name == 'git-log-oneline':
        s = Session(['git', '-C', 'repo', '--no-pager', 'log', '--graph', '--oneline', '--decorate',
                     '--all', '--color=always'], env, work)
    elif name == 'top':
        s = Session(['top', '-n', '2', '-d', '0.2'], env, work)
        s.settle(1.0, 10)
        s.mark('snap')
    elif name == 'bash':
        s = Session(['bash', '--norc', '--noprofile', '-i'], env, work)
        s.expect(rb'[$#] ', 10)
        s.settle()
        s.type('ls --color=always -la --time-style=+ dir | tail -n +2\r')
        s.type('echo "hello 中文 wörld"; printf "\\e[31mred\\e[0m \\e[1;4mbold-ul\\e[0m\\n"\r')
        s.type('for i in 1 2 3; do echo "item $i"; done\r')
        s.mark('snap')
        s.send('exit\r', settle=False)
    elif name == 'python-repl':
        s = Session(['python3', '-q'], env, work)
        s.expect(rb'>>> ', 10)
        s.type('1 + 1\r')
        s.type("print('héllo 中文')\r")
        s.type('for i in range(3):\r')
        s.type('    print(i * "ab")\r')
        s.type('\r')
        s.type('import sys; sys.version_info[:2] >= (3, 0)\r')
        s.mark('snap')
        s.send('exit()\r', settle=False)
    elif name == 'tmux':
        sock = os.path.join(home, 'tmux-sock')
        s = Session(['tmux', '-S', sock, '-f', os.path.join(home, 'tmux.conf'), 'new-session'], env, work)
        s.settle(1.0, 10)
        s.type('echo hello from inner tmux\r')
        s.type('printf "\\e[44;97m blue \\e[0m\\n"; ls --color=always dir\r')
        s.send('\x02"')  # C-b " : split the window
        s.settle(0.5, 5)
        s.type('echo lower pane\r')
        s.mark('snap')
        s.send('exit\r')
        s.send('exit\r', settle=False)
        full_ok = True
    else:
        raise SystemExit(f'unknown scenario {name}')
    s.finish()
    files = []
    data = bytes(s.out)
    if 'snap' in s.marks:
        files.append((name + '.bin', data[:s.marks['snap']]))
        if full_ok and s.marks['snap'] < len(data):
            files.append((name + '-full.bin', data))
    else:
        files.append((name + '.bin', data))
    for fname, blob in files:
        if len(blob) > MAX_BYTES:
            print(f'  {fname}: {len(blob)} bytes > {MAX_BYTES}, skipped', file=sys.stderr)
            continue
        with open(os.path.join(outdir, fname), 'wb') as f:
            f.write(blob)
        print(f'  {fname}: {len(blob)} bytes')


SCENARIOS = ['vim', 'less', 'man', 'git-log', 'git-log-oneline', 'top', 'bash', 'python-repl', 'tmux']


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default=os.path.join(here, 'streams', 'recorded'))
    ap.add_argument('scenarios', nargs='*')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix='vibe-record.')
    try:
        home, work = prepare(tmp)
        for name in a.scenarios or SCENARIOS:
            print(name)
            run_scenario(name, home, work, a.out)
    finally:
        subprocess.run(['tmux', '-S', os.path.join(tmp, 'home', 'tmux-sock'), 'kill-server'],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()

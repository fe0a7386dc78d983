"""A warm Pelican for previews: the libraries and plugins are imported once, and each preview
runs in a process forked from this one, so it starts in a few milliseconds instead of the
0.6 s that importing them takes (`python -m plugins.preview.worker`, run by live.py).

It reads one JSON list of Pelican arguments per line on stdin and answers each with the exit
code of the forked run on stdout; the runs' own output goes to stderr."""

import importlib
import json
import os
import subprocess
import sys
import threading
import traceback


def warm():
    """Import Pelican's heavy modules and every plugin with what it imports."""
    from pelicanconf import PLUGINS

    for name in ("pelican.generators", "pelican.readers", "pelican.writers", *PLUGINS):
        importlib.import_module(name if "." in name else f"pelican.plugins.{name}")


def run(argv):
    """Pelican with `argv` in a forked child; its exit code."""
    pid = os.fork()
    if pid == 0:
        os.dup2(2, 1)  # stdout answers the server: the run's own lines go to stderr
        code = 1
        try:
            from pelican import main

            main(argv)
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def serve():
    answers = os.fdopen(os.dup(1), "w")
    try:
        warm()
        for line in sys.stdin:
            print(run(json.loads(line)), file=answers, flush=True)
    except KeyboardInterrupt:  # Ctrl+C in the live server's terminal reaches us too
        pass


class Worker:
    """The live server's side: a warm worker started on first use and again after a change
    of the plugins' code (what it imported would be stale)."""

    def __init__(self, root):
        self.root = root
        self.process = None
        self.lock = threading.Lock()
        with self.lock:
            self._start()  # it warms up while the server's first build runs

    def _start(self):
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "plugins.preview.worker"], cwd=self.root,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, argv):
        with self.lock:
            self._start()
            self.process.stdin.write(json.dumps([str(part) for part in argv]) + "\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        if not answer.strip().lstrip("-").isdigit():
            raise SystemExit("trình xem nhanh đã dừng")
        if int(answer):
            raise SystemExit(int(answer))

    def restart(self):
        with self.lock:
            if self.process is not None:
                self.process.kill()
                self.process.wait()
            self.process = None
            self._start()


if __name__ == "__main__":
    serve()

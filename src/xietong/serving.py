"""`xietong serve`: the production web server and the task worker as two child processes, stopped together.

The server is granian (WSGI, Rust HTTP stack); docs/PERFORMANCE.md has the measurement against gunicorn
that chose it. Whichever child exits, or a SIGTERM/SIGINT to this process, ends both: systemd or a
container runtime sees one service.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence

STOP_TIMEOUT_SECONDS = 15
POLL_SECONDS = 0.5


def server_command(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host, "--port", str(port),
        "--workers", str(workers), "--blocking-threads", str(threads), "--respawn-failed-workers",
        "--log-level", "warning", "xietong.wsgi:application",
    ]  # fmt: skip


def worker_command(*, workers: int, periodic: bool = True) -> list[str]:
    """Periodic tasks are scheduled by one worker only: with several servers on one Redis queue, the others
    run `--no-periodic`, or each nightly task would run once per server."""
    periodic_flag = "--periodic" if periodic else "--no-periodic"
    return [sys.executable, "-m", "xietong.cli", "worker", "--workers", str(workers), periodic_flag]


def supervise(commands: Sequence[Sequence[str]]) -> int:
    """Run the commands side by side until one exits or this process is told to stop; then stop all.

    Returns the exit code of the child that ended on its own (0 when stopped by a signal).
    """
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    children = [subprocess.Popen(list(command)) for command in commands]
    ended = None
    while not stop.is_set() and ended is None:
        ended = next((child for child in children if child.poll() is not None), None)
        stop.wait(POLL_SECONDS)
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return 0 if ended is None else (ended.returncode or 0)


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)

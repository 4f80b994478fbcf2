"""What the system under test uses, read from /proc: its processes (the
app server's and the worker's, found as descendants of the one started),
each one's CPU time so far, and the load average while a run goes on."""

import os
import threading
from pathlib import Path


def descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(parents.get(current, []))
    return found


def cpu_by_process(pids: list[int]) -> dict[int, float]:
    """Each process's user and system CPU time so far (gone ones left out)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return used


def process_name(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    except OSError:
        return str(pid)
    return " ".join(word.rsplit("/", 1)[-1] for word in words[:3] if word) + f" [{pid}]"


class LoadSampler(threading.Thread):
    """The 1-minute load average every five seconds while Locust runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(5):
            self.samples.append(float(Path("/proc/loadavg").read_text().split()[0]))

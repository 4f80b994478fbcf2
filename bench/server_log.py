"""What gunicorn's access log says of a run: its last field is the seconds
a request took inside the server, apart from the time it waited for a
thread; the answers by status; tracebacks and timed-out processes."""

import re
from typing import Any

ACCESS_LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>[^"]*)" (?P<status>\d{3}) \S+ (?P<s>[\d.]+)$'
)


def percentile(values: list[float], share: float) -> int:
    ordered = sorted(values)
    return round(ordered[min(int(len(ordered) * share), len(ordered) - 1)] * 1000)


def server_side(log: str) -> dict[str, Any]:
    """What gunicorn's access log says (its last field is the seconds the
    request took inside the server): the time spent serving, apart from
    the time waiting for a thread, and the answers by status."""
    served: dict[str, list[float]] = {
        "citizen pages": [],
        "overview polls 204": [],
        "overview polls 200": [],
        "wallboard polls 204": [],
        "wallboard polls 200": [],
        "all": [],
    }
    statuses: dict[str, int] = {}
    for line in log.splitlines():
        found = ACCESS_LINE.search(line)
        if found is None:
            continue
        seconds = float(found["s"])
        served["all"].append(seconds)
        path = found["path"]
        if found["method"] == "GET" and (path == "/" or path.startswith("/bestil/")):
            served["citizen pages"].append(seconds)
        for watcher, live in (("overview", "/personale/overblik/nu/"), ("wallboard", "/tavle/nu/")):
            if path.startswith(live) and found["status"] in ("200", "204"):
                served[f"{watcher} polls {found['status']}"].append(seconds)
        statuses[found["status"]] = statuses.get(found["status"], 0) + 1
    return {
        "statuses": statuses,
        "tracebacks": log.count("Traceback (most recent call last)"),
        "worker_timeouts": log.count("WORKER TIMEOUT"),
        **{
            f"{kind} in server p50/p95 ms": [percentile(times, 0.5), percentile(times, 0.95)]
            for kind, times in served.items()
            if times
        },
    }

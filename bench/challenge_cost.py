"""What the proof of work costs, at each step of pressure:

    .venv/bin/python -m bench.challenge_cost

The page's own script (skranke/challenge/static/challenge/solve.js) solves
a challenge whose number lies in the middle of its range (the average
case) in Chromium, on this machine and with Chromium's CPU throttling at
4× (about a mid-range phone); and a plain Python loop solves the same, as
a hoarder's program does. Three runs each, the median kept.

Prints the figures and writes bench/results/challenge_cost.json
(docs/challenge.md, docs/benchmarks.md).
"""

import hashlib
import json
import secrets
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCRIPT = ROOT / "skranke" / "challenge" / "static" / "challenge" / "solve.js"
CHROMIUM = "/usr/bin/chromium"
STEPS = [50_000, 100_000, 150_000, 200_000]
RUNS = 3
PAGE = """<!DOCTYPE html><html lang="da"><body><form method="post" action="about:blank">
<div class="challenge" data-challenge data-algorithm="SHA-256" data-hash="{hash}"
 data-salt="{salt}" data-maxnumber="{maxnumber}" data-signature="x" data-expires="0">
<p class="challenge-status" role="status" data-working="…" data-done="done"></p>
<input type="hidden" name="challenge_solution" value=""></div></form></body></html>"""


def average_case(maxnumber: int) -> tuple[str, str]:
    """A salt, and the hash of the number halfway along the range."""
    salt = secrets.token_hex(12)
    return salt, hashlib.sha256(f"{salt}{maxnumber // 2}".encode()).hexdigest()


class _Pages(BaseHTTPRequestHandler):
    """The challenge's page from 127.0.0.1, a secure context (Web Crypto
    is not offered on about:blank)."""

    page = ""

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        body = (SCRIPT.read_text() if self.path.endswith(".js") else self.page).encode()
        self.send_response(200)
        kind = "text/javascript" if self.path.endswith(".js") else "text/html"
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)


def browser_seconds(page: object, base: str, maxnumber: int) -> float:
    salt, target = average_case(maxnumber)
    _Pages.page = PAGE.format(hash=target, salt=salt, maxnumber=maxnumber)
    page.goto(base + "/")  # type: ignore[attr-defined]
    started = time.monotonic()
    page.add_script_tag(url=base + "/solve.js")  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.querySelector('input[name=challenge_solution]').value !== ''",
        timeout=120_000,
    )
    return time.monotonic() - started


def python_seconds(maxnumber: int) -> float:
    salt, target = average_case(maxnumber)
    started = time.monotonic()
    for number in range(maxnumber + 1):
        if hashlib.sha256(f"{salt}{number}".encode()).hexdigest() == target:
            break
    return time.monotonic() - started


def main() -> None:
    result: dict[str, dict[str, float]] = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        desktop = chromium.new_page()
        phone = chromium.new_page()
        phone.context.new_cdp_session(phone).send("Emulation.setCPUThrottlingRate", {"rate": 4})
        for maxnumber in STEPS:
            result[str(maxnumber)] = {
                "browser seconds": round(
                    statistics.median(
                        browser_seconds(desktop, base, maxnumber) for _ in range(RUNS)
                    ),
                    2,
                ),
                "browser seconds, CPU 4x slower": round(
                    statistics.median(browser_seconds(phone, base, maxnumber) for _ in range(RUNS)),
                    2,
                ),
                "Python loop seconds": round(
                    statistics.median(python_seconds(maxnumber) for _ in range(RUNS)), 3
                ),
            }
            print(maxnumber, result[str(maxnumber)], flush=True)
        chromium.close()
    server.shutdown()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "challenge_cost.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""The browser harness: Playwright drives Debian's Chromium against a live
server, and axe-core (from npm) checks each page against WCAG 2.1 A and AA.

Under CI=true a missing browser is a failure, never a skip."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make there are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _a_worker_is_running(monkeypatch: pytest.MonkeyPatch) -> None:
    """No worker runs beside the live server, so managers would see the
    "worker silent" banner on every staff page; the pages are tested as a
    running system shows them. (The banner itself: tests/worker, and in a
    browser test_the_worker_silence_banner_is_accessible, which undoes this.)"""
    from skranke.worker.templatetags import worker_silence

    monkeypatch.setattr(worker_silence, "is_silent", lambda *, last: False)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    missing = [str(p) for p in (CHROMIUM, AXE_SOURCE) if not p.exists()]
    if missing:
        message = f"browser tests need {', '.join(missing)} (make test installs them)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    # How long a step may wait for the page before the test fails: a
    # ceiling for a busy CI machine (a forecast page once took over 10 s
    # while other suites ran), not a measure of speed (that is bench/'s).
    context.set_default_timeout(60_000)
    page = context.new_page()
    refused = policy_complaints(page)
    yield page
    context.close()
    # Whatever a test did, no page may break the Content-Security-Policy
    # (an inline script or style the browser refused) or name a feature
    # the Permissions-Policy header does not know.
    assert refused == [], f"the browser refused: {refused}"


def policy_complaints(page: Any) -> list[str]:
    """The console's complaints about the page's security headers, as the
    page goes on."""
    complaints: list[str] = []

    def note(message: Any) -> None:
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            complaints.append(f"{page.url}: {message.text}")

    page.on("console", note)
    return complaints


def axe_violations(
    page: Any, *, strict_contrast: bool = False, extra_tags: list[str] | None = None
) -> list[dict[str, Any]]:
    """What axe-core finds on the page as it is now, against WCAG 2.1 A/AA.
    `strict_contrast`: a contrast axe could not decide ("incomplete", as on
    text over a dark header it cannot see through) counts as a problem.
    `extra_tags`: more of axe's rule sets, such as WCAG 2.2's "wcag22aa"."""
    # Evaluated, not added as a <script>: the CSP refuses inline scripts.
    page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS + (extra_tags or []),
    )
    found = result["violations"]
    if strict_contrast:
        # Undecided contrast counts, whatever the reason (a background axe
        # cannot see, text over text), except one: a cell of one or two
        # characters, a desk number, which axe will not call text at all.
        undecided = [
            {**item, "nodes": [node for node in item["nodes"] if not _too_short(node)]}
            for item in result["incomplete"]
            if item["id"] == "color-contrast"
        ]
        found = found + [item for item in undecided if item["nodes"]]
    return [
        {
            "id": violation["id"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in found
    ]


def _too_short(node: dict[str, Any]) -> bool:
    return any(
        "too short to determine" in (check.get("message") or "") for check in node.get("any", [])
    )


def assert_accessible(page: Any, *, strict_contrast: bool = False) -> None:
    violations = axe_violations(page, strict_contrast=strict_contrast)
    assert violations == [], f"axe found problems on {page.url}: {violations}"


def has_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"))


def assert_answer_first(page: Any) -> None:
    """A manager's long page (statistics, the rota) at a laptop's 1366 × 768:
    the summary's first row of figures is on the first screen, and each link of "on this
    page" leads to a section that is there and comes into view."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.evaluate("window.scrollTo(0, 0)")
    first_figure = page.locator(".kpi-summary dd").first.bounding_box()
    assert first_figure is not None
    assert first_figure["y"] + first_figure["height"] <= 768, first_figure
    targets = page.eval_on_selector_all(".kpi-jump a", "links => links.map(a => a.hash)")
    assert len(targets) >= 4, targets
    for target in targets:
        assert page.locator(target).count() == 1, target
    last = page.locator(f".kpi-jump a[href='{targets[-1]}']")
    last.click()
    box = page.locator(targets[-1]).bounding_box()
    assert box is not None
    assert 0 <= box["y"] < 768, (targets[-1], box)

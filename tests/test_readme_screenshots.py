"""The README's screenshots are the ones scripts/make-screenshots makes:
each image the README shows is in the repository and named by the script,
so `make screenshots` renews every one of them and none goes stale alone."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_readme_screenshot_is_made_by_the_script() -> None:
    shown = set(
        re.findall(r'src="(docs/screenshots/[\w-]+\.png)"', (ROOT / "README.md").read_text())
    )
    script = (ROOT / "scripts" / "make-screenshots").read_text()
    made = {f"docs/screenshots/{name}" for name in re.findall(r'OUT / "([\w-]+\.png)"', script)}
    assert len(shown) >= 5
    assert shown == made
    for path in shown:
        assert (ROOT / path).stat().st_size > 10_000, path

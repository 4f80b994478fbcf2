"""Danish first, English second: every visible text exists in both."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from skranke.core.models import Location, OpeningHours

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "locale" / "da" / "LC_MESSAGES" / "django.po"


def msgids(po_text: str) -> set[str]:
    """The message ids of a .po file, continuation lines joined."""
    found: set[str] = set()
    parts: list[str] | None = None
    for line in [*po_text.splitlines(), ""]:
        if line.startswith("msgid "):
            parts = [line.removeprefix("msgid ")]
        elif line.startswith('"') and parts is not None:
            parts.append(line)
        elif parts is not None:
            found.add("".join(ast.literal_eval(part) for part in parts))
            parts = None
    return found - {""}


def test_every_danish_text_is_translated_and_none_is_fuzzy() -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO_FILE)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


def test_no_text_in_the_code_is_missing_from_the_danish_catalogue(tmp_path: Path) -> None:
    # Extract the texts again from a copy of the code and compare.
    for name in ["skranke", "templates", "locale"]:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "--no-location", "-v", "0"],
        cwd=tmp_path,
        check=True,
    )
    extracted = msgids((tmp_path / "locale/da/LC_MESSAGES/django.po").read_text())
    assert extracted - msgids(PO_FILE.read_text()) == set()


@pytest.fixture
def open_location(location: Location) -> Location:
    OpeningHours.objects.create(location=location, weekday=0, opens="10:00", closes="17:00")
    return location


@pytest.mark.django_db
def test_pages_are_danish_even_when_the_browser_prefers_english(
    open_location: Location, stopped_clock: object
) -> None:
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = page.content.decode()
    assert '<html lang="da">' in html
    assert "Åbningstider" in html
    # Danish dates: weekday and month in Danish, day with a full stop.
    assert "I dag, mandag 7. december" in html


@pytest.mark.django_db
def test_the_language_switch_turns_the_pages_english(open_location: Location) -> None:
    client = Client()
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Opening hours" in html
    assert "Åbningstider" not in html


@pytest.mark.django_db
def test_the_language_switch_is_on_every_page(open_location: Location) -> None:
    for path in ["/", "/personale/log-ind/", "/admin/login/"]:
        html = Client().get(path).content.decode()
        assert 'action="/i18n/setlang/"' in html
        assert 'value="en"' in html

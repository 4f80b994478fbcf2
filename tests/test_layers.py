"""The layers in docs/architecture.md hold, and the build fails on an import
that runs against them: `lint-imports` (import-linter) reads .importlinter
over a copy of the code, once as it is and once with a forbidden import
added."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "skranke",
        tmp_path / "skranke",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "migrations"),
    )
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def add_import(tree: Path, *, module: str, line: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_code_keeps_its_layers(tree: Path) -> None:
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "named"),
    [
        # Up: the configuration's clock reaching for bookings.
        (
            "skranke.core.clock",
            "from skranke.booking.models import Booking  # noqa",
            "skranke.core.clock -> skranke.booking.models",
        ),
        # Up: a platform service reaching into the domain.
        (
            "skranke.access_log.recording",
            "from skranke.queueing.models import Visit  # noqa",
            "skranke.access_log.recording -> skranke.queueing.models",
        ),
        # Across: two surfaces of one layer.
        (
            "skranke.kiosk.views",
            "from skranke.desk import views as desk_views  # noqa",
            "skranke.kiosk.views -> skranke.desk.views",
        ),
        # Down, but privacy knows citizens' data only by the apps'
        # declarations (core/personal_data_registry.py).
        (
            "skranke.privacy.erasure",
            "from skranke.booking.models import Booking  # noqa",
            "skranke.privacy.erasure -> skranke.booking.models",
        ),
    ],
)
def test_an_import_against_the_layers_fails_the_build(
    tree: Path, module: str, line: str, named: str
) -> None:
    add_import(tree, module=module, line=line)
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert named in result.stdout


def test_a_new_app_must_be_placed_in_a_layer(tree: Path) -> None:
    (tree / "skranke" / "loose_ends").mkdir()
    (tree / "skranke" / "loose_ends" / "__init__.py").write_text("")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "skranke.loose_ends" in result.stdout

"""DESIGN.md §5: the domain imports neither Qt nor SQLAlchemy; the UI never touches a Session."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import nextlevel_desktop

PACKAGE = Path(nextlevel_desktop.__file__).parent


def imported_modules(folder: Path) -> dict[str, set[str]]:
    """Every module each file imports, relative imports (``from ..storage import db``) resolved
    to their full names (``nextlevel_desktop.storage.db``), wherever in the file they are."""
    found: dict[str, set[str]] = {}
    for file in folder.rglob("*.py"):
        parts = file.relative_to(PACKAGE.parent).with_suffix("").parts
        package = parts[:-1]  # a module's package; an __init__'s package is its own folder
        names: set[str] = set()
        for node in ast.walk(ast.parse(file.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
                module = ".".join(p for p in (base, node.module or "") if p)
                names.add(module)
                # ``from .. import storage`` imports a module by the name it gives
                names.update(f"{module}.{alias.name}" for alias in node.names)
        found[str(file.relative_to(PACKAGE))] = names
    return found


def own_layers(names: set[str]) -> set[str]:
    """The app's top-level packages and modules among ``names`` (``storage``, ``ui``, ``app``…)."""
    return {n.split(".")[1] for n in names if n.startswith("nextlevel_desktop.") and "." in n}


def test_relative_imports_are_resolved() -> None:
    names = imported_modules(PACKAGE / "ui" / "monitor")["ui/monitor/tables.py"]
    assert {"nextlevel_desktop.domain.measures", "nextlevel_desktop.ui.theme"} <= names
    assert own_layers(names) == {"domain", "services", "ui"}


def test_each_layer_imports_only_the_layers_below_it() -> None:
    below = {
        "domain": set(),
        "storage": {"domain"},
        "services": {"domain", "storage"},
    }
    for layer, allowed in below.items():
        for file, names in imported_modules(PACKAGE / layer).items():
            bad = own_layers(names) - allowed - {layer}
            assert not bad, f"{file} imports {bad}: {layer} may import only {allowed or 'itself'}"


def test_domain_imports_neither_qt_nor_sqlalchemy() -> None:
    for file, names in imported_modules(PACKAGE / "domain").items():
        bad = {n for n in names if n.split(".")[0] in {"PySide6", "sqlalchemy", "alembic"}}
        assert not bad, f"{file} imports {bad}"


def test_domain_runs_without_qt_or_sqlalchemy_loaded() -> None:
    code = (
        "import sys, nextlevel_desktop.domain.models, nextlevel_desktop.domain.processes, "
        "nextlevel_desktop.domain.targets, nextlevel_desktop.domain.settings; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_ui_never_imports_sqlalchemy_or_sessions() -> None:
    sessions = {"nextlevel_desktop.storage.db", "nextlevel_desktop.storage.orm"}
    sessions.add("nextlevel_desktop.storage.repositories")
    for file, names in imported_modules(PACKAGE / "ui").items():
        bad = {n for n in names if n.split(".")[0] in {"sqlalchemy", "alembic"} or n in sessions}
        assert not bad, f"{file} imports {bad}"


def test_storage_and_services_do_not_import_qt() -> None:
    for layer in ("storage", "services"):
        for file, names in imported_modules(PACKAGE / layer).items():
            bad = {n for n in names if n.split(".")[0] == "PySide6"}
            assert not bad, f"{file} imports {bad}"


def test_importing_the_package_creates_no_files(tmp_path: Path) -> None:
    code = "import nextlevel_desktop.app, nextlevel_desktop.cli, nextlevel_desktop.paths"
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "d"), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=tmp_path)
    assert list(tmp_path.iterdir()) == []


def absolute_imports(folder: Path) -> dict[str, set[str]]:
    """Every module each file imports, relative imports resolved, those inside functions too."""
    found: dict[str, set[str]] = {}
    for file in folder.rglob("*.py"):
        package = ["nextlevel_desktop", *file.relative_to(PACKAGE).parent.parts]
        names: set[str] = set()
        for node in ast.walk(ast.parse(file.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                module = ".".join([*base, *([node.module] if node.module else [])])
                names.add(module)
                names.update(f"{module}.{alias.name}" for alias in node.names)
        found[str(file.relative_to(PACKAGE))] = names
    return found


def test_render_and_commands_import_neither_qt_nor_ui() -> None:
    """DESIGN.md §5: rendering the command line shares with the UI lives below ui, and the
    command line never imports ui (nor Qt)."""
    for layer in ("render", "commands"):
        for file, names in absolute_imports(PACKAGE / layer).items():
            bad = {
                n for n in names if n.startswith(("PySide6", "nextlevel_desktop.ui", "shiboken6"))
            }
            assert not bad, f"{file} imports {bad}"


def test_the_report_command_writes_a_pdf_without_qt(demo_db, workspace_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = workspace_path.parent / "card.pdf"
    argv = ["report", "-w", str(workspace_path), "--process", "New business", "--pdf", str(pdf)]
    code = (
        "import sys\n"
        "from nextlevel_desktop.cli import parse, run_command\n"
        f"assert run_command(parse({argv!r})) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'nextlevel_desktop.ui'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert pdf.read_bytes().startswith(b"%PDF")

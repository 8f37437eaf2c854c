"""The layering rule, checked on the source as a test too (import-linter runs in CI)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_IN_CORE = {
    "aiogram",
    "sqlalchemy",
    "alembic",
    "aiohttp",
    "apscheduler",
    "handlers",
    "storage",
    "config",
    "web",
    "jinja2",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_imports_neither_telegram_nor_sql() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN_IN_CORE)
        for path in (ROOT / "bot").rglob("*.py")
        if _imports(path) & FORBIDDEN_IN_CORE
    }
    assert offenders == {}


def test_handlers_do_not_reach_into_storage() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "handlers").rglob("*.py")
        if _imports(path) & {"storage", "sqlalchemy"}
    ]
    assert offenders == []


def test_the_clock_is_not_telegram_code() -> None:
    # The scheduler is wiring beside main.py (scheduler.py); what a tick does is a service.
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "handlers").rglob("*.py")
        if "apscheduler" in _imports(path)
    ]
    assert offenders == []
    assert "apscheduler" in _imports(ROOT / "scheduler.py")


def test_the_console_is_no_telegram_code_and_reads_no_tables() -> None:
    # web/ calls the services of bot/ as handlers/ do (import-linter checks it too).
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            _imports(path) & {"aiogram", "handlers", "storage", "sqlalchemy", "emulator"}
        )
        for path in (ROOT / "web").rglob("*.py")
        if _imports(path) & {"aiogram", "handlers", "storage", "sqlalchemy", "emulator"}
    }
    assert offenders == {}
    assert "web" in FORBIDDEN_IN_CORE

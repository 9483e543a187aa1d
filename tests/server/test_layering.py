"""The inbox sits on the library (SPEC §7, docs/architecture.md): one module calls the core."""

from __future__ import annotations

import re
from pathlib import Path

SERVER = Path(__file__).resolve().parents[2] / "xlcrm" / "server"
# Which of our modules each server file may import (the library and failures; the demo its samples).
ALLOWED = {
    "inbox/library.py": {"xlcrm", "xlcrm.errors", "xlcrm.agenda.sections"},
    "demo.py": {"xlcrm.sample", "xlcrm.writing.template"},
    "command.py": {"xlcrm.errors", "xlcrm.i18n"},
    "accounts.py": {"xlcrm.errors"},
}


def _our_imports(path: Path) -> set[str]:
    """Absolute ``xlcrm…`` imports and relative ones resolved against the file's package."""
    text = path.read_text(encoding="utf-8")
    found = set(re.findall(r"^\s*(?:from|import) (xlcrm(?:\.[\w.]+)?)", text, re.M))
    package = ["xlcrm", *path.relative_to(SERVER.parent).parent.parts]
    for dots, name in re.findall(r"^\s*from (\.+)([\w.]*) import", text, re.M):
        base = package[: len(package) - (len(dots) - 1)]
        found.add(".".join([*base, *([name] if name else [])]))
    return {name for name in found if not name.startswith("xlcrm.server")}


def test_only_the_library_module_calls_the_core() -> None:
    offenders = {}
    for path in SERVER.rglob("*.py"):
        rel = path.relative_to(SERVER).as_posix()
        extra = _our_imports(path) - ALLOWED.get(rel, set())
        if extra:
            offenders[rel] = sorted(extra)
    assert offenders == {}

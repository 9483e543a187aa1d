"""Print the declared minimum versions of xlcrm's dependencies as pip requirements.

Every ``name>=floor`` in ``pyproject.toml``'s ``[project] dependencies`` becomes ``name==floor``
(environment markers kept), so CI can install exactly the oldest versions the package claims to
support and run the tests against them. ``--extra NAME`` prints that optional extra's requirements
unchanged (they are installed with the pins as constraints).

    python tools/min_requirements.py > min.txt
    python tools/min_requirements.py --extra test > test.txt
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the CI image runs 3.11+
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
_FLOOR = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._\[\]-]*)\s*>=\s*([^,;\s]+)\s*(?:,\s*<\s*[^,;\s]+\s*)?(;.*)?$")


def pinned_floor(requirement: str) -> str:
    """``"openpyxl>=3.1.2"`` → ``"openpyxl==3.1.2"``; a requirement without a single ``>=`` floor is an error."""
    match = _FLOOR.match(requirement)
    if match is None:
        raise ValueError(f"no single '>=' floor in requirement {requirement!r}: declare one so CI can test it")
    name, floor, marker = match.groups()
    return f"{name}=={floor}" + (f"; {marker.lstrip(';').strip()}" if marker else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", help="print this optional extra's requirements instead of the pinned floors")
    parser.add_argument(
        "--pin-extra",
        action="append",
        default=[],
        metavar="NAME",
        help="also print this optional extra's requirements pinned to their floors (repeatable)",
    )
    args = parser.parse_args(argv)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    if args.extra:
        lines = project["optional-dependencies"][args.extra]
    else:
        lines = [pinned_floor(r) for r in project["dependencies"]]
        for extra in args.pin_extra:
            lines += [pinned_floor(r) for r in project["optional-dependencies"][extra]]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

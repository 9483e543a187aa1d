"""Build the CJK font shipped in ``xlcrm/reporting/fonts/`` for chart rendering.

Report charts need Chinese glyphs, and xlcrm must not depend on whatever fonts the user's machine
has. So a subset of Noto Sans CJK SC (SIL Open Font License 1.1) is committed in the package:

* all 6,763 GB2312 hanzi: the 3,755 level-1 ones (every code point 0xB0A1–0xD7F9 that
  decodes) and the 3,008 level-2 ones (0xD8A1–0xF7FE), because many common given-name
  characters (婷 倩 鑫 琪 怡 梓 妍 …) are level 2 and charts show staff and customer names;
  ``--level1-only`` drops level 2 (1.6 MB instead of 2.9 MB);
* the 682 GB2312 symbol characters (rows 1–9: CJK punctuation, full-width forms, ①–⑩, ×÷→ …);
* printable ASCII and Latin-1, the general punctuation, arrows, maths signs matplotlib draws
  (U+2212 MINUS SIGN for negative ticks) and the full CJK-punctuation / full-width blocks.

The family is renamed to ``Noto Sans SC xlcrm`` so matplotlib can never confuse it with a
system-installed Noto CJK, and hinting and vertical-layout tables are dropped to keep it small.

Usage (needs fontTools; the source is Debian's ``fonts-noto-cjk``)::

    python tools/make_font_subset.py \
        --source /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
        --output xlcrm/reporting/fonts/NotoSansSC-xlcrm-subset.otf

A .ttc holds several faces; the Simplified Chinese one is found by its name
(``Noto Sans CJK SC``), not by a fixed index. Rerun after changing the character set and commit
the new font file; ``OFL.txt`` beside it must stay with it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

DEFAULT_SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEFAULT_OUTPUT = "xlcrm/reporting/fonts/NotoSansSC-xlcrm-subset.otf"
SOURCE_FAMILY = "Noto Sans CJK SC"
FAMILY = "Noto Sans SC xlcrm"
POSTSCRIPT_NAME = "NotoSansSCxlcrm-Regular"

# Unicode ranges added on top of GB2312 (inclusive).
EXTRA_RANGES: list[tuple[int, int]] = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement: ° · × ÷ ± ¥ …
    (0x2010, 0x2027),  # dashes, quotes, ellipsis
    (0x2030, 0x203B),  # ‰ ′ ″ ※
    (0x20AC, 0x20AC),  # €
    (0x2100, 0x2122),  # ℃ № ™
    (0x2160, 0x216B),  # Roman numerals Ⅰ–Ⅻ
    (0x2190, 0x2199),  # arrows ← ↑ → ↓
    (0x21D2, 0x21D4),  # ⇒ ⇔
    (0x2212, 0x2212),  # MINUS SIGN: matplotlib's negative tick labels
    (0x2200, 0x22FF),  # maths operators ≤ ≥ ≠ ≈ ∞ √ (the ones the font has)
    (0x2460, 0x2473),  # ①–⑳
    (0x2474, 0x249B),  # ⑴–⒇, ⒈–⒛
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # ■ □ ▲ △ ● ○ ◆ ◇
    (0x2605, 0x2606),  # ★ ☆
    (0x2713, 0x2717),  # ✓ ✔ ✕ ✖ ✗
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3220, 0x3229),  # ㈠–㈩
    (0xFF01, 0xFF5E),  # full-width forms
    (0xFFE0, 0xFFE6),  # full-width ￠ ￡ ￥ …
]


def gb2312_chars(first_lead: int, last_lead: int) -> list[str]:
    """Every character GB2312 assigns in the rows ``first_lead``..``last_lead`` (lead bytes)."""
    chars = []
    for lead in range(first_lead, last_lead + 1):
        for trail in range(0xA1, 0xFF):
            try:
                chars.append(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:  # unassigned cell, e.g. 0xD7FA–0xD7FE
                continue
    return chars


def wanted_codepoints(level2: bool) -> set[int]:
    """The code points to keep (the font may lack a few of the extra ones; those are skipped)."""
    hanzi = gb2312_chars(0xB0, 0xF7 if level2 else 0xD7)
    symbols = gb2312_chars(0xA1, 0xA9)
    points = {ord(c) for c in hanzi + symbols}
    for first, last in EXTRA_RANGES:
        points.update(range(first, last + 1))
    return points


def open_face(source: Path, family: str) -> TTFont:
    """The face named ``family`` from a .ttc collection, or the single font of an .otf/.ttf."""
    if source.suffix.lower() in {".ttc", ".otc"}:
        for font in TTCollection(str(source)).fonts:
            if font["name"].getDebugName(1) == family:
                return font
        raise SystemExit(f"{source}: no face named {family!r}")
    return TTFont(str(source))


def rename(font: TTFont) -> None:
    """Give the subset its own family name (OFL: a Modified Version; no system-font clash)."""
    names = font["name"]
    version = names.getDebugName(5) or ""
    for name_id, value in {
        1: FAMILY,
        2: "Regular",
        3: f"{POSTSCRIPT_NAME};xlcrm subset of {SOURCE_FAMILY} {version}",
        4: FAMILY,
        6: POSTSCRIPT_NAME,
        16: FAMILY,
        17: "Regular",
    }.items():
        names.removeNames(nameID=name_id)
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [POSTSCRIPT_NAME]
        top = cff.topDictIndex[0]
        for key in ("FullName", "FamilyName"):
            if hasattr(top, key):
                setattr(top, key, FAMILY)


def make_subset(font: TTFont, codepoints: Iterable[int]) -> None:
    """Subset ``font`` in place to ``codepoints``."""
    options = subset.Options()
    options.hinting = False  # matplotlib renders with FreeType's autohinter anyway
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]
    options.name_IDs = ["*"]  # keep copyright, trademark and licence records
    options.name_languages = [0x0409]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=Path(DEFAULT_SOURCE))
    parser.add_argument("--output", type=Path, default=Path(DEFAULT_OUTPUT))
    parser.add_argument("--level1-only", action="store_true", help="keep only the GB2312 level-1 hanzi")
    args = parser.parse_args(argv)

    font = open_face(args.source, SOURCE_FAMILY)
    wanted = wanted_codepoints(level2=not args.level1_only)
    available = set(font.getBestCmap())
    missing_hanzi = [c for c in gb2312_chars(0xB0, 0xF7) if ord(c) not in available]
    if missing_hanzi:
        raise SystemExit(f"source font lacks GB2312 hanzi: {''.join(missing_hanzi)}")
    make_subset(font, wanted & available)
    rename(font)
    font.recalcTimestamp = False  # keep the source's date so reruns give identical bytes
    args.output.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(args.output))
    kept = len(TTFont(str(args.output)).getBestCmap())
    size = args.output.stat().st_size
    print(f"{args.output}: {kept} characters, {size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

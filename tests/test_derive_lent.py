"""``derive(lookups=False)``, what enrich uses, works on the rows' own ``values`` dicts instead of
copies (``derive._Lent``): the same results as deriving on copies, and every row's values given
back exactly as read — filled IDs and names, refreshable cells, rejected rows, a row shaped unlike
the others, a derive that fails half way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF
from derive_helpers import D, campaign, customer, feedback, followup, make_book, task

from xlcrm import derive as derive_module
from xlcrm.config import Config
from xlcrm.derive import Derived, derive
from xlcrm.enrichment import enrich_data
from xlcrm.model import Book
from xlcrm.reading import read_book_data
from xlcrm.validation import check_read, load_config


def _as_read(book: Book) -> dict[str, list[tuple[int, list[tuple[str, Any]]]]]:
    """Every row's values, keys in order (a copy: the test compares after derive)."""
    return {k: [(r.number, list(r.values.items())) for r in s.rows] for k, s in book.sheets.items()}


def _results(d: Derived) -> tuple[object, ...]:
    return d.values, d.fills, d.filled_ids, d.refresh, d.snapshots, d.warnings


def _compare(make: Callable[[], tuple[Book, Config]]) -> Derived:
    copied_book, config = make()
    lent_book, _ = make()
    before = _as_read(lent_book)
    with_copies = derive(copied_book, config, AS_OF)
    lent = derive(lent_book, config, AS_OF, lookups=False)
    assert _results(lent) == _results(with_copies)
    assert _as_read(lent_book) == before  # given back as read, keys in the same order
    assert _as_read(copied_book) == before
    assert not (lent.customers or lent.campaigns or lent.followup_rows or lent.feedback_rows or lent.task_rows)
    return lent


def _small_book() -> tuple[Book, Config]:
    book = make_book(
        {
            "customers": [
                customer(customer_id="HXKJ20240001", name="杭州华信科技有限公司"),
                customer(customer_id=None, name="宁波海纳贸易有限公司", created=D("2024-03-01")),  # ID filled
                customer(customer_id=None, name="被拒绝的客户", created=D("2024-03-01"), _rejected=True),
            ],
            "followups": [
                followup("HXKJ20240001", "2024-06-01", customer_name=None),  # name and ID filled
                followup("HXKJ20240001", "2024-06-03", followup_id="GJ20240603001", customer_name="旧名称"),
                followup("HXKJ20240001", "2024-06-05", customer_name="自己写的"),
            ],
            "feedback": [feedback("HXKJ20240001", "2024-06-02 10:00", customer_name=None)],
            "campaigns": [campaign(None, "2024-05-01", "2024-06-30", target_count=None)],
            "tasks": [task("HD2024001", "2024-06-10", "进行中")],
        }
    )
    followups = book.sheets["followups"].rows
    followups[1].refreshable = frozenset({"customer_name"})  # still holds enrich's earlier value
    del followups[2].values["content"]  # shaped unlike the others: derived on a copy
    return book, Config()


def test_small_book_same_results_and_rows_given_back() -> None:
    lent = _compare(_small_book)
    assert lent.filled_ids and lent.refresh and lent.fills  # the cases above did happen


def test_sample_book_and_the_same_book_enriched(sample_300: Path) -> None:
    data = sample_300.read_bytes()

    def read(data: bytes) -> Callable[[], tuple[Book, Config]]:
        def make() -> tuple[Book, Config]:
            result = read_book_data(data, "sample.xlsx")
            config = load_config(result.book, None)
            check_read(result, AS_OF, config, "sample.xlsx", with_stale=False)  # marks rejected rows
            return result.book, config

        return make

    assert _compare(read(data)).filled_ids
    enriched = enrich_data(data, AS_OF).data
    book, _ = read(enriched)()
    assert any(r.refreshable for s in book.sheets.values() for r in s.rows)  # enrich's own values to refresh
    _compare(read(enriched))


def test_a_failing_derive_gives_the_rows_back(monkeypatch: pytest.MonkeyPatch) -> None:
    book, config = _small_book()
    before = _as_read(book)

    def broken(*args: Any) -> None:
        raise RuntimeError("a rule failed")

    monkeypatch.setattr(derive_module, "apply_campaigns", broken)
    with pytest.raises(RuntimeError):
        derive(book, config, AS_OF, lookups=False)
    assert _as_read(book) == before


def test_enrich_and_annotate_never_load_openpyxl(sample_300: Path, tmp_path: Path) -> None:
    """The patching writer and the reader need neither openpyxl nor the numpy it pulls in (about
    30 MiB and a tenth of a second before any work); only ``init`` writes with openpyxl."""
    import json
    import subprocess
    import sys

    book = tmp_path / "book.xlsx"
    book.write_bytes(sample_300.read_bytes())
    annotated = tmp_path / "标注.xlsx"
    code = (
        "import json, sys\n"
        "from xlcrm.cli import main\n"
        f"assert main(['enrich', {str(book)!r}, '--as-of', '{AS_OF}', '--no-backup']) == 0\n"
        f"main(['validate', {str(book)!r}, '--as-of', '{AS_OF}', '--annotate', {str(annotated)!r}])\n"
        "print(json.dumps([m for m in ('openpyxl', 'numpy', 'pandas') if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    assert annotated.exists()


def test_rows_sharing_values_get_their_own_values(sample_300: Path) -> None:
    """Rows with the same computed values share one read-only dict; each row still reads exactly
    its own values, type included (1, 1.0 and True must not stand in for one another)."""
    result = read_book_data(sample_300.read_bytes(), "sample.xlsx")
    config = load_config(result.book, None)
    derived = derive(result.book, config, AS_OF)
    for key, records in (("followups", derived.followup_rows), ("feedback", derived.feedback_rows)):
        computed = [f.key for f in result.book.sheets[key].kind.computed_fields]
        values = derived.values[key]
        if key == "followups":
            assert len({id(v) for v in values.values()}) < len(values) / 2  # most follow-ups share
        for rec in records:
            got = values[rec["row"]]
            assert [(type(got[k]), got[k]) for k in computed] == [(type(rec[k]), rec[k]) for k in computed]

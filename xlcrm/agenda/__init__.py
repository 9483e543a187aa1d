"""The agenda (SPEC §8): what each person should do next, from the derive layer's results.

``build_agenda(derived, book, config, as_of, days)`` is the pure core; ``load_agenda(paths, …)``
consolidates workbooks first, as ``report`` does. Renderers live in ``render``; the command's
printing and file writing in ``command``.
"""

from .build import build_agenda, split_names
from .items import SECTION_KEYS, Agenda, PersonAgenda
from .source import AgendaRun, load_agenda

__all__ = ["SECTION_KEYS", "Agenda", "AgendaRun", "PersonAgenda", "build_agenda", "load_agenda", "split_names"]

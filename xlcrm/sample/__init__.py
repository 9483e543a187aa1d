"""Realistic, deterministic sample data for ``xlcrm init --sample N`` (pure: no I/O, no clock).

Modules: ``names`` and ``texts`` (vocabularies and sentence templates), ``customers``,
``campaigns`` (with tasks), ``followups``, ``feedback``, and ``generate`` which puts them together.
"""

from .generate import generate_sample

__all__ = ["generate_sample"]

"""xlcrm: Excel-first customer-relationship maintenance toolkit.

The library API (SPEC §7): ``xlcrm.validate``, ``xlcrm.annotate``, ``xlcrm.enrich``,
``xlcrm.report``, ``xlcrm.agenda`` and ``xlcrm.frames`` take a path, bytes or a binary file object;
``xlcrm.validate_files`` checks several workbooks at once and ``xlcrm.annotated_name`` names an
annotated copy.
"""

__version__ = "0.1.0"
__all__ = [
    "Source",
    "__version__",
    "agenda",
    "annotate",
    "annotated_name",
    "enrich",
    "frames",
    "report",
    "validate",
    "validate_files",
]

# The packages ``xlcrm.agenda`` and module ``xlcrm.frames`` are imported first, so that binding the
# functions below makes ``xlcrm.agenda`` / ``xlcrm.frames`` the functions for good (a later import
# of a submodule finds the package in sys.modules and does not rebind the name).
from . import agenda as _agenda_package  # noqa: E402,F401
from .api import Source, agenda, annotate, enrich, report, validate  # noqa: E402
from .batch import annotated_name, validate_files  # noqa: E402
from .frames import frames  # noqa: E402

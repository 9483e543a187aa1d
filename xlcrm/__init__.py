"""xlcrm: Excel-first customer-relationship maintenance toolkit.

The library API (SPEC §7): ``xlcrm.validate``, ``xlcrm.annotate``, ``xlcrm.enrich`` take a path,
bytes or a binary file object.
"""

from .api import Source, annotate, enrich, validate

__version__ = "0.1.0"
__all__ = ["Source", "__version__", "annotate", "enrich", "frames", "validate"]

# imported here so ``xlcrm.frames`` is the function, not its module
from .frames import frames  # noqa: E402

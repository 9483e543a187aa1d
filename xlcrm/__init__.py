"""xlcrm: Excel-first customer-relationship maintenance toolkit."""

__version__ = "0.1.0"

# the library API (SPEC §7); imported here so ``xlcrm.frames`` is the function, not its module
from .frames import frames  # noqa: E402

__all__ = ["__version__", "frames"]

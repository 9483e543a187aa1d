"""The only code that writes .xlsx files (openpyxl).

openpyxl warns in English (``UserWarning: Data Validation extension is not supported and will be
removed`` …) when it loads content it does not model. Staff never see those: what xlcrm does about
such content (keep it, or refuse and say so in Chinese) is decided by the writer, not by a warning.
"""

import warnings

warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")

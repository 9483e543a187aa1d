"""xlcrm: Excel-first customer-relationship maintenance toolkit."""

__version__ = "0.1.0"

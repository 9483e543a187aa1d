"""The submission inbox (SPEC §9): a Django project served by ``xlcrm serve``.

Its views call the library (``xlcrm.validate``, ``xlcrm.annotate`` …) and store the results;
nothing here reaches below the library. Needs the ``server`` extra: ``pip install "xlcrm[server]"``.
"""

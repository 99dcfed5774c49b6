"""One module per lecture part, each declaring its config section: ``NAME`` and ``KEYS``.

``KEYS`` maps each key to a check from ``mathcore.config`` (number, positive,
integer(lo, hi), choice(...), number_list(...), list_of(...), text, ...). Keep
these modules free of torch and numpy imports: the loader imports them all.
"""

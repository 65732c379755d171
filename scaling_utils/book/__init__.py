"""Book plumbing: what turns computations into the book's pages, ledgers and benchmark.

* :mod:`~scaling_utils.book.claims` — the claims ledger and ``python -m scaling_utils.book.claims check``;
* :mod:`~scaling_utils.book.plotting` — the house style of every figure;
* :mod:`~scaling_utils.book.glue` — gluing computed numbers into the text;
* :mod:`~scaling_utils.book.bench` — ``make bench``.
"""

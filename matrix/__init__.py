"""The version matrix: every page's shown code on every torch release of releases.txt.

``make matrix`` (on demand; not part of ``make test``) runs ``python -m matrix.driver``:
for each release listed in ``releases.txt`` (the newest patch of every minor release
from 2.0 on), one at a time, a fresh venv under ``/tmp/matrix-envs`` (``MATRIX_ENVS``
moves it) gets that torch and the numpy listed beside it, every page's shown code runs
in it (executable_docs/standalone_runner.py, one process per page, ``nice -n 19``), the
outcome goes to ``results/torch-X.Y.Z.json`` (format: ``result.schema.json``), and the
venv is deleted. ``make matrix RELEASES="2.6.0 2.7.1" PAGES="docs/kinks.md"`` measures
only those releases and pages. ``python -m matrix.table`` prints what differs across
releases; ``python -m matrix.canary`` measures a torch not in the results yet (a new
release, a nightly) and prints what differs from the newest result.

Every behaviour is measured on its own (``pages.py``, ``dependencies.py``): a statement
that raises on a release spoils only the statements that use what it made or changed
(by name), and ``needs.toml`` declares the few statements that need an API older
releases lack; on those releases, only they and what uses them do not count. Per
behaviour and release the result says ``held``, ``failed``, ``raised``,
``not_applicable``, ``after_error`` or ``not_run``, with where and why.

What uses the data: the Specification page and the upgrade guide
(``site_build/specification.py``, from the result files through
``site_build/version_ranges.py``: the site reads the files, it imports nothing from
here). tests/matrix checks every committed result (``validation.py``: schema, digest,
fingerprints of the code measured, statuses that agree with their records) and that
the installed torch's column was measured on the code the pages show now.
"""

"""The version matrix: every page's shown code on every torch release of releases.txt.

``make matrix`` (on demand; not part of ``make test``) runs ``python -m matrix.driver``:
for each release listed in ``releases.txt`` (the newest patch of every minor release
from 2.0 to the newest installable), one at a time, a fresh venv under
``/tmp/matrix-envs`` (``MATRIX_ENVS`` moves it) gets that torch and the numpy listed
beside it, every page's shown code runs in it to the end (``executable_docs/standalone_runner.py``, one process per
page, ``nice -n 19``), the outcome goes to ``results/torch-X.Y.Z.json``, and the venv is
deleted. The next release installs while the current one runs. ``make matrix
RELEASES="2.6.0 2.7.1"`` measures only those. ``python -m matrix.table`` prints what
differs across releases.

A result file holds, per behaviour of the Specification page (``docs/<page>.md:
<its '# Spec:' sentence>``), its status on that release:

* ``held``: the assertion ran and passed, before any exception on its page;
* ``failed``: the assertion itself raised AssertionError; ``raised``: its line raised
  something else (a missing argument, attribute or key);
* ``not_reached``: the statement around it raised before it;
* ``after_error``: it ran after an earlier exception on the page, so whatever it did
  may be a side effect of that failure: not counted either way;
* ``not_applicable``: its section declares a newer release (below), so it did not run.

and per page the statements that raised and the printed outputs that differ from the
page's ``# >`` lines (first differing line), plus the install time and size, the run
time, the versions, the command, the date, the commit of the pages and a fingerprint of
each page's code (what tests/matrix compares).

A page or section declares the oldest release it needs: front matter ``torch_min:
"2.7"`` for a page, an attribute on a heading for a section, ``### Adam and AdamW {:
data-torch-min="2.7" }`` (up to the next heading of the same or a higher level). The
site shows it beside the heading (docs/stylesheets/matrix.css); older releases report
its behaviours ``not_applicable`` and do not run its blocks, so the rest of the page is
measured normally.

What uses the data: the Specification page ends each behaviour with the releases it
holds on ("since torch 2.7", "torch 2.0 to 2.14"), rendered by
``site_build/version_ranges.py`` from these files, never typed. tests/matrix fails
when the installed torch's file was measured on other code than the pages show now
(fingerprints), with another numpy, or says anything but "held" for the installed
release; then ``make matrix RELEASES="<installed>"`` refreshes it (a full ``make
matrix`` refreshes every column). ``MATRIX_RERUN=1`` makes tests/matrix also rerun every
page on the installed torch and compare.
"""

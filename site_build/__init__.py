"""This site's build (hooks, generated text, notebooks, figures, checks).

It is built on top of executable_docs: site_build imports executable_docs, never
the reverse (tests/harness/test_package_boundary.py).
"""

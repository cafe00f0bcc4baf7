"""The test harness, for any MkDocs project using pymdownx.snippets.

It names no library and no page. A project plugs its own process-wide state in
through pyproject.toml (executable_docs.page_state).
"""

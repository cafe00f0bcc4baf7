"""Benchmarks of the docs suite and the site build (`make bench`); see __main__.py."""

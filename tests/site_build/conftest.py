# Imports torch and numpy before any pytester run, for the same reason as there.
import tests.harness.conftest  # noqa: F401

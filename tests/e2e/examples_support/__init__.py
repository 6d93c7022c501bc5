"""Support for ``test_examples.py``: the example data modules, a scratch PostgreSQL database and
what the example flows must produce, computed here from the generated files alone."""

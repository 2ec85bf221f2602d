"""The rules of SAKIP performance measurement, in plain Python.

Nothing here performs I/O or imports SQLAlchemy, Strawberry, Starlette or Casbin
(tests/test_architecture.py enforces it), so every rule is unit-tested in milliseconds.
"""

"""The domain knows nothing of the database, the API or the policy engine."""

import ast
from pathlib import Path

FORBIDDEN = {"sqlalchemy", "strawberry", "starlette", "casbin", "psycopg", "store", "schema", "resolvers"}
DOMAIN = Path(__file__).resolve().parent.parent / "domain"


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_domain_imports_no_io_or_framework() -> None:
    offenders = {
        path.name: imported_roots(path) & FORBIDDEN for path in DOMAIN.glob("*.py") if imported_roots(path) & FORBIDDEN
    }
    assert offenders == {}

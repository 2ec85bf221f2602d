"""The layers import one way, and the domain knows nothing of the database, the API or the policy
engine (style.md, "Where things live")."""

import ast
import inspect
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Highest first: a module may import its own package or any package after its own.
LAYERS = (
    "server",
    "api",
    "web",
    "resolvers",
    "schema",
    "documents",
    "actions",
    "identity",
    "store",
    "policies",
    "domain",
)
FRAMEWORKS = {"sqlalchemy", "strawberry", "starlette", "casbin", "psycopg", "graphql"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_files() -> list[Path]:
    files = [ROOT / "server.py"]
    for package in LAYERS[1:]:
        files += sorted((ROOT / package).rglob("*.py"))
    return files


def imports_of(path: Path) -> set[str]:
    """Every module named by an import anywhere in the file (type-checking and local ones too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_domain_imports_no_io_or_framework() -> None:
    offenders = {
        path.name: roots
        for path in (ROOT / "domain").glob("*.py")
        if (roots := {name.split(".")[0] for name in imports_of(path)} & (FRAMEWORKS | set(LAYERS[:-1])))
    }
    assert offenders == {}


def test_layers_import_only_downwards() -> None:
    rank = {layer: index for index, layer in enumerate(LAYERS)}
    against_the_grain = sorted(
        f"{module_name(path)} imports {name}"
        for path in layer_files()
        for name in imports_of(path)
        if (imported := name.split(".")[0]) in rank and rank[imported] < rank[module_name(path).split(".")[0]]
    )
    assert against_the_grain == []


def test_no_module_imports_itself_through_others() -> None:
    known = {module_name(path) for path in layer_files()}
    graph: dict[str, set[str]] = defaultdict(set)
    for path in layer_files():
        graph[module_name(path)] = {name for name in imports_of(path) if name in known} - {module_name(path)}
    cycles = []
    state: dict[str, str] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for imported in sorted(graph[module]):
            if state.get(imported) == "open":
                cycles.append(" -> ".join([*trail[trail.index(imported) :], imported]))
            elif imported not in state:
                visit(imported, [*trail, imported])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def names_taken_from(path: Path, module: str) -> set[str]:
    """What a file takes from `module`: its names, or "*" for the module itself."""
    taken: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module == module:
            taken.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and f"{node.module}." in f"{module}.":
            taken.update("*" for alias in node.names if f"{node.module}.{alias.name}" == module)
        elif isinstance(node, ast.Import):
            taken.update("*" for alias in node.names if alias.name == module)
    return taken


def test_aggregates_are_kept_by_the_store_writes_and_the_maintenance_actions_alone() -> None:
    """Values and indicators refresh the aggregates they reach inside store/writes.py; resolvers,
    the demo and the bench go through actions and take nothing but the window from store.aggregates."""
    callers = [*layer_files(), *(ROOT / "demo").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]
    keepers = {"store", "actions.maintenance"}
    offenders = {
        module_name(path): taken
        for path in callers
        if not any(module_name(path).startswith(keeper) for keeper in keepers)
        and (taken := names_taken_from(path, "store.aggregates") - {"AggregateWindow"})
    }
    assert offenders == {}


def test_mutation_resolvers_leave_transactions_writes_and_audit_to_actions() -> None:
    """Resolvers decode input, run an action in a transaction (resolvers/writes.py) and shape the
    payload; checks, writes and audit entries are the action's."""
    offenders: dict[str, set[str]] = {}
    for path in (ROOT / "resolvers").glob("*.py"):
        found = names_taken_from(path, "store") & {"writes", "aggregates"}
        if path.name != "writes.py":
            found |= {text for text in ("audit.append(", ".begin()", ".connect()") if text in path.read_text()}
        if found:
            offenders[module_name(path)] = found
    assert offenders == {}


def test_mutation_resolvers_are_short() -> None:
    """About 15 lines each: decode, run the action, shape the payload."""
    from api.schema import Mutation

    lengths = {
        field.python_name: len(inspect.getsourcelines(field.base_resolver.wrapped_func)[0])
        for field in Mutation.__strawberry_definition__.fields  # type: ignore[attr-defined]
        if field.base_resolver is not None
    }
    assert lengths and {name: n for name, n in lengths.items() if n > 20} == {}

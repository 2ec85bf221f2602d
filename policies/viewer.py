"""The caller of a request and what it may do where, compiled once per request."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from policies.permissions import Permission, Role


class ViewerKind(Enum):
    ANONYMOUS = "ANONYMOUS"
    USER = "USER"
    API_CLIENT = "API_CLIENT"
    SYSTEM = "SYSTEM"  # the platform itself, maintaining aggregates: sees everything


@dataclass(frozen=True)
class Grant:
    """A role held on a subtree of the hierarchy."""

    role: Role
    path: str


def covers(prefixes: tuple[str, ...] | None, path: str) -> bool:
    return prefixes is None or any(path.startswith(prefix) for prefix in prefixes)


def overlaps(prefixes: tuple[str, ...] | None, path: str) -> bool:
    """Whether anything under `path` is covered: it lies under a prefix or contains one."""
    return prefixes is None or any(path.startswith(p) or p.startswith(path) for p in prefixes)


@dataclass(frozen=True)
class Viewer:
    """Who is asking, and for each permission the paths where it holds (None: everywhere).

    Built by `policies.authoriser.Authoriser.viewer`, which asks Casbin; the data layer turns
    the paths into SQL predicates (`policies.scopes`).
    """

    kind: ViewerKind
    user_id: int | None
    username: str | None
    grants: tuple[Grant, ...]
    scopes: Mapping[Permission, tuple[str, ...] | None] = field(default_factory=dict)
    # An API token held to registered operations (persisted_operation): no document of its own.
    registered_operations_only: bool = False

    def paths(self, permission: Permission) -> tuple[str, ...] | None:
        return self.scopes.get(permission, ())

    def may(self, permission: Permission, path: str) -> bool:
        return covers(self.paths(permission), path)

    def may_anywhere(self, permission: Permission) -> bool:
        """Whether the permission holds somewhere (a page offers a workspace only then)."""
        return self.paths(permission) != ()

    @property
    def is_authenticated(self) -> bool:
        return self.kind is not ViewerKind.ANONYMOUS


def minimal_prefixes(paths: list[str]) -> tuple[str, ...]:
    """Drop paths already covered by a shorter one: ('61/', '61/61.71/') -> ('61/',)."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return tuple(sorted(kept))


SYSTEM = Viewer(kind=ViewerKind.SYSTEM, user_id=None, username="system", grants=(), scopes=dict.fromkeys(Permission))

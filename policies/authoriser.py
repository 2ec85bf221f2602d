"""Casbin decides: the model and default policy are data files; grants come from PostgreSQL."""

import functools
from pathlib import Path

import casbin
from casbin.model import Model

from policies.permissions import EVERYWHERE, PUBLIC_ROLE, Permission, Role
from policies.viewer import Grant, Viewer, ViewerKind, minimal_prefixes

HERE = Path(__file__).resolve().parent
MODEL_FILE = HERE / "model.conf"
POLICY_FILE = HERE / "policy.csv"


def under(request_path: str, grant_path: str) -> bool:
    """Domain matching: a grant on a path covers its subtree; '*' covers everything."""
    return grant_path == EVERYWHERE or request_path.startswith(grant_path)


class Authoriser:
    """Reads the model and default policy once; builds a small enforcer per viewer."""

    def __init__(self, model_file: Path = MODEL_FILE, policy_file: Path = POLICY_FILE) -> None:
        self._model_text = model_file.read_text()
        rules = [
            [part.strip() for part in line.split(",")]
            for line in policy_file.read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ]
        self._permissions = [rule[1:] for rule in rules if rule[0] == "p"]
        self._inheritance = [rule[1:] for rule in rules if rule[0] == "g"]

    def enforcer(self, subject: str, grants: tuple[Grant, ...]) -> casbin.Enforcer:
        model = Model()
        model.load_model_from_text(self._model_text)
        enforcer = casbin.Enforcer(model)
        enforcer.add_named_domain_matching_func("g", under)
        enforcer.add_policies(self._permissions)
        enforcer.add_named_grouping_policies("g", self._inheritance)
        grouping = [[subject, PUBLIC_ROLE, EVERYWHERE]] + [[subject, g.role.value, g.path] for g in grants]
        enforcer.add_named_grouping_policies("g", grouping)
        return enforcer

    def viewer(
        self, *, kind: ViewerKind, user_id: int | None, username: str | None, grants: tuple[Grant, ...]
    ) -> Viewer:
        """Compile, per permission, the paths where Casbin allows it."""
        return Viewer(kind=kind, user_id=user_id, username=username, grants=grants, scopes=self._scopes(grants))

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one Authoriser per process; entries are small
    def _scopes(self, grants: tuple[Grant, ...]) -> dict[Permission, tuple[str, ...] | None]:
        """The compilation depends on the grants alone, and callers share a few grant sets: it
        is cached, so Casbin runs once per distinct set rather than on every request."""
        subject = "viewer"
        enforcer = self.enforcer(subject, grants)
        scopes: dict[Permission, tuple[str, ...] | None] = {}
        for permission in Permission:
            if enforcer.enforce(subject, EVERYWHERE, permission.obj, permission.act):
                scopes[permission] = None
                continue
            allowed = [g.path for g in grants if enforcer.enforce(subject, g.path, permission.obj, permission.act)]
            scopes[permission] = minimal_prefixes(allowed)
        return scopes

    def roles_held(self, viewer: Viewer, path: str) -> set[Role]:
        """Roles the viewer holds on `path`, inherited ones included."""
        subject = f"user:{viewer.user_id}"
        enforcer = self.enforcer(subject, viewer.grants)
        held = enforcer.get_implicit_roles_for_user(subject, path)
        return {Role(role) for role in held if role in Role._value2member_map_}


ANONYMOUS_GRANTS: tuple[Grant, ...] = ()

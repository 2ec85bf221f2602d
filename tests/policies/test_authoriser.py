"""The real model.conf and policy.csv, compiled into path scopes for each role."""

import pytest

from policies.authoriser import Authoriser
from policies.permissions import Permission as P
from policies.permissions import Role
from policies.viewer import Grant, ViewerKind

AUTHORISER = Authoriser()
PONTIANAK = "61/61.71/"


def viewer(*grants: tuple[Role, str]) -> object:
    return AUTHORISER.viewer(
        kind=ViewerKind.USER, user_id=7, username="u", grants=tuple(Grant(r, p) for r, p in grants)
    )


def test_anonymous_sees_structure_and_definitions_everywhere_and_no_values() -> None:
    anonymous = AUTHORISER.viewer(kind=ViewerKind.ANONYMOUS, user_id=None, username=None, grants=())
    assert anonymous.paths(P.READ_STRUCTURE) is None
    assert anonymous.paths(P.READ_INDICATORS) is None
    assert anonymous.paths(P.READ_VALUES) == ()
    assert anonymous.paths(P.WRITE_VALUES) == ()


@pytest.mark.parametrize(
    ("role", "permission", "expected"),
    [
        (Role.OPERATOR, P.READ_VALUES, (PONTIANAK,)),
        (Role.OPERATOR, P.WRITE_VALUES, (PONTIANAK,)),
        (Role.OPERATOR, P.WRITE_STRUCTURE, ()),
        (Role.REVIEWER, P.WRITE_VALUES, ()),
        (Role.REVIEWER, P.READ_VALUES, (PONTIANAK,)),
        (Role.LEADER, P.CREATE_TOKENS, (PONTIANAK,)),
        (Role.EVALUATOR, P.READ_VALUES, (PONTIANAK,)),
        (Role.API_CLIENT, P.READ_VALUES, (PONTIANAK,)),
        (Role.API_CLIENT, P.CREATE_TOKENS, ()),
        (Role.ADMIN, P.MANAGE_GRANTS, (PONTIANAK,)),
        (Role.ADMIN, P.WRITE_VALUES, (PONTIANAK,)),  # inherits OPERATOR
        (Role.ADMIN, P.WRITE_STRUCTURE, (PONTIANAK,)),
    ],
)
def test_each_role_compiles_to_its_scope(role: Role, permission: P, expected: tuple[str, ...]) -> None:
    assert viewer((role, PONTIANAK)).paths(permission) == expected  # type: ignore[attr-defined]


def test_nested_grants_compile_to_the_widest_path() -> None:
    compiled = viewer((Role.OPERATOR, "61/"), (Role.OPERATOR, PONTIANAK), (Role.REVIEWER, "15/"))
    assert compiled.paths(P.READ_VALUES) == ("15/", "61/")  # type: ignore[attr-defined]
    assert compiled.paths(P.WRITE_VALUES) == ("61/",)  # type: ignore[attr-defined]


def test_a_grant_covers_its_subtree_only() -> None:
    operator = viewer((Role.OPERATOR, PONTIANAK))
    assert operator.may(P.WRITE_VALUES, "61/61.71/300/401/")  # type: ignore[attr-defined]
    assert not operator.may(P.WRITE_VALUES, "61/61.72/310/")  # type: ignore[attr-defined]
    assert not operator.may(P.READ_VALUES, "61/")  # type: ignore[attr-defined]


def test_admin_holds_inherited_roles_but_not_evaluator() -> None:
    admin = viewer((Role.ADMIN, "61/"))
    held = AUTHORISER.roles_held(admin, PONTIANAK)  # type: ignore[arg-type]
    assert held == {Role.ADMIN, Role.OPERATOR, Role.REVIEWER, Role.LEADER, Role.PLANNER, Role.API_CLIENT}
    assert AUTHORISER.roles_held(admin, "15/") == set()  # type: ignore[arg-type]

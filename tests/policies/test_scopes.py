from sqlalchemy.dialects import postgresql

from policies.authoriser import Authoriser
from policies.permissions import Permission, Role
from policies.scopes import prefix_pattern, within
from policies.viewer import Grant, Viewer, ViewerKind
from store.tables import org_unit

AUTHORISER = Authoriser()


def viewer(*grants: Grant) -> Viewer:
    return AUTHORISER.viewer(kind=ViewerKind.USER, user_id=1, username="u", grants=grants)


def compiled(viewer: Viewer, permission: Permission) -> str:
    predicate = within(viewer, permission, org_unit.c.path)
    sql = predicate.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})  # type: ignore[no-untyped-call]
    return str(sql)


def test_public_permissions_compile_to_true() -> None:
    assert compiled(viewer(), Permission.READ_STRUCTURE) == "true"


def test_scoped_viewer_compiles_to_prefix_matches() -> None:
    operator = viewer(Grant(Role.OPERATOR, "61/61.71/"), Grant(Role.OPERATOR, "61/61.72/"))
    assert compiled(operator, Permission.READ_VALUES) == (
        "org_unit.path LIKE '61/61.71/%%' OR org_unit.path LIKE '61/61.72/%%'"
    )


def test_viewer_without_the_permission_sees_nothing() -> None:
    assert compiled(viewer(Grant(Role.REVIEWER, "61/")), Permission.WRITE_VALUES) == "false"


def test_like_wildcards_in_a_prefix_are_escaped() -> None:
    assert prefix_pattern("a_b%") == "a\\_b\\%%"


def test_a_path_ends_at_a_government_or_a_unit() -> None:
    from policies.paths import scope_of_path

    assert scope_of_path("61/") == "61"
    assert scope_of_path("61/61.71/") == "61.71"
    assert scope_of_path("61/61.71/300/") == 300
    assert scope_of_path("61/12/45/") == 45
    assert scope_of_path("") is None

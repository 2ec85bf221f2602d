from sqlalchemy.dialects import postgresql

from policies.scopes import path_visible, prefix_pattern
from policies.viewer import SYSTEM, Viewer
from store.tables import org_unit


def compiled(viewer: Viewer) -> str:
    predicate = path_visible(viewer, org_unit.c.path)
    compiled = predicate.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})  # type: ignore[no-untyped-call]
    return str(compiled)


def test_unrestricted_viewer_compiles_to_true() -> None:
    assert compiled(SYSTEM) == "true"


def test_scoped_viewer_compiles_to_prefix_matches() -> None:
    viewer = Viewer(username="operator.61.71", view_paths=("61/61.71/", "61/61.72/"))
    sql = compiled(viewer)
    assert sql == "org_unit.path LIKE '61/61.71/%%' OR org_unit.path LIKE '61/61.72/%%'"


def test_like_wildcards_in_a_prefix_are_escaped() -> None:
    assert prefix_pattern("a_b%") == "a\\_b\\%%"


def test_viewer_without_scopes_sees_nothing() -> None:
    assert compiled(Viewer(username="nobody", view_paths=())) == "false"


def test_may_view_path_is_the_same_prefix_rule() -> None:
    viewer = Viewer(username="x", view_paths=("61/61.71/",))
    assert viewer.may_view_path("61/61.71/300/")
    assert not viewer.may_view_path("61/61.72/310/")

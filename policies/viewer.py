"""The caller of a request, as the data layer needs to know it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Viewer:
    """Who is asking, and the hierarchy paths it may view.

    `view_paths` None means unrestricted. Until identity and Casbin grants arrive every request
    runs as `SYSTEM`; the data layer already filters through `policies.scopes`, so granting a
    narrower viewer changes no query's shape.
    """

    username: str | None
    view_paths: tuple[str, ...] | None

    @property
    def is_unrestricted(self) -> bool:
        return self.view_paths is None

    def may_view_path(self, path: str) -> bool:
        return self.view_paths is None or any(path.startswith(prefix) for prefix in self.view_paths)


SYSTEM = Viewer(username=None, view_paths=None)

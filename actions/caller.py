"""Who performs an action: what they may do (the viewer) and the request they act in."""

from dataclasses import dataclass

from policies.viewer import SYSTEM, Viewer


@dataclass(frozen=True)
class Caller:
    viewer: Viewer
    request_id: str = "-"

    @property
    def actor(self) -> str:
        """Who acts, as the audit log, report history and comments name them."""
        return self.viewer.username or "anonymous"


# The platform itself: the demo load, benchmarks and maintenance.
PLATFORM = Caller(viewer=SYSTEM, request_id="platform")

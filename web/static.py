"""The pages' own files (web/static/): style, the small script, and the vendored chart library
(web/static/vendor/VENDORED.md), compressed and cached by browsers; nothing from another host."""

from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

FILES = Path(__file__).resolve().parent / "static"


class Assets(StaticFiles):
    """Files cached by browsers for a day: a deployment that changes one changes the `?v=` the
    layout asks with (the API's vendored GraphiQL files use it too)."""

    def file_response(self, *args: object, **kwargs: object) -> Response:
        response = super().file_response(*args, **kwargs)  # type: ignore[arg-type]
        response.headers["cache-control"] = "public, max-age=86400"
        return response


def assets() -> ASGIApp:
    return GZipMiddleware(Assets(directory=FILES), minimum_size=512)

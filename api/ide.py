"""GraphiQL served entirely by the app: Strawberry's page, with its CDN addresses replaced by
the vendored copies under api/static/graphiql/ (VENDORED.md lists their versions and licences)."""

from pathlib import Path

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp

from web.static import Assets

ASSETS = Path(__file__).resolve().parent / "static" / "graphiql"
ASSET_PATH = "/static/graphiql"
CDN_ADDRESSES = {
    "https://unpkg.com/react@18.2.0/umd/react.production.min.js": "react.production.min.js",
    "https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js": "react-dom.production.min.js",
    "https://unpkg.com/js-cookie@3.0.5/dist/js.cookie.min.js": "js.cookie.min.js",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.css": "graphiql.min.css",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css": "plugin-explorer.css",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.js": "graphiql.min.js",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": "plugin-explorer.umd.js",
}


def local_page(html: str) -> str:
    for address, name in CDN_ADDRESSES.items():
        html = html.replace(address, f"{ASSET_PATH}/{name}")
    # The page's own integrity checks stay: the copies are the same bytes (VENDORED.md).
    return html


def assets() -> ASGIApp:
    return GZipMiddleware(Assets(directory=ASSETS), minimum_size=1024)

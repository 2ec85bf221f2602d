"""Top-level errors a resolver raises: each carries one of design.md's codes in
`extensions.code` (api/extensions.py makes every other error public the same way)."""


class ApiError(Exception):
    """An error the client may see, with one of the codes of design.md."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.extensions = {"code": code}


def bad_input(message: str) -> ApiError:
    return ApiError("BAD_USER_INPUT", message)

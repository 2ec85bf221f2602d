"""Reading hierarchy paths: '61/' and '61/61.71/' end at governments, '61/61.71/300/' at a unit."""


def scope_of_path(path: str) -> str | int | None:
    """The government code or the unit id a path ends at; None for a malformed path."""
    segments = [segment for segment in path.split("/") if segment]
    if not segments or not path.endswith("/"):
        return None
    last = segments[-1]
    return int(last) if last.isdigit() and len(segments) > 1 else last

"""Reading hierarchy paths: '61/' and '61/61.71/' end at governments, '61/61.71/300/' at a unit."""


def scope_of_path(path: str) -> str | int | None:
    """The government code or the unit id a path ends at; None for a malformed path."""
    segments = [segment for segment in path.split("/") if segment]
    if not segments or not path.endswith("/"):
        return None
    last = segments[-1]
    return int(last) if last.isdigit() and len(segments) > 1 else last


def unit_depth(path: str) -> int:
    """How many unit levels a path goes below its government: 0 for a government, 1 for its
    root unit, 2 for an agency, 3 and more for eselon units."""
    segments = [segment for segment in path.split("/") if segment]
    return sum(1 for segment in segments[1:] if segment.isdigit())


def coarse_enough(paths: tuple[str, ...] | None) -> bool:
    """Whether scopes can be served by per-agency aggregates: none is finer than an agency."""
    return paths is None or all(unit_depth(path) <= 2 for path in paths)


def province_code(path: str) -> str:
    """The code of the province any hierarchy path lies in: '61/61.71/300/' -> '61'."""
    return path.split("/", 1)[0]


def province_path(government_path: str) -> str:
    """The province a government path lies in: '61/61.71/' -> '61/'."""
    return province_code(government_path) + "/"


def government_path_of_code(code: str) -> str:
    """The path of a government from its Kemendagri code: '61' → '61/', '61.71' → '61/61.71/'.
    Lets a resolver decide a permission before it reads anything (a root field that fails after
    its siblings started their SQL has them cancelled mid-statement)."""
    province = code.split(".", 1)[0]
    return f"{province}/" if code == province else f"{province}/{code}/"

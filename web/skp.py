"""SKP (pages, PermenPANRB 6/2022): the employee's SKP of the year with its RHK, drafted here
(an RHK added under one of the superior's RHK with its targets per aspect, or removed; a unit
head's RHK come from the signed Perjanjian Kinerja); the superior's subordinates, each SKP agreed
or rated (behaviour, and results but for unit heads, whose results are the unit's rating); and
the perangkat daerah's distribution of predikat against the caps, finalised by its head. Every
write is DraftSkp, AgreeSkp, AssessSkp or FinaliseRatingDistribution; their userErrors show
above, and beside the field of the RHK being added."""

import re
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from domain.personnel import UNIT_HEADS
from domain.skp import PREDIKAT_NAMES, Aspect
from schema.context import today
from web.entry import parse_number
from web.figures import YEARS
from web.graphql import PageGraphQL, UserError
from web.rendering import page, refused, see_other
from web.sessions import PageUser, Sessions

STATES = {"DRAFT": "Draf", "AGREED": "Disetujui atasan", "ASSESSED": "Dinilai", "FINAL": "Final"}
EXPECTATIONS = {"BELOW": "Di bawah ekspektasi", "AS_EXPECTED": "Sesuai ekspektasi", "ABOVE": "Di atas ekspektasi"}
ASPECTS = {Aspect.KUANTITAS.value: "Kuantitas", Aspect.KUALITAS.value: "Kualitas", Aspect.WAKTU.value: "Waktu",
           Aspect.BIAYA.value: "Biaya"}  # fmt: skip
HEAD_KINDS = {kind.value for kind in UNIT_HEADS}
PREDIKAT = {rating.value: name for rating, name in PREDIKAT_NAMES.items()}
MESSAGES = {"disusun": "Draf SKP tersimpan.", "disetujui": "SKP disetujui: RHK dan targetnya kini tetap.",
            "dinilai": "Penilaian SKP tersimpan.", "final": "Predikat tahun ini final: SKP dibekukan."}  # fmt: skip
NEW_AT = re.compile(r"^rhk\.(\d+)\.(description|parentId|targets\.(\d+)\.(\w+))$")


def _year(values: Any) -> int:
    given = str(values.get("tahun", ""))
    return int(given) if given.isdigit() and int(given) in YEARS else today().year


async def form(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    year = _year(request.query_params)
    return await _show(graphql, request, user, year, message=MESSAGES.get(request.query_params.get("pesan", "")))


async def _show(
    graphql: PageGraphQL,
    request: Request,
    user: PageUser,
    year: int,
    *,
    message: str | None = None,
    errors: list[UserError] | None = None,
    posted: FormData | None = None,
    new_at: int | None = None,
    aspects_sent: list[str] | None = None,
) -> Response:
    me = (await graphql.run(request, user.viewer, "SkpPage", {"year": year})).data["myEmployee"]
    team: list[dict[str, Any]] = []
    distribution = None
    agency = None
    if me and me["position"]:
        position = me["position"]
        scope = position["orgUnit"]["id"]
        found = (await graphql.run(request, user.viewer, "SkpTeam", {"scope": scope, "year": year})).data
        team = [e for e in found["employees"] if (e["position"] or {}).get("superiorId") == position["id"]]
        agency = _agency(position["orgUnit"])
        if agency and position["kind"] in HEAD_KINDS:
            variables = {"unit": agency["id"], "year": year}
            distribution = (await graphql.run(request, user.viewer, "SkpDistribution", variables)).data[
                "ratingDistribution"
            ]
    placed, general = _placed(errors or [], new_at, aspects_sent or [])
    return page(
        request, user, "skp.html", status_code=400 if errors else 200, me=me, skp=(me or {}).get("skp"), year=year,
        team=team, agency=agency, distribution=distribution, states=STATES, expectations=EXPECTATIONS,
        aspects=ASPECTS, head_kinds=HEAD_KINDS, predikat=PREDIKAT, message=message, placed=placed, general=general,
        posted=posted,
    )  # fmt: skip


def _agency(unit: dict[str, Any] | None) -> dict[str, Any] | None:
    """The perangkat daerah a unit lies in (itself or an ancestor up to two levels above)."""
    while unit is not None:
        if unit["kind"] == "PERANGKAT_DAERAH":
            return unit
        unit = unit.get("parent")
    return None


def _placed(
    errors: list[UserError], new_at: int | None, aspects_sent: list[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """Errors of the RHK being added beside its fields; all of them above the form as well."""
    placed: dict[str, list[str]] = {}
    for error in errors:
        found = NEW_AT.match(error.field or "")
        if not found or new_at is None or int(found.group(1)) != new_at:
            continue
        if found.group(3) is not None and int(found.group(3)) < len(aspects_sent):
            name = f"{found.group(4)}_{aspects_sent[int(found.group(3))]}"
        else:
            name = {"description": "uraian", "parentId": "atasan"}.get(found.group(2), "uraian")
        placed.setdefault(name, []).append(error.message)
    return placed, [e.message for e in errors]


def _kept(rhk: dict[str, Any]) -> dict[str, Any]:
    """An RHK of the draft as draftSkp's input, kept as it is."""
    return {
        "id": rhk["id"], "description": rhk["description"], "parentId": (rhk["parent"] or {}).get("id"),
        "indicatorId": rhk["indicators"][0]["id"] if rhk["indicators"] else None,
        "targets": [{k: t[k] for k in ("aspect", "indicator", "target", "unitOfMeasure")} for t in rhk["targets"]],
    }  # fmt: skip


def _new_rhk(posted: FormData, at: int) -> tuple[dict[str, Any], list[str], list[UserError]]:
    """The RHK typed in the form, with a target for each aspect whose indicator or target is
    filled (the aspects in the order sent, so that `rhk.{at}.targets.N` names its field), and
    the targets that are no number, refused before they are sent."""
    targets: list[dict[str, str]] = []
    aspects: list[str] = []
    invalid: list[UserError] = []
    for aspect in ASPECTS:
        fields = {name: str(posted.get(f"{name}_{aspect}", "")).strip() for name in ("indicator", "target", "unit")}
        if not (fields["indicator"] or fields["target"]):
            continue
        where = f"rhk.{at}.targets.{len(targets)}.target"
        value = parse_number(fields["target"])
        if value is None:
            message = f"Target {ASPECTS[aspect]} berupa angka, mis. 12 atau 99,5."
            invalid.append(UserError("INVALID_VALUE", where, message))
        aspects.append(aspect)
        targets.append(
            {"aspect": aspect, "indicator": fields["indicator"], "target": str(value or 0),
             "unitOfMeasure": fields["unit"]}
        )  # fmt: skip
    rhk = {"description": str(posted.get("uraian", "")), "parentId": str(posted.get("atasan", "")) or None,
           "targets": targets}  # fmt: skip
    return rhk, aspects, invalid


async def act(graphql: PageGraphQL, sessions: Sessions, request: Request, user: PageUser) -> Response:
    posted = await request.form()
    year = _year(posted)
    action = posted.get("aksi")
    new_at: int | None = None
    aspects: list[str] = []
    if action in ("tambah", "hapus", "susun"):
        me = (await graphql.run(request, user.viewer, "SkpPage", {"year": year})).data["myEmployee"]
        if not me:
            return refused(request, user, "Akun Anda tidak terhubung dengan data pegawai.")
        skp = me["skp"]
        rhk = [_kept(r) for r in (skp or {}).get("rhk", []) if r["id"] != posted.get("rhk")]
        invalid: list[UserError] = []
        if action == "tambah":
            new_at = len(rhk)
            added, aspects, invalid = _new_rhk(posted, new_at)
            rhk.append(added)
        draft = {"year": year, "rhk": rhk, "expectedVersion": skp["version"] if skp else None}
        errors = invalid or await graphql.mutate(request, user.viewer, "DraftSkp", {"input": draft})
        done = "disusun"
    elif action == "setujui":
        variables = {"skp": str(posted.get("skp", "")), "version": _int(posted.get("versi"))}
        errors = await graphql.mutate(request, user.viewer, "AgreeSkp", variables)
        done = "disetujui"
    elif action == "nilai":
        assessed = {
            "skpId": str(posted.get("skp", "")),
            "expectedVersion": _int(posted.get("versi")),
            "behaviour": str(posted.get("perilaku", "")),
            "results": str(posted.get("hasil", "")) or None,
        }
        if assessed["behaviour"] not in EXPECTATIONS or assessed["results"] not in (None, *EXPECTATIONS):
            errors = [UserError("REQUIRED", "behaviour", "Pilih rating perilaku kerja (dan hasil kerja).")]
        else:
            errors = await graphql.mutate(request, user.viewer, "AssessSkp", {"input": assessed})
        done = "dinilai"
    elif action == "finalkan":
        variables = {"unit": str(posted.get("unit", "")), "year": year}
        errors = await graphql.mutate(request, user.viewer, "FinaliseRatingDistribution", variables)
        done = "final"
    else:
        return refused(request, user, "Tindakan tidak dikenal.")
    if errors:
        return await _show(
            graphql, request, user, year, errors=errors, posted=posted, new_at=new_at, aspects_sent=aspects
        )
    return see_other(f"/skp?tahun={year}&pesan={done}")


def _int(value: object) -> int:
    text = str(value or "")
    return int(text) if text.isdigit() else 0

"""The SAKIP evaluation sheet (LKE, Lembar Kriteria Evaluasi; PermenPANRB 88/2021, earlier
12/2015): an evaluation model of components → sub-components → criteria, the answer scales, the
score, the grade (predikat) and the logic rules between criteria (kerangka logis).

Scores are exact (fractions) until the end: a sub-component of weight 6 with 7 criteria all
answered A scores 6, not 7 × round(6/7, 2) = 6,02 (sakip-wave2.md W6). Only the displayed
figures are rounded, half up to two decimals; the total is the rounded exact sum, never the sum
of rounded components.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from domain.errors import DomainError, DomainErrors

PLACES = Decimal("0.01")
HUNDRED = Fraction(100)
HUNDRED_PERCENT = Decimal(100)
MAX_NOTE = 4000


class Scale(Enum):
    """How a criterion is answered (sakip-wave2.md §3.2)."""

    YES_NO = "YES_NO"  # Y 1 / T 0
    A_E = "A_E"  # 1 / 0,75 / 0,5 / 0,25 / 0
    A_D = "A_D"  # 1 / 0,66 / 0,33 / 0 (kke's values, as the source gives them)
    AA_E = "AA_E"  # 100 / 90 / 80 / 70 / 60 / 50 / 30 / 0, read as a share of 100
    CUSTOM = "CUSTOM"  # options with their own values (wp-eval "nilai dinamis")


@dataclass(frozen=True)
class Option:
    answer: str
    label: str
    value: Fraction  # 0..1 of the criterion for the fixed scales; points for a SUM sub-component


def _options(*items: tuple[str, str, str]) -> tuple[Option, ...]:
    return tuple(Option(answer, label, Fraction(value)) for answer, label, value in items)


STANDARD_OPTIONS: Mapping[Scale, tuple[Option, ...]] = {
    Scale.YES_NO: _options(("Y", "Ya", "1"), ("T", "Tidak", "0")),
    Scale.A_E: _options(
        ("A", "Sangat memadai", "1"),
        ("B", "Memadai", "0.75"),
        ("C", "Cukup memadai", "0.5"),
        ("D", "Kurang memadai", "0.25"),
        ("E", "Tidak memadai", "0"),
    ),
    Scale.A_D: _options(("A", "Sangat baik", "1"), ("B", "Baik", "0.66"), ("C", "Cukup", "0.33"), ("D", "Kurang", "0")),
    Scale.AA_E: _options(
        ("AA", "Seluruhnya terpenuhi, berkelanjutan 5 tahun", "1"),
        ("A", "Seluruhnya terpenuhi", "0.9"),
        ("BB", "Terpenuhi sesuai mandat nasional", "0.8"),
        ("B", "Terpenuhi > 75–100 %", "0.7"),
        ("CC", "Terpenuhi > 50–75 %", "0.6"),
        ("C", "Terpenuhi > 25–50 %", "0.5"),
        ("D", "Terpenuhi > 0–25 %", "0.3"),
        ("E", "Tidak ada upaya", "0"),
    ),
}


class Aspect(Enum):
    """What a sub-component asks (88/2021: existence 20 %, quality 30 %, use 50 %)."""

    EXISTENCE = "EXISTENCE"  # keberadaan
    QUALITY = "QUALITY"  # kualitas
    USE = "USE"  # pemanfaatan
    RESULTS = "RESULTS"  # capaian kinerja (12/2015's fifth component)


class Scoring(Enum):
    MEAN = "MEAN"  # weight × weighted mean of the answers' values
    SUM = "SUM"  # the sum of the chosen options' points (custom scales)


class Verifier(Enum):
    """The agency that verifies a criterion's evidence (kke routes each item to one)."""

    BAPPEDA = "BAPPEDA"
    ORGANISASI = "ORGANISASI"  # Biro/Bagian Organisasi
    INSPEKTORAT = "INSPEKTORAT"


class ComputedSource(Enum):
    """Criteria the platform answers from its own data, as a proposal the assessor may override."""

    UNITS_WITH_AGREEMENT = "UNITS_WITH_AGREEMENT"  # share of units with a signed PK of the year
    IKU_IN_AGREEMENT = "IKU_IN_AGREEMENT"  # share of IKU that appear in a signed PK of the year
    REPORTING_ON_TIME = "REPORTING_ON_TIME"  # share of the year's reports submitted on time
    LKJIP_ON_TIME = "LKJIP_ON_TIME"  # the LKjIP signed by its deadline
    RECOMMENDATIONS_FOLLOWED_UP = "RECOMMENDATIONS_FOLLOWED_UP"  # last year's, completed


@dataclass(frozen=True)
class Criterion:
    code: str
    text: str
    scale: Scale
    options: tuple[Option, ...]
    weight: Fraction
    verifier: Verifier
    computed: ComputedSource | None

    def option(self, answer: str) -> Option:
        for option in self.options:
            if option.answer == answer:
                return option
        allowed = ", ".join(option.answer for option in self.options)
        raise DomainError("INVALID_ANSWER", f"Jawaban kriteria {self.code} harus salah satu dari: {allowed}.")


@dataclass(frozen=True)
class SubComponent:
    code: str
    name: str
    weight: Fraction
    aspect: Aspect | None
    scoring: Scoring
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Component:
    code: str
    name: str
    weight: Fraction
    sub_components: tuple[SubComponent, ...]


class RuleKind(Enum):
    CRITERION = "CRITERION"  # may not score above another criterion (wp-eval type 2)
    SUBCOMPONENT_MEAN = "SUBCOMPONENT_MEAN"  # may not score above a sub-component's mean (type 1)


@dataclass(frozen=True)
class LogicRule:
    criterion: str
    kind: RuleKind
    comparator: str
    message: str


@dataclass(frozen=True)
class Model:
    code: str
    name: str
    legal_basis: str
    components: tuple[Component, ...]
    rules: tuple[LogicRule, ...]

    @property
    def criteria(self) -> dict[str, Criterion]:
        return {c.code: c for comp in self.components for sub in comp.sub_components for c in sub.criteria}

    def sub_component(self, code: str) -> SubComponent | None:
        return next((s for c in self.components for s in c.sub_components if s.code == code), None)


def _fraction(value: Any, field: str) -> Fraction:
    try:
        parsed = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise DomainError("MODEL_INVALID", f"{field}: bobot bukan angka.", field) from None
    if parsed < 0:
        raise DomainError("MODEL_INVALID", f"{field}: bobot tidak boleh negatif.", field)
    return parsed


def _criterion(raw: Mapping[str, Any], default_scale: Scale, verifier: Verifier, field: str) -> Criterion:
    scale = Scale(raw.get("scale", default_scale.value))
    if scale is Scale.CUSTOM:
        options = tuple(
            Option(str(o["answer"]), str(o["label"]), _fraction(o["value"], f"{field}.options.{i}"))
            for i, o in enumerate(raw.get("options", []))
        )
        if len(options) < 2 or len({o.answer for o in options}) != len(options):
            raise DomainError(
                "MODEL_INVALID", f"{field}: skala khusus perlu dua pilihan atau lebih yang berbeda.", field
            )
    else:
        options = STANDARD_OPTIONS[scale]
    computed = raw.get("computed")
    return Criterion(
        code=str(raw["code"]),
        text=str(raw["text"]),
        scale=scale,
        options=options,
        weight=_fraction(raw.get("weight", 1), f"{field}.weight"),
        verifier=Verifier(raw.get("verifier", verifier.value)),
        computed=ComputedSource(computed) if computed else None,
    )


def parse_model(definition: Mapping[str, Any]) -> Model:
    """A model from its stored definition (data/lke/*.json), checked: weights of the components
    total 100, each component's sub-components total its weight, codes are unique, a SUM
    sub-component's best answers total its weight, and every rule names what exists."""
    errors: list[DomainError] = []
    default_scale = Scale(definition.get("defaultScale", Scale.A_E.value))
    components = []
    for ci, raw_component in enumerate(definition["components"]):
        verifier = Verifier(raw_component.get("verifier", Verifier.INSPEKTORAT.value))
        subs = []
        for si, raw_sub in enumerate(raw_component["subComponents"]):
            field = f"components.{ci}.subComponents.{si}"
            criteria = tuple(
                _criterion(raw, default_scale, verifier, f"{field}.criteria.{i}")
                for i, raw in enumerate(raw_sub["criteria"])
            )
            sub = SubComponent(
                code=str(raw_sub["code"]),
                name=str(raw_sub["name"]),
                weight=_fraction(raw_sub["weight"], f"{field}.weight"),
                aspect=Aspect(raw_sub["aspect"]) if raw_sub.get("aspect") else None,
                scoring=Scoring(raw_sub.get("scoring", Scoring.MEAN.value)),
                criteria=criteria,
            )
            if not criteria:
                errors.append(DomainError("MODEL_INVALID", f"Subkomponen {sub.code} tanpa kriteria.", field))
            elif sub.scoring is Scoring.MEAN and sum(c.weight for c in criteria) == 0:
                errors.append(DomainError("MODEL_INVALID", f"Bobot kriteria subkomponen {sub.code} nol.", field))
            elif sub.scoring is Scoring.SUM and sum(max(o.value for o in c.options) for c in criteria) != sub.weight:
                errors.append(
                    DomainError(
                        "MODEL_INVALID", f"Nilai tertinggi subkomponen {sub.code} tidak sama dengan bobotnya.", field
                    )
                )
            subs.append(sub)
        component = Component(
            code=str(raw_component["code"]),
            name=str(raw_component["name"]),
            weight=_fraction(raw_component["weight"], f"components.{ci}.weight"),
            sub_components=tuple(subs),
        )
        if sum(s.weight for s in subs) != component.weight:
            errors.append(
                DomainError(
                    "MODEL_INVALID",
                    f"Bobot subkomponen {component.code} tidak berjumlah {_shown(component.weight)}.",
                    f"components.{ci}",
                )
            )
        components.append(component)
    if sum(c.weight for c in components) != HUNDRED:
        errors.append(DomainError("MODEL_INVALID", "Bobot komponen tidak berjumlah 100.", "components"))
    model = Model(
        code=str(definition["code"]),
        name=str(definition["name"]),
        legal_basis=str(definition.get("legalBasis", "")),
        components=tuple(components),
        rules=tuple(
            LogicRule(str(r["criterion"]), RuleKind(r["kind"]), str(r["comparator"]), str(r["message"]))
            for r in definition.get("logicRules", [])
        ),
    )
    codes = [c.code for comp in components for s in comp.sub_components for c in s.criteria]
    if len(set(codes)) != len(codes):
        errors.append(DomainError("MODEL_INVALID", "Kode kriteria berulang.", "components"))
    known = model.criteria
    for i, rule in enumerate(model.rules):
        comparator_exists = (
            rule.comparator in known if rule.kind is RuleKind.CRITERION else model.sub_component(rule.comparator)
        )
        if rule.criterion not in known or not comparator_exists:
            errors.append(
                DomainError(
                    "MODEL_INVALID", "Aturan kerangka logis menyebut kriteria yang tidak ada.", f"logicRules.{i}"
                )
            )
    if errors:
        raise DomainErrors(errors)
    return model


def rounded(value: Fraction) -> Decimal:
    """Two decimals, half up: only what is shown is rounded."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(PLACES, rounding=ROUND_HALF_UP)


def _shown(value: Fraction) -> str:
    return f"{rounded(value):f}".replace(".", ",")


@dataclass(frozen=True)
class SubScore:
    code: str
    weight: Fraction
    score: Fraction
    answered: int
    criteria: int


@dataclass(frozen=True)
class ComponentScore:
    code: str
    weight: Fraction
    score: Fraction
    sub_components: tuple[SubScore, ...]


@dataclass(frozen=True)
class Score:
    exact: Fraction
    components: tuple[ComponentScore, ...]
    answered: int
    criteria: int

    @property
    def total(self) -> Decimal:
        return rounded(self.exact)

    @property
    def complete(self) -> bool:
        return self.answered == self.criteria

    @property
    def grade(self) -> "Grade":
        return grade_of(self.total)


def _sub_score(sub: SubComponent, answers: Mapping[str, str]) -> SubScore:
    values = {c.code: c.option(answers[c.code]).value for c in sub.criteria if c.code in answers}
    if sub.scoring is Scoring.SUM:
        score = sum(values.values(), Fraction(0))
    else:
        # An unanswered criterion counts 0: a score never rises by leaving a criterion out.
        weighted = sum((c.weight * values.get(c.code, Fraction(0)) for c in sub.criteria), Fraction(0))
        score = sub.weight * weighted / sum(c.weight for c in sub.criteria)
    return SubScore(sub.code, sub.weight, score, len(values), len(sub.criteria))


def score(model: Model, answers: Mapping[str, str]) -> Score:
    """Sub-component = weight × mean of the answers' values (criteria weigh equally unless set)
    or the sum of custom points; component = Σ sub-components; total = Σ components (0–100).
    `answers` maps criterion codes to answers already checked against their scales."""
    components = []
    for component in model.components:
        subs = tuple(_sub_score(sub, answers) for sub in component.sub_components)
        components.append(
            ComponentScore(component.code, component.weight, sum((s.score for s in subs), Fraction(0)), subs)
        )
    return Score(
        exact=sum((c.score for c in components), Fraction(0)),
        components=tuple(components),
        answered=sum(s.answered for c in components for s in c.sub_components),
        criteria=sum(s.criteria for c in components for s in c.sub_components),
    )


class Grade(Enum):
    """Predikat of an evaluation (design.md; t-SEMAR's interpretation table)."""

    AA = "AA"
    A = "A"
    BB = "BB"
    B = "B"
    CC = "CC"
    C = "C"
    D = "D"


GRADE_LABELS = {
    Grade.AA: "Sangat Memuaskan",
    Grade.A: "Memuaskan",
    Grade.BB: "Sangat Baik",
    Grade.B: "Baik",
    Grade.CC: "Cukup (Memadai)",
    Grade.C: "Kurang",
    Grade.D: "Sangat Kurang",
}
# "> lower, ≤ upper": a score on a boundary takes the lower grade (60,00 is CC, 60,01 is B).
GRADE_BANDS = (
    (Decimal(90), Grade.AA),
    (Decimal(80), Grade.A),
    (Decimal(70), Grade.BB),
    (Decimal(60), Grade.B),
    (Decimal(50), Grade.CC),
    (Decimal(30), Grade.C),
)


def grade_of(total: Decimal) -> Grade:
    """The grade of a total as shown (two decimals): the rounded figure is the one people read."""
    shown = total.quantize(PLACES, rounding=ROUND_HALF_UP)
    for lower, grade in GRADE_BANDS:
        if shown > lower:
            return grade
    return Grade.D


def graded(total: Decimal, answered: int, criteria: int) -> Grade | None:
    """An evaluation's grade: only once every criterion has an answer (the assessor's, or else the
    unit's own); before that a total is not a score of the whole sheet."""
    return grade_of(total) if answered == criteria else None


def counted_answer(self_answer: str | None, assessor_answer: str | None) -> str | None:
    """What the score counts for a criterion: the assessor's answer once given, the unit's own
    until then (t-SEMAR, wp-eval: nilai penetapan over nilai usulan)."""
    return assessor_answer if assessor_answer is not None else self_answer


class Side(Enum):
    SELF = "SELF"  # penilaian mandiri of the evaluated unit
    ASSESSOR = "ASSESSOR"  # the evaluator's


@dataclass(frozen=True)
class Warning:
    criterion: str
    comparator: str
    message: str
    side: Side


def _mean(sub: SubComponent, answers: Mapping[str, str]) -> Fraction | None:
    values = [c.option(answers[c.code]).value for c in sub.criteria if c.code in answers]
    return sum(values, Fraction(0)) / len(values) if values else None


def logic_warnings(model: Model, answers: Mapping[str, str], side: Side) -> list[Warning]:
    """Rules broken by one side's answers: a criterion scored above its prerequisite (W7:
    "Renja disusun" Y while "Renstra disusun" T → "SALAH dokumen RENSTRA tidak ada"). A rule
    is checked only when both sides of it are answered."""
    criteria = model.criteria
    found = []
    for rule in model.rules:
        answer = answers.get(rule.criterion)
        if answer is None:
            continue
        value = criteria[rule.criterion].option(answer).value
        if rule.kind is RuleKind.CRITERION:
            other = answers.get(rule.comparator)
            limit = criteria[rule.comparator].option(other).value if other is not None else None
        else:
            sub = model.sub_component(rule.comparator)
            limit = _mean(sub, answers) if sub is not None else None
        if limit is not None and value > limit:
            found.append(Warning(rule.criterion, rule.comparator, rule.message, side))
    return found


def check_note(note: str | None, field: str) -> str:
    cleaned = (note or "").strip()
    if len(cleaned) > MAX_NOTE:
        raise DomainError("TEXT_TOO_LONG", f"Catatan paling banyak {MAX_NOTE} karakter.", field)
    return cleaned


# A share of what the platform counts → an A–E answer (wp-eval's bands for "the PK presents
# the objective indicators": > 95 % A, 80–95 B, 50–80 C, 10–50 D, < 10 E).
SHARE_BANDS = ((Decimal(95), "A", False), (Decimal(80), "B", True), (Decimal(50), "C", True), (Decimal(10), "D", True))


def answer_for_share(percent: Decimal, scale: Scale) -> str:
    """The proposed answer for a computed share, on the criterion's scale."""
    if scale is Scale.YES_NO:
        return "Y" if percent >= HUNDRED_PERCENT else "T"
    for lower, answer, inclusive in SHARE_BANDS:
        if percent > lower or (inclusive and percent == lower):
            return answer
    return "E"


@dataclass(frozen=True)
class Computed:
    """A criterion's figure from the platform's data and the answer it proposes."""

    value: Decimal | None  # a percentage; None when nothing was there to count
    proposed: str | None
    explanation: str


def on_time_answer(on_time: bool | None, scale: Scale) -> str:
    """A document due by a date: on time A (Y), late C (T), missing E (T)."""
    if scale is Scale.YES_NO:
        return "Y" if on_time else "T"
    return "A" if on_time else ("C" if on_time is False else "E")


def checked_answers(model: Model, given: Sequence[tuple[str, str]], field: str) -> dict[str, str]:
    """Answers named by criterion code, each on its criterion's scale, no code twice; every
    error reported with its position."""
    criteria = model.criteria
    errors: list[DomainError] = []
    answers: dict[str, str] = {}
    for index, (code, answer) in enumerate(given):
        at = f"{field}.{index}"
        criterion = criteria.get(code.strip())
        if criterion is None:
            errors.append(
                DomainError(
                    "UNKNOWN_CRITERION", f"Kriteria {code} tidak ada dalam model evaluasi.", f"{at}.criterionCode"
                )
            )
            continue
        if criterion.code in answers:
            errors.append(
                DomainError("DUPLICATE_CRITERION", f"Kriteria {code} tercantum dua kali.", f"{at}.criterionCode")
            )
            continue
        try:
            answers[criterion.code] = criterion.option(answer.strip().upper()).answer
        except DomainError as error:
            errors.append(error.at(f"{at}.answer"))
    if errors:
        raise DomainErrors(errors)
    return answers

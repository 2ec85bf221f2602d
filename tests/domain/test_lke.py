"""The SAKIP evaluation sheet's rules with the worked examples of sakip-wave2.md and design.md."""

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from domain.errors import DomainError, DomainErrors
from domain.lke import (
    Grade,
    Scale,
    Side,
    answer_for_share,
    checked_answers,
    counted_answer,
    grade_of,
    graded,
    logic_warnings,
    on_time_answer,
    parse_model,
    score,
)
from domain.lke_stages import (
    Readiness,
    Schedule,
    Stage,
    check_advance,
    check_final,
    check_quality_approval,
    evaluator_may_advance,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "lke"


def _shipped(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


MODEL_88 = parse_model(_shipped("permenpanrb-88-2021"))
MODEL_12 = parse_model(_shipped("permenpanrb-12-2015"))


def test_the_88_2021_model_ships_its_weights_and_80_criteria() -> None:
    weights = {c.name: c.weight for c in MODEL_88.components}
    assert weights == {
        "Perencanaan Kinerja": 30,
        "Pengukuran Kinerja": 30,
        "Pelaporan Kinerja": 15,
        "Evaluasi Akuntabilitas Kinerja Internal": 25,
    }
    for component in MODEL_88.components:
        shares = [sub.weight / component.weight for sub in component.sub_components]
        assert shares == [Fraction(1, 5), Fraction(3, 10), Fraction(1, 2)], component.name  # 20 / 30 / 50 %
    assert len(MODEL_88.criteria) == 80


def test_the_12_2015_model_has_five_components() -> None:
    assert [c.weight for c in MODEL_12.components] == [30, 25, 15, 10, 20]


def test_seven_criteria_all_answered_a_score_exactly_the_sub_component_weight() -> None:
    # W6: kke rounds each criterion's weight (round(6/7, 2) × 7 = 6,02); the platform does not.
    answers = {f"1.a.{i}": "A" for i in range(1, 8)}
    result = score(MODEL_88, answers)
    planning = result.components[0]
    assert planning.sub_components[0].score == 6
    assert result.total == Decimal("6.00")
    assert not result.complete and result.answered == 7


def test_all_a_scores_100_and_unanswered_criteria_count_zero() -> None:
    assert score(MODEL_88, dict.fromkeys(MODEL_88.criteria, "A")).total == Decimal("100.00")
    assert score(MODEL_88, {}).total == Decimal("0.00")


def test_the_total_is_the_rounded_exact_sum_not_the_sum_of_rounded_components() -> None:
    # One B (0,75) in each 7-criterion sub-component: 6 × 6,75/7 = 5,7857…; rounded late.
    answers = dict.fromkeys(MODEL_88.criteria, "A")
    answers["1.a.1"] = "B"
    result = score(MODEL_88, answers)
    assert result.components[0].sub_components[0].score == Fraction(6) * Fraction(27, 4) / 7
    assert result.total == Decimal("99.79")  # 100 − 6/28 = 99,7857…


def test_jambi_2017_scored_58_3_is_cc() -> None:
    assert grade_of(Decimal("58.3")) is Grade.CC


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", Grade.AA),
        ("90.01", Grade.AA),
        ("90.00", Grade.A),
        ("80.01", Grade.A),
        ("80.00", Grade.BB),
        ("70.01", Grade.BB),
        ("70.00", Grade.B),
        ("60.01", Grade.B),
        ("60.00", Grade.CC),
        ("50.01", Grade.CC),
        ("50.00", Grade.C),
        ("30.01", Grade.C),
        ("30.00", Grade.D),
        ("0", Grade.D),
        ("60.004", Grade.CC),  # graded as shown: 60,00
        ("60.005", Grade.B),  # shown 60,01
    ],
)
def test_every_band_edge_takes_the_lower_grade(total: str, grade: Grade) -> None:
    assert grade_of(Decimal(total)) is grade


def test_an_answer_outside_the_scale_is_refused_with_its_position() -> None:
    with pytest.raises(DomainErrors) as raised:
        checked_answers(MODEL_88, [("1.a.1", "A"), ("1.a.2", "Y"), ("9.z.9", "A"), ("1.a.1", "B")], "answers")
    assert [(e.code, e.field) for e in raised.value.errors] == [
        ("INVALID_ANSWER", "answers.1.answer"),
        ("UNKNOWN_CRITERION", "answers.2.criterionCode"),
        ("DUPLICATE_CRITERION", "answers.3.criterionCode"),
    ]
    assert checked_answers(MODEL_12, [("1.a.1", " y ")], "answers") == {"1.a.1": "Y"}


def test_w7_renja_above_renstra_is_flagged_on_each_side() -> None:
    flagged = logic_warnings(MODEL_12, {"1.d.1": "Y", "1.a.1": "T"}, Side.SELF)
    assert [(w.criterion, w.message, w.side) for w in flagged] == [
        ("1.d.1", "SALAH dokumen RENSTRA tidak ada", Side.SELF)
    ]
    assert logic_warnings(MODEL_12, {"1.d.1": "Y", "1.a.1": "Y"}, Side.ASSESSOR) == []
    assert logic_warnings(MODEL_12, {"1.d.1": "Y"}, Side.ASSESSOR) == []  # the prerequisite not answered yet


def test_a_rule_against_a_sub_component_mean() -> None:
    answers = {"1.c.1": "A", "1.b.1": "B", "1.b.2": "C"}  # mean of 1.b = 0,625 < 1
    assert [w.comparator for w in logic_warnings(MODEL_88, answers, Side.ASSESSOR)] == ["1.b"]


@pytest.mark.parametrize(
    ("share", "answer"),
    [
        ("100", "A"),
        ("95.01", "A"),
        ("95", "B"),
        ("80", "B"),
        ("79.99", "C"),
        ("50", "C"),
        ("10", "D"),
        ("9.99", "E"),
        ("0", "E"),
    ],
)
def test_a_computed_share_proposes_an_answer_by_the_bands(share: str, answer: str) -> None:
    assert answer_for_share(Decimal(share), Scale.A_E) == answer


def test_on_time_documents_propose_a_late_c_missing_e() -> None:
    assert [on_time_answer(v, Scale.A_E) for v in (True, False, None)] == ["A", "C", "E"]
    assert [on_time_answer(v, Scale.YES_NO) for v in (True, False, None)] == ["Y", "T", "T"]


def test_custom_options_sum_to_the_sub_component_weight() -> None:
    definition = {
        "code": "X",
        "name": "X",
        "components": [
            {
                "code": "1",
                "name": "Satu",
                "weight": "100",
                "subComponents": [
                    {
                        "code": "1.a",
                        "name": "Dinamis",
                        "weight": "100",
                        "scoring": "SUM",
                        "criteria": [
                            {
                                "code": "1.a.1",
                                "text": "t",
                                "scale": "CUSTOM",
                                "options": [
                                    {"answer": "P", "label": "Penuh", "value": "60"},
                                    {"answer": "S", "label": "Sebagian", "value": "25"},
                                    {"answer": "N", "label": "Tidak", "value": "0"},
                                ],
                            },
                            {
                                "code": "1.a.2",
                                "text": "t",
                                "scale": "CUSTOM",
                                "options": [
                                    {"answer": "P", "label": "Penuh", "value": "40"},
                                    {"answer": "N", "label": "Tidak", "value": "0"},
                                ],
                            },
                        ],
                    }
                ],
            }
        ],
    }
    model = parse_model(definition)
    assert score(model, {"1.a.1": "S", "1.a.2": "P"}).total == Decimal("65.00")
    definition["components"][0]["subComponents"][0]["criteria"][1]["options"][0]["value"] = "30"  # type: ignore[index]
    with pytest.raises(DomainErrors) as raised:
        parse_model(definition)
    assert raised.value.errors[0].code == "MODEL_INVALID"


def test_a_model_whose_weights_do_not_total_100_is_refused() -> None:
    definition = _shipped("permenpanrb-88-2021")
    definition["components"][0]["weight"] = "31"
    with pytest.raises(DomainErrors) as raised:
        parse_model(definition)
    assert {e.code for e in raised.value.errors} == {"MODEL_INVALID"}
    assert len(raised.value.errors) == 2  # the component's subs, and the total


READY = Readiness(0, 0, 0, 0, 0, True, 0)


def test_the_evaluator_advances_stage_by_stage() -> None:
    assert check_advance(Stage.VERIFICATION, Stage.VERIFICATION, READY) is Stage.QUALITY_ASSURANCE
    assert check_advance(Stage.QUALITY_ASSURANCE, Stage.QUALITY_ASSURANCE, READY) is Stage.SCORING
    assert check_advance(Stage.SCORING, Stage.SCORING, READY) is Stage.RESULT_SENT
    for stage, facts, code in [
        (Stage.VERIFICATION, Readiness(0, 0, 2, 0, 0, True, 0), "EVIDENCE_PENDING"),
        (Stage.VERIFICATION, Readiness(0, 0, 0, 1, 0, True, 0), "EVIDENCE_PENDING"),
        (Stage.SCORING, Readiness(0, 3, 0, 0, 0, True, 0), "INCOMPLETE"),
        (Stage.SCORING, Readiness(0, 0, 0, 0, 1, False, 0), "WARNINGS_NOT_ACKNOWLEDGED"),
        (Stage.SELF_ASSESSMENT, READY, "WRONG_STAGE"),
        (Stage.FINAL, READY, "WRONG_STAGE"),
    ]:
        with pytest.raises(DomainError) as raised:
            check_advance(stage, stage, facts)
        assert raised.value.code == code, stage
    with pytest.raises(DomainError) as stale:
        check_advance(Stage.SCORING, Stage.VERIFICATION, READY)
    assert stale.value.code == "STALE_STAGE"


def test_final_needs_every_dispute_answered() -> None:
    check_final(Stage.RESULT_SENT, READY)
    with pytest.raises(DomainError) as raised:
        check_final(Stage.DISPUTED, Readiness(0, 0, 0, 0, 0, True, 1))
    assert raised.value.code == "DISPUTES_OPEN"
    with pytest.raises(DomainError):
        check_final(Stage.SCORING, READY)


def test_quality_assurance_ends_with_every_finding_answered_and_by_the_assurer_where_required() -> None:
    open_finding = Readiness(0, 0, 0, 0, 0, True, 0, open_findings=1)
    with pytest.raises(DomainError) as held:
        check_advance(Stage.QUALITY_ASSURANCE, Stage.QUALITY_ASSURANCE, open_finding)
    assert held.value.code == "QUALITY_FINDINGS_OPEN"
    required = Schedule(date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), quality_assurance_required=True)
    with pytest.raises(DomainError) as skipped:
        check_advance(Stage.QUALITY_ASSURANCE, Stage.QUALITY_ASSURANCE, READY, required)
    assert (skipped.value.code, skipped.value.field) == ("QUALITY_ASSURANCE_REQUIRED", "fromStage")
    # The other stages are the evaluator's whatever the schedule asks of quality assurance.
    assert check_advance(Stage.VERIFICATION, Stage.VERIFICATION, READY, required) is Stage.QUALITY_ASSURANCE
    optional = Schedule(date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31))
    assert evaluator_may_advance(Stage.QUALITY_ASSURANCE, optional) is True
    assert evaluator_may_advance(Stage.QUALITY_ASSURANCE, required) is False
    assert evaluator_may_advance(Stage.SCORING, required) is True
    assert evaluator_may_advance(Stage.RESULT_SENT, optional) is False

    stage = Stage.QUALITY_ASSURANCE
    assert check_quality_approval(stage, stage, READY, "mutu.61", frozenset({"evaluator.61"})) is Stage.SCORING
    for current, facts, assessors, code in [
        (stage, open_finding, frozenset({"evaluator.61"}), "QUALITY_FINDINGS_OPEN"),
        (stage, READY, frozenset({"evaluator.61", "mutu.61"}), "OWN_ASSESSMENT"),
        (Stage.SCORING, READY, frozenset(), "WRONG_STAGE"),
    ]:
        with pytest.raises(DomainError) as refused:
            check_quality_approval(current, current, facts, "mutu.61", assessors)
        assert refused.value.code == code
    with pytest.raises(DomainError) as stale:
        check_quality_approval(Stage.SCORING, stage, READY, "mutu.61", frozenset())
    assert stale.value.code == "STALE_STAGE"


def test_a_schedule_is_ordered() -> None:
    Schedule(date(2026, 2, 1), date(2026, 2, 15), date(2026, 3, 1)).check()
    with pytest.raises(DomainError) as raised:
        Schedule(date(2026, 2, 20), date(2026, 2, 15), date(2026, 3, 1)).check()
    assert raised.value.code == "SCHEDULE_ORDER"
    schedule = Schedule(date(2026, 2, 1), date(2026, 2, 15), date(2026, 3, 1), dispute_days=14)
    assert schedule.due(Stage.RESULT_SENT, date(2026, 3, 10)) == date(2026, 3, 24)


def test_a_verifier_agency_is_due_on_its_own_date_within_the_verification_stage() -> None:
    stages = (date(2026, 2, 1), date(2026, 2, 15), date(2026, 3, 1))
    own = Schedule(*stages, verifier_dues=(("BAPPEDA", date(2026, 2, 10)),))
    own.check()
    assert own.verifier_due("BAPPEDA") == date(2026, 2, 10) and own.verifier_due("INSPEKTORAT") == date(2026, 2, 15)
    assert own.verification_late("BAPPEDA", True, date(2026, 2, 11))
    assert not own.verification_late("BAPPEDA", True, date(2026, 2, 10))  # on the day is in time
    assert not own.verification_late("BAPPEDA", False, date(2026, 2, 11))  # verified: not late
    for edge in (date(2026, 2, 1), date(2026, 2, 15)):  # both ends of the stage are inside it
        Schedule(*stages, verifier_dues=(("ORGANISASI", edge),)).check()
    for outside in (date(2026, 1, 31), date(2026, 2, 16)):
        with pytest.raises(DomainError) as raised:
            Schedule(*stages, verifier_dues=(("ORGANISASI", outside),)).check()
        assert (raised.value.code, raised.value.field) == ("VERIFIER_DUE_OUTSIDE_VERIFICATION", "verifierDues.0.due")
    with pytest.raises(DomainError) as raised:
        Schedule(*stages, verifier_dues=(("BAPPEDA", date(2026, 2, 10)), ("BAPPEDA", date(2026, 2, 12)))).check()
    assert (raised.value.code, raised.value.field) == ("DUPLICATE_VERIFIER", "verifierDues.1")


def test_the_assessors_answer_counts_once_given_and_a_grade_needs_every_criterion() -> None:
    assert counted_answer("B", None) == "B" and counted_answer("B", "C") == "C" and counted_answer(None, None) is None
    assert graded(Decimal("65.71"), 80, 80) is Grade.B
    assert graded(Decimal("65.71"), 79, 80) is None

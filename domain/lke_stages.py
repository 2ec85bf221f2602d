"""The stages of a SAKIP evaluation and what each allows (t-SEMAR's DRAFTING → … → FINAL, kke's
dated stages): the evaluated unit's self-assessment, the verifiers' check of its evidence,
quality assurance, the assessor's final scoring, the result sent to the unit (which may dispute
criteria), and FINAL, frozen in the database like a signed agreement."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from domain.errors import DomainError


class Stage(Enum):
    SELF_ASSESSMENT = "SELF_ASSESSMENT"  # penilaian mandiri
    VERIFICATION = "VERIFICATION"  # verifikasi bukti dukung
    QUALITY_ASSURANCE = "QUALITY_ASSURANCE"  # penjaminan kualitas
    SCORING = "SCORING"  # penilaian akhir
    RESULT_SENT = "RESULT_SENT"  # hasil disampaikan kepada unit yang dievaluasi
    DISPUTED = "DISPUTED"  # sanggahan
    FINAL = "FINAL"


STAGE_NAMES = {
    Stage.SELF_ASSESSMENT: "Penilaian mandiri",
    Stage.VERIFICATION: "Verifikasi",
    Stage.QUALITY_ASSURANCE: "Penjaminan kualitas",
    Stage.SCORING: "Penilaian akhir",
    Stage.RESULT_SENT: "Hasil disampaikan",
    Stage.DISPUTED: "Sanggahan",
    Stage.FINAL: "Final",
}
# What the evaluator's advanceEvaluation moves to; the unit's own steps (submitting its
# self-assessment, disputing) and finalising are actions of their own.
EVALUATOR_STEPS = {
    Stage.VERIFICATION: Stage.QUALITY_ASSURANCE,
    Stage.QUALITY_ASSURANCE: Stage.SCORING,
    Stage.SCORING: Stage.RESULT_SENT,
}
ASSESSING = frozenset({Stage.VERIFICATION, Stage.QUALITY_ASSURANCE, Stage.SCORING})
EVIDENCE_OPEN = frozenset({Stage.SELF_ASSESSMENT, Stage.VERIFICATION})
DEFAULT_DISPUTE_DAYS = 14


VERIFIER_NAMES = {"BAPPEDA": "Bappeda", "ORGANISASI": "Bagian/Biro Organisasi", "INSPEKTORAT": "Inspektorat"}


@dataclass(frozen=True)
class Schedule:
    """Due dates of the stages; the dispute window opens when the result is sent. Each verifier
    agency may have a due date of its own for the evidence routed to it (e.g. Bappeda by the
    15th, the Inspektorat by the end of the verification stage); one not given is due with the
    stage. Where the evaluating government has a quality assurer (penjamin kualitas, the
    Inspektorat's pengendali mutu), `quality_assurance_required` makes the quality assurance
    stage end only by the assurer's approval; otherwise the evaluator may close it."""

    self_assessment_due: date
    verification_due: date
    quality_assurance_due: date
    dispute_days: int = DEFAULT_DISPUTE_DAYS
    verifier_dues: tuple[tuple[str, date], ...] = ()  # (BAPPEDA | ORGANISASI | INSPEKTORAT, due)
    quality_assurance_required: bool = False

    def check(self) -> None:
        if not self.self_assessment_due <= self.verification_due <= self.quality_assurance_due:
            raise DomainError(
                "SCHEDULE_ORDER",
                "Batas waktu harus berurutan: penilaian mandiri, verifikasi, penjaminan kualitas.",
                "verificationDue",
            )
        if not 1 <= self.dispute_days <= 60:
            raise DomainError("INVALID_DISPUTE_DAYS", "Masa sanggah 1 sampai 60 hari.", "disputeDays")
        seen: set[str] = set()
        for index, (verifier, due) in enumerate(self.verifier_dues):
            if verifier in seen:
                raise DomainError(
                    "DUPLICATE_VERIFIER", f"Batas {VERIFIER_NAMES[verifier]} disebut dua kali.", f"verifierDues.{index}"
                )
            seen.add(verifier)
            if not self.self_assessment_due <= due <= self.verification_due:
                raise DomainError(
                    "VERIFIER_DUE_OUTSIDE_VERIFICATION",
                    f"Batas verifikasi {VERIFIER_NAMES[verifier]} harus antara batas penilaian mandiri "
                    f"({self.self_assessment_due.isoformat()}) dan batas verifikasi "
                    f"({self.verification_due.isoformat()}).",
                    f"verifierDues.{index}.due",
                )

    def verifier_due(self, verifier: str) -> date:
        """When the evidence routed to a verifier agency is due to be verified."""
        return dict(self.verifier_dues).get(verifier, self.verification_due)

    def verification_late(self, verifier: str, pending: bool, today: date) -> bool:
        """Evidence still to be verified after its agency's due date (it is not refused: the
        evaluator sees it and may extend)."""
        return pending and today > self.verifier_due(verifier)

    def due(self, stage: Stage, result_sent_on: date | None) -> date | None:
        if stage is Stage.SELF_ASSESSMENT:
            return self.self_assessment_due
        if stage is Stage.VERIFICATION:
            return self.verification_due
        if stage is Stage.QUALITY_ASSURANCE:
            return self.quality_assurance_due
        if stage is Stage.RESULT_SENT and result_sent_on is not None:
            return self.dispute_due(result_sent_on)
        return None

    def dispute_due(self, result_sent_on: date) -> date:
        return result_sent_on + timedelta(days=self.dispute_days)


def require(stage: Stage, allowed: frozenset[Stage] | set[Stage], what: str) -> None:
    if stage not in allowed:
        raise DomainError(
            "WRONG_STAGE", f"{what} tidak dapat dilakukan pada tahap {STAGE_NAMES[stage].lower()}.", "evaluationId"
        )


def require_before(due: date, today: date, what: str) -> None:
    """A step of the evaluated unit after its due date is refused (the evaluator may extend it)."""
    if today > due:
        raise DomainError("DEADLINE_PASSED", f"Batas waktu {what} ({due.isoformat()}) telah lewat.", "evaluationId")


@dataclass(frozen=True)
class Readiness:
    """What a stage's end needs, counted from the evaluation."""

    unanswered_self: int
    unassessed: int
    pending_evidence: int
    rejected_evidence: int
    warnings: int
    warnings_acknowledged: bool
    open_disputes: int
    open_findings: int = 0  # quality assurance findings the assessor has not answered


def assurer_ends(stage: Stage, schedule: Schedule) -> bool:
    """Quality assurance the schedule gives to the assurer: only its approval ends the stage."""
    return stage is Stage.QUALITY_ASSURANCE and schedule.quality_assurance_required


def evaluator_may_advance(stage: Stage, schedule: Schedule) -> bool:
    """Whether advanceEvaluation is the evaluator's step from this stage."""
    return stage in EVALUATOR_STEPS and not assurer_ends(stage, schedule)


def _check_seen(current: Stage, expected: Stage) -> None:
    if current is not expected:
        raise DomainError("STALE_STAGE", f"Evaluasi sudah pada tahap {STAGE_NAMES[current].lower()}.", "fromStage")


def check_advance(current: Stage, expected: Stage, facts: Readiness, schedule: Schedule | None = None) -> Stage:
    """The evaluator's next stage after `current` (which must be the one the caller saw)."""
    _check_seen(current, expected)
    to = EVALUATOR_STEPS.get(current)
    if to is None:
        raise DomainError(
            "WRONG_STAGE", f"Tahap {STAGE_NAMES[current].lower()} tidak dilanjutkan evaluator.", "fromStage"
        )
    if schedule is not None and assurer_ends(current, schedule):
        raise DomainError(
            "QUALITY_ASSURANCE_REQUIRED",
            "Tahap penjaminan kualitas diselesaikan oleh penjamin kualitas (persetujuan penjaminan kualitas).",
            "fromStage",
        )
    if current is Stage.QUALITY_ASSURANCE:
        check_findings_answered(facts)
    if current is Stage.VERIFICATION and (facts.pending_evidence or facts.rejected_evidence):
        raise DomainError(
            "EVIDENCE_PENDING",
            f"{facts.pending_evidence} bukti dukung belum diverifikasi, "
            f"{facts.rejected_evidence} ditolak belum diperbaiki.",
            "evaluationId",
        )
    if current is Stage.SCORING:
        check_result_ready(facts)
    return to


def check_result_ready(facts: Readiness) -> None:
    if facts.unassessed:
        raise DomainError("INCOMPLETE", f"{facts.unassessed} kriteria belum dinilai evaluator.", "evaluationId")
    if facts.warnings and not facts.warnings_acknowledged:
        raise DomainError(
            "WARNINGS_NOT_ACKNOWLEDGED",
            f"{facts.warnings} peringatan kerangka logis belum dikonfirmasi.",
            "evaluationId",
        )


def check_final(current: Stage, facts: Readiness) -> None:
    require(current, {Stage.RESULT_SENT, Stage.DISPUTED}, "Penetapan hasil akhir")
    if facts.open_disputes:
        raise DomainError("DISPUTES_OPEN", f"{facts.open_disputes} sanggahan belum dijawab.", "evaluationId")
    check_result_ready(facts)


def check_findings_answered(facts: Readiness) -> None:
    if facts.open_findings:
        raise DomainError(
            "QUALITY_FINDINGS_OPEN",
            f"{facts.open_findings} temuan penjaminan kualitas belum ditanggapi evaluator.",
            "evaluationId",
        )


def check_quality_approval(
    current: Stage, expected: Stage, facts: Readiness, assurer: str, assessors: frozenset[str]
) -> Stage:
    """The quality assurer closes the stage: every finding answered, and the assurer is not one of
    the evaluation's assessors: a review of one's own scoring is no quality assurance."""
    _check_seen(current, expected)
    require(current, {Stage.QUALITY_ASSURANCE}, "Persetujuan penjaminan kualitas")
    check_independent(assurer, assessors)
    check_findings_answered(facts)
    return Stage.SCORING


def check_independent(assurer: str, assessors: frozenset[str]) -> None:
    if assurer in assessors:
        raise DomainError(
            "OWN_ASSESSMENT",
            "Penjamin kualitas tidak dapat menjamin penilaian yang ia berikan sendiri sebagai evaluator.",
            "evaluationId",
        )

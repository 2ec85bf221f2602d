"""The Schema: root types wired to resolvers, and the extensions every operation runs through."""

import decimal
from collections.abc import AsyncIterator

import strawberry
from strawberry.extensions import MaxTokensLimiter, ParserCache

from api.completion import CompletingExecutionContext, refuse_unprepared_guards
from api.extensions import ErrorPolicy, KeptAnswers, QueryLimits, RequestConnection
from api.observability import Observed
from resolvers import (
    apbd,
    cascade,
    identity,
    individual,
    lke,
    lkjip,
    lkjip_jobs,
    lowest,
    monev,
    monthly,
    operations,
    planning,
    progress,
    query,
    reports,
    rewards,
    skp,
    structure,
    tpp,
    values,
)
from schema.apbd import ApbdBudget, ImportApbdBudgetPayload
from schema.cascade import CascadeProposal, CascadeProposalPayload
from schema.identity import (
    ApiToken,
    CreateApiTokenPayload,
    GrantRolePayload,
    LoginPayload,
    Me,
    RevokeApiTokenPayload,
)
from schema.individual import (
    ActivityLogPayload,
    AssignActingPayload,
    CloseActivityMonthPayload,
    DeleteActivityPayload,
    Employee,
    ImportStaffPayload,
    ScoreActivitiesPayload,
    WeeklyApproval,
    WeeklyApprovalPayload,
)
from schema.inputs import (
    CreateIndicatorPayload,
    CreateOrgUnitPayload,
    ReorganizeOrgUnitsPayload,
    SetTargetsPayload,
    SubmitRealisationsPayload,
)
from schema.lke import Evaluation, EvaluationModel, EvaluationPayload, EvidencePayload, RecommendationPayload
from schema.lkjip import (
    BenchmarksPayload,
    BudgetRealisationsPayload,
    Document,
    EfficiencyMethodPayload,
    PerformanceReport,
    PerformanceReportPayload,
    SignPerformanceReportPayload,
)
from schema.lkjip_jobs import LkjipJob, LkjipJobPayload
from schema.monev import (
    MonevFigure,
    MonevFiguresPayload,
    MonevProgressLine,
    MonevProgressPayload,
    MonevRule,
    MonevRulePayload,
    Ranking,
    RankingPayload,
    RankingRow,
)
from schema.monthly import SubmitMonthlyRealisationsPayload
from schema.operations import RegisterOperationsPayload
from schema.plan_results import PlanResultsForm
from schema.planning import (
    AgreementComplianceRow,
    AnnualPlan,
    PerformanceAgreement,
    PlanningGap,
    StrategicPlan,
)
from schema.planning_inputs import AgreementPayload, BudgetApprovalPayload, PlanVersionPayload
from schema.reports import (
    AuditEntryConnection,
    ComplianceRow,
    ComplianceSummary,
    Report,
    ReportPayload,
    ReportStatusEvent,
)
from schema.rewards import RewardFollowUpPayload, RewardList, RewardListPayload
from schema.scalars import DecimalScalar
from schema.skp import (
    AssessSkpPayload,
    RatingDistribution,
    RatingDistributionPayload,
    SetOrganisationRatingRulePayload,
    SkpPayload,
)
from schema.tpp import (
    ComputeTppStatementsPayload,
    PayTppMonthPayload,
    RecordTppFactsPayload,
    TppFormula,
    TppFormulaPayload,
    TppJob,
    TppJobPayload,
)
from schema.types import Government, IndicatorAchievement, IndicatorConnection, Node, OrgUnit, Rollup


@strawberry.type
class Query:
    node: Node | None = strawberry.field(resolver=query.node, description="Any object by its global id (Relay).")
    nodes: list[Node | None] = strawberry.field(
        resolver=query.nodes,
        description="Objects by their global ids (at most 100), in the order asked; null for any the caller "
        "may not see.",
    )
    governments: list[Government] = strawberry.field(
        resolver=query.governments,
        description="Regional governments (pemerintah daerah), by kind or province.",
    )
    government: Government | None = strawberry.field(
        resolver=query.government, description="A government by its Kemendagri code (kode wilayah)."
    )
    indicators: IndicatorConnection = strawberry.field(
        resolver=query.indicators_connection, description="Indicators (indikator kinerja), a page at a time."
    )
    me: Me | None = strawberry.field(resolver=identity.me, description="The signed-in user; null when anonymous.")
    api_tokens: list[ApiToken] = strawberry.field(
        resolver=identity.api_tokens, description="The signed-in user's own API tokens."
    )
    report: Report | None = strawberry.field(
        resolver=reports.report, description="A unit's report (laporan) for a quarter or, without one, the year."
    )
    reporting_compliance: list[ComplianceRow] = strawberry.field(
        resolver=reports.reporting_compliance,
        description="Reporting compliance (kepatuhan) of every reporting unit under a scope for a period.",
    )
    reporting_compliance_summary: list[ComplianceSummary] = strawberry.field(
        resolver=reports.reporting_compliance_summary,
        description="Reporting compliance under a scope for a period, counted per government (rekap kepatuhan): "
        "the province's own units and each kabupaten/kota's for a province.",
    )
    audit_log: AuditEntryConnection = strawberry.field(
        resolver=reports.audit_log, description="The append-only audit log (jejak audit), newest first."
    )
    rollup: Rollup | None = strawberry.field(
        resolver=query.rollup,
        description="Rollup of achievement (capaian agregat) of a Government or OrgUnit for a year or quarter.",
    )
    lowest_achievements: list[IndicatorAchievement] = strawberry.field(
        resolver=lowest.lowest_achievements,
        description="The indicators furthest below target (capaian terendah) under a kab/kota or an OrgUnit for a "
        "year or quarter: lowest achievement first, among those the caller may read; `first` 1–50 (default 10). "
        "A province is asked per kab/kota.",
    )
    strategic_plans: list[StrategicPlan] = strawberry.field(
        resolver=planning.strategic_plans,
        description="Strategic plans (RPJMD, Renstra) of the units under a Government or OrgUnit.",
    )
    plan_results: PlanResultsForm | None = strawberry.field(
        resolver=planning.plan_results,
        description="Evaluation of a plan version's results for one of its years (evaluasi hasil RPJMD/Renstra, "
        "Permendagri 86/2017 form E.78/E.79): per program its indicators (K) and budget (Rp): baseline, end-of-plan "
        "target, year n's target, realisation and ratio, to date and the end ratio. Null when the version or its "
        "values are not the caller's to read; a year outside the plan is YEAR_OUTSIDE_PLAN. As XLSX: "
        "/dokumen/rencana/{version}/hasil-{year}.xlsx.",
    )
    performance_agreements: list[PerformanceAgreement] = strawberry.field(
        resolver=planning.performance_agreements,
        description="Performance agreements (Perjanjian Kinerja) under a Government or OrgUnit: signed ones, and "
        "drafts in the caller's scope.",
    )
    annual_plan: AnnualPlan | None = strawberry.field(
        resolver=planning.annual_plan,
        description="A unit's Rencana Kinerja Tahunan (RKT) for a year: its plan's objectives, indicators, targets "
        "and programs in force, and the year's agreement.",
    )
    cascade_proposals: list[CascadeProposal] = strawberry.field(
        resolver=cascade.cascade_proposals,
        description="Cascade link proposals (usulan penyelarasan) naming an indicator as child or parent.",
    )
    agreement_compliance: list[AgreementComplianceRow] = strawberry.field(
        resolver=planning.agreement_compliance,
        description="Whether each unit's Perjanjian Kinerja of a year was signed within a month of the DPA's "
        "approval (kepatuhan PK): on time, late, missing, or not yet due.",
    )
    performance_report: PerformanceReport | None = strawberry.field(
        resolver=lkjip.performance_report,
        description="A perangkat daerah's or pemda's LKjIP (Laporan Kinerja Instansi Pemerintah) for a year: the "
        "figures of Bab III with the seven analyses, budget realisation, its documents and signed versions.",
    )
    lkjip_job: LkjipJob | None = strawberry.field(
        resolver=lkjip_jobs.lkjip_job,
        description="LKjIP generated in the background and its progress (state, percent), with each document's "
        "files once done; for those who may read the unit's values.",
    )
    documents: list[Document] = strawberry.field(
        resolver=lkjip.documents,
        description="Signed documents (dokumen yang ditandatangani) of the units under a Government or OrgUnit: "
        "each LKjIP version's PDF, Word document and workbook, newest year first.",
    )
    planning_gaps: list[PlanningGap] = strawberry.field(
        resolver=planning.planning_gaps,
        description="Gaps in a government's planning chain for a year (kesenjangan perencanaan): RPJMD objectives "
        "and indicators no agency carries, IKU without an agreement, agreements missing or without targets.",
    )
    evaluation_models: list[EvaluationModel] = strawberry.field(
        resolver=lke.evaluation_models,
        description="The SAKIP evaluation models (model LKE): PermenPANRB 88/2021 and the older 12/2015, each "
        "with its components, sub-components, criteria, answer scales and logic rules.",
    )
    evaluation: Evaluation | None = strawberry.field(
        resolver=lke.evaluation,
        description="A SAKIP evaluation (evaluasi SAKIP) by its id, if the caller may see it.",
    )
    evaluations: list[Evaluation] = strawberry.field(
        resolver=lke.evaluations,
        description="SAKIP evaluations of the units under a Government or OrgUnit, optionally of one year: those "
        "in the caller's scope, and published FINAL results for everyone.",
    )
    monev_rule: MonevRule | None = strawberry.field(
        resolver=monev.monev_rule,
        description="A government's monev rule for a year (aturan monev): groups, weights, zones (public).",
    )
    ranking: Ranking | None = strawberry.field(
        resolver=monev.ranking,
        description="A quarter's or a month's monev ranking (peringkat; give quarter or month) of a Government's "
        "units: a pemda's perangkat daerah, a province's kabupaten/kota. Published: frozen, for everyone; otherwise "
        "live, for those who may read every value it ranks (null for others).",
    )
    early_warnings: list[RankingRow] = strawberry.field(
        resolver=monev.early_warnings,
        description="Units of a Government's ranking on the early-warning list (peringatan dini) as the data stand: "
        "below the rule's threshold, with incomplete data, or with a report past its deadline (belum update).",
    )
    monev_figures: list[MonevFigure] = strawberry.field(
        resolver=monev.monev_figures,
        description="Scores entered for a quarter or a month under a Government (nilai isian monev), with their "
        "versions.",
    )
    reward_list: RewardList | None = strawberry.field(
        resolver=rewards.reward_list,
        description="A period's reward and punishment list (daftar penghargaan dan sanksi) from its published "
        "ranking: proposed by the rule's clauses, or confirmed by the leader and frozen; for those who may read the "
        "government's values.",
    )
    my_employee: Employee | None = strawberry.field(
        resolver=individual.my_employee,
        description="The caller's own employee record (data pegawai), with their activity logs; null for accounts "
        "that are no employee and for API tokens.",
    )
    employees: list[Employee] = strawberry.field(
        resolver=individual.employees,
        description="Employees (pegawai) under a Government or OrgUnit that the caller may read: in scope of an "
        "admin (BKPSDM), verifier or finance grant, themself and their direct subordinates. Never public.",
    )
    employee: Employee | None = strawberry.field(
        resolver=individual.employee_by_id,
        description="One employee (pegawai) by id, for whoever `employees` would list them to; null otherwise.",
    )
    pending_approvals: list[WeeklyApproval] = strawberry.field(
        resolver=individual.pending_approvals,
        description="Weeks of activity logs awaiting the caller's approval (persetujuan mingguan atasan): their "
        "direct subordinates', and past the deadline their subordinates' subordinates'.",
    )
    rating_distribution: RatingDistribution | None = strawberry.field(
        resolver=skp.rating_distribution,
        description="A perangkat daerah's predikat of a year against the caps of its organisation rating (kurva "
        "distribusi, PermenPANRB 6/2022): counts and the room left, for its rating officials and the personnel "
        "admin; null for others.",
    )
    tpp_formulas: list[TppFormula] = strawberry.field(
        resolver=tpp.tpp_formulas,
        description="A pemda's TPP formula versions (formula Tambahan Penghasilan Pegawai), oldest first: weights, "
        "base amounts per job class, deductions and rounding. A published rule: public.",
    )
    apbd_budget: ApbdBudget | None = strawberry.field(
        resolver=apbd.apbd_budget,
        description="A perangkat daerah's APBD of a year as imported from SIPD (anggaran APBD): every program, "
        "kegiatan and sub-kegiatan with its pagu and what is not allocated below it; PERUBAHAN once imported, "
        "else MURNI, unless budgetKind says; null when none was imported.",
    )
    tpp_job: TppJob | None = strawberry.field(
        resolver=tpp.tpp_job,
        description="A background TPP job (perhitungan TPP sebulan) and its progress, for the pemda's finance unit.",
    )
    monev_progress: list[MonevProgressLine] = strawberry.field(
        resolver=progress.monev_progress,
        description="A month's progress lines (realisasi fisik dan keuangan) of the programs, kegiatan and "
        "sub-kegiatan of the units under a Government or OrgUnit, with their versions.",
    )


@strawberry.type
class Mutation:
    login: LoginPayload = strawberry.mutation(
        resolver=identity.login, description="Sign in (masuk): a short-lived access token (JWT)."
    )
    create_api_token: CreateApiTokenPayload = strawberry.mutation(
        resolver=identity.create_api_token, description="Create a read-only API token for a third-party tool."
    )
    revoke_api_token: RevokeApiTokenPayload = strawberry.mutation(
        resolver=identity.revoke_api_token, description="Revoke one of your API tokens."
    )
    grant_role: GrantRolePayload = strawberry.mutation(
        resolver=identity.grant_role, description="Grant a role on a scope (ADMIN, inside its scope only)."
    )
    register_operations: RegisterOperationsPayload = strawberry.mutation(
        resolver=operations.register_operations,
        description="Register operation documents (ADMIN): run by their SHA-256, and the only ones a token "
        "created with registeredOnly may run.",
    )
    revoke_role: GrantRolePayload = strawberry.mutation(
        resolver=identity.revoke_role, description="Revoke a role granted on a scope."
    )
    submit_report: ReportPayload = strawberry.mutation(
        resolver=reports.submit_report, description="Submit a report (kirim laporan) for review."
    )
    return_report: ReportPayload = strawberry.mutation(
        resolver=reports.return_report, description="Return a report with a comment (kembalikan untuk perbaikan)."
    )
    approve_report: ReportPayload = strawberry.mutation(
        resolver=reports.approve_report, description="Approve a report (setujui); the last approval locks it."
    )
    publish_report: ReportPayload = strawberry.mutation(
        resolver=reports.publish_report, description="Publish a locked report (publikasikan)."
    )
    unlock_report: ReportPayload = strawberry.mutation(
        resolver=reports.unlock_report, description="Unlock a report with a reason; it returns to SUBMITTED."
    )
    correct_realisation: ReportPayload = strawberry.mutation(
        resolver=reports.correct_realisation,
        description="A reviewer's correction (koreksi) of a submitted realisation, with a reason.",
    )
    add_comment: ReportPayload = strawberry.mutation(
        resolver=reports.add_comment, description="Comment (catatan asistensi) on a report or a realisation."
    )
    resolve_comment: ReportPayload = strawberry.mutation(
        resolver=reports.resolve_comment, description="Mark a comment resolved, or not."
    )

    create_org_unit: CreateOrgUnitPayload = strawberry.mutation(
        resolver=structure.create_org_unit, description="Create an org unit (unit organisasi)."
    )
    create_indicator: CreateIndicatorPayload = strawberry.mutation(
        resolver=structure.create_indicator,
        description="Create an indicator, optionally cascading from a parent.",
    )
    create_strategic_plan: PlanVersionPayload = strawberry.mutation(
        resolver=planning.create_strategic_plan,
        description="Create a strategic plan (RPJMD or Renstra); its first version is a draft.",
    )
    update_plan_draft: PlanVersionPayload = strawberry.mutation(
        resolver=planning.update_plan_draft,
        description="Replace the whole content of a draft plan version (visi, misi, tujuan, sasaran, program, "
        "kegiatan, sub kegiatan, indicators and targets), all-or-nothing.",
    )
    submit_plan_version: PlanVersionPayload = strawberry.mutation(
        resolver=planning.submit_plan_version, description="Submit a draft plan version (ajukan)."
    )
    return_plan_version: PlanVersionPayload = strawberry.mutation(
        resolver=planning.return_plan_version, description="Return a submitted plan version with a reason."
    )
    publish_plan_version: PlanVersionPayload = strawberry.mutation(
        resolver=planning.publish_plan_version,
        description="Publish a submitted plan version (tetapkan); published versions are immutable.",
    )
    revise_plan: PlanVersionPayload = strawberry.mutation(
        resolver=planning.revise_plan,
        description="Start a change (perubahan): a new draft copied from a published version, with a reason, the "
        "legal basis and the date it takes effect.",
    )
    record_budget_approval: BudgetApprovalPayload = strawberry.mutation(
        resolver=planning.record_budget_approval,
        description="Record the day a government's budget document (DPA) for a year was approved: its agreements "
        "are due a month later.",
    )
    save_lkjip_narrative: PerformanceReportPayload = strawberry.mutation(
        resolver=lkjip.save_lkjip_narrative,
        description="Write the unit's LKjIP narrative of a year (narasi): chapter texts and, per indicator of its "
        "agreement, supporting and inhibiting factors and actions taken.",
    )
    submit_budget_realisations: BudgetRealisationsPayload = strawberry.mutation(
        resolver=lkjip.submit_budget_realisations,
        description="Record a quarter's budget realisation (realisasi anggaran, Rupiah) per budget item of the "
        "unit's signed agreement: every line checked, all written or none.",
    )
    set_indicator_benchmarks: BenchmarksPayload = strawberry.mutation(
        resolver=lkjip.set_indicator_benchmarks,
        description="Record province and national comparison figures (pembanding) of indicators for a year.",
    )
    set_efficiency_method: EfficiencyMethodPayload = strawberry.mutation(
        resolver=lkjip.set_efficiency_method,
        description="Choose the formula a government's LKjIP computes efficiency of resources by.",
    )
    sign_performance_report: SignPerformanceReportPayload = strawberry.mutation(
        resolver=lkjip.sign_performance_report,
        description="Sign a unit's LKjIP once its annual report is approved: the PDF, Word document, workbook "
        "and figures are frozen as a new version with their SHA-256 (a correction needs a reason).",
    )
    start_lkjip_job: LkjipJobPayload = strawberry.mutation(
        resolver=lkjip_jobs.start_lkjip_job,
        description="Generate LKjIP drafts in the background (buat LKjIP di latar belakang): a unit's, or with "
        "`reach` a province's and each of its kabupaten/kota's, or a pemda's and each of its perangkat daerah's. "
        "The job is queued in the database and survives a server restart; `lkjipJob(id)` shows its progress.",
    )
    save_performance_agreement: AgreementPayload = strawberry.mutation(
        resolver=planning.save_agreement,
        description="Create a unit's Perjanjian Kinerja for a year, or replace its draft; targets given are the "
        "indicators' annual targets.",
    )
    sign_performance_agreement: AgreementPayload = strawberry.mutation(
        resolver=planning.sign_agreement,
        description="Sign a Perjanjian Kinerja as pihak kesatu or pihak kedua; the last signature freezes it.",
    )
    revise_performance_agreement: AgreementPayload = strawberry.mutation(
        resolver=planning.revise_agreement,
        description="Reopen a signed Perjanjian Kinerja for a PK Perubahan, with the ground and the reason.",
    )
    update_indicator_definition: CreateIndicatorPayload = strawberry.mutation(
        resolver=structure.update_indicator_definition,
        description="A new version of an indicator's definition from a year (earlier years keep theirs); changing "
        "the polarity or method of an indicator with approved values needs a reason.",
    )
    propose_cascade_link: CascadeProposalPayload = strawberry.mutation(
        resolver=cascade.propose_cascade_link,
        description="Propose (upper level) that a lower indicator supports an upper one: a province IKU for a "
        "kabupaten/kota's, an RPJMD indicator for an agency's. It counts once accepted.",
    )
    decide_cascade_link: CascadeProposalPayload = strawberry.mutation(
        resolver=cascade.decide_cascade_link,
        description="Accept, or reject with a reason, a cascade link proposed to your indicator (lower level).",
    )
    reorganize_org_units: ReorganizeOrgUnitsPayload = strawberry.mutation(
        resolver=structure.reorganize_org_units,
        description="A SOTK change from 1 January of a year (perubahan SOTK): rename, move, merge or split units; "
        "their sub-units and indicators are carried to the successors, the old ones keep their history.",
    )
    retire_indicator: CreateIndicatorPayload = strawberry.mutation(
        resolver=structure.retire_indicator,
        description="Retire an indicator from a year on, with a reason: that year's rollups no longer count it.",
    )
    move_indicator: CreateIndicatorPayload = strawberry.mutation(
        resolver=structure.move_indicator,
        description="Move an indicator to another unit of its government, with a reason; its cascade must still "
        "follow the hierarchy.",
    )
    set_targets: SetTargetsPayload = strawberry.mutation(
        resolver=values.set_targets,
        description="Set annual or year-to-date quarterly targets, all-or-nothing.",
    )
    submit_realisations: SubmitRealisationsPayload = strawberry.mutation(
        resolver=values.submit_realisations,
        description="Submit quarterly realisations (realisasi) in a batch: all-or-nothing, idempotent by key.",
    )
    submit_monthly_realisations: SubmitMonthlyRealisationsPayload = strawberry.mutation(
        resolver=monthly.submit_monthly_realisations,
        description="Submit monthly realisations (realisasi bulanan) of indicators that report monthly, in a batch "
        "with the rules of submitRealisations; each quarter whose months are in is derived into its realisation.",
    )
    set_indicator_reporting_frequency: CreateIndicatorPayload = strawberry.mutation(
        resolver=monthly.set_indicator_reporting_frequency,
        description="Whether an indicator's realisations are entered monthly or quarterly (frekuensi pelaporan) "
        "from now on; values already entered stay.",
    )

    start_evaluation: EvaluationPayload = strawberry.mutation(
        resolver=lke.start_evaluation,
        description="Start the SAKIP evaluation of a perangkat daerah (by its Inspektorat) or a kab/kota (by the "
        "province) for a year, with its stages' due dates.",
    )
    update_evaluation_schedule: EvaluationPayload = strawberry.mutation(
        resolver=lke.update_evaluation_schedule,
        description="New due dates of an evaluation's stages (e.g. an extension of the self-assessment), by its "
        "evaluator, before it is FINAL.",
    )
    save_self_assessment: EvaluationPayload = strawberry.mutation(
        resolver=lke.save_self_assessment,
        description="The evaluated unit's own answers and notes (penilaian mandiri), all or nothing, until its "
        "due date.",
    )
    submit_self_assessment: EvaluationPayload = strawberry.mutation(
        resolver=lke.submit_self_assessment,
        description="Send the complete self-assessment to verification.",
    )
    add_evaluation_evidence: EvidencePayload = strawberry.mutation(
        resolver=lke.add_evaluation_evidence,
        description="Add evidence (bukti dukung) to a criterion: a file checked by content, a link, or a platform "
        "document; routed to the criterion's verifier.",
    )
    verify_evaluation_evidence: EvidencePayload = strawberry.mutation(
        resolver=lke.verify_evaluation_evidence,
        description="Accept an item of evidence, or reject it with a reason for the unit to fix (verifikasi).",
    )
    save_assessment: EvaluationPayload = strawberry.mutation(
        resolver=lke.save_assessment,
        description="The evaluator's answers and notes (penilaian evaluator); a note is required where an "
        "answer differs from the platform's computed proposal.",
    )
    acknowledge_evaluation_warnings: EvaluationPayload = strawberry.mutation(
        resolver=lke.acknowledge_evaluation_warnings,
        description="Confirm the logic warnings (kerangka logis) of the current answers.",
    )
    advance_evaluation: EvaluationPayload = strawberry.mutation(
        resolver=lke.advance_evaluation,
        description="The evaluator's next stage: verification, quality assurance, final scoring, result sent "
        "to the unit.",
    )
    raise_quality_findings: EvaluationPayload = strawberry.mutation(
        resolver=lke.raise_quality_findings,
        description="The quality assurer's findings on criteria's scoring (temuan penjaminan kualitas), in the quality "
        "assurance stage; each open finding holds the stage until the evaluator answers it.",
    )
    answer_quality_finding: EvaluationPayload = strawberry.mutation(
        resolver=lke.answer_quality_finding,
        description="The evaluator answers a quality assurance finding, keeping or changing the answer (tanggapan).",
    )
    approve_quality_assurance: EvaluationPayload = strawberry.mutation(
        resolver=lke.approve_quality_assurance,
        description="The quality assurer approves the scoring (persetujuan penjaminan kualitas): final scoring "
        "begins. Refused while a finding is open, or to an assurer who assessed criteria of the evaluation.",
    )
    dispute_evaluation: EvaluationPayload = strawberry.mutation(
        resolver=lke.dispute_evaluation,
        description="The unit disputes criteria of the sent result, each with a reason (sanggahan), within the dispute "
        "window.",
    )
    resolve_evaluation_dispute: EvaluationPayload = strawberry.mutation(
        resolver=lke.resolve_evaluation_dispute,
        description="The evaluator keeps or changes a disputed answer, with a rebuttal.",
    )
    finalise_evaluation: EvaluationPayload = strawberry.mutation(
        resolver=lke.finalise_evaluation,
        description="Make the result FINAL: frozen from then on, like a signed agreement.",
    )
    publish_evaluation: EvaluationPayload = strawberry.mutation(
        resolver=lke.publish_evaluation,
        description="Publish a FINAL result: its total, grade and component scores become public.",
    )
    correct_evaluation: EvaluationPayload = strawberry.mutation(
        resolver=lke.correct_evaluation,
        description="Correct a FINAL result as a new version with a reason (koreksi): the FINAL version stays frozen "
        "and public until the correction is FINAL, then shows as superseded. Answers the new version.",
    )
    save_evaluation_notes: EvaluationPayload = strawberry.mutation(
        resolver=lke.save_evaluation_notes,
        description="The evaluator's narrative per component for the evaluation report (LHE).",
    )
    add_evaluation_recommendation: RecommendationPayload = strawberry.mutation(
        resolver=lke.add_evaluation_recommendation,
        description="A recommendation (rekomendasi) of a criterion or a component.",
    )
    record_recommendation_follow_up: RecommendationPayload = strawberry.mutation(
        resolver=lke.record_recommendation_follow_up,
        description="The evaluated unit's follow-up (tindak lanjut) of a FINAL evaluation's recommendation: "
        "action plan, target date, person in charge, progress.",
    )
    set_monev_rule: MonevRulePayload = strawberry.mutation(
        resolver=monev.set_monev_rule,
        description="A new version of a government's monev rule for a year: sort keys or a weighted composite "
        "(weights totalling 100), zones covering 0 to infinity without gaps or overlaps.",
    )
    enter_monev_figures: MonevFiguresPayload = strawberry.mutation(
        resolver=monev.enter_monev_figures,
        description="Scores of a quarter or a month for the groups the platform does not compute (audit "
        "follow-up, ...), all or nothing, each with the version read.",
    )
    confirm_reward_list: RewardListPayload = strawberry.mutation(
        resolver=rewards.confirm_reward_list,
        description="Confirm a published ranking's reward and punishment list (tetapkan daftar penghargaan dan "
        "sanksi): a leader's act, once; the list is frozen.",
    )
    record_reward_follow_up: RewardFollowUpPayload = strawberry.mutation(
        resolver=rewards.record_reward_follow_up,
        description="The follow-up of a confirmed list's item (tindak lanjut): done, the date, a note, with the "
        "version read.",
    )
    import_staff: ImportStaffPayload = strawberry.mutation(
        resolver=individual.import_staff,
        description="Import a SIMPEG staff file (impor data pegawai): positions by code with their superior "
        "positions, employees by NIP; every bad row reported (a position without a valid superior included), all "
        "rows or none; dryRun checks only.",
    )
    assign_acting: AssignActingPayload = strawberry.mutation(
        resolver=individual.assign_acting,
        description="Someone acts for a position (Plt/Plh) from a date to a date: they approve as its holder.",
    )
    log_activity: ActivityLogPayload = strawberry.mutation(
        resolver=individual.log_activity,
        description="Log a daily activity (catat kegiatan harian, LKH), or edit one while it is a draft or "
        "returned: not in the future, not overlapping another entry, not in a closed month.",
    )
    delete_activity: DeleteActivityPayload = strawberry.mutation(
        resolver=individual.delete_activity, description="Delete a draft or returned entry, with its version."
    )
    submit_activity_week: WeeklyApprovalPayload = strawberry.mutation(
        resolver=individual.submit_activity_week,
        description="Submit a week's entries to the superior (ajukan kegiatan mingguan).",
    )
    review_activity_week: WeeklyApprovalPayload = strawberry.mutation(
        resolver=individual.review_activity_week,
        description="The superior (or Plt/Plh; past the deadline the superior's superior) approves a week, "
        "returning the entries listed with a note (setujui atau kembalikan).",
    )
    score_activities: ScoreActivitiesPayload = strawberry.mutation(
        resolver=individual.score_activities,
        description="The verification unit scores approved entries 0–10 or rejects them with a note (verifikasi "
        "dan penilaian bulanan), all or none.",
    )
    close_activity_month: CloseActivityMonthPayload = strawberry.mutation(
        resolver=individual.close_activity_month,
        description="Close an agency's month of activity logs (tutup bulan): every approved entry scored first; "
        "the month's entries are frozen.",
    )
    draft_skp: SkpPayload = strawberry.mutation(
        resolver=skp.draft_skp,
        description="Write the caller's draft SKP of a year (susun SKP): RHK under the superior's RHK, targets per "
        "aspect; a unit head's RHK are the unit's signed Perjanjian Kinerja indicators.",
    )
    agree_skp: SkpPayload = strawberry.mutation(
        resolver=skp.agree_skp,
        description="The superior (or Plt/Plh) agrees a subordinate's draft SKP (persetujuan SKP): RHK fixed.",
    )
    assess_skp: AssessSkpPayload = strawberry.mutation(
        resolver=skp.assess_skp,
        description="The superior rates an agreed SKP (penilaian): results × behaviour → predikat by the 6/2022 "
        "matrix; answers the agency's distribution with the room left.",
    )
    finalise_rating_distribution: RatingDistributionPayload = strawberry.mutation(
        resolver=skp.finalise_rating_distribution,
        description="The agency head finalises the year's predikat (finalisasi kurva distribusi): refused with the "
        "numbers while a cap of the organisation rating is broken or someone is not rated; the SKP freeze.",
    )
    set_organisation_rating_rule: SetOrganisationRatingRulePayload = strawberry.mutation(
        resolver=skp.set_organisation_rating_rule,
        description="A pemda's rule from PK achievement to organisation rating, and the head-count rounding.",
    )
    save_tpp_formula: TppFormulaPayload = strawberry.mutation(
        resolver=tpp.save_tpp_formula,
        description="A new version of a pemda's TPP formula in force from a month (ADMIN): weights at most 100 %, "
        "shares of 100 %, ordered lateness bands, whole-Rupiah base amounts; earlier months keep theirs.",
    )
    import_apbd_budget: ImportApbdBudgetPayload = strawberry.mutation(
        resolver=apbd.import_apbd_budget,
        description="A pemda's APBD of a year from SIPD's Lampiran (impor APBD; PLANNER, ADMIN): codes normalised, "
        "each SIPD unit matched to a perangkat daerah by exact name, a recorded alias or the given mapping "
        "(similar names only suggested), totals reconciled (selisih ≥ Rp 1 reported); each matched unit's lines "
        "of the year and budget replaced whole, all or nothing; an unmatched unit writes nothing.",
    )
    record_tpp_facts: RecordTppFactsPayload = strawberry.mutation(
        resolver=tpp.record_tpp_facts,
        description="A month's attendance and compliance per employee by NIP (data kehadiran dan kepatuhan, from "
        "the time clock and registers; FINANCE), all rows or none; replaced until the month is paid.",
    )
    compute_tpp_statements: ComputeTppStatementsPayload = strawberry.mutation(
        resolver=tpp.compute_tpp_statements,
        description="Compute an agency's TPP statements of a closed month (hitung TPP; FINANCE) from the formula in "
        "force, the facts recorded and the verified scores.",
    )
    start_tpp_month_job: TppJobPayload = strawberry.mutation(
        resolver=tpp.start_tpp_month_job,
        description="Compute a month's TPP for every perangkat daerah of a pemda in the background (FINANCE): "
        "follow it with tppJob(id); an agency whose month is not closed or already paid is skipped with why.",
    )
    pay_tpp_month: PayTppMonthPayload = strawberry.mutation(
        resolver=tpp.pay_tpp_month,
        description="Record an agency's month paid (FINANCE): every employee has a statement; they freeze.",
    )
    submit_monev_progress: MonevProgressPayload = strawberry.mutation(
        resolver=progress.submit_monev_progress,
        description="A month's progress of programs, kegiatan and sub-kegiatan (pagu, physical and financial target "
        "and realisation, cumulative), under the MURNI or PERUBAHAN budget, all or nothing, each line with the "
        "version read.",
    )
    publish_ranking: RankingPayload = strawberry.mutation(
        resolver=monev.publish_ranking,
        description="Freeze a quarter's or a month's ranking as it stands (terbitkan peringkat): a leader's act, "
        "once; later corrections show in the next ranking, never in this one.",
    )


@strawberry.type
class Subscription:
    report_status_changed: AsyncIterator[ReportStatusEvent] = strawberry.subscription(
        resolver=reports.report_status_changed,
        description="Report transitions under a scope, as they commit (graphql-transport-ws).",
    )
    pending_approvals_changed: AsyncIterator[list[WeeklyApproval]] = strawberry.subscription(
        resolver=individual.pending_approvals_changed,
        description="The caller's queue of weeks to approve (persetujuan mingguan): now, then again whenever a week "
        "in it is submitted or decided, as it commits (graphql-transport-ws).",
    )


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    types=[OrgUnit],
    scalar_overrides={decimal.Decimal: DecimalScalar},
    execution_context_class=CompletingExecutionContext,
    extensions=[
        # Before ErrorPolicy in the list, so it notes the codes of the errors as made public.
        Observed,
        ErrorPolicy,
        RequestConnection,
        # After RequestConnection, which routes the query (and the snapshot read) to the read engine.
        KeptAnswers,
        lambda: ParserCache(maxsize=256),
        # Depth, aliases, fields and cost with fragments expanded, then validation (api/limits.py).
        QueryLimits,
        lambda: MaxTokensLimiter(max_token_count=5000),
    ],
)
refuse_unprepared_guards(schema)

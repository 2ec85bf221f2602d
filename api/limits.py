"""Query limits, computed once per document before it is validated or executed.

What an operation asks for is measured with every fragment spread counted as expanded, and each
fragment measured once (memoised), so a document of forty fragments that each spread the
previous one twice is measured in forty steps and refused, where walking its expansion (as
Strawberry's depth and alias limiters do) takes 2^40 steps and held the event loop for
minutes. Measured:

- depth: nesting of fields that have selections (introspection fields not counted);
- aliases: aliased fields, expanded;
- fields: every field, expanded (introspection included): what validation and execution walk;
- cost, GitHub/Shopify style: each field 1; a field with `first` costs 1 + first × its
  selection; a list field 1 + its declared bound (LIST_BOUNDS) × its selection.

A document over a limit is answered with one QUERY_TOO_COMPLEX error naming the figure and the
limit, before graphql-core's validation runs (which is then skipped, so it cannot be made slow
either). The cost is reported in `extensions.cost` (api/budget.py adds the caller's budget).
"""

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValidationRule,
    ValueNode,
    VariableNode,
    get_named_type,
)

from policies.viewer import ViewerKind

# How many items a list field is taken to hold, for the cost: typical sizes of the data, so that
# the cost estimates the work of a request (a nested tree of a whole province is estimated at
# about four times the fields it returns), not worst cases that multiply into refusals of
# ordinary dashboards. Every list field of the schema is here (tests/api/test_limits.py checks).
LIST_BOUNDS: Mapping[str, int] = {
    "Query.governments": 600,  # every province and kabupaten/kota; 40 with kind or parentCode
    "Query.nodes": 100,  # resolvers/query.MAX_NODES; the number of ids when they are given
    "Query.apiTokens": 10,
    "Query.reportingCompliance": 200,  # a kabupaten/kota's perangkat daerah, a province's pemda
    "Query.reportingComplianceSummary": 16,  # a province and its kabupaten/kota
    "Query.lowestAchievements": 10,  # its default `first`
    "Government.children": 15,  # a province's kabupaten/kota
    "OrgUnit.children": 5,
    "OrgUnit.indicators": 5,
    "Indicator.children": 3,
    "Indicator.targets": 5,
    "Indicator.realisations": 4,
    "Indicator.monthlyRealisations": 12,
    "Indicator.definitionHistory": 2,
    "Rollup.children": 15,
    "Rollup.byCategory": 5,
    "Report.history": 10,
    "Report.comments": 20,
    "Me.grants": 5,
    "ApiToken.individualData": 3,  # policies.individual.TokenGrant
    # The planning chain: a pemda's plans, a plan's versions and their content.
    "Query.strategicPlans": 40,  # a pemda's RPJMD and its perangkat daerah's Renstra
    "Query.performanceAgreements": 40,  # a pemda's agreements of a year: its agencies' JPT and a few more
    "Query.planningGaps": 50,
    "Query.agreementCompliance": 40,
    "Query.cascadeProposals": 5,
    "AnnualPlan.rows": 5,
    "AnnualPlan.programs": 3,
    "StrategicPlan.versions": 2,
    "PlanVersion.missions": 5,
    "PlanVersion.goals": 3,
    "PlanVersion.compare": 30,
    "Goal.indicators": 1,
    "Goal.objectives": 2,
    "Objective.indicators": 2,
    "Objective.programs": 2,
    "Program.indicators": 1,
    "Program.activities": 3,
    "Activity.indicators": 1,
    "Activity.subActivities": 3,
    "SubActivity.indicators": 1,
    "PlanIndicator.targets": 5,
    "PerformanceAgreement.subordinates": 10,
    "PerformanceAgreement.items": 5,
    "PerformanceAgreement.budgetLines": 3,
    "PerformanceAgreement.objectives": 3,
    "AgreementObjective.items": 3,
    "PerformanceAgreement.versions": 2,
    "AgreementVersion.items": 5,
    "AgreementVersion.budgetLines": 3,
    # The LKjIP: an agency's sasaran and indicators, its budget items, three files per version.
    "Query.documents": 60,
    "PerformanceReport.objectives": 5,
    "PerformanceReport.budgetItems": 5,
    "PerformanceReport.sections": 6,
    "PerformanceReport.versions": 2,
    "PerformanceReport.documents": 6,
    "LkjipObjective.indicators": 5,
    "LkjipObjective.programs": 3,
    "LkjipIndicator.earlierYears": 2,
    "LkjipBudgetItem.realisedByQuarter": 4,
    "LkjipVersion.documents": 3,
    # SAKIP evaluations: a province's dashboard lists its kab/kota, a pemda's its agencies; the 88/2021
    # model has 4 components, 12 sub-components of 3 to 10 criteria, 80 in all.
    "Query.evaluationModels": 2,
    "Query.evaluations": 40,
    "EvaluationModel.components": 4,
    "EvaluationModel.logicRules": 10,
    "EvaluationComponent.subComponents": 3,
    "EvaluationSubComponent.criteria": 7,
    "EvaluationCriterion.options": 5,
    "Evaluation.components": 4,
    "ComponentScore.subComponents": 3,
    "Evaluation.criteria": 80,
    "Evaluation.warnings": 3,
    "Evaluation.evidence": 40,
    "Evaluation.disputes": 3,
    "Evaluation.qualityFindings": 5,  # a review's findings: a few criteria, each answered once or twice
    "Evaluation.recommendations": 5,
    "Evaluation.componentNotes": 4,
    "Evaluation.documents": 2,
    "Evaluation.versions": 2,  # a correction is rare: the first result and one koreksi
    "EvaluationSchedule.verifierDues": 3,  # Bappeda, Organisasi, Inspektorat
    "CriterionAssessment.evidence": 1,
    "CriterionAssessment.options": 5,
    "CriterionAssessment.warnings": 1,
    "Query.earlyWarnings": 40,  # a pemda's perangkat daerah, a province's kabupaten/kota
    "Query.monevFigures": 100,
    "Query.monevProgress": 300,  # a pemda's sub-kegiatan of a month (typical)
    "Ranking.rows": 40,
    "RankingRow.scores": 12,  # domain.monev.MAX_GROUPS
    "RankingRow.warnings": 2,
    "RewardList.items": 10,
    "MonevRule.rewards": 3,
    "RewardClause.zones": 2,
    "MonevRule.groups": 5,
    "MonevRule.zones": 5,
    "MonevRule.zonesFor": 5,
    "PlanResultsForm.rows": 20,
    "PlanResultRow.indicators": 2,
    # A connection's `first` is counted at the connection: its edges are not counted again.
    "IndicatorConnection.edges": 1,
    "AuditEntryConnection.edges": 1,
    "RegisterOperationsPayload.operations": 100,  # actions.operations.MAX_DOCUMENTS
    # A batch's written rows (domain.entries.MAX_BATCH_ROWS).
    "SetTargetsPayload.targets": 10_000,
    "ReorganizeOrgUnitsPayload.successors": 5,
    "SubmitRealisationsPayload.realisations": 10_000,
    "SubmitRealisationsPayload.months": 10_000,
    "SubmitRealisationsPayload.quarters": 100,
    "SubmitMonthlyRealisationsPayload.realisations": 10_000,
    "SubmitMonthlyRealisationsPayload.quarters": 100,  # a month of a unit's monthly indicators
    # Individual e-Kinerja (schema/individual.py): a superior's queue (30 staff, their own and
    # overdue weeks), a week's or a range's entries (a few a day), a verifier's batch.
    "Query.pendingApprovals": 60,
    "Subscription.pendingApprovalsChanged": 60,  # the same queue, pushed
    "Query.employees": 500,  # resolvers.individual.MAX_EMPLOYEES; `first` counts below it
    "Employee.activityLogs": 200,
    "Employee.activityWeeks": 10,
    "Employee.activityCounts": 6,  # domain.activity.EntryState
    "WeeklyApproval.entries": 40,
    "ScoreActivitiesPayload.activityLogs": 1000,
    "CloseActivityMonthPayload.counts": 6,
    # The SKP (schema/skp.py): domain.skp.MAX_RHK work results, a target per aspect, one platform
    # indicator per RHK; a distribution's five predikat and at most three caps.
    "Skp.rhk": 30,
    "Employee.superiorRhk": 30,  # an SKP's RHK (Skp.rhk)
    "Rhk.targets": 4,
    "Rhk.indicators": 1,
    "RatingDistribution.counts": 5,
    "RatingDistribution.caps": 3,
    "OrganisationStanding.thresholds": 4,
    "OrganisationRatingRule.thresholds": 4,
    "DistributionCap.ratings": 2,
    # TPP (schema/tpp.py): a pemda's formula versions, 17 job classes, the compliance items, the
    # lateness bands and a statement's deductions (one per band and the apel); a year of months.
    "Query.tppFormulas": 10,
    "TppFormula.baseAmounts": 17,
    "TppFormula.staffItems": 3,
    "TppFormula.officialItems": 3,
    "TppFormula.lateness": 5,
    "TppStatement.deductions": 5,
    "Employee.tppStatements": 12,
    "Employee.monthlyScores": 12,
    "TppJob.skipped": 40,  # a pemda's perangkat daerah
    "LkjipJob.documents": 40,  # a pemda and its perangkat daerah, or a province and its kab/kota
    "LkjipJobDocument.files": 3,
    "ImportApbdBudgetPayload.units": 80,  # a pemda's SIPD units
    "ImportApbdBudgetPayload.differences": 200,  # schema.apbd.MAX_DIFFERENCES
    "ApbdUnitMatch.suggestions": 3,  # domain.apbd.MAX_SUGGESTIONS
    "ApbdBudget.lines": 600,  # a perangkat daerah's programs, kegiatan and sub-kegiatan
}
FILTERED_GOVERNMENTS = 40  # governments(kind:) or governments(parentCode:): a province's, or the provinces
# A batch's payload lists hold as many rows as its input sent (at most MAX_BATCH_ROWS, the bound).
BATCH_PAYLOADS = frozenset(
    {
        "SetTargetsPayload.targets",
        "SubmitRealisationsPayload.realisations",
        "SubmitRealisationsPayload.months",
        "SubmitMonthlyRealisationsPayload.realisations",
        "ScoreActivitiesPayload.activityLogs",
    }
)
ERROR_LISTS = frozenset({"userErrors"})  # a payload's errors cost nothing to ask for
DEFAULT_FIRST = 20  # resolvers/query.DEFAULT_PAGE


# Figures stop growing here: far past every limit, and still an exact number in JSON.
SATURATED = 2**53


@dataclass(frozen=True)
class Shape:
    depth: int = 0
    aliases: int = 0
    fields: int = 0
    cost: int = 0

    def __add__(self, other: "Shape") -> "Shape":
        return Shape(
            max(self.depth, other.depth),
            min(self.aliases + other.aliases, SATURATED),
            min(self.fields + other.fields, SATURATED),
            min(self.cost + other.cost, SATURATED),
        )


@dataclass(frozen=True)
class Limits:
    depth: int = 15
    aliases: int = 30
    fields: int = 2_000
    cost: int = 10_000


class _Cycle(Exception):
    """Fragments that spread each other: left to validation (NoFragmentCycles) to report."""


class _Measure:
    def __init__(
        self, schema: GraphQLSchema, fragments: Mapping[str, FragmentDefinitionNode], variables: Mapping[str, Any]
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.memo: dict[str, Shape] = {}
        self.open: set[str] = set()
        self.consulted: dict[str, Any] = {}  # variables the shape depends on, and their values
        self.input_rows: dict[str, int] = {}  # a batch mutation's input lists, by name: their lengths

    def selections(self, selection_set: SelectionSetNode | None, parent: GraphQLOutputType | None) -> Shape:
        total = Shape()
        if selection_set is None:
            return total
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, on)  # type: ignore[arg-type]
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def fragment(self, name: str) -> Shape:
        if name in self.memo:
            return self.memo[name]
        definition = self.fragments.get(name)
        if definition is None:
            return Shape()  # unknown: validation reports it
        if name in self.open:
            raise _Cycle
        self.open.add(name)
        on = self.schema.get_type(definition.type_condition.name.value)
        shape = self.selections(definition.selection_set, on)  # type: ignore[arg-type]
        self.open.discard(name)
        self.memo[name] = shape
        return shape

    def field(self, node: FieldNode, parent: GraphQLOutputType | None) -> Shape:
        name = node.name.value
        parent_type = get_named_type(parent) if parent is not None else None
        definition = parent_type.fields.get(name) if isinstance(parent_type, GraphQLObjectType) else None
        outer_rows = self.input_rows
        self.input_rows = self.rows_of_input(node) or outer_rows
        inner = self.selections(node.selection_set, definition.type if definition else None)
        self.input_rows = outer_rows
        aliases = inner.aliases + (1 if node.alias else 0)
        if name.startswith("__"):
            return Shape(inner.depth, aliases, inner.fields + 1, 0)
        depth = inner.depth + 1 if node.selection_set else 0
        if name in ERROR_LISTS:
            return Shape(depth, aliases, inner.fields + 1, 0)
        times = self.multiplier(node, parent_type, definition.type if definition else None)
        return Shape(depth, aliases, min(inner.fields + 1, SATURATED), min(1 + times * inner.cost, SATURATED))

    def multiplier(self, node: FieldNode, parent: Any, field_type: GraphQLOutputType | None) -> int:
        first = next((a.value for a in node.arguments or () if a.name.value == "first"), None)
        if first is not None or (field_type is not None and _is_connection(field_type)):
            return max(self.integer(first, DEFAULT_FIRST), 0)
        unwrapped = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
        if isinstance(unwrapped, GraphQLList):
            arguments = {a.name.value: a.value for a in node.arguments or ()}
            key = f"{parent.name}.{node.name.value}" if parent is not None else ""
            if key == "Query.governments" and ({"kind", "parentCode"} & set(arguments)):
                return FILTERED_GOVERNMENTS
            if key in BATCH_PAYLOADS and node.name.value in self.input_rows:
                return self.input_rows[node.name.value]
            return self.length(arguments.get("ids"), LIST_BOUNDS.get(key, 1))
        return 1

    def rows_of_input(self, node: FieldNode) -> dict[str, int]:
        """The lengths of the lists in a mutation's `input` (its rows, for its payload's lists)."""
        given = next((a.value for a in node.arguments or () if a.name.value == "input"), None)
        if isinstance(given, ObjectValueNode):
            return {f.name.value: len(f.value.values) for f in given.fields if isinstance(f.value, ListValueNode)}
        if isinstance(given, VariableNode) and isinstance(value := self.variables.get(given.name.value), Mapping):
            self.consulted[given.name.value] = {k: len(v) for k, v in value.items() if isinstance(v, list)}
            return dict(self.consulted[given.name.value])
        return {}

    def integer(self, value: Any, default: int) -> int:
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            given = self.variables.get(value.name.value)
            self.consulted[value.name.value] = given
            return given if isinstance(given, int) and not isinstance(given, bool) else default
        return default

    def length(self, value: Any, default: int) -> int:
        """The number of ids a list argument names (nodes(ids:)), else the declared bound."""
        if value is not None and hasattr(value, "values"):
            return len(value.values)
        if isinstance(value, VariableNode):
            given = self.variables.get(value.name.value)
            self.consulted[value.name.value] = len(given) if isinstance(given, list) else None
            if isinstance(given, list):
                return len(given)
        return default


def _is_connection(field_type: GraphQLOutputType) -> bool:
    return get_named_type(field_type).name.endswith("Connection")


def measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
) -> Shape | None:
    """The operation's shape, fragments expanded; None when its fragments form a cycle. Kept per
    parsed document (Strawberry's ParserCache hands out the same one for the same text) and the
    values of the variables it consulted, so a dashboard's repeated request is not measured again."""
    given = variables or {}
    key = (id(document), operation.name.value if operation.name else None)
    if (kept := _MEASURED.get(key)) is not None:
        kept_document, consulted, kept_shape = kept
        if kept_document is document and all(_consulted_value(given, n) == v for n, v in consulted.items()):
            return kept_shape
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    walk = _Measure(schema, fragments, given)
    try:
        shape: Shape | None = walk.selections(operation.selection_set, schema.get_root_type(operation.operation))
    except _Cycle:
        shape = None
    _MEASURED[key] = (document, walk.consulted, shape)  # the document is held, so its id stays its own
    while len(_MEASURED) > MEASURED_KEPT:
        _MEASURED.popitem(last=False)
    return shape


MEASURED_KEPT = 256
_MEASURED: "OrderedDict[tuple[int, str | None], tuple[DocumentNode, dict[str, Any], Shape | None]]" = OrderedDict()


def _consulted_value(variables: Mapping[str, Any], name: str) -> Any:
    value = variables.get(name)
    if isinstance(value, Mapping):  # a batch's input: the lengths of its lists
        return {k: len(v) for k, v in value.items() if isinstance(v, list)}
    return len(value) if isinstance(value, list) else value


def exceeded(shape: Shape, limits: Limits) -> GraphQLError | None:
    """The first limit the shape breaks. Depth and aliases were refused as BAD_USER_INPUT before
    there was a cost, and still are; fields and cost are QUERY_TOO_COMPLEX (design.md)."""
    for figure, limit, code in (
        ("depth", limits.depth, "BAD_USER_INPUT"),
        ("aliases", limits.aliases, "BAD_USER_INPUT"),
        ("fields", limits.fields, "QUERY_TOO_COMPLEX"),
        ("cost", limits.cost, "QUERY_TOO_COMPLEX"),
    ):
        value = getattr(shape, figure)
        if value > limit:
            return GraphQLError(
                f"Kueri terlalu kompleks: {figure} {value} melebihi batas {limit}.",
                extensions={"code": code, figure: value, "limit": limit},
            )
    return None


@dataclass(frozen=True)
class CallerLimits:
    """Limits by kind of caller (settings in server.py)."""

    # A province's rollup with its kabupaten/kota and their perangkat daerah costs about 27,000.
    anonymous: Limits = Limits(cost=50_000)
    user: Limits = Limits(cost=200_000)
    api_client: Limits = Limits(cost=100_000)

    def of(self, kind: ViewerKind) -> Limits:
        if kind is ViewerKind.ANONYMOUS:
            return self.anonymous
        return self.api_client if kind is ViewerKind.API_CLIENT else self.user


def chosen_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == operation_name), None)


NUL = "\x00"


def nul_in_variables(variables: Mapping[str, Any] | None) -> list[GraphQLError]:
    """PostgreSQL text cannot hold NUL: refused at the variable that carries one."""

    def has_nul(value: Any) -> bool:
        if isinstance(value, str):
            return NUL in value
        if isinstance(value, Mapping):
            return any(has_nul(v) for v in value.values())
        if isinstance(value, list):
            return any(has_nul(v) for v in value)
        return False

    if not variables or b"\\u0000" not in orjson.dumps(variables, default=str):
        return []  # one pass in C over a 5,000-row batch, rather than a walk of its 35,000 values
    return [
        GraphQLError(f"Variabel ${name} memuat karakter NUL.", extensions={"code": "BAD_USER_INPUT", "argument": name})
        for name, value in variables.items()
        if has_nul(value)
    ]


class NoNulInStrings(ValidationRule):
    """A string literal with a NUL character, refused at its argument."""

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        for value in _strings(node.value):
            if NUL in value.value:
                self.report_error(
                    GraphQLError(
                        f"Argumen {node.name.value} memuat karakter NUL.",
                        node,
                        extensions={"code": "BAD_USER_INPUT", "argument": node.name.value},
                    )
                )
                return


def _strings(value: ValueNode) -> Iterator[StringValueNode]:
    if isinstance(value, StringValueNode):
        yield value
    elif isinstance(value, ListValueNode):
        for item in value.values:
            yield from _strings(item)
    elif isinstance(value, ObjectValueNode):
        for field in value.fields:
            yield from _strings(field.value)

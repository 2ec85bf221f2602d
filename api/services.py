"""What the API layer keeps per app beside the resolvers' services (server.py builds it)."""

from dataclasses import dataclass

from opentelemetry.trace import Tracer

from api.answers import AnswerCache
from api.budget import Budgets
from api.limits import CallerLimits
from api.tracing import NO_TRACER
from schema.context import Services

DEFAULT_LIMITS = CallerLimits()


@dataclass(frozen=True)
class ApiServices(Services):
    answers: AnswerCache | None = None  # rollup answers per database snapshot; None: turned off
    limits: CallerLimits = DEFAULT_LIMITS
    budgets: Budgets | None = None  # cost per minute per caller; None: unlimited
    tracer: Tracer = NO_TRACER  # GraphQL operations as spans, when tracing is configured (api/tracing.py)

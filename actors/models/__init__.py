from actors.models.api_keys import ApiKey
from actors.models.ateliers import AtelierFeed, AtelierSeries, AtelierSession
from actors.models.coordination import CorrectionReport
from actors.models.imports import ImportJob
from actors.models.policy import FreshnessPolicy
from actors.models.related import (
    ContactPerson,
    DuplicateCandidate,
    StructureQPV,
    TemporaryClosure,
    WeeklySlot,
)
from actors.models.scope import CoordinatorScope
from actors.models.structure import Structure, StructureQuerySet
from actors.models.throttle import RateLimitHit
from actors.models.updates import FreshnessSnapshot, UpdateCampaign, UpdateLink, UpdateRequest
from actors.models.vocabulary import Term, TermQuerySet

__all__ = [
    "AtelierFeed",
    "AtelierSeries",
    "AtelierSession",
    "ApiKey",
    "ContactPerson",
    "CoordinatorScope",
    "CorrectionReport",
    "DuplicateCandidate",
    "FreshnessPolicy",
    "FreshnessSnapshot",
    "ImportJob",
    "Structure",
    "StructureQPV",
    "StructureQuerySet",
    "RateLimitHit",
    "TemporaryClosure",
    "Term",
    "TermQuerySet",
    "UpdateCampaign",
    "UpdateLink",
    "UpdateRequest",
    "WeeklySlot",
]

"""Writes of the per-département freshness policy (read through FreshnessPolicy.objects.current(), keyed by the data
version)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import CoordinatorScope, FreshnessPolicy, Structure
from territories.models import Departement


def coordinated_departements(user):
    """Départements whose policy `user` may set: those they coordinate as a whole (all for a superuser)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Departement.objects.none()
    if user.is_superuser:
        return Departement.objects.all()
    return Departement.objects.filter(
        pk__in=CoordinatorScope.objects.for_user(user).exclude(departement=None).values("departement_id"))


def check_months(*, stale_after_months: int, hide_after_months: int | None) -> None:
    if not 1 <= stale_after_months <= 60:
        raise ValidationError(_("Le délai avant « À vérifier » doit être compris entre 1 et 60 mois."))
    if hide_after_months is not None and not stale_after_months <= hide_after_months <= 120:
        raise ValidationError(_("Le délai avant retrait doit être au moins égal au délai avant « À vérifier » "
                                "(et d'au plus 120 mois)."))


@transaction.atomic
def freshness_policy_set(*, user, departement: str, stale_after_months: int, hide_after_months: int | None,
                         apply_corrections: bool = False) -> FreshnessPolicy:
    """Set a département's policy; PermissionDenied outside the user's départements, ValidationError on bad values.

    `apply_corrections`: the corrections its places send through their update links are applied at once.

    The places of the département get a new `updated_at`, so cached counts and map answers (keyed on the data
    version) follow at once.
    """
    if not coordinated_departements(user).filter(pk=departement).exists():
        raise PermissionDenied(_("Vous ne coordonnez pas ce département."))
    check_months(stale_after_months=stale_after_months, hide_after_months=hide_after_months)
    policy, _created = FreshnessPolicy.objects.update_or_create(
        departement_id=departement,
        defaults={"stale_after_months": stale_after_months, "hide_after_months": hide_after_months,
                  "apply_corrections": apply_corrections, "updated_by": user})
    Structure.objects.filter(commune__departement_id=departement).update(updated_at=timezone.now())
    return policy

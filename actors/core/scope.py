"""Coordinator accounts: who may edit which structures. The scope itself is `Structure.objects.editable_by`."""

from collections.abc import Callable, Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.db import transaction

from actors.models import CoordinatorScope
from territories.models import EPCI, Commune, Departement

COORDINATORS_GROUP = "Coordinateurs"
# Model permissions a coordinator needs in the admin; the territory scope narrows every one of them.
COORDINATOR_PERMISSIONS = [
    "add_structure", "change_structure", "view_structure", "delete_structure",
    "add_temporaryclosure", "change_temporaryclosure", "view_temporaryclosure", "delete_temporaryclosure",
    "add_contactperson", "change_contactperson", "view_contactperson", "delete_contactperson",
    "view_duplicatecandidate", "change_duplicatecandidate",
    "view_correctionreport", "change_correctionreport",
    "view_freshnesspolicy", "add_freshnesspolicy", "change_freshnesspolicy",
    "add_atelierseries", "change_atelierseries", "view_atelierseries",
    "add_ateliersession", "change_ateliersession", "view_ateliersession",
    "add_atelierfeed", "change_atelierfeed", "view_atelierfeed", "delete_atelierfeed",
]


def coordinators_group() -> Group:
    group, _created = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="actors",
                                                    codename__in=COORDINATOR_PERMISSIONS))
    return group


@transaction.atomic
def coordinator_create(
    email: str,
    *,
    departements: Sequence[str] = (),
    epcis: Sequence[str] = (),
    communes: Sequence[str] = (),
    password: str | None = None,
) -> User:
    """Create (or complete) a staff account scoped to the given territories; unknown codes raise ValueError."""
    territories = (
        [("departement", Departement, code) for code in departements]
        + [("epci", EPCI, code) for code in epcis]
        + [("commune", Commune, code) for code in communes]
    )
    if not territories:
        raise ValueError("Indiquez au moins un territoire (département, EPCI ou commune).")
    resolved: list[tuple[str, Departement | EPCI | Commune]] = []
    for field, model, code in territories:
        territory = model.objects.filter(pk=code).first()
        if territory is None:
            raise ValueError(f"{str(model._meta.verbose_name).capitalize()} inconnu(e) : {code}")
        resolved.append((field, territory))

    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).first() or user_model(username=email, email=email)
    user.is_staff = True
    if password:
        user.set_password(password)
    elif not user.pk:
        user.set_unusable_password()
    user.save()
    user.groups.add(coordinators_group())
    for field, territory in resolved:
        CoordinatorScope.objects.get_or_create(user=user, defaults=None, **{field: territory})
    return user


def commune_acceptor(user: User | AnonymousUser) -> Callable[[Commune | None], bool]:
    """A predicate telling whether a place in that commune would be editable by `user` (forms, imports).

    The same rule as `Structure.objects.editable_by` (`CoordinatorScope.objects.condition`), read once per
    commune.
    """
    if user.is_superuser and user.is_active:
        return lambda commune: True
    allowed = user.is_authenticated and user.is_active and user.is_staff
    condition = CoordinatorScope.objects.condition(user, "") if allowed else None
    seen: dict[str, bool] = {}

    def accept(commune: Commune | None) -> bool:
        if commune is None or condition is None:
            return False
        if commune.pk not in seen:
            seen[commune.pk] = Commune.objects.filter(condition, pk=commune.pk).exists()
        return seen[commune.pk]

    return accept

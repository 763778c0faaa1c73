"""The public page of one place: everything the standard holds, in plain French, in at most 6 queries."""

import datetime as dt
import math

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.views.generic import DetailView

from actors import opening, referral
from actors.enums import SERVICE_GROUPS, TermKind
from actors.locate import DEGREES_PER_METRE
from actors.models import ContactPerson, Structure, StructureQPV, TemporaryClosure

NEARBY_RADIUS_M = 10_000
NEARBY_COUNT = 5


class VisibleStructureMixin:
    """Published places for everyone; coordinators also preview drafts and archives of their own territories."""

    def visible_structures(self):
        return Structure.objects.visible_to(self.request.user)

    def get(self, request, *args, **kwargs):
        # A numeric id (old links, exports) moves to the slug URL, unless it is itself a slug.
        slug = kwargs["slug"]
        if slug.isdigit() and not self.visible_structures().filter(slug=slug).exists():
            structure = self.visible_structures().filter(pk=int(slug)).only("slug").first()
            if structure is None:
                raise Http404
            return HttpResponsePermanentRedirect(self.redirect_url(structure))
        return super().get(request, *args, **kwargs)

    def redirect_url(self, structure: Structure) -> str:
        return structure.get_absolute_url()


def correction_url(structure: Structure) -> str | None:
    """The public "signaler une erreur" form, when that part of the product is installed."""
    try:
        return reverse("actors:correction", args=[structure.slug])
    except NoReverseMatch:
        return None


def upcoming_closures(structure: Structure, today: dt.date) -> list[TemporaryClosure]:
    return list(structure.closures.filter(ends_on__gte=today).order_by("starts_on"))


def is_stale(structure: Structure, now: dt.datetime) -> bool:
    return structure.verified_at is None or structure.verified_at < now - dt.timedelta(days=settings.STALE_AFTER_DAYS)


def grouped_services(structure: Structure) -> list[tuple[str, list[str]]]:
    """The structure's services under the needs of the national map, in the map's order."""
    labels = {term.code: term.display_label for term in structure.terms.all() if term.kind == TermKind.SERVICES}
    groups = []
    for title, codes in SERVICE_GROUPS.values():
        found = [labels[code] for code in codes if code in labels]
        if found:
            groups.append((title, found))
    return groups


def similar_nearby(structure: Structure, limit: int = NEARBY_COUNT) -> list[Structure]:
    """Published places within 10 km offering at least one of the same services, nearest first (one query)."""
    service_ids = [term.pk for term in structure.terms.all() if term.kind == TermKind.SERVICES]
    if structure.location is None or not service_ids:
        return []
    point = structure.location
    # A bounding box first, so that both databases can use their spatial index before measuring.
    margin = NEARBY_RADIUS_M * DEGREES_PER_METRE / max(math.cos(math.radians(point.y)), 0.2)
    shares_a_service = Structure.terms.through.objects.filter(structure_id=OuterRef("pk"), term_id__in=service_ids)
    candidates = (
        Structure.objects.public()
        .exclude(pk=structure.pk)
        .filter(location__intersects=point.buffer(margin))
        .filter(Exists(shares_a_service))
        .annotate(distance=Distance("location", point))
        .order_by("distance", "nom")
        .only("slug", "nom", "commune_nom", "location", "location_is_approximate")[: limit * 2]
    )
    return [candidate for candidate in candidates if candidate.distance.m <= NEARBY_RADIUS_M][:limit]


def format_distance(metres: float) -> str:
    if metres < 1000:
        return f"{round(metres / 10) * 10:.0f} m"
    return f"{number_format(round(metres / 1000, 1), 1)} km"


class StructureDetailView(VisibleStructureMixin, DetailView):
    template_name = "actors/structure_detail.html"
    context_object_name = "structure"

    def get_queryset(self):
        today = timezone.localdate()
        # The nearest QPV rides along in the main query instead of costing one more.
        nearest_qpv = StructureQPV.objects.filter(structure=OuterRef("pk")).order_by("distance_m", "qpv_id")
        contacts = ContactPerson.objects.visible_to(self.request.user).filter(structure=OuterRef("pk"))
        return (
            self.visible_structures()
            .select_related("commune__departement", "commune__epci")
            .prefetch_related("terms")
            .annotate(
                qpv_name=Subquery(nearest_qpv.values("qpv__name")[:1]),
                qpv_code=Subquery(nearest_qpv.values("qpv_id")[:1]),
                qpv_distance=Subquery(nearest_qpv.values("distance_m")[:1]),
                has_closures=Exists(TemporaryClosure.objects.filter(structure=OuterRef("pk"), ends_on__gte=today)),
                has_contacts=Exists(contacts),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        structure = self.object
        now = timezone.now()
        today = timezone.localdate(now)
        closures = upcoming_closures(structure, today) if structure.has_closures else []
        current_closure = opening.closure_on(today, closures)
        is_itinerant = "itinerant" in structure.term_codes(TermKind.ITINERANCE)
        contacts = []
        if structure.has_contacts:
            contacts = list(ContactPerson.objects.visible_to(self.request.user).filter(structure=structure))
        for contact in contacts:
            contact.phone_link = referral.format_phone(contact.phone)
        nearby = similar_nearby(structure)
        for place in nearby:
            place.distance_text = format_distance(place.distance.m)
        context.update(
            status=opening.opening_status(structure, now, closures),
            week=opening.weekly_table(structure.horaires, today, closures),
            current_closure=current_closure,
            next_closure=next((c for c in closures if c.starts_on > today), None),
            is_itinerant=is_itinerant,
            stops=list(structure.service_area.order_by("name")) if is_itinerant else [],
            service_groups=grouped_services(structure),
            contacts=contacts,
            private_contacts=any(not contact.is_public for contact in contacts),
            nearby=nearby,
            is_stale=is_stale(structure, now),
            correction_url=correction_url(structure),
            labels={kind.name: structure.term_labels(kind) for kind in TermKind},
            access=referral.access_for(structure),
            websites=[url for url in map(referral.web_url, structure.site_web_list) if url],
            acceslibre_url=referral.web_url(structure.fiche_acces_libre),
            show_map=structure.location is not None and not structure.location_is_approximate,
        )
        return context

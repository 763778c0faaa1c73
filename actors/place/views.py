"""The public page of one place: everything the standard holds, in plain French, in at most 7 queries (one of
them the data version)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.views.generic import DetailView

from actors.core import spatial_index
from actors.core.geo import box_around
from actors.core.versioned_cache import cache_key, kept
from actors.models import AtelierSession, ContactPerson, DuplicateCandidate, Structure, StructureQPV, TemporaryClosure
from actors.models.version import data_version
from actors.opening import status as opening
from actors.place import folded_records, referral
from actors.vocabulary.enums import SERVICE_GROUPS, DuplicateStatus, PublicationState, TermKind

NEARBY_RADIUS_M = 10_000
NEARBY_COUNT = 5
NEXT_SESSIONS = 5


class FoldedCopy(Exception):
    """The record asked for is folded into another one: its URL moves there (printed QR codes keep working)."""

    def __init__(self, root: Structure):
        super().__init__(root.slug)
        self.root = root


class VisibleStructureMixin:
    """Published places for everyone; coordinators also preview drafts and archives of their own territories.

    A published record folded into another (see actors/duplicates/folding.py) answers with a 301 to that place.
    """

    def visible_structures(self):
        return Structure.objects.visible_to(self.request.user)

    def get(self, request, *args, **kwargs):
        # A numeric id (old links, exports) moves to the slug URL, unless it is itself a slug.
        slug = kwargs["slug"]
        try:
            if slug.isdigit() and not self.visible_structures().filter(slug=slug).exists():
                structure = self.visible_structures().filter(pk=int(slug)).only("slug", "state", "folded_into").first()
                if structure is None:
                    raise Http404
                return HttpResponsePermanentRedirect(self.redirect_url(self.unfolded(structure)))
            return super().get(request, *args, **kwargs)
        except FoldedCopy as copy:
            return HttpResponsePermanentRedirect(self.redirect_url(copy.root))

    def get_object(self, queryset=None):
        return self.unfolded(super().get_object(queryset), redirect=True)

    @staticmethod
    def unfolded(structure: Structure, redirect: bool = False) -> Structure:
        if structure.folded_into_id is None or structure.state != PublicationState.PUBLISHED:
            return structure
        root = Structure.objects.only("slug").get(pk=structure.folded_into_id)
        if redirect:
            raise FoldedCopy(root)
        return root

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


def grouped_services(structure: Structure, terms=None) -> list[tuple[str, list[str]]]:
    """The structure's services (or `terms`) under the needs of the national map, in the map's order."""
    terms = structure.terms.all() if terms is None else terms
    labels = {term.code: term.display_label for term in terms if term.kind == TermKind.SERVICES}
    groups = []
    for title, codes in SERVICE_GROUPS.values():
        found = [labels[code] for code in codes if code in labels]
        if found:
            groups.append((title, found))
    return groups


def similar_nearby(structure: Structure, limit: int = NEARBY_COUNT, group: list[int] | None = None) -> list[Structure]:
    """Public places within 10 km offering at least one of the same services, nearest first (one query).

    Never the place itself, its folded copies (not public) nor a record a coordinator has yet to tell apart
    from it or from one of its copies `group` (a pending duplicate pair): "nearby" is for other places.
    """
    service_ids = [term.pk for term in structure.terms.all() if term.kind == TermKind.SERVICES]
    if structure.location is None or not service_ids:
        return []
    point = structure.location
    # A bounding box first, so that both databases can use their spatial index before measuring.
    shares_a_service = Structure.terms.through.objects.filter(structure_id=OuterRef("pk"), term_id__in=service_ids)
    pending = DuplicateCandidate.objects.exclude(status=DuplicateStatus.DISMISSED)
    group = group or [structure.pk]  # the place and its folded copies (those are not public anyway)
    twin = (Exists(pending.filter(first_id=OuterRef("pk"), second_id__in=group))
            | Exists(pending.filter(second_id=OuterRef("pk"), first_id__in=group)))
    candidates = (
        Structure.objects.public()
        .exclude(pk=structure.pk)
        .exclude(twin)
        .filter(spatial_index.in_box(*box_around(point, NEARBY_RADIUS_M)))
        .filter(Exists(shares_a_service))
        .annotate(distance=Distance("location", point, spheroid=True))
        .order_by("distance", "nom")
        .only("slug", "nom", "commune_nom", "location", "location_is_approximate")[: limit * 2]
    )
    return [candidate for candidate in candidates if candidate.distance.m <= NEARBY_RADIUS_M][:limit]


@dataclass(frozen=True)
class NearbyPlace:
    """What the detail page shows of a place nearby: kept in the cache as is."""

    nom: str
    display_name: str
    url: str
    commune_nom: str
    location_is_approximate: bool
    distance_text: str


def nearby_places(*, structure: Structure, group: list[int]) -> list[NearbyPlace]:
    """`similar_nearby`, kept per data version (a spatial query measuring every place within 10 km).

    A decision on a duplicate pair does not move the data version: like the whole-page cache, the list
    expires after PAGE_CACHE_SECONDS.
    """
    if settings.PAGE_CACHE_SECONDS <= 0:  # no data version to read either
        return _nearby(structure=structure, group=group)
    key = cache_key("nearby", data_version(), get_language(), structure.pk, sorted(group))
    return kept(key, lambda: _nearby(structure=structure, group=group), seconds=settings.PAGE_CACHE_SECONDS)


def _nearby(*, structure: Structure, group: list[int]) -> list[NearbyPlace]:
    return [
        NearbyPlace(nom=place.nom, display_name=place.display_name, url=place.get_absolute_url(),
                    commune_nom=place.commune_nom, location_is_approximate=place.location_is_approximate,
                    distance_text=format_distance(place.distance.m))
        for place in similar_nearby(structure, group=group)
    ]


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
                has_copies=Exists(Structure.objects.published().filter(folded_into=OuterRef("pk"))),
                # Rides along: the sessions cost a query only at the places that have some.
                has_sessions=Exists(AtelierSession.objects.at(OuterRef("pk")).upcoming()),
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
        merged, copies = None, []
        if structure.has_copies:
            # A folded place: read its records as one (in memory only; nothing is saved).
            copies = folded_records.copies_of(structure)
            merged = folded_records.merge(structure, copies)
            structure.horaires = merged.horaires
            structure.courriels, structure.site_web = "|".join(merged.emails), "|".join(merged.websites)
            structure.telephone = merged.phones[0] if merged.phones else ""
        nearby = nearby_places(structure=structure, group=[structure.pk, *(copy.pk for copy in copies)])
        access = referral.access_for(structure)
        if merged is not None:
            access.more_phones = [referral.format_phone(phone) for phone in merged.phones[1:]]
        context.update(
            folded=merged,
            shown_pivot=merged.pivot if merged is not None else structure.shown_pivot,
            status=opening.opening_status(structure, now, closures),
            week=opening.weekly_table(structure.horaires, today, closures),
            current_closure=current_closure,
            next_closure=next((c for c in closures if c.starts_on > today), None),
            is_itinerant=is_itinerant,
            stops=list(structure.service_area.order_by("name")) if is_itinerant else [],
            service_groups=grouped_services(structure, merged.services if merged is not None else None),
            contacts=contacts,
            private_contacts=any(not contact.is_public for contact in contacts),
            nearby=nearby,
            freshness=structure.freshness(now),
            correction_url=correction_url(structure),
            labels={kind.name: structure.term_labels(kind) for kind in TermKind},
            access=access,
            websites=[url for url in map(referral.web_url, structure.site_web_list) if url],
            acceslibre_url=referral.web_url(structure.fiche_acces_libre),
            show_map=structure.location is not None and not structure.location_is_approximate,
            sessions=(list(AtelierSession.objects.at(structure.pk).upcoming(now).select_related("series__structure")
                           [:NEXT_SESSIONS]) if structure.has_sessions else []),
        )
        return context

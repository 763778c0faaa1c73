"""The API on the whole demo (2,162 places): the list page's count and order for every directory filter, a cursor
walk that gives each place once while places change, and a mirror kept exact by the change feed alone."""

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.db.models import Count

from actors.core.writes import structure_save, structure_upsert, structures_set_state
from actors.directory.filters import TERM_FILTERS, StructureFilter
from actors.duplicates import folding
from actors.models import Structure, Term
from actors.vocabulary.enums import PublicationState, TermKind

pytestmark = pytest.mark.django_db
PAGES = 3  # pages of the list page compared, row by row, for each filter


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.API_ANONYMOUS_PER_MINUTE = 100_000  # these tests read hundreds of pages in a minute


def common_code(kind: str) -> str:
    """The code of `kind` most public places carry: a filter that selects something on the demo (the demo has no
    place with a label: that filter then selects nothing, which both must say)."""
    term = (Term.objects.filter(kind=kind, structures__in=Structure.objects.public())
            .annotate(n=Count("structures")).order_by("-n", "code").first())
    return (term or Term.objects.filter(kind=kind).order_by("code").first()).code


def queries() -> list[str]:
    """One query per filter of the directory (and per value family), with a value that means something on the
    demo; the test below fails if a filter of StructureFilter is left out."""
    poitiers = Structure.objects.public().filter(commune_id="86194").first()
    epci = poitiers.commune.epci_id
    terms = [f"{name}={common_code(kind)}" for name, (kind, _mode) in TERM_FILTERS.items()]
    return [
        "", "q=mediatheque", "q=aide+caf&tels_quels=1", "departement=86", f"epci={epci}", "commune=86194",
        "qpv=dans", "qpv=300m", "besoin=demarches", *terms, "ouvert=maintenant", "jour=samedi", "heure=18",
        "soir=1", "weekend=1", "inconnu=horaires", "inconnu=frais", "fraicheur=a-verifier", "fraicheur=a-jour",
        "pres_de=Poitiers", "lat=46.58&lon=0.34&rayon=5", "lat=45.84&lon=1.26&rayon=20&tri=nom",
        "tri=verification", "departement=33&services=" + common_code(TermKind.SERVICES) + "&frais=gratuit",
        "qpv=300m&qpv_distance=1km", "ateliers=semaine",
    ]


def list_page(client, query: str) -> tuple[int, list[str]]:
    slugs = []
    total = 0
    for number in range(1, PAGES + 1):
        directory = client.get(f"/lieux/?{query}&page={number}").context["directory"]
        total = directory["total"]
        if directory["page_obj"].number != number:
            break  # past the last page, the list page shows the last one again
        slugs += [row.slug for row in directory["rows"]]
    return total, slugs


def api_pages(client, query: str) -> tuple[int, list[str]]:
    slugs = []
    url = f"/api/v1/lieux?{query}&limite=20"
    count = None
    for _page in range(PAGES):
        response = client.get(url)
        assert response.status_code == 200, (query, response.content[:300])
        data = response.json()
        count = data["count"] if count is None else count
        slugs += [item["slug"] for item in data["items"]]
        if not data["next"]:
            break
        url = data["next"]
    return count, slugs


def test_for_every_filter_the_api_gives_the_list_page_s_count_and_order(client, demo_data):
    asked = queries()
    named = {part.split("=")[0] for query in asked for part in query.split("&") if part}
    assert named == set(StructureFilter.base_filters), set(StructureFilter.base_filters) - named
    selecting = 0
    for query in asked:
        # The API first: its count is then its own, not the list page's cached one.
        count, api_slugs = api_pages(client, query)
        total, slugs = list_page(client, query)
        assert count == total, query
        assert api_slugs == slugs, query
        selecting += 0 < total < 2162
    assert selecting >= len(asked) - 4  # nearly every filter narrows the demo: the comparison means something


def walk(client, url: str, between=None) -> list[str]:
    seen = []
    while url:
        data = client.get(url).json()
        seen += [item["slug"] for item in data["items"]]
        url = data["next"]
        if between is not None:
            between(len(seen))
    return seen


def test_following_next_gives_each_place_once_while_places_are_edited(client, demo_data):
    order = list(Structure.objects.public().order_by("nom", "pk"))
    ahead, behind = order[-300:-294], order[10:16]  # the edits come after 400 places are read
    archived = order[-100]
    edited = {"done": False}

    def edit(seen_so_far: int) -> None:
        if edited["done"] or seen_so_far < 400:
            return
        edited["done"] = True
        for structure in ahead + behind:
            structure.telephone = "0549000000"
            structure.horaires = "Mo-Fr 09:00-12:00"
            structure_save(structure)
        structures_set_state([archived], PublicationState.ARCHIVED)

    seen = walk(client, "/api/v1/lieux?limite=100", between=edit)
    assert edited["done"]
    assert len(seen) == len(set(seen))
    assert set(seen) == set(Structure.objects.public().values_list("slug", flat=True))
    assert archived.slug not in seen and all(s.slug in seen for s in ahead + behind)


def follow_feed(client, mirror: dict, since: str | None) -> str | None:
    url = "/api/v1/lieux/modifications?limite=100" + (f"&modifie_depuis={since}" if since else "")
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        data = response.json()
        for entry in data["items"]:
            if entry["action"] == "modifie":
                mirror[entry["slug"]] = entry["lieu"]
            else:
                mirror.pop(entry["slug"], None)
            since = entry["modifie_le"]
        url = data["next"]
    return since


def directory_now() -> dict[str, tuple]:
    return {s.slug: (s.nom, s.telephone, s.horaires) for s in Structure.objects.public()}


def test_a_mirror_fed_by_the_change_feed_ends_equal_to_the_directory(client, demo_data):
    mirror: dict[str, dict] = {}
    since = follow_feed(client, mirror, None)
    assert {slug: (p["nom"], p["telephone"], p["horaires"]) for slug, p in mirror.items()} == directory_now()

    public = list(Structure.objects.public().order_by("pk"))
    for structure in public[:5]:
        structure.telephone = "0549112233"
        structure_save(structure)
    structures_set_state(public[5:8], PublicationState.ARCHIVED)
    gone = public[8]
    gone.delete()  # as the admin deletes: simple_history keeps a "-" record
    # A second source of a place: the two fold into one public place.
    twin = next(s for s in public[9:] if s.location is not None and not s.location_is_approximate)
    copy = structure_upsert({
        "source": "Autre source", "source_id": "twin-1", "nom": twin.nom, "adresse": twin.adresse,
        "code_postal": twin.code_postal, "commune_nom": twin.commune_nom, "code_insee": twin.code_insee,
        "date_maj": dt.date(2020, 1, 1), "pivot": twin.pivot,
        "location": Point(twin.location.x + 0.00005, twin.location.y, srid=4326), "horaires": twin.horaires,
    }, {kind: twin.term_codes(kind) for kind in TermKind.values}).structure
    folding.refresh(pks=[copy.pk])  # as an import does after its rows
    folded = Structure.objects.filter(pk__in=[twin.pk, copy.pk], folded_into__isnull=False)
    assert folded.count() == 1  # the fold happened, so the feed has a folded record to report

    follow_feed(client, mirror, since)
    current = directory_now()
    assert {slug: (p["nom"], p["telephone"], p["horaires"]) for slug, p in mirror.items()} == current
    assert gone.slug not in mirror and folded.get().slug not in mirror

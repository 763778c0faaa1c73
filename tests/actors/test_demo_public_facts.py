"""The whole demo as the public sees it: one card per place (every public count agrees, copies redirect, "nearby"
lists others) and honest facts (no placeholder SIRET, readable names, believable points, no blanket claims)."""

import csv
import io
from collections import defaultdict

import pytest
from django.contrib.gis.geos import Point
from django.utils.html import escape

from actors.core import locking
from actors.directory.facets import term_counts
from actors.directory.filters import StructureFilter
from actors.duplicates import folding
from actors.models import DuplicateCandidate, Structure, Term
from actors.place.views import similar_nearby
from actors.vocabulary.enums import DuplicateStatus, PublicationState, TermKind
from territories.text import fold

pytestmark = pytest.mark.usefixtures("demo_data", "db")
HOST = {"HTTP_HOST": "127.0.0.1"}


def groups_by_root() -> dict[int, set[int]]:
    """The oracle: folding.fold_groups() recomputed from the stored pairs, keyed by the stored root."""
    roots = defaultdict(set)
    for group in folding.fold_groups():
        stored = {pk: root for pk, root in Structure.objects.filter(pk__in=group).values_list("pk", "folded_into")}
        (root,) = [pk for pk, into in stored.items() if into is None]
        assert all(into in (None, root) for into in stored.values())
        roots[root] = group
    return roots


def test_public_counts_one_row_per_folded_group_on_the_whole_demo():
    published = Structure.objects.published().count()
    groups = groups_by_root()
    copies = sum(len(group) - 1 for group in groups.values())
    assert published == 2162 and len(groups) > 300 and copies > 400
    assert Structure.objects.public().count() == published - copies
    # No public place is a copy of another public place.
    public = set(Structure.objects.public().values_list("pk", flat=True))
    assert all(len(group & public) == 1 for group in groups.values())


def test_the_home_a_facet_the_map_a_territory_page_and_the_export_count_the_same_places(client):
    public = Structure.objects.public()
    home = client.get("/", **HOST)
    assert home.context["directory"]["total"] == public.count()

    term = Term.objects.get(kind=TermKind.SERVICES, code="aide-aux-demarches-administratives")
    assert term_counts(StructureFilter({}, public))[term.pk] == public.filter(terms=term).count()
    assert public.filter(terms=term).count() < Structure.objects.published().filter(terms=term).count()

    data = client.get("/carte/donnees/", {"bbox": "-5,42,5,48", "zoom": "6"}, **HOST).json()
    assert data["t"] == public.exclude(location=None).count()

    gironde = client.get("/territoires/departements/33/", **HOST)
    assert gironde.context["directory"]["total"] == public.in_departement("33").count()

    export = client.get("/export/lieux.csv", {"departement": "33"}, **HOST)
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == public.in_departement("33").count()


def test_the_home_shows_each_place_once():
    # The count: places sharing a name and a commune with another. What remains are distinct
    # places (several sites of one CCAS, two Afpa centres) or pairs the rule leaves to coordinators.
    def sharing(structures) -> int:
        by_key = defaultdict(int)
        for nom, commune in structures.values_list("nom", "commune_id"):
            by_key[(fold(nom), commune)] += 1
        return sum(n for n in by_key.values() if n > 1)

    assert sharing(Structure.objects.published()) > 700
    assert sharing(Structure.objects.public()) < 40


def test_a_copy_url_redirects_to_the_folded_page_and_its_sheet(client):
    root = Structure.objects.public().filter(copies__isnull=False).first()
    copy = Structure.objects.filter(folded_into=root).first()
    for path, target in [
        (f"/lieux/{copy.slug}/", root.get_absolute_url()),
        (f"/lieux/{copy.pk}/", root.get_absolute_url()),
        (f"/lieux/{copy.slug}/fiche/", root.get_absolute_url() + "fiche/"),
    ]:
        response = client.get(path, **HOST)
        assert response.status_code == 301, path
        assert response["Location"] == target
    sheet = client.get("/orientation/", {"lieux": copy.slug}, **HOST)
    assert sheet.status_code == 200
    assert [s.structure.pk for s in sheet.context["sheets"]] == [root.pk]


def test_the_folded_page_merges_its_sources(client, django_assert_max_num_queries):
    # PIMMS de Cenon: four records from two national lists and one from the Gironde directory.
    root = Structure.objects.public().get(nom="Association PIMMS de Cenon")
    members = [root, *Structure.objects.filter(folded_into=root)]
    assert len(members) == 5
    with django_assert_max_num_queries(8):
        response = client.get(root.get_absolute_url(), **HOST)
    folded = response.context["folded"]
    assert {line.name for line in folded.sources} == {m.source for m in members}
    assert sum(line.records for line in folded.sources) == 5
    emails = {e.lower() for m in members for e in m.courriel_list}
    assert sorted(e.lower() for e in folded.emails) == sorted(emails)  # each once
    services = {t.code for m in members for t in m.terms.all() if t.kind == TermKind.SERVICES}
    assert {t.code for t in folded.services} == services
    with_hours = [m for m in members if m.horaires]
    assert folded.horaires == max(with_hours, key=lambda m: m.date_maj).horaires
    for member in members:
        assert escape(member.source) in response.content.decode()


def test_nearby_never_lists_the_place_or_its_copies():
    groups = groups_by_root()
    twins = defaultdict(set)
    pending = DuplicateCandidate.objects.exclude(status=DuplicateStatus.DISMISSED)
    for first, second in pending.values_list("first_id", "second_id"):
        twins[first].add(second)
        twins[second].add(first)
    roots = Structure.objects.public().filter(pk__in=groups).prefetch_related("terms")
    checked = 0
    for root in roots:
        group = groups[root.pk]
        excluded = group | {pk for member in group for pk in twins[member]}
        nearby = {place.pk for place in similar_nearby(root, group=sorted(group))}
        assert not nearby & excluded, root
        checked += bool(nearby)
    assert checked > 200


def test_not_a_duplicate_unfolds_the_pair_and_a_merge_makes_it_permanent(admin_client):
    pair = DuplicateCandidate.objects.filter(folds=True, status=DuplicateStatus.PENDING).select_related(
        "first", "second").order_by("first_id").first()
    group = folding.fold_groups()
    (members,) = [g for g in group if pair.first_id in g]
    assert len(members) == 2
    before = Structure.objects.public().count()
    url = f"/admin/actors/duplicatecandidate/{pair.pk}/change/"
    page = admin_client.get(url, **HOST)
    assert "Doublon sûr" in page.content.decode()
    admin_client.post(url, {"_dismiss": "1"}, **HOST)
    assert Structure.objects.public().count() == before + 1
    assert Structure.objects.public().filter(pk__in=[pair.first_id, pair.second_id]).count() == 2

    other = DuplicateCandidate.objects.filter(folds=True, status=DuplicateStatus.PENDING).exclude(
        pk=pair.pk).select_related("first", "second").order_by("first_id").first()
    members = next(g for g in folding.fold_groups() if other.first_id in g)
    url = f"/admin/actors/duplicatecandidate/{other.pk}/change/"
    versions = {f"version_{pk}": locking.version_of(pk) for pk in (other.first_id, other.second_id)}
    response = admin_client.post(url, {"keep": str(other.first_id), **versions, **{
        f"field_{name}": str(other.first_id) for name in _differing(other)}}, **HOST)
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == DuplicateStatus.MERGED
    assert Structure.objects.get(pk=other.second_id).state == PublicationState.ARCHIVED
    kept = Structure.objects.get(pk=other.first_id)
    public_members = Structure.objects.public().filter(pk__in=members)
    assert public_members.count() == 1  # still one card for what remains of the group
    assert kept.pk in members


def _differing(pair) -> list[str]:
    from actors.moderation.merge import differing_fields

    return differing_fields(pair.first, pair.second)


# --- Honest facts -------------------------------------------------------------------------------------------
def test_no_detail_page_shows_the_placeholder_siret(client):
    placeholder = Structure.objects.public().filter(pivot="00000000000000")
    assert placeholder.count() > 1000
    for structure in placeholder.order_by("pk")[:25]:
        response = client.get(structure.get_absolute_url(), **HOST)
        assert response.status_code == 200
        assert "00000000000000" not in response.content.decode()
    real = Structure.objects.public().exclude(pivot="00000000000000").exclude(pivot="").filter(copies=None).first()
    assert real.pivot in client.get(real.get_absolute_url(), **HOST).content.decode()


def test_a_name_made_of_digits_reads_as_its_type_and_commune_and_is_listed_for_coordinators(client, admin_client):
    (numbered,) = Structure.objects.public().filter(nom__regex=r"^[0-9 ]+$")
    typology = numbered.term_labels(TermKind.TYPOLOGIE)
    expected = f"{typology[0] if typology else 'Lieu'} — {numbered.commune.name}"
    assert numbered.display_name == expected
    page = client.get(numbered.get_absolute_url(), **HOST).content.decode()
    assert f"<h1>{escape(expected)}</h1>" in page and numbered.nom not in page.replace(numbered.slug, "")
    home = client.get("/", {"tri": "nom"}, **HOST)
    assert home.context["directory"]["rows"][0].pk == numbered.pk  # the first card of the default list…
    assert numbered.nom not in home.content.decode().replace(numbered.slug, "")  # …reads as its type and commune
    point = numbered.location
    data = client.get("/carte/donnees/", {"bbox": f"{point.x - .01},{point.y - .01},{point.x + .01},{point.y + .01}",
                                          "zoom": "16"}, **HOST).json()
    assert [p[2] for p in data["p"] if p[0] == numbered.pk] == [expected]
    listed = admin_client.get("/admin/actors/structure/", {"fiabilite": "nom"}, **HOST)
    assert [s.pk for s in listed.context["cl"].result_list] == [numbered.pk]


def test_a_point_more_than_20_km_from_its_commune_is_set_aside_for_the_commune_centre(client, admin_client):
    from actors.devdata import demo

    # Oracle: the snapshot's own points, measured in Lambert-93 by GDAL (not by the app's haversine).
    # Issue 22: 20 km beyond the commune's reach (its town hall), read from the territory data.
    centres = {code: (centre, reach) for code, centre, reach in Structure.objects.values_list(
        "commune_id", "commune__centre", "commune__reach_m")}
    far = set()
    for record in demo.read_snapshot()["structures"]:
        if record["location"] and not record["location_is_approximate"] and record["commune"]:
            point = Point(*record["location"], srid=4326).transform(2154, clone=True)
            centre, reach = centres[record["commune"]]
            if point.distance(centre.transform(2154, clone=True)) > 20_000 + reach:
                far.add((record["source"], record["source_id"]))
    flagged = Structure.objects.exclude(source_location=None)
    assert set(flagged.values_list("source", "source_id")) == far
    assert len(far) >= 3
    for structure in flagged.select_related("commune"):
        assert structure.location_is_approximate
        assert structure.location.equals_exact(structure.commune.centre, 1e-9)
    shown = flagged.filter(folded_into=None).first()
    page = client.get(shown.get_absolute_url(), **HOST).content.decode()
    assert "à plus de 20 km de la commune" in page and 'id="structure-map"' not in page
    listed = admin_client.get("/admin/actors/structure/", {"fiabilite": "position"}, **HOST)
    assert {s.pk for s in listed.context["cl"].result_list} == set(flagged.values_list("pk", flat=True))


def test_blanket_claims_are_not_shown_nor_used_as_filter_evidence(client):
    languages = Term.objects.get(kind=TermKind.PRISE_EN_CHARGE, code="langues-etrangeres-autres")
    claimed = Structure.objects.published().filter(terms=languages)
    assert claimed.count() == 5 and all(s.blanket_claims for s in claimed)  # one data·inclusion producer
    response = client.get("/", {"prise_en_charge": "langues-etrangeres-autres"}, **HOST)
    assert response.context["directory"]["total"] == 0
    assert term_counts(StructureFilter({}, Structure.objects.public())).get(languages.pk, 0) == 0
    # A claim stated alone is still evidence.
    deafness = Term.objects.get(kind=TermKind.PRISE_EN_CHARGE, code="surdite")
    stated = Structure.objects.public().filter(terms=deafness, blanket_claims=False).count()
    assert stated > 0
    assert client.get("/", {"prise_en_charge": "surdite"}, **HOST).context["directory"]["total"] == stated
    page = client.get(claimed.filter(folded_into=None).first().get_absolute_url(), **HOST).content.decode()
    assert "coche presque tous les publics" in page and languages.label not in page

"""The open API on a small territory: reads, errors in French, partner keys, corrections into the queue."""

import datetime as dt
import json

import pytest
from django.test import override_settings
from django.utils import timezone
from openapi_spec_validator import validate

from actors.core import locking
from actors.core.writes import structure_save
from actors.models import ApiKey, CorrectionReport, Structure
from actors.vocabulary.enums import CorrectionStatus

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    return client.get(url, headers=headers)


def post_correction(client, structure, body, key=None):
    headers = {"X-Api-Key": key} if key else {}
    return client.post(f"/api/v1/lieux/{structure.slug}/corrections", json.dumps(body),
                       content_type="application/json", headers=headers)


@pytest.fixture
def writer(two_territories):
    key, raw = ApiKey.objects.issue(name="CCAS de Poitiers", can_write=True)
    key.departements.add(two_territories["vienne"] if "vienne" in two_territories else "86")
    return key, raw


def test_the_list_gives_public_places_with_the_standard_s_columns_and_a_count(client, two_territories):
    response = get(client, "/api/v1/lieux")
    assert response.status_code == 200
    data = response.json()
    public = list(Structure.objects.public().order_by("nom", "pk").values_list("slug", flat=True))
    assert data["count"] == len(public) and [item["slug"] for item in data["items"]] == public
    first = data["items"][0]
    assert {"id", "nom", "adresse", "horaires", "services", "fraicheur", "ouverture", "version"} <= set(first)
    assert response["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_filter_a_forged_cursor_and_a_bad_limit_are_400_in_french(client, two_territories):
    for url in ("/api/v1/lieux?couleur=bleu", "/api/v1/lieux?curseur=abc", "/api/v1/lieux?limite=0",
                "/api/v1/lieux?services=inexistant", "/api/v1/lieux/modifications?modifie_depuis=hier",
                "/api/v1/lieux?date=demain", "/api/v1/lieux?format=xml", "/api/v1/lieux?limite=abc",
                "/api/v1/vocabulaires?champ=couleur", "/api/v1/hsds/services?per_page=0"):
        response = get(client, url)
        assert response.status_code == 400, url
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]


def test_a_cursor_of_another_query_is_refused(client, two_territories):
    token = get(client, "/api/v1/lieux?limite=1").json()["next"].split("curseur=")[1]
    response = get(client, f"/api/v1/lieux?limite=1&departement=87&curseur={token}")
    assert response.status_code == 400 and "autre recherche" in response.json()["detail"]


def test_an_unknown_place_is_404_in_json(client, two_territories):
    response = get(client, "/api/v1/lieux/nulle-part")
    assert response.status_code == 404 and "nulle-part" in response.json()["detail"]


def test_an_unchanged_answer_is_304_and_an_edit_changes_the_etag(client, two_territories):
    first = get(client, "/api/v1/lieux?date=2026-11-10T10:00:00")
    again = get(client, "/api/v1/lieux?date=2026-11-10T10:00:00", **{"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    structure = Structure.objects.public().first()
    structure.telephone = "0549000000"
    structure.save()
    changed = get(client, "/api/v1/lieux?date=2026-11-10T10:00:00", **{"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_geojson_features_carry_the_exported_point(client, two_territories):
    data = get(client, "/api/v1/lieux?format=geojson").json()
    assert data["type"] == "FeatureCollection"
    feature = next(f for f in data["features"] if f["geometry"])
    assert feature["geometry"]["coordinates"] == [float(feature["properties"]["longitude"]),
                                                  float(feature["properties"]["latitude"])]


def test_a_revoked_or_expired_key_is_401(client, two_territories):
    revoked, raw_revoked = ApiKey.objects.issue(name="A")
    revoked.revoked_at = timezone.now()
    revoked.save()
    _expired, raw_expired = ApiKey.objects.issue(name="B", expires_at=timezone.now() - dt.timedelta(days=1))
    assert "révoquée" in get(client, "/api/v1/lieux", **{"X-Api-Key": raw_revoked}).json()["detail"]
    assert get(client, "/api/v1/lieux", **{"X-Api-Key": raw_expired}).status_code == 401
    assert get(client, "/api/v1/lieux", **{"X-Api-Key": "ak_faux"}).status_code == 401


@override_settings(API_ANONYMOUS_PER_MINUTE=3)
def test_too_many_anonymous_requests_are_429_and_a_key_has_its_own_limit(client, two_territories):
    statuses = [get(client, "/api/v1/services").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    key, raw = ApiKey.objects.issue(name="Département", per_minute=10)
    assert get(client, "/api/v1/services", **{"X-Api-Key": raw}).status_code == 200
    key.refresh_from_db()
    assert key.uses == 1 and key.last_used_at is not None


def test_a_partner_correction_waits_in_the_queue_under_its_name(client, two_territories, writer):
    key, raw = writer
    structure = two_territories["ours"]["structure"]
    version = locking.version_of(structure.pk)
    before = Structure.objects.filter(pk=structure.pk).values_list("telephone", "updated_at").get()
    response = post_correction(client, structure, {"version": version, "champs": {"telephone": "05 49 00 11 22"}},
                               key=raw)
    assert response.status_code == 202, response.content
    report = CorrectionReport.objects.get(pk=response.json()["signalements"][0])
    assert report.status == CorrectionStatus.PENDING and "CCAS de Poitiers" in report.message
    assert report.proposed_value == "05 49 00 11 22"
    assert Structure.objects.filter(pk=structure.pk).values_list("telephone", "updated_at").get() == before


@pytest.mark.parametrize("case", ["anonymous", "read_only", "other_territory", "unknown_field", "huge_value",
                                  "bad_hours", "stale_version", "nothing_new", "nul_byte"])
def test_a_refused_correction_writes_nothing(client, two_territories, writer, case):
    _key, raw = writer
    structure = two_territories["theirs" if case == "other_territory" else "ours"]["structure"]
    version = locking.version_of(structure.pk)
    fields = {"telephone": "05 49 00 11 22"}
    if case == "read_only":
        _reader, raw = ApiKey.objects.issue(name="Lecteur")
    if case == "unknown_field":
        fields = {"couleur": "bleu"}
    if case == "huge_value":
        fields = {"nom": "x" * 5000}
    if case == "bad_hours":
        fields = {"horaires": "quand on peut"}
    if case == "stale_version":
        version = (dt.datetime.fromisoformat(version) - dt.timedelta(hours=1)).isoformat()
    if case == "nul_byte":
        fields = {"services": "aide\x00"}
    if case == "nothing_new":
        fields = {"nom": structure.nom}
    before = CorrectionReport.objects.count()
    response = post_correction(client, structure, {"version": version, "champs": fields},
                               key=None if case == "anonymous" else raw)
    expected = {"anonymous": 401, "read_only": 403, "other_territory": 403, "stale_version": 409}.get(case, 400)
    assert response.status_code == expected, response.content
    assert response.json()["detail"]
    assert CorrectionReport.objects.count() == before


def test_a_one_megabyte_body_is_refused_before_it_is_read(client, two_territories, writer):
    _key, raw = writer
    response = post_correction(client, two_territories["ours"]["structure"],
                               {"version": "x", "champs": {"nom": "x" * 1_000_000}}, key=raw)
    assert response.status_code == 413 and "octets" in response.json()["detail"]


def test_the_openapi_document_validates(client, two_territories):
    document = get(client, "/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    validate(document)
    assert "/api/v1/lieux" in document["paths"] and "/api/v1/lieux/modifications" in document["paths"]
    assert "/api/v1/ateliers" in document["paths"]


def test_the_docs_page_is_served_from_the_site_s_own_static_files(client, two_territories):
    response = get(client, "/api/v1/docs")
    assert response.status_code == 200
    assert "cdn" not in response.content.decode().lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_data_inclusion_structures_and_services_give_every_public_place_once(client, two_territories):
    public = Structure.objects.public()
    structures = get(client, "/api/v1/data-inclusion/structures?size=1").json()
    assert structures["total"] == public.count() and structures["pages"] == public.count()
    services = get(client, "/api/v1/data-inclusion/services?departement=86").json()
    assert services["total"] == public.filter(commune__departement_id="86").count()
    service = services["items"][0]
    assert service["structure_id"] and all(t.startswith("numerique--") for t in service["thematiques"])
    assert "contact_nom_prenom" not in service  # personal data stays out


def test_hsds_schedules_are_the_place_s_weekly_hours(client, two_territories):
    structure = two_territories["ours"]["structure"]
    structure.horaires = "Mo-Fr 09:00-12:00; Sa 10:00-12:30"
    structure_save(structure)
    data = get(client, f"/api/v1/hsds/services?commune={structure.commune_id}&per_page=500").json()
    compiled = next(s for s in data["contents"]
                    if s["service_at_locations"][0]["location"]["name"] == structure.nom)
    schedules = compiled["service_at_locations"][0]["location"]["schedules"]
    assert sorted((s["byday"], s["opens_at"], s["closes_at"]) for s in schedules) == sorted(
        [(day, "09:00", "12:00") for day in ("MO", "TU", "WE", "TH", "FR")] + [("SA", "10:00", "12:30")])
    assert compiled["organization"]["name"] and data["total_items"] >= 1


def test_coordinators_see_each_key_s_use_and_only_superusers_issue_keys(client, two_territories, admin_user):
    key, raw = ApiKey.objects.issue(name="Portail du département")
    get(client, "/api/v1/services", **{"X-Api-Key": raw})
    client.force_login(two_territories["coordinator"])
    listing = client.get("/admin/actors/apikey/")
    assert listing.status_code == 200 and "Portail du département" in listing.content.decode()
    assert client.get("/admin/actors/apikey/add/").status_code == 403
    client.force_login(admin_user)
    response = client.post("/admin/actors/apikey/add/", {"name": "CCAS", "per_minute": "600", "can_write": "on"},
                           follow=True)
    shown = next(str(m) for m in response.context["messages"] if "ak_" in str(m))
    raw_new = shown.split(" : ")[-1]
    created = ApiKey.objects.get(name="CCAS")
    assert created.key_hash != raw_new and ApiKey.objects.find(raw_new) == created  # only the hash is stored
    assert get(client, "/api/v1/services", **{"X-Api-Key": raw_new}).status_code == 200


def test_a_name_of_digits_stays_as_published_and_nom_affiche_is_the_page_s_name(client, two_territories):
    place = Structure.objects.public().select_related("commune").order_by("pk").first()
    Structure.objects.filter(pk=place.pk).update(nom="24400054300011")
    item = next(i for i in get(client, "/api/v1/lieux?limite=100").json()["items"] if i["slug"] == place.slug)
    assert item["nom"] == "24400054300011"
    assert item["nom_affiche"].endswith(f" — {place.commune.name}") and not item["nom_affiche"][0].isdigit()
    page = client.get(f"/lieux/{place.slug}/").content.decode()
    assert item["nom_affiche"] in page

"""Private data is scoped like editing: non-public contact persons, drafts and archives, reporters' e-mails are
seen only by users whose territories cover the place, never on public pages, map data or exports."""

import gzip

import pytest
from django.urls import reverse

from actors.core.writes import structures_set_state
from actors.models import ContactPerson, CorrectionReport, Structure
from actors.vocabulary.enums import PublicationState
from tests.fixtures.coordination import place

pytestmark = pytest.mark.django_db

SECRETS = ["Dominique Secret", "+33555000001", "dominique.secret@exemple.fr", "reporter.secret@exemple.fr"]


@pytest.fixture
def private_data(two_territories):
    """Haute-Vienne (87) holds a private contact, a reporter's e-mail and an archived place."""
    theirs = two_territories["theirs"]["structure"]
    ContactPerson.objects.create(structure=theirs, name="Dominique Secret", role="Directrice",
                                 phone="+33555000001", email="dominique.secret@exemple.fr")
    ContactPerson.objects.create(structure=theirs, name="Accueil public", role="Accueil", is_public=True)
    CorrectionReport.objects.create(structure=theirs, field="telephone", proposed_value="05 55 00 00 02",
                                    contact_email="reporter.secret@exemple.fr")
    archived = place("hv-archive", "Espace numérique fermé", two_territories["limoges"],
                     two_territories["theirs"]["structure"].location.clone())
    structures_set_state([archived], PublicationState.ARCHIVED)
    return {"structure": theirs, "archived": archived}


def public_urls(structure: Structure, archived: Structure) -> list[str]:
    return [
        reverse("actors:list"), reverse("actors:list") + "?q=secret",
        structure.get_absolute_url(), reverse("actors:referral_sheet", args=[structure.slug]),
        reverse("actors:referral") + f"?lieux={structure.slug}",
        reverse("actors:map"), reverse("actors:map_embed") + "?departement=87",
        reverse("actors:map_data") + "?bbox=-5,41,10,51&zoom=6",
        reverse("actors:map_data") + "?bbox=1.2,45.8,1.3,45.9&zoom=17",
        reverse("territories:departement", args=["87"]), reverse("territories:commune", args=["87085"]),
        reverse("actors:export", args=["csv"]), reverse("actors:export", args=["json"]),
        reverse("actors:export", args=["geojson"]),
        reverse("actors:correction", args=[structure.slug]),
    ]


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return content.decode()


@pytest.mark.parametrize("who", ["anonymous", "other_coordinator_signed_in"])
def test_no_private_contact_reporter_email_or_archive_on_any_public_page(client, two_territories, private_data, who):
    if who == "other_coordinator_signed_in":
        client.force_login(two_territories["coordinator"])  # coordinates the Vienne (86), not the 87
    structure, archived = private_data["structure"], private_data["archived"]
    for url in public_urls(structure, archived):
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        for secret in SECRETS:
            assert secret not in text, f"{secret} leaks on {url}"
        assert archived.nom not in text, url
    assert "Accueil public" in body(client.get(structure.get_absolute_url()))
    assert client.get(archived.get_absolute_url()).status_code == 404
    assert client.get(reverse("actors:detail", args=[str(archived.pk)])).status_code == 404
    assert client.get(reverse("actors:referral_sheet", args=[archived.slug])).status_code == 404


def test_the_places_own_coordinator_sees_its_private_contact_and_archive(client, two_territories, private_data):
    client.force_login(two_territories["other_coordinator"])  # coordinates the Haute-Vienne (87)
    page = body(client.get(private_data["structure"].get_absolute_url()))
    assert "Dominique Secret" in page and "dominique.secret@exemple.fr" in page
    assert "réservées aux coordinateurs" in page
    assert client.get(private_data["archived"].get_absolute_url()).status_code == 200
    # …while the Vienne's private contact stays out of their sight.
    vienne = two_territories["ours"]["structure"]
    assert "Camille Martin" not in body(client.get(vienne.get_absolute_url()))


def test_visibility_verbs_follow_editable_by(two_territories, private_data):
    from django.contrib.auth.models import AnonymousUser

    coordinator86, coordinator87 = two_territories["coordinator"], two_territories["other_coordinator"]
    archived = private_data["archived"]
    assert archived not in Structure.objects.visible_to(AnonymousUser())
    assert archived not in Structure.objects.visible_to(coordinator86)
    assert archived in Structure.objects.visible_to(coordinator87)
    ours, theirs = two_territories["ours"]["contact"], two_territories["theirs"]["contact"]  # both private
    assert set(ContactPerson.objects.visible_to(AnonymousUser())) == set(ContactPerson.objects.filter(is_public=True))
    assert ours in ContactPerson.objects.visible_to(coordinator86)
    assert theirs not in ContactPerson.objects.visible_to(coordinator86)
    assert theirs in ContactPerson.objects.visible_to(coordinator87)

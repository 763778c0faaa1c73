"""A coordinator's dry run says which public place an imported copy would replace, with the rule's reason and
a link to that place (issue 22, item 5). Desktop and phone screenshots."""

import csv

import pytest
from django.urls import reverse

from actors.imports import import_file
from actors.models import Structure
from tests.fixtures.browser import SCREENSHOTS
from tests.fixtures.coordination import PASSWORD
from tests.fixtures.imports import IMPORT_DATA, write_rows

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def limoges_rows() -> list[dict[str, str]]:
    with open(IMPORT_DATA / "valide.csv", encoding="utf-8", newline="") as stream:
        poitiers = next(csv.DictReader(stream))
    place = {**poitiers, "id": "lim-1", "nom": "Espace numérique des Bénédictins", "commune": "Limoges",
             "code_postal": "87000", "code_insee": "87085", "latitude": "45.8336", "longitude": "1.2611",
             "source": "Ville de Limoges"}
    return [place, {**place, "id": "copie-1", "source": "Réseau 87", "date_maj": "2025-01-06"}]


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_a_dry_run_shows_the_public_place_a_copy_would_replace(request, live_server, two_territories, terms,
                                                               tmp_path, settings, viewport):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = request.getfixturevalue(viewport)
    original, copy = limoges_rows()
    import_file(write_rows(tmp_path / "ville.csv", [original]), apply=True)
    stored = Structure.objects.get(source_id="lim-1")
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "coord87@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:actors_structure_import"))
    page.set_input_files("#id_file", str(write_rows(tmp_path / "reseau.csv", [copy])))
    with page.expect_navigation():
        page.click("input[type=submit]")
    link = page.locator("a", has_text="public avant l'import")
    assert link.count() == 1
    assert link.get_attribute("href") == reverse("admin:actors_structure_change", args=[stored.pk])
    assert "sa mise à jour est plus récente (2025-01-06 contre 2024-04-02)" in link.inner_text()
    page.screenshot(path=SCREENSHOTS / f"import-folding-{viewport}.png", full_page=True)
    assert Structure.objects.public().filter(pk=stored.pk).exists()  # a dry run: nothing replaced yet

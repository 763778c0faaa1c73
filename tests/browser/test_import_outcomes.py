"""A coordinator of 87 imports a file with one row of the Vienne: that row is rejected alone, the others are
written after the confirmation; « Tout ou rien » refuses the file instead. Desktop and phone screenshots."""

import csv

import pytest
from django.urls import reverse

from actors.models import Structure
from tests.fixtures.browser import SCREENSHOTS
from tests.fixtures.coordination import PASSWORD
from tests.fixtures.imports import IMPORT_DATA, write_rows

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def four_rows(tmp_path):
    with open(IMPORT_DATA / "valide.csv", encoding="utf-8", newline="") as stream:
        [poitiers, _buxerolles] = list(csv.DictReader(stream))
    limoges = {**poitiers, "commune": "Limoges", "code_postal": "87000", "code_insee": "87085",
               "latitude": "45.8336", "longitude": "1.2611"}
    rows = [{**limoges, "id": f"lim-{n}", "nom": f"Espace numérique {n}"} for n in (1, 2, 3)] + [poitiers]
    return write_rows(tmp_path / "quatre.csv", rows)


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_one_row_outside_is_rejected_alone_and_strict_refuses_the_file(request, live_server, two_territories,
                                                                        terms, tmp_path, settings, viewport):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = request.getfixturevalue(viewport)
    path = four_rows(tmp_path)
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "coord87@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    before = Structure.objects.count()
    url = live_server.url + reverse("admin:actors_structure_import")

    page.goto(url)
    page.set_input_files("#id_file", str(path))
    page.check("#id_strict")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert "le fichier entier est refusé" in page.content()
    page.screenshot(path=SCREENSHOTS / f"import-strict-{viewport}.png", full_page=True)

    page.goto(url)
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert "hors de votre territoire" in page.content()
    page.screenshot(path=SCREENSHOTS / f"import-rows-{viewport}.png", full_page=True)
    with page.expect_navigation():
        page.click("input[name=_confirm]")
    assert Structure.objects.count() == before + 3

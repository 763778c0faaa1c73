"""A name (or an address) with a line break is refused in French, where a coordinator types it and where a
report is accepted; and an e-mail to a place whose older record holds one still goes out."""

import pytest
from django.core import mail
from django.urls import reverse

from actors.campaigns import sending
from actors.core import locking, validators
from actors.models import CorrectionReport, Structure
from actors.vocabulary.enums import CorrectionStatus
from tests.actors.test_admin_structure import form_data

pytestmark = pytest.mark.django_db

BROKEN = ["Médiathèque\nFrançois-Villon", "Médiathèque\r\nVillon", "Médiathèque\tVillon", "Média\x00thèque",
          "Médiathèque\u2028Villon", "Médiathèque\x85Villon"]


@pytest.mark.parametrize("name", BROKEN)
def test_the_admin_refuses_a_name_with_a_control_character(client, two_territories, name):
    structure = two_territories["ours"]["structure"]
    client.force_login(two_territories["coordinator"])
    response = client.post(reverse("admin:actors_structure_change", args=[structure.pk]),
                           form_data(structure, nom=name))
    assert response.status_code == 200
    if "\x00" in name:  # Django's form field refuses a null character first, in its own words
        assert response.context["adminform"].form.errors["nom"]
    else:
        assert "Ce champ tient sur une seule ligne" in response.content.decode()
    assert Structure.objects.get(pk=structure.pk).nom == structure.nom


def test_a_plain_name_still_saves(client, two_territories):
    structure = two_territories["ours"]["structure"]
    client.force_login(two_territories["coordinator"])
    response = client.post(reverse("admin:actors_structure_change", args=[structure.pk]),
                           form_data(structure, nom="Médiathèque « François-Villon » — 1er étage"))
    assert response.status_code == 302


def test_accepting_a_report_with_a_line_break_in_the_name_is_refused(client, two_territories):
    structure = two_territories["ours"]["structure"]
    report = CorrectionReport.objects.create(structure=structure, field="nom", proposed_value="Nouvelle\nMédiathèque")
    client.force_login(two_territories["coordinator"])
    response = client.post(reverse("admin:actors_correctionreport_change", args=[report.pk]),
                           {"_accept": "1", "version": locking.version_of(structure.pk)}, follow=True)
    assert "Ce champ tient sur une seule ligne" in response.content.decode()
    assert CorrectionReport.objects.get(pk=report.pk).status == CorrectionStatus.PENDING
    assert Structure.objects.get(pk=structure.pk).nom == structure.nom


def test_an_email_to_a_place_whose_old_name_holds_a_line_break_is_sent(two_territories):
    structure = two_territories["ours"]["structure"]
    Structure.objects.filter(pk=structure.pk).update(nom="Médiathèque\nde Poitiers", courriels="contact@exemple.fr")
    structure.refresh_from_db()
    sending.message(structure=structure, url="https://exemple.fr/x").send()
    assert "Médiathèque de Poitiers" in mail.outbox[-1].subject


def test_one_line_keeps_ordinary_text():
    assert validators.one_line("  Centre\tsocial\r\n« Les Tilleuls »  ") == "Centre social « Les Tilleuls »"

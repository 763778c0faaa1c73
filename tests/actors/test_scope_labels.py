"""Names outside the scope never show: the raw-id input of a closure or a contact names only places the
coordinator may edit, whatever number the address carries (archived places included)."""

import pytest
from django.urls import reverse

from actors.vocabulary.enums import PublicationState

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["contactperson", "temporaryclosure"])
def test_the_raw_id_input_does_not_name_another_territorys_place(client, two_territories, model):
    theirs = two_territories["theirs"]["structure"]
    theirs.state = PublicationState.ARCHIVED
    theirs.save()
    ours = two_territories["ours"]["structure"]
    client.force_login(two_territories["coordinator"])
    add = reverse(f"admin:actors_{model}_add")
    assert ours.nom in client.get(f"{add}?structure={ours.pk}").content.decode()  # the oracle: own place named
    page = client.get(f"{add}?structure={theirs.pk}").content.decode()
    assert theirs.nom not in page and "Limoges" not in page
    assert client.get(f"{add}?structure=abc").status_code == 200

import pytest
from django.urls import reverse

from actors.core import locking
from actors.models import Structure
from actors.moderation.merge import differing_fields, structures_merge
from actors.vocabulary.enums import DuplicateStatus, PublicationState

pytestmark = pytest.mark.django_db


def test_merge_keeps_chosen_values_moves_relations_and_archives_the_other(two_territories):
    ours = two_territories["ours"]
    keep, other = ours["structure"], ours["twin"]
    assert set(differing_fields(keep, other)) >= {"nom", "telephone", "location"}
    structures_merge(keep, other, {"nom": "keep", "telephone": "other", "location": "keep"},
                     two_territories["coordinator"])
    keep.refresh_from_db()
    other.refresh_from_db()
    assert keep.nom == "Médiathèque de Poitiers" and keep.telephone == "+33549000000"
    assert other.state == PublicationState.ARCHIVED
    assert keep.closures.count() == 1 and keep.contacts.count() == 1
    assert keep.term_codes("services") == ["aide-aux-demarches-administratives"]
    assert ours["pair"].__class__.objects.get(pk=ours["pair"].pk).status == DuplicateStatus.MERGED
    assert "Fusion avec" in keep.history.first().history_change_reason
    assert keep.history.first().history_user == two_territories["coordinator"]


def test_merge_refuses_unknown_choices_and_writes_nothing(two_territories):
    keep, other = two_territories["ours"]["structure"], two_territories["ours"]["twin"]
    with pytest.raises(ValueError):
        structures_merge(keep, other, {"slug": "other"})
    assert Structure.objects.get(pk=other.pk).state == PublicationState.PUBLISHED


def test_the_duplicates_view_merges_field_by_field(client, two_territories):
    client.force_login(two_territories["coordinator"])
    pair = two_territories["ours"]["pair"]
    url = reverse("admin:actors_duplicatecandidate_change", args=[pair.pk])
    page = client.get(url)
    assert page.status_code == 200 and "telephone" in page.content.decode()
    choices = {f"field_{row['name']}": pair.second_id for row in page.context["rows"]}
    versions = {f"version_{pk}": locking.version_of(pk) for pk in (pair.first_id, pair.second_id)}
    response = client.post(url, {"keep": pair.first_id, "_merge": "1", **choices, **versions})
    assert response.status_code == 302
    kept = Structure.objects.get(pk=pair.first_id)
    assert kept.nom == Structure.objects.get(pk=pair.second_id).nom
    assert Structure.objects.get(pk=pair.second_id).state == PublicationState.ARCHIVED


def test_not_a_duplicate_dismisses_the_pair(client, two_territories):
    client.force_login(two_territories["coordinator"])
    pair = two_territories["ours"]["pair"]
    client.post(reverse("admin:actors_duplicatecandidate_change", args=[pair.pk]), {"_dismiss": "1"})
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.DISMISSED

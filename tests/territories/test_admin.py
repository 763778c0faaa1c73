import pytest
from django.contrib.auth import get_user_model

from territories.models import EPCI, QPV, Commune, Departement, Region

MODELS = [Region, Departement, EPCI, Commune, QPV]


@pytest.fixture
def superuser_client(client, db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw-long-enough-1")
    client.force_login(user)
    return client


def admin_url(model, view, *args):
    from django.urls import reverse
    return reverse(f"admin:territories_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_territories_are_browsable_but_not_addable_even_by_a_superuser(superuser_client, vienne, model):
    assert superuser_client.get(admin_url(model, "changelist")).status_code == 200
    assert superuser_client.get(admin_url(model, "add")).status_code == 403


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_a_territory_cannot_be_changed_or_deleted_in_the_admin(superuser_client, vienne, model):
    obj = model.objects.first()
    change = superuser_client.get(admin_url(model, "change", obj.pk))
    assert change.status_code == 200
    assert b'type="submit" value="Enregistrer"' not in change.content
    assert superuser_client.post(admin_url(model, "change", obj.pk), {"name": "Renommé"}).status_code == 403
    assert superuser_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.get(pk=obj.pk).name == obj.name


def test_communes_are_found_in_the_admin_by_folded_name_code_and_postcode(superuser_client, vienne):
    url = admin_url(Commune, "changelist")
    for term in ["POITIERS", "86194", "86000"]:
        response = superuser_client.get(url, {"q": term})
        assert list(response.context["cl"].result_list) == [vienne["poitiers"]], term
    assert list(superuser_client.get(url, {"q": "buxérolles"}).context["cl"].result_list) == [vienne["buxerolles"]]


def test_the_commune_list_runs_a_bounded_number_of_queries(superuser_client, territories_vienne_haute_vienne,
                                                           django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = superuser_client.get(admin_url(Commune, "changelist"))
    assert response.status_code == 200

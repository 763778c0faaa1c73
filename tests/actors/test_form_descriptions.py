"""The correction form ties its help texts and errors to its fields with ids that exist (aria-describedby)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def described_ids(body: str) -> set[str]:
    return {ref for value in re.findall(r'aria-describedby="([^"]*)"', body) for ref in value.split()}


@pytest.mark.parametrize("data", [None, {"field": "telephone", "proposed_value": "", "contact_email": "non"}])
def test_the_correction_form_describes_its_fields_with_ids_that_exist(client, directory, data):
    url = directory["mediatheque"].get_absolute_url() + "signaler/"
    body = (client.get(url) if data is None else client.post(url, data)).content.decode()
    references = described_ids(body)
    assert references  # the help texts (and errors after a bad post) are tied to their fields
    ids = set(re.findall(r'\bid="([^"]*)"', body))
    assert references <= ids, references - ids

"""« Recevoir un nouveau lien »: a place whose update link expired, served or was mangled asks for a new one.

The new link goes only to the place's own public e-mail address, never to an address typed in the form, and
the answer is the same whether or not a place was found: the form tells nobody which addresses are listed.
"""

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from actors.campaigns import sending, update_links
from actors.core import validators
from actors.models import Structure, UpdateRequest

MAX_PLACES = 5  # one address may serve a few places (a network's shared mailbox), not a whole directory


def places_for_email(email: str) -> list[tuple[Structure, str]]:
    """Published places that publish `email` (case-insensitive), each with its address as published."""
    wanted = email.strip().lower()
    if not wanted:
        return []
    found = []
    for structure in Structure.objects.published().filter(courriels__icontains=wanted)[:50]:
        for address in structure.courriel_list:
            if address.lower() == wanted:
                found.append((structure, address))
                break
    return found[:MAX_PLACES]


def request_new_link(*, token: str = "", email: str = "") -> None:
    """Queue a new link for the place of a genuine `token` (to its first public address), or for the places
    publishing `email` (to that address). Sends nothing when neither names a place."""
    targets = []
    place = update_links.place_of_expired(token) if token else None
    if place is not None and place.courriel_list:
        targets.append((place.pk, place.courriel_list[0]))
    if email:
        targets.extend((structure.pk, address) for structure, address in places_for_email(email))
    for pk, address in targets[:MAX_PLACES]:
        send_new_link.enqueue(pk, address)


@task()
def send_new_link(structure_id: int, address: str) -> None:
    structure = Structure.objects.select_related("commune").get(pk=structure_id)
    if address.lower() not in {a.lower() for a in structure.courriel_list}:
        return  # the place changed its address meanwhile: only a published address receives a link
    url = settings.SITE_URL + reverse("actors:update", args=[update_links.make_token(structure=structure)])
    # The place's latest request, so that a failure or a reply to this e-mail finds its campaign too.
    latest = UpdateRequest.objects.filter(structure=structure).order_by("-pk").values_list("pk", flat=True).first()
    mail = sending.message(structure=structure, url=url, request_pk=latest, renewal=True)
    mail.to = [validators.normalize_emails(address)]
    mail.send()

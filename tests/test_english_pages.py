"""Every public page, rendered in English on the whole demo, holds no French-only word outside the places' own data.

The places' names, addresses, descriptions and the territories' names are data, shown as the source wrote them:
text nodes equal to one of them are left out before the check. What remains is the interface, and each of
FRENCH_ONLY is a word that never belongs in English output (« département » does: the English pages keep it,
as English texts about France do).
"""

import re
from html.parser import HTMLParser

import pytest
from django.db.models import Count, Value
from django.db.models.functions import Concat
from django.urls import reverse

from actors.models import Structure
from territories.models import EPCI, QPV, Commune, Departement
from tests.fixtures.demo import whole_demo

FRENCH_ONLY = [
    "Ouvert", "Ouverts", "ouvert", "Fermé", "fermé", "Fermer", "lieux", "Lieu", "lieu", "horaires", "Horaires",
    "Fiche d'orientation", "FICHE D'ORIENTATION", "Fiche", "fiche", "Données ouvertes", "habitants", "Habitants",
    "commune", "Commune", "communes", "quartier", "quartiers", "prioritaire", "prioritaires", "Code postal",
    "Codes postaux", "Télécharger", "télécharger", "Rechercher", "Voir", "voir", "aujourd'hui", "jour", "jours",
    "semaine", "Cette semaine", "heures", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche", "avec", "sans", "pour", "dans", "les",
    "des", "aux", "une", "est", "sont", "selon", "chaque", "mise à jour", "Imprimer", "Copier", "Envoyer",
    "ateliers", "Accueil", "Carte", "Liste", "Filtrer", "Appliquer", "Trier", "Aucun", "aucun", "Aucune", "aucune",
    "nombre", "Nombre", "vérifier", "inscription", "Gratuit", "gratuit", "payant", "Frais", "courriel",
    "Téléphone", "téléphone", "Adresse", "Près de", "sur place", "Signaler", "erreur", "Suivant", "Précédent",
    "Retour", "Plan du site", "Itinérance", "Accompagnement", "Thème",
]
# A capitalised English day next to a lower-case one, as in « Wednesday–thursday »; « ; » after a space is French.
LOWER_DAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
# Addresses and paths (/export/lieux.csv, https://…/lieux/12/) are not prose.
URL = re.compile(r"(https?://|/)\S*")
PARTS = re.compile(r"[·,—–:()]| - ")
ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "content"}


class Texts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value and (name != "content" or tag == "meta"):
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(data)


def french_lines(content: str, data: set[str]) -> list[str]:
    parser = Texts()
    parser.feed(content)
    found = []
    for text in parser.texts:
        text = URL.sub("", " ".join(text.split()))
        if text in data:
            continue
        text = " ".join(part for part in PARTS.split(text) if part.strip() not in data)
        words = [word for word in FRENCH_ONLY if re.search(rf"(?<![\w'-]){re.escape(word)}(?![\w'-])", text)]
        if words or LOWER_DAY.search(text) or " ;" in text:
            found.append(f"{words}: {text[:160]}")
    return found


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with whole_demo(django_db_blocker):
        public = Structure.objects.public()
        data = set()
        for row in public.values_list("nom", "adresse", "complement_adresse", "commune_nom", "source",
                                      "presentation_resume", "presentation_detail", "horaires",
                                      Concat("code_postal", Value(" "), "commune_nom")):
            for value in row:
                value = " ".join((value or "").split())
                data.add(value)
                data.update(part.strip() for part in PARTS.split(value))
        commune = (Commune.objects.annotate(n=Count("structures")).order_by("-n").select_related("epci").first())
        qpv = QPV.objects.annotate(n=Count("structures")).order_by("-n", "code").first()
        for model in (Commune, QPV, EPCI, Departement):
            data.update(" ".join(name.split()) for name in model.objects.values_list("name", flat=True))
        place = public.filter(commune=commune).exclude(horaires="").order_by("slug").first()
        three = list(public.filter(commune=commune).order_by("slug").values_list("slug", flat=True)[:3])
        yield {"data": data, "commune": commune, "qpv": qpv, "place": place, "three": three}


def public_urls(demo):
    commune, place = demo["commune"], demo["place"]
    dep, siren = commune.departement_id, commune.epci_id
    return [
        reverse("actors:list"), reverse("actors:list_lieux") + f"?commune={commune.code}",
        reverse("actors:detail", args=[place.slug]), reverse("actors:referral_sheet", args=[place.slug]),
        reverse("actors:map"), reverse("actors:map_embed"), reverse("actors:ateliers"),
        reverse("actors:open_data"), reverse("actors:correction", args=[place.slug]),
        reverse("territories:search"), reverse("territories:search") + "?q=" + commune.name,
        reverse("territories:departement", args=[dep]), reverse("territories:epci", args=[siren]),
        reverse("territories:commune", args=[commune.code]), reverse("territories:qpv", args=[demo["qpv"].code]),
        reverse("territories:commune_diagnostic", args=[commune.code]),
        reverse("territories:commune_diagnostic_print", args=[commune.code]),
        reverse("territories:departement_diagnostic", args=[dep]),
        reverse("territories:epci_diagnostic_print", args=[siren]),
        reverse("actors:list_lieux") + f"?jour=samedi&soir=oui&pres_de={commune.code}&q=numerique",
        reverse("actors:referral") + "?" + "&".join(f"lieux={slug}" for slug in demo["three"]),
        reverse("actors:ateliers") + f"?departement={dep}", "/api/v1/docs",
    ]


@pytest.mark.django_db
def test_every_public_page_reads_in_english_on_the_demo(client, settings, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    report = {}
    for url in public_urls(demo):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == "en", url
        lines = french_lines(response.content.decode(), demo["data"])
        if lines:
            report[url] = lines
    assert not report, "\n".join(f"{url}\n  " + "\n  ".join(lines) for url, lines in report.items())

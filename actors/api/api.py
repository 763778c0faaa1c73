"""/api/v1/: the directory read and corrected by partners' software (django-ninja: OpenAPI 3.1 from the code).

Reads are open (CORS, anonymous within a per-address limit; a partner key raises it). Each answer is built
from the directory's own homes: the filter set and counts (actors.directory), the public rule
(`Structure.objects.public()`), the standard's row (actors.standard), the corrections queue (actors.moderation).
"""

import datetime as dt
import re

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError

from actors.api import ateliers, feed, interop, listing, places, schemas
from actors.api.access import KeyOrAddress
from actors.api.corrections import send_correction
from actors.api.errors import ApiError, error_response
from actors.api.http import conditional, json_response
from actors.models import Structure, Term
from actors.vocabulary.enums import TermKind
from territories.models import EPCI, Commune, Departement

api = NinjaAPI(
    title="API de l'annuaire de l'inclusion numérique",
    version="1",
    description=(
        "Les lieux au standard « Lieux de médiation numérique », les filtres de l'annuaire, un flux des "
        "modifications, les corrections des partenaires, et les formats data·inclusion et HSDS 3.0. "
        "Sans clé : lecture limitée par adresse. Avec une clé (en-tête X-Api-Key) : limite plus haute, et "
        "corrections si la clé le permet."
    ),
    auth=KeyOrAddress(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
# Checked before any query: a value no row can hold (a NUL byte, a megabyte) never reaches the database.
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
DEPARTEMENT_CODE = re.compile(r"\d{2,3}|2[AB]")
ERRORS = {400: schemas.Error, 401: schemas.Error, 403: schemas.Error, 404: schemas.Error, 429: schemas.Error}


@api.exception_handler(ApiError)
def api_error(request, error: ApiError):
    return error_response(error.status, error.detail, error.headers)


@api.exception_handler(ValidationError)
def invalid(request, error: ValidationError):
    where = ", ".join(".".join(str(part) for part in item.get("loc", [])[1:]) or "corps" for item in error.errors)
    return error_response(400, _("Requête invalide (%(where)s) : vérifiez le format décrit dans la documentation.")
                          % {"where": where})


@api.exception_handler(AuthenticationError)
def unauthenticated(request, error):
    return error_response(401, _("Clé d'API refusée."))


@api.exception_handler(HttpError)
def http_error(request, error: HttpError):
    return error_response(error.status_code, str(error))


def moment(request) -> tuple[dt.datetime, bool]:
    """The moment of the opening status (`date`, else now) and whether it is the current one."""
    raw = request.GET.get("date")
    if not raw:
        return timezone.now(), True
    return feed.moment(raw, "date"), False


@api.get("/lieux", response={200: schemas.Page, **ERRORS}, tags=["lieux"], summary="Lieux de l'annuaire",
         description="Les filtres de la page « Lieux » (mêmes noms, mêmes valeurs), son nombre et son ordre. "
                     "`curseur` : la suite donnée par `next`. `format=geojson` : une FeatureCollection.")
def places_list(request, filtres: Query[schemas.Filters], curseur: str | None = None, limite: int = 20,  # type: ignore[valid-type]
                format: str = "json", date: str | None = None):
    now, current = moment(request)
    if request.GET.get("format", "json") not in ("json", "geojson"):
        raise ApiError(400, _("« format » vaut json ou geojson."))

    def make():
        filterset = listing.filter_set(request.GET, now=None if current else now)
        limit = listing.limit_of(request.GET)
        rows, count, token = listing.page(filterset, limit=limit, token=request.GET.get("curseur"))
        following = next_url(request, token)
        data = places.items(rows, now)
        if request.GET.get("format") == "geojson":
            return json_response({"type": "FeatureCollection", "count": count, "next": following,
                                  "features": [places.feature(item) for item in data]},
                                 content_type="application/geo+json")
        return json_response({"count": count, "next": following, "items": data})

    return conditional(request, make)


def next_url(request, token: str | None) -> str | None:
    """The address of the following page: the same question with the new cursor."""
    if not token:
        return None
    query = request.GET.copy()
    query["curseur"] = token
    return request.build_absolute_uri(request.path + "?" + query.urlencode())


@api.get("/lieux/modifications", response={200: schemas.Feed, **ERRORS}, tags=["lieux"],
         summary="Flux des modifications",
         description="Chaque lieu modifié depuis `modifie_depuis` (ISO 8601), dans l'ordre des modifications ; "
                     "un lieu sorti de l'annuaire public (archivé, regroupé avec un doublon, masqué, supprimé) "
                     "vient comme `retire` avec sa raison. Suivre `next` jusqu'à null, garder la date de la "
                     "dernière entrée pour la fois suivante.")
def changes(request, modifie_depuis: str | None = None, curseur: str | None = None, limite: int = 100):
    since = feed.moment(modifie_depuis)
    limit = listing.limit_of(request.GET, default=100)

    def make():
        entries, token = feed.changes(since=since, limit=limit, token=curseur, now=timezone.now())
        following = next_url(request, token)
        return json_response({"next": following, "items": entries})

    return conditional(request, make)


@api.get("/ateliers", response={200: schemas.AtelierPage, **ERRORS}, tags=["ateliers"],
         summary="Ateliers à venir",
         description="Les séances à venir des lieux publics, avec les filtres de la page « Ateliers » (mêmes noms, "
                     "mêmes valeurs), dans l'ordre des dates. Une séance annulée n'est jamais donnée. `curseur` : "
                     "la suite donnée par `next`.")
def ateliers_list(request, filtres: Query[schemas.AtelierFilters], curseur: str | None = None,  # type: ignore[valid-type]
                  limite: int = 20):
    def make():
        filterset = ateliers.filter_set(request.GET, now=timezone.now())
        limit = listing.limit_of(request.GET)
        rows, count, token = ateliers.page(filterset, limit=limit, token=request.GET.get("curseur"))
        following = next_url(request, token)
        return json_response({"count": count, "next": following, "items": [ateliers.item(row) for row in rows]})

    return conditional(request, make)


def public_place(slug: str) -> Structure:
    found = places.with_relations(Structure.objects.public()).filter(slug=slug).first() if SLUG.fullmatch(
        slug) else None
    if found is None:
        raise ApiError(404, _("Aucun lieu public ne porte l'identifiant « %(slug)s ».") % {"slug": slug[:120]})
    return found


@api.get("/lieux/{slug}", response={200: schemas.Place, **ERRORS}, tags=["lieux"], summary="Un lieu")
def place_detail(request, slug: str, date: str | None = None):
    now, _current = moment(request)
    return conditional(request, lambda: json_response(places.items([public_place(slug)], now)[0]))


@api.post("/lieux/{slug}/corrections", response={202: schemas.CorrectionOut, 409: schemas.Error, **ERRORS},
          tags=["corrections"], summary="Proposer une correction",
          description="Avec une clé autorisée à écrire, pour un lieu de ses territoires : chaque champ devient un "
                      "signalement dans la file des coordinateurs, au nom du partenaire. Jamais une écriture "
                      "directe. `version` : celle du lieu lu ; un lieu modifié depuis est refusé (409).")
def correct(request, slug: str, payload: schemas.CorrectionIn):
    structure = Structure.objects.public().filter(slug=slug).select_related("commune").first() if SLUG.fullmatch(
        slug) else None
    if structure is None:
        raise ApiError(404, _("Aucun lieu public ne porte l'identifiant « %(slug)s ».") % {"slug": slug[:120]})
    reports = send_correction(caller=request.caller, structure=structure, version=payload.version,
                              fields=payload.champs, message=payload.message)
    return json_response({"statut": "en_attente", "signalements": [r.pk for r in reports],
                          "detail": _("Correction reçue : elle attend la décision d'un coordinateur.")}, status=202)


@api.get("/vocabulaires", response={200: list[schemas.Vocabulary], **ERRORS}, tags=["référentiels"],
         summary="Valeurs des champs à choix du standard (services, publics, frais…)")
def vocabularies(request, champ: str | None = None):
    kinds = [kind for kind in TermKind.values if champ in (None, kind)]
    if not kinds:
        raise ApiError(400, _("Champ inconnu : « %(name)s » (%(known)s).") % {"name": champ[:80] if champ else "",
                                                                            "known": ", ".join(TermKind.values)})

    def make():
        terms = Term.objects.filter(kind__in=kinds).order_by("kind", "position", "code")
        return json_response([{"champ": kind, "valeurs": [
            {"code": t.code, "libelle": t.display_label, "valeur_standard": t.schema_value}
            for t in terms if t.kind == kind]} for kind in kinds])

    return conditional(request, make, moment_counts=False)


@api.get("/services", response={200: list[schemas.Term], **ERRORS}, tags=["référentiels"],
         summary="Les services du standard")
def services(request):
    return conditional(request, lambda: json_response([
        {"code": t.code, "libelle": t.display_label, "valeur_standard": t.schema_value}
        for t in Term.objects.filter(kind=TermKind.SERVICES).order_by("position", "code")]), moment_counts=False)


@api.get("/territoires", response={200: list[schemas.Territory], **ERRORS}, tags=["référentiels"],
         summary="Départements, EPCI et communes (codes des filtres departement, epci, commune)",
         description="Sans paramètre : les départements. `departement=86` : ses EPCI et ses communes.")
def territories(request, departement: str | None = None):
    def make():
        if not departement:
            return json_response([{"code": d.code, "nom": d.name, "type": "departement"}
                                  for d in Departement.objects.order_by("code")])
        if not DEPARTEMENT_CODE.fullmatch(departement) or not Departement.objects.filter(pk=departement).exists():
            raise ApiError(404, _("Département inconnu : « %(code)s ».") % {"code": departement[:10]})
        epcis = EPCI.objects.filter(communes__departement_id=departement).distinct().order_by("name")
        communes = Commune.objects.filter(Q(departement_id=departement)).order_by("name")
        return json_response([{"code": e.siren, "nom": e.name, "type": "epci"} for e in epcis]
                             + [{"code": c.code, "nom": c.name, "type": "commune"} for c in communes])

    return conditional(request, make, moment_counts=False)


interop.register(api)

"""The one FilterSet of ateliers, shared by /ateliers/ and /ateliers.ics so that the page and the subscription
always agree. Territory and « près de » are the directory's own conditions, applied to the sessions' places."""

import datetime as dt

import django_filters
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.directory import conditions as places
from actors.models import AtelierSession, Structure, Term
from actors.models.ateliers import end_of_week  # noqa: F401 - its home is the model; tests read it here too
from actors.vocabulary.enums import TermKind
from territories.communes import commune_from_text_cached

YES = [("1", _("oui"))]
DEFAULT_RADIUS_KM = 10
RADII = [(str(km), _("%(km)s km") % {"km": km}) for km in (2, 5, 10, 20, 50)]


class AtelierFilter(django_filters.FilterSet):
    departement = django_filters.CharFilter(label=_("Département"), validators=[RegexValidator(r"^(\d{2,3}|2[AB])$")])
    epci = django_filters.CharFilter(label=_("EPCI"), validators=[RegexValidator(r"^\d{9}$")])
    commune = django_filters.CharFilter(label=_("Commune"), validators=[RegexValidator(r"^\d[\dAB]\d{3}$")])
    pres_de = django_filters.CharFilter(label=_("Près de"), help_text=_("Commune ou code postal"))
    rayon = django_filters.ChoiceFilter(label=_("Rayon"), choices=RADII)
    theme = django_filters.ChoiceFilter(label=_("Thème"))
    public = django_filters.ChoiceFilter(label=_("Public"))
    semaine = django_filters.ChoiceFilter(label=_("Cette semaine"), choices=YES)
    gratuit = django_filters.ChoiceFilter(label=_("Gratuit"), choices=YES)
    places = django_filters.ChoiceFilter(label=_("Places restantes"), choices=YES)

    class Meta:
        model = AtelierSession
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, now: dt.datetime | None = None):
        self.now = now or timezone.now()
        if queryset is None:
            queryset = AtelierSession.objects.shown().upcoming(self.now)
        super().__init__(data, queryset, request=request)
        terms = list(Term.objects.filter(kind__in=[TermKind.SERVICES, TermKind.PUBLICS]))
        self.filters["theme"].extra["choices"] = [(t.code, t.display_label) for t in terms
                                                  if t.kind == TermKind.SERVICES]
        self.filters["public"].extra["choices"] = [(t.code, t.display_label) for t in terms
                                                   if t.kind == TermKind.PUBLICS]
        self.notices: list[str] = []

    @property
    def cleaned(self) -> dict:
        """Valid values only: a bad value is dropped and said once, never an error page."""
        if not hasattr(self, "_cleaned"):
            form = self.form
            if not form.is_valid():
                for name in form.errors:
                    self.notices.append(str(_("Filtre ignoré : %(label)s (valeur non reconnue).")
                                            % {"label": self.filters[name].label}))
            data = getattr(form, "cleaned_data", {})
            self._cleaned = {name: value for name, value in data.items() if name not in form.errors}
        return self._cleaned

    @property
    def qs(self) -> QuerySet:
        if not hasattr(self, "_qs"):
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.cleaned
        where = []
        if data.get("departement"):
            where.append(places.in_departement(data["departement"]))
        if data.get("epci"):
            where.append(places.in_epci(data["epci"]))
        if data.get("commune"):
            where.append(places.in_commune(data["commune"]))
        if data.get("pres_de"):
            commune = commune_from_text_cached(data["pres_de"])
            if commune is None or commune.centre is None:
                self.notices.append(str(_("Lieu introuvable : « %(text)s » (essayez un nom de commune ou un code "
                                          "postal).") % {"text": data["pres_de"][:80]}))
            else:
                where.append(places.near(commune.centre, float(data.get("rayon") or DEFAULT_RADIUS_KM)))
        if where:
            queryset = queryset.filter(series__structure__in=Structure.objects.filter(*where).values("pk"))
        if data.get("theme"):
            queryset = queryset.filter(series__themes__kind=TermKind.SERVICES, series__themes__code=data["theme"])
        if data.get("public"):
            queryset = queryset.filter(series__publics__kind=TermKind.PUBLICS, series__publics__code=data["public"])
        if data.get("semaine"):
            queryset = queryset.this_week(self.now)
        if data.get("gratuit"):
            queryset = queryset.filter(series__free=True)
        if data.get("places"):
            queryset = queryset.with_seats_left()
        return queryset.select_related("series__structure__commune").order_by("starts_at", "pk")

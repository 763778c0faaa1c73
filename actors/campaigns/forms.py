"""The « Corriger » form of a place's private update link: hours day by day (two ranges a day, or « fermé »),
services, public contacts, exceptional closures, accessibility, a free note. Contact persons are not in it."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.core import validators
from actors.models import Term
from actors.moderation import proposals
from actors.opening import hours
from actors.opening.status import weekday_name
from actors.vocabulary.enums import CorrectionField, TermKind

OSM_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
RANGES = 2  # ranges a day the form offers (the morning and the afternoon)
CLOSURE_ROWS = 3
# Contact and accessibility fields, each with the normalisation its stored value has.
NORMALIZED = (("telephone", validators.normalize_phone), ("courriels", validators.normalize_emails),
              ("site_web", validators.normalize_urls), ("fiche_acces_libre", validators.normalize_urls))
CLOCK_RE = re.compile(r"^(\d{1,2})(?:[:h](\d{2})?)?$")


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}" if minutes < 1440 else "24:00"


def week_of(horaires: str) -> list[list[tuple[int, int]]]:
    """The typical week of `horaires`: seven lists of (opens, closes) in minutes ([] when closed or unreadable)."""
    week: list[list[tuple[int, int]]] = [[] for _day in range(7)]
    try:
        slots = hours.weekly_slots(horaires)
    except hours.InvalidHours:
        return week
    for day, opens, closes in slots:
        week[day].append((opens, closes))
    return week


def osm_hours(week: list[list[tuple[int, int]]]) -> str:
    """Seven days of intervals → the standard's OSM string, consecutive identical days grouped ("Mo-Fr …")."""
    groups: list[tuple[int, int, str]] = []
    for day, intervals in enumerate(week):
        if not intervals:
            continue
        text = ",".join(f"{_clock(o)}-{_clock(c)}" for o, c in intervals)
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == text:
            groups[-1] = (groups[-1][0], day, text)
        else:
            groups.append((day, day, text))
    rules = []
    for first, last, text in groups:
        days = OSM_DAYS[first] if first == last else (
            f"{OSM_DAYS[first]},{OSM_DAYS[last]}" if last == first + 1 else f"{OSM_DAYS[first]}-{OSM_DAYS[last]}")
        rules.append(f"{days} {text}")
    return "; ".join(rules)


def read_clock(text: str, *, closing: bool) -> int:
    """ "09:30" (or "9h30", "9") → 570 minutes; a closing "00:00" is midnight at the end of the day."""
    match = CLOCK_RE.match(text.strip())
    if not match:
        raise ValidationError(_("« %(value)s » n'est pas une heure (exemple : 09:30).") % {"value": text})
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise ValidationError(_("« %(value)s » : heure impossible.") % {"value": text})
    minutes = hour * 60 + minute
    return 1440 if closing and minutes == 0 else minutes


def time_field(label) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=8,
                           widget=forms.TimeInput(attrs={"type": "time", "class": "js-hours-time"}))


def date_field(label) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class UpdateForm(forms.Form):
    services = forms.MultipleChoiceField(label=_("Services proposés"), required=False,
                                         widget=forms.CheckboxSelectMultiple)
    telephone = forms.CharField(label=_("Téléphone d'accueil du public"), required=False, max_length=30)
    courriels = forms.CharField(label=_("Courriel public du lieu"), required=False, max_length=500,
                                help_text=_("Plusieurs adresses : séparez-les par des virgules."))
    site_web = forms.CharField(label=_("Site web"), required=False, max_length=500)
    accessibilite = forms.MultipleChoiceField(label=_("Accueil adapté"), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    fiche_acces_libre = forms.CharField(label=_("Fiche Acceslibre (accessibilité du bâtiment)"), required=False,
                                        max_length=500, help_text=_("L'adresse de la fiche du lieu sur acceslibre."
                                                                    "beta.gouv.fr, si elle existe."))
    note = forms.CharField(label=_("Autre chose à signaler"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, structure, today: dt.date | None = None, **kwargs):
        self.structure = structure
        self.today = today or timezone.localdate()
        self.initial_week = week_of(structure.horaires)
        prefetch_related_objects([structure], "terms")  # read once for both vocabularies
        self.upcoming = closures = proposals.upcoming_closures(structure, self.today)
        self.initial_values = {field: proposals.current_value(structure, field)
                               for field in (CorrectionField.SERVICES, CorrectionField.ACCESSIBILITE)}
        self.initial_values[CorrectionField.FERMETURES] = proposals.closures_text(closures)
        initial = {"telephone": structure.telephone, "courriels": ", ".join(structure.courriel_list),
                   "site_web": ", ".join(structure.site_web_list), "fiche_acces_libre": structure.fiche_acces_libre,
                   "services": structure.term_codes(TermKind.SERVICES),
                   "accessibilite": structure.term_codes(TermKind.PRISE_EN_CHARGE)}
        for day, intervals in enumerate(self.initial_week):
            initial[f"day_{day}_closed"] = not intervals
            for index, (opens, closes) in enumerate(intervals[:RANGES], start=1):
                initial[f"day_{day}_open{index}"], initial[f"day_{day}_close{index}"] = _clock(opens), _clock(closes)
        for row, (start, end, reason) in enumerate(closures[:CLOSURE_ROWS]):
            initial.update({f"closure_{row}_start": start, f"closure_{row}_end": end, f"closure_{row}_reason": reason})
        super().__init__(*args, initial=initial, **kwargs)
        terms = Term.objects.filter(kind__in=[TermKind.SERVICES, TermKind.PRISE_EN_CHARGE]).order_by("position")
        self.fields["services"].choices = [(t.code, t.display_label) for t in terms if t.kind == TermKind.SERVICES]
        self.fields["accessibilite"].choices = [(t.code, t.display_label) for t in terms
                                                if t.kind == TermKind.PRISE_EN_CHARGE]
        for day in range(7):
            name = weekday_name(day)
            self.fields[f"day_{day}_closed"] = forms.BooleanField(
                label=_("Fermé le %(day)s") % {"day": name}, required=False,
                widget=forms.CheckboxInput(attrs={"class": "js-hours-closed"}))
            for index in range(1, RANGES + 1):
                self.fields[f"day_{day}_open{index}"] = time_field(_("Ouvre à (plage %(n)d)") % {"n": index})
                self.fields[f"day_{day}_close{index}"] = time_field(_("Ferme à (plage %(n)d)") % {"n": index})
        for row in range(CLOSURE_ROWS):
            self.fields[f"closure_{row}_start"] = date_field(_("Du"))
            self.fields[f"closure_{row}_end"] = date_field(_("Au"))
            self.fields[f"closure_{row}_reason"] = forms.CharField(
                label=_("Motif (facultatif)"), required=False, max_length=100,
                validators=[validators.validate_single_line])
        self.week: list[list[tuple[int, int]]] = [[] for _day in range(7)]
        self.closures: list[tuple[dt.date, dt.date, str]] = []
        self.day_errors: dict[int, list[str]] = {}
        self.closure_errors: dict[int, list[str]] = {}

    # --- What the template lays out. ---
    def days(self) -> list[dict]:
        return [{"number": day, "name": weekday_name(day).capitalize(), "closed": self[f"day_{day}_closed"],
                 "ranges": [(self[f"day_{day}_open{i}"], self[f"day_{day}_close{i}"]) for i in range(1, RANGES + 1)],
                 "errors": self.day_errors.get(day, []), "more": len(self.initial_week[day]) > RANGES}
                for day in range(7)]

    def closure_rows(self) -> list[dict]:
        return [{"number": row, "start": self[f"closure_{row}_start"], "end": self[f"closure_{row}_end"],
                 "reason": self[f"closure_{row}_reason"], "errors": self.closure_errors.get(row, [])}
                for row in range(CLOSURE_ROWS)]

    def contact_fields(self):
        return [self["telephone"], self["courriels"], self["site_web"]]

    # --- Validation. ---
    def _day(self, data: dict, day: int) -> list[tuple[int, int]]:
        if data.get(f"day_{day}_closed"):
            return []
        intervals = []
        for index in range(1, RANGES + 1):
            opens, closes = data.get(f"day_{day}_open{index}", ""), data.get(f"day_{day}_close{index}", "")
            if not opens and not closes:
                continue
            if not opens or not closes:
                raise ValidationError(_("Plage %(n)d : indiquez l'heure d'ouverture et l'heure de fermeture.")
                                      % {"n": index})
            start, end = read_clock(opens, closing=False), read_clock(closes, closing=True)
            if end <= start:
                raise ValidationError(_("Plage %(n)d : l'heure de fermeture doit suivre l'heure d'ouverture.")
                                      % {"n": index})
            intervals.append((start, end))
        intervals.sort()
        if len(intervals) == 2 and intervals[1][0] < intervals[0][1]:
            raise ValidationError(_("Les deux plages se chevauchent."))
        return intervals

    def _closure(self, data: dict, row: int):
        start, end = data.get(f"closure_{row}_start"), data.get(f"closure_{row}_end")
        reason = data.get(f"closure_{row}_reason", "").strip()
        if not start and not end:
            if reason:
                raise ValidationError(_("Indiquez les dates de cette fermeture."))
            return None
        start, end = start or end, end or start  # one day when only one date is given
        if end < start:
            raise ValidationError(_("La fin de la fermeture doit suivre son début."))
        if end < self.today:
            raise ValidationError(_("Cette fermeture est déjà passée."))
        if start > self.today + dt.timedelta(days=2 * 366):
            raise ValidationError(_("Indiquez une fermeture des deux prochaines années."))
        return (start, end, reason)

    def clean(self):
        data = super().clean()
        for day in range(7):
            try:
                self.week[day] = self._day(data, day)
            except ValidationError as error:
                self.day_errors[day] = error.messages
                self.add_error(f"day_{day}_open1", error)
        for row in range(CLOSURE_ROWS):
            try:
                closure = self._closure(data, row)
            except ValidationError as error:
                self.closure_errors[row] = error.messages
                self.add_error(f"closure_{row}_start", error)
                continue
            if closure:
                self.closures.append(closure)
        for name, normalize in NORMALIZED:
            if name in data:
                try:
                    data[name] = normalize(data[name])
                except ValidationError as error:
                    self.add_error(name, error)
        if "|" in data.get("fiche_acces_libre", ""):
            self.add_error("fiche_acces_libre", _("Une seule adresse, celle de la fiche du lieu."))
        return data

    def full_clean(self):
        super().full_clean()
        for name in self.errors:  # screen readers read each error with its field
            if name in self.fields:
                target = re.sub(r"_(open1|start)$", "", name)
                self.fields[name].widget.attrs.update({"aria-invalid": "true",
                                                       "aria-describedby": f"id_{target}_error"})

    def changes(self) -> dict[str, tuple[str, str]]:
        """Field → (value now, proposed value), only for what the place changed in the form."""
        data = self.cleaned_data
        changes = {}
        if self.week != [intervals[:RANGES] for intervals in self.initial_week]:
            changes[CorrectionField.HORAIRES] = (self.structure.horaires, osm_hours(self.week))
        proposed = {CorrectionField.SERVICES: "|".join(sorted(data["services"])),
                    CorrectionField.ACCESSIBILITE: "|".join(sorted(data["accessibilite"])),
                    CorrectionField.FERMETURES: proposals.closures_text(self.closures)}
        for field, value in proposed.items():
            if value != self.initial_values[field]:
                changes[field] = (self.initial_values[field], value)
        for name, normalize in NORMALIZED:
            current = getattr(self.structure, name)
            try:
                compared = normalize(current)
            except ValidationError:
                compared = None  # an unreadable stored value: any answer is a change
            if data[name] != compared:
                changes[CorrectionField(name)] = (current, data[name])
        return changes


class RenewForm(forms.Form):
    """« Recevoir un nouveau lien »: the old link's token (hidden), or the place's public e-mail address."""

    token = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    email = forms.EmailField(label=_("Adresse courriel publique du lieu"), required=False, max_length=254,
                             help_text=_("Celle qui figure sur la fiche publique du lieu."))

    def clean(self):
        data = super().clean()
        if not data.get("token") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Indiquez l'adresse courriel publique du lieu."))
        return data

"""The « Corriger » form of a place's private update link: hours day by day, public contacts, a free note."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from actors import hours, validators
from actors.forms.hours import WEEKDAYS
from actors.hours import format_minutes

OSM_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
INTERVAL_RE = re.compile(r"^(\d{1,2})[:h](\d{2})?\s*[-–à]+\s*(\d{1,2})[:h](\d{2})?$")


def day_field(day: int) -> str:
    return f"day_{day}"


def _clock(minutes: int) -> str:
    return format_minutes(minutes) if minutes < 1440 else "24:00"


def day_texts(horaires: str) -> list[str]:
    """The typical week of `horaires` as seven texts ("09:00-12:00, 14:00-17:00", "" when closed)."""
    try:
        slots = hours.weekly_slots(horaires)
    except hours.InvalidHours:
        return [""] * 7
    texts: list[list[str]] = [[] for _day in range(7)]
    for day, opens, closes in slots:
        texts[day].append(f"{_clock(opens)}-{_clock(closes)}")
    return [", ".join(parts) for parts in texts]


def parse_day(text: str) -> list[tuple[int, int]]:
    """ "9h-12h, 14:00-17:30" → [(540, 720), (840, 1050)]; raises ValidationError in plain French."""
    intervals = []
    for part in [p.strip() for p in re.split(r"[,;/]| et ", text) if p.strip()]:
        match = INTERVAL_RE.match(part)
        if not match:
            raise ValidationError(_("« %(part)s » n'est pas une plage horaire. Exemple : 09:00-12:00, 14:00-17:00.")
                                  % {"part": part})
        h1, m1, h2, m2 = (int(value or 0) for value in match.groups())
        opens, closes = h1 * 60 + m1, h2 * 60 + m2
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or closes > 1440:
            raise ValidationError(_("« %(part)s » : heure impossible.") % {"part": part})
        if closes <= opens:
            raise ValidationError(_("« %(part)s » : l'heure de fermeture doit suivre l'heure d'ouverture.")
                                  % {"part": part})
        intervals.append((opens, closes))
    intervals.sort()
    for (_o1, c1), (o2, _c2) in zip(intervals, intervals[1:], strict=False):
        if o2 < c1:
            raise ValidationError(_("Deux plages se chevauchent ce jour-là."))
    return intervals


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


class UpdateForm(forms.Form):
    telephone = forms.CharField(label=_("Téléphone d'accueil du public"), required=False, max_length=30)
    courriels = forms.CharField(label=_("Courriel public"), required=False, max_length=500,
                                help_text=_("Plusieurs adresses : séparez-les par des virgules."))
    site_web = forms.CharField(label=_("Site web"), required=False, max_length=500)
    note = forms.CharField(label=_("Autre chose à signaler (services, accessibilité, fermeture…)"),
                           required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, structure, **kwargs):
        self.structure = structure
        initial = {"telephone": structure.telephone, "courriels": ", ".join(structure.courriel_list),
                   "site_web": ", ".join(structure.site_web_list)}
        initial.update({day_field(day): text for day, text in enumerate(day_texts(structure.horaires))})
        super().__init__(*args, initial=initial, **kwargs)
        for day, name in enumerate(WEEKDAYS):
            self.fields[day_field(day)] = forms.CharField(
                label=str(name).capitalize(), required=False, max_length=100,
                help_text=_("Vide si fermé."))
        self.week: list[list[tuple[int, int]]] = [[] for _day in range(7)]

    def day_fields(self):
        return [self[day_field(day)] for day in range(7)]

    def contact_fields(self):
        return [self["telephone"], self["courriels"], self["site_web"]]

    def clean(self):
        data = super().clean()
        for day in range(7):
            name = day_field(day)
            if name not in data:
                continue
            try:
                self.week[day] = parse_day(data[name])
            except ValidationError as error:
                self.add_error(name, error)
        for name, normalize in (("telephone", validators.normalize_phone), ("courriels", validators.normalize_emails),
                                ("site_web", validators.normalize_urls)):
            if name in data:
                try:
                    data[name] = normalize(data[name])
                except ValidationError as error:
                    self.add_error(name, error)
        return data

    def full_clean(self):
        super().full_clean()
        for name in self.errors:  # screen readers read each error with its field
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}_error"})

    def changes(self) -> dict[str, str]:
        """Field → proposed value, only for what differs from the record (hours compared as a typical week)."""
        data = self.cleaned_data
        changes = {}
        new_hours = osm_hours(self.week)
        if day_texts(new_hours) != day_texts(self.structure.horaires):
            changes["horaires"] = new_hours
        for name, normalize in (("telephone", validators.normalize_phone), ("courriels", validators.normalize_emails),
                                ("site_web", validators.normalize_urls)):
            current = getattr(self.structure, name)
            try:
                current = normalize(current)
            except ValidationError:
                pass  # an unreadable stored value: any answer is a change
            if data[name] != current:
                changes[name] = data[name]
        return changes

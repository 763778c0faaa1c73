"""Numbers in templates, French style and rounded half up (actors.core.numbers): « 90 240 », « 6,8 », « 81,0 % »,
« — » where there is nothing to show. `{% load numbers %}`."""

from django import template

from actors.core.numbers import french_number, french_percent

register = template.Library()


@register.filter
def number(value, decimals: int = 0) -> str:
    """A count or a measure: `{{ population|number }}` « 90 240 », `{{ km|number:1 }}` « 2,5 »."""
    return french_number(value, decimals=int(decimals))


@register.filter
def decimal(value, decimals: int = 1) -> str:
    """A ratio with one decimal by default: `{{ places_per_10k|decimal }}` « 6,8 »."""
    return french_number(value, decimals=int(decimals))


@register.filter
def percent(share, decimals: int = 1) -> str:
    """A share between 0 and 1 as a percentage: `{{ 0.8095|percent }}` « 81,0 % »."""
    return french_percent(share, decimals=int(decimals))


@register.filter
def per_cent(value, decimals: int = 0) -> str:
    """A value already in per cent (0 to 100): `{{ 80.95|per_cent }}` « 81 % »."""
    return french_percent(value, decimals=int(decimals), scale=1)

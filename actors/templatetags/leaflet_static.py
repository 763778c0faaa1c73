"""django-leaflet maps without inline script, so that the Content-Security-Policy can forbid inline scripts.

`{% leaflet_map_static "carte" callback="inclusionMap" %}` prints the map's container and its options as a
JSON block (the options django-leaflet's own `{% leaflet_map %}` computes from LEAFLET_CONFIG);
static/js/leaflet-maps.js starts every map so described once the page has loaded, and calls
`window[callback](map)`, exactly as django-leaflet's inline loader does.
"""

import json

from django import template
from leaflet.templatetags.leaflet_tags import leaflet_map

register = template.Library()


@register.inclusion_tag("_leaflet_map.html")
def leaflet_map_static(name: str, callback: str = "", creatediv: bool = True) -> dict:
    djoptions = json.loads(leaflet_map(name, creatediv=creatediv)["djoptions"])
    return {"name": name, "creatediv": creatediv,
            "options": {"name": name, "callback": callback, "djoptions": djoptions},
            "options_id": f"{name}-leaflet-options"}

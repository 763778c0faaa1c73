"""A compact per-process index of the public places, kept per data version (see `places`).

The directory's conditions (actors/directory/conditions.py) stay the SQL home of every filter; this package holds
the same facts as Roaring bitmaps over the places' positions in the list's default order (name, id), so that a
filtered list's count, facets and page of ids cost set operations whatever the number of places.
"""

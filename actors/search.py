"""Full-text search over structures, accent- and case-insensitive, ranked, backed by an index.

PostGIS: a `search_vector` tsvector column on actors_structure (added by migration 0020, unknown to the
ORM), weighted A = name, B = typology / services / programmes labels, C = description, address and
commune, built with `unaccent` and the `simple` configuration (no stemming: names of places and
communes are proper nouns, and every query word is matched as a prefix), with a GIN index.

SQLite / SpatiaLite: an FTS5 virtual table `actors_structure_fts` (rowid = structure id) with the same
three columns and the `unicode61 remove_diacritics 2` tokenizer, ranked by bm25 with weights 10 / 4 / 1.

Both are written by `index_structures()`, called by `structure_upsert()`; bulk writers call
`rebuild_search_index()` once at the end.
"""

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from actors.enums import TermKind
from territories.text import fold

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
FTS_TABLE = "actors_structure_fts"
INDEXED_KINDS = (TermKind.TYPOLOGIE, TermKind.SERVICES, TermKind.DISPOSITIFS)
BATCH = 500


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def words(text: str) -> list[str]:
    """Folded words of a user query (letters and digits only, so nothing reaches SQL syntax)."""
    return re.findall(r"[a-z0-9]+", fold(text[:MAX_QUERY_CHARS]))[:MAX_WORDS]


def _match_expression(text: str) -> str | None:
    found = words(text)
    if not found:
        return None
    if is_postgres():
        return " & ".join(f"{word}:*" for word in found)
    return " ".join(f'"{word}"*' for word in found)


def matches(text: str) -> Q | None:
    """The condition "matches `text`", or None when the text holds no word."""
    expression = _match_expression(text)
    if expression is None:
        return None
    if is_postgres():
        sql = "SELECT id FROM actors_structure WHERE search_vector @@ to_tsquery('simple', %s)"
    else:
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    return Q(pk__in=RawSQL(sql, [expression]))


def rank(text: str) -> RawSQL | None:
    """Higher is better on both databases."""
    expression = _match_expression(text)
    if expression is None:
        return None
    if is_postgres():
        return RawSQL("ts_rank(actors_structure.search_vector, to_tsquery('simple', %s))", [expression])
    return RawSQL(
        f"(SELECT -bm25({FTS_TABLE}, 10.0, 4.0, 1.0) FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = actors_structure.id)",
        [expression],
    )


def documents(structures: Iterable) -> list[tuple[int, str, str, str]]:
    """(id, A, B, C) texts of structures whose `terms` are prefetched."""
    rows = []
    for structure in structures:
        labels = [term.label for term in structure.terms.all() if term.kind in INDEXED_KINDS]
        description = " ".join(
            part for part in (structure.presentation_resume, structure.presentation_detail, structure.adresse,
                              structure.code_postal, structure.commune_nom) if part
        )
        rows.append((structure.pk, structure.nom, " ".join(labels), description))
    return rows


def _write(rows: list[tuple[int, str, str, str]]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.executemany(
                "UPDATE actors_structure SET search_vector = "
                "setweight(to_tsvector('simple', unaccent(lower(%s))), 'A') || "
                "setweight(to_tsvector('simple', unaccent(lower(%s))), 'B') || "
                "setweight(to_tsvector('simple', unaccent(lower(%s))), 'C') WHERE id = %s",
                [(a, b, c, pk) for pk, a, b, c in rows],
            )
        else:
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk, *_ in rows])
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, nom, termes, description) VALUES (%s, %s, %s, %s)", rows
            )


def index_structures(ids: Iterable[int], structure_model=None) -> int:
    """(Re)index the given structures; returns how many were written."""
    if structure_model is None:
        from actors.models import Structure as structure_model
    ids = list(ids)
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = structure_model.objects.filter(pk__in=ids[start:start + BATCH]).prefetch_related("terms")
        rows = documents(batch)
        _write(rows)
        written += len(rows)
    return written


def rebuild_search_index(structure_model=None) -> int:
    """Index every structure: for bulk writers (generators, imports using bulk_create) and migrations."""
    if structure_model is None:
        from actors.models import Structure as structure_model
    if not is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    return index_structures(structure_model.objects.values_list("pk", flat=True), structure_model)

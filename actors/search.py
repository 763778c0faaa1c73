"""Full-text search over structures: what a query means, how it is matched and ranked, on both engines.

Documents are folded (accents, case, punctuation) and tokenised here in Python, so both engines index
the same words. Three weighted columns: A = name, B = typology / services / programmes labels, postcode
and commune, C = descriptions and address. Words of the name and labels written in two parts are also
indexed joined ("Tiers-lieu" gives "tierslieu"), so a compound finds the same places in one or two words.

- PostGIS: a `search_vector` tsvector column on actors_structure (migrations 0020, 0080; unknown to the
  ORM), `setweight(to_tsvector('simple', unaccent(...)), 'A'|'B'|'C')`, a GIN index; ranked by ts_rank.
- SQLite / SpatiaLite: an FTS5 table `actors_structure_fts` (rowid = structure id) with the same columns,
  `unicode61 remove_diacritics 2`, ranked by bm25 (10 / 4 / 1) in one pass joining the FTS result.

A query (see `parse`): at most 8 folded words; a word of 3 characters or more matches as a prefix (an
exact word ranks higher), a shorter one only as a whole word; abbreviations and synonyms of
actors/data/synonyms.txt are expanded ("st" also finds "saint", "ccas" the full name); two adjacent
words also match joined ("cyber base" finds "Cyberbase"). When no place contains a word, the closest
indexed word (at most 2 edits) replaces it and the page says so (see actors/textsearch.py).

Both indexes are written by `index_structures()`, called by `structure_upsert()`; bulk writers call
`_write(documents(...))` or `rebuild_search_index()` once at the end.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from actors.enums import TermKind
from territories.text import fold

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
PREFIX_FROM = 3  # shorter words match whole words only: a 1-letter prefix would match every place
FTS_TABLE = "actors_structure_fts"
FTS_WORDS = "actors_structure_fts_words"  # fts5vocab over FTS_TABLE (migration 0080)
INDEXED_KINDS = (TermKind.TYPOLOGIE, TermKind.SERVICES, TermKind.DISPOSITIFS)
BATCH = 500
SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonyms.txt"
WEIGHTS = (10.0, 4.0, 1.0)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text or ""))


def words(text: str) -> list[str]:
    """Folded words of a user query (letters and digits only, so nothing reaches SQL syntax)."""
    return tokens(text[:MAX_QUERY_CHARS])[:MAX_WORDS]


# --- Synonyms ----------------------------------------------------------------------------------------
@cache
def synonym_groups() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Groups of equivalent expressions, each a tuple of folded words, from actors/data/synonyms.txt."""
    groups = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" not in line:
            continue
        expressions = tuple(dict.fromkeys(tuple(tokens(part)) for part in line.split("=") if tokens(part)))
        if len(expressions) > 1:
            groups.append(expressions)
    return tuple(groups)


# --- Query -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Alternative:
    words: tuple[str, ...]  # a phrase when several
    prefix: bool = False  # the (single) word also matches as a prefix


@dataclass
class TextQuery:
    """What a query means: slots that must all match, each a choice of alternatives."""

    text: str
    slots: list[list[Alternative]] = field(default_factory=list)
    plain: list[str | None] = field(default_factory=list)  # the user's own word per slot (None: synonym)

    @property
    def words(self) -> list[str]:
        return [word for word in self.plain if word]

    def replace(self, old: str, new: str) -> None:
        for index, word in enumerate(self.plain):
            if word == old:
                self.plain[index] = new
                self.slots[index] = _word_slot(new)

    def expression(self) -> str:
        """The engine's query string: AND of slots; two adjacent plain words may also match joined."""
        parts, index = [], 0
        while index < len(self.slots):
            first, second = self.plain[index], self.plain[index + 1] if index + 1 < len(self.slots) else None
            if first and second and len(first) >= PREFIX_FROM and len(second) >= PREFIX_FROM:
                both = _and([_slot(self.slots[index]), _slot(self.slots[index + 1])])
                parts.append(_or([both, _term(Alternative((first + second,), prefix=True))]))
                index += 2
                continue
            parts.append(_slot(self.slots[index]))
            index += 1
        return _and(parts)


def _word_slot(word: str) -> list[Alternative]:
    if len(word) < PREFIX_FROM:
        return [Alternative((word,))]
    return [Alternative((word,)), Alternative((word,), prefix=True)]  # the exact word counts twice


def parse(text: str) -> TextQuery | None:
    """The meaning of a user query, or None when it holds no word."""
    found = words(text)
    if not found:
        return None
    query = TextQuery(text=text)
    groups = synonym_groups()
    index = 0
    while index < len(found):
        best = None
        for group in groups:
            for expression in group:
                if tuple(found[index:index + len(expression)]) == expression and (
                        best is None or len(expression) > len(best[0])):
                    best = (expression, group)
        if best is None:
            query.slots.append(_word_slot(found[index]))
            query.plain.append(found[index])
            index += 1
            continue
        expression, group = best
        query.slots.append([Alternative(alternative) for alternative in group])
        query.plain.append(None if len(expression) > 1 else expression[0])
        index += len(expression)
    return query


def _term(alternative: Alternative) -> str:
    if is_postgres():
        if alternative.prefix:
            return f"{alternative.words[0]}:*"
        return " <-> ".join(alternative.words) if len(alternative.words) > 1 else alternative.words[0]
    phrase = '"' + " ".join(alternative.words) + '"'
    return phrase + "*" if alternative.prefix else phrase


def _slot(alternatives: list[Alternative]) -> str:
    return _or([_term(alternative) for alternative in alternatives])


def _or(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + (" | " if is_postgres() else " OR ").join(parts) + ")"


def _and(parts: list[str]) -> str:
    return (" & " if is_postgres() else " AND ").join(parts)


# --- SQL -----------------------------------------------------------------------------------------------
def match_sql(expression: str) -> tuple[str, list]:
    """SELECT of the matching structure ids."""
    if is_postgres():
        return "SELECT id FROM actors_structure WHERE search_vector @@ to_tsquery('simple', %s)", [expression]
    return f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression]


def matches(text: "str | TextQuery") -> Q | None:
    """The condition "matches `text`", or None when the text holds no word."""
    query = parse(text) if isinstance(text, str) else text
    if query is None:
        return None
    return Q(pk__in=RawSQL(*match_sql(query.expression())))


def rank(text: "str | TextQuery") -> RawSQL | None:
    """PostgreSQL's rank of a row (higher is better); SQLite ranks through `ranked()`."""
    query = parse(text) if isinstance(text, str) else text
    if query is None:
        return None
    return RawSQL("ts_rank('{0.1, 1, 4, 10}', actors_structure.search_vector, to_tsquery('simple', %s))",
                  [query.expression()])


def ranked(queryset, query: TextQuery):
    """`queryset` restricted to the matches of `query`, annotated with `rank` (higher is better).

    SQLite joins the FTS result once (a bm25 per matching row) instead of a correlated subquery per row.
    """
    if is_postgres():
        return queryset.filter(matches(query)).annotate(rank=rank(query))
    weights = ", ".join(str(w) for w in WEIGHTS)
    return queryset.extra(
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = actors_structure.id", f"{FTS_TABLE} MATCH %s"],
        params=[query.expression()],
        select={"rank": f"-bm25({FTS_TABLE}, {weights})"},
    )


# --- Index ---------------------------------------------------------------------------------------------
def joined_pairs(found: list[str]) -> list[str]:
    """Adjacent words written in two parts, joined ("tiers lieu" -> "tierslieu")."""
    return [a + b for a, b in zip(found, found[1:], strict=False) if len(a) >= PREFIX_FROM and len(b) >= PREFIX_FROM
            and not a.isdigit() and not b.isdigit()]


def documents(structures: Iterable) -> list[tuple[int, str, str, str]]:
    """(id, A, B, C) folded texts of structures whose `terms` are prefetched."""
    rows = []
    for structure in structures:
        name = tokens(structure.nom)
        labels = [tokens(term.label) for term in structure.terms.all() if term.kind in INDEXED_KINDS]
        place = tokens(f"{structure.code_postal} {structure.commune_nom}")
        description = tokens(" ".join(
            part for part in (structure.presentation_resume, structure.presentation_detail, structure.adresse) if part
        ))
        rows.append((
            structure.pk,
            " ".join(name + joined_pairs(name)),
            " ".join([word for label in labels for word in label + joined_pairs(label)] + place),
            " ".join(description),
        ))
    return rows


def _write(rows: list[tuple[int, str, str, str]]) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.executemany(
                "UPDATE actors_structure SET search_vector = "
                "setweight(to_tsvector('simple', unaccent(%s)), 'A') || "
                "setweight(to_tsvector('simple', unaccent(%s)), 'B') || "
                "setweight(to_tsvector('simple', unaccent(%s)), 'C') WHERE id = %s",
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

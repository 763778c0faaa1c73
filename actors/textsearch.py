"""A text query on the list page: bounded counting, ordering, and the correction of a misspelt word.

Cost does not grow with the number of matches: the matches are counted up to MATCH_CAP + 1 only. Up to
MATCH_CAP matches (with the other filters) are ranked by relevance; beyond, a word so common ranks
nothing useful, so the places are listed by name (an index walk) and the page says "plus de 5 000 lieux",
without per-option counts, and invites to narrow the search. When nothing matches and a word is found in
no place, the closest indexed word (at most 2 edits, same first letter) replaces it, and the page says so.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Q, Value
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from actors import search
from actors.search import TextQuery

MATCH_CAP = 5000
MIN_CORRECTED = 5  # shorter words are too ambiguous to correct
CANDIDATES = 400


@dataclass
class TextSearch:
    base: object  # the filtered queryset, without the text condition
    query: TextQuery
    count: int = 0  # matches with the other filters, capped at MATCH_CAP + 1
    notices: list[str] = field(default_factory=list)

    @property
    def broad(self) -> bool:
        return self.count > MATCH_CAP

    @property
    def condition(self) -> Q:
        return search.matches(self.query)

    def run(self) -> "TextSearch":
        self.count = self._count()
        if self.count == 0 and self._correct():
            self.count = self._count()
        if self.broad:
            self.notices.append(_(
                "Plus de %(n)s lieux contiennent « %(text)s » : ils sont classés par nom. Précisez la recherche "
                "ou ajoutez un filtre (commune, service…) pour les classer par pertinence."
            ) % {"n": f"{MATCH_CAP:n}".replace(",", "\u202f"), "text": self.query.text[:80]})
        return self

    def _count(self) -> int:
        return self.base.filter(self.condition).order_by().values("pk")[:MATCH_CAP + 1].count()

    def queryset(self):
        """The matches, annotated with `rank`: ranked up to MATCH_CAP, by name beyond (rank 0)."""
        if not self.broad:
            return search.ranked(self.base, self.query)
        sql, params = search.match_sql(self.query.expression())
        # "+id": SQLite then walks the name index and probes the match set, instead of sorting it all.
        column = "actors_structure.id" if search.is_postgres() else "+actors_structure.id"
        walk = RawSQL(f"{column} IN ({sql})", params, output_field=BooleanField())
        return self.base.filter(Q(walk)).annotate(rank=Value(0.0))

    # -- correction of misspelt words ----------------------------------------------------------------
    def _correct(self) -> bool:
        missing = [word for word in dict.fromkeys(self.query.words) if len(word) >= MIN_CORRECTED]
        missing = [word for word, found in zip(missing, _found(missing), strict=True) if not found]
        corrected = False
        for word in missing:
            better = closest(word, _candidates(word))
            if better:
                self.query.replace(word, better)
                self.notices.append(_("Aucun lieu ne contient « %(word)s » : résultats pour « %(better)s ».")
                                    % {"word": word, "better": better})
                corrected = True
        return corrected


def _found(words: list[str]) -> list[bool]:
    """Whether some place contains each word (exactly or as a prefix), in one query."""
    if not words:
        return []
    parts, params = [], []
    for word in words:
        sql, args = search.match_sql(f"{word}:*" if search.is_postgres() else f'"{word}"*')
        parts.append(f"EXISTS ({sql} LIMIT 1)")
        params += args
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return [bool(value) for value in cursor.fetchone()]


def _candidates(word: str) -> list[tuple[str, int]]:
    """Indexed words sharing the first three letters of `word`, with the number of places having them."""
    stem = word[:3]
    with connection.cursor() as cursor:
        if search.is_postgres():
            inner = ("SELECT search_vector FROM actors_structure WHERE search_vector @@ "
                     f"to_tsquery('simple', '{stem}:*') LIMIT 2000")  # stem: letters and digits only
            cursor.execute("SELECT word, ndoc FROM ts_stat(%s) LIMIT %s", [inner, CANDIDATES * 10])
        else:
            cursor.execute(f"SELECT term, doc FROM {search.FTS_WORDS} WHERE term >= %s AND term < %s LIMIT %s",
                           [stem, stem + "{", CANDIDATES * 10])
        return [(term, count) for term, count in cursor.fetchall() if term.startswith(stem)]


def closest(word: str, candidates: list[tuple[str, int]]) -> str | None:
    """The candidate within 2 edits of `word` (1 for words under 8 letters), most places first."""
    limit = 1 if len(word) < 8 else 2
    scored = [(edits(word, term, limit), -count, term) for term, count in candidates
              if abs(len(term) - len(word)) <= limit]
    scored = [item for item in scored if item[0] <= limit]
    return min(scored)[2] if scored else None


def edits(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, stopped early above `limit`."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]

"""A text query on the list page: bounded counting, ordering, and the correction of a misspelt word.

Cost does not grow with the number of matches: the matches are counted up to MATCH_CAP + 1 only. Up to
MATCH_CAP matches (with the other filters) are ranked by relevance; beyond, a word so common ranks
nothing useful: the first MATCH_CAP matches found are listed by name, and the page says so ("plus de
2 000 lieux"), shows the filter options without counts, and invites to narrow the search. A word of
5 letters or more found in no place is replaced by the closest indexed word (1 edit, 2 from 8 letters,
same first three letters), and the page says so.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, Value
from django.utils.translation import gettext as _

from actors.core import search_index
from actors.core.search_index import TextQuery
from actors.core.versioned_cache import cache_key, kept
from actors.models.version import data_version

MATCH_CAP = 2000
MIN_CORRECTED = 5  # shorter words are too ambiguous to correct
PYTHON_RANKING_UNITS = 2500  # matches × distinct phrases: ~8 ms of Python (TextSearch.ranks_in_python)


@dataclass
class TextSearch:
    base: object  # the filtered queryset, without the text condition
    query: TextQuery
    # The base without the filters the counts ask about apart (any-of options, opening): None when the same.
    # Its matches, when at most MATCH_CAP, are the one id set every count, facet and page of the request reads.
    core: object = None
    everything: object = None  # the places before any filter (None: `base`)
    rest: list = field(default_factory=list)  # with `core`: the conditions counted apart
    filters_drive: bool = False  # SQLite: a territory or a box narrows the places more than the words do
    count: int = 0  # matches with the other filters, capped at MATCH_CAP + 1
    ids: list[int] = field(default_factory=list)  # their ids, as found (index order)
    known: list[int] | None = None  # every match passing the core filters, when they are at most MATCH_CAP
    counted: bool = True  # `count` is the number of results (else the core's: the other filters test `ids`)
    notices: list[str] = field(default_factory=list)
    dropped: str = ""  # the word set aside when no place holds them all (`_relax`)

    @property
    def broad(self) -> bool:
        return self.count > MATCH_CAP

    @property
    def total(self) -> int:
        """What the page counts: the matches, or MATCH_CAP ("plus de …") when there are more."""
        return min(self.count, MATCH_CAP)

    @property
    def condition(self) -> Q:
        """The text filter as the counts read it: the known ids when there are few (no second MATCH)."""
        if self.known is not None:
            return Q(pk__in=self.known) if self.known else Q(pk__isnull=True)  # pk__in=[] fails in aggregates
        return self.match_condition

    @property
    def match_condition(self) -> Q:
        """The text filter whatever the other filters (a count with a core filter removed)."""
        return search_index.matches(self.query)

    def run(self) -> "TextSearch":
        """The search of every word; when no place holds them all, the search without the one word whose
        absence leaves the most places (`relax`)."""
        self._search()
        if not self.count and len(self.query.slots) > 1 and not self._found_elsewhere():
            self._relax()
        return self

    def _found_elsewhere(self) -> bool:
        """Whether some place holds every word outside the filters: then the words are right and the
        territory or the other filters are not (« France services » near a town that has none): the words
        stay whole, and the empty page offers the places beyond (actors/directory/recovery.py)."""
        if self.everything is None or self.everything is self.base:
            return False
        return bool(self._first_matches(self.everything))

    def _relax(self) -> None:
        """All words before most words: each word set aside in turn (one bounded query each, only when
        nothing matched), the largest answer kept, and the page says which word was set aside. Ties keep the
        words typed first (the need usually comes before its details)."""
        whole = self.query
        best: tuple[int, int] | None = None
        for index in range(len(whole.slots)):
            self.query = whole.without(index)
            found = len(self._first_matches(self.core if self.core is not None else self.base))
            if found and (best is None or found > best[0] or (found == best[0] and index > best[1])):
                best = (found, index)
        if best is None:
            self.query = whole
            return
        self.dropped = whole.typed[best[1]]
        self.query = whole.without(best[1])
        self._search()
        self.notices.append(_("Aucun lieu ne contient tous les mots : résultats sans le mot « %(word)s ».")
                            % {"word": self.dropped})

    def _search(self) -> None:
        """Two queries: the indexed words of the query's prefixes, then the first MATCH_CAP + 1 matches; with
        filters counted apart, the matches of the core filters (and, when more than MATCH_CAP, of all)."""
        prefixes = self.query.prefixes()
        known = search_index.known_words(list(dict.fromkeys(prefixes + self.query.whole_words())))
        if self._correct(prefixes, known):
            known = search_index.known_words(self.query.prefixes())
        if not search_index.is_postgres():
            self.query.expand(known)
        if self.core is not None:
            core_ids = self._first_matches(self.core)
            if len(core_ids) <= MATCH_CAP:
                # The core filters are in these ids: the rest is tested on them alone, never planned again
                # from a département's communes probing each id.
                self.known = self.ids = core_ids
                self.base = self.everything.filter(*self.rest).select_related("commune")
                self.count = len(core_ids)  # at least the results: never broad; counted by facets.totals
                self.counted = False
                return
        self.ids = self._first_matches(self.base)
        self.count = len(self.ids)
        if self.core is None and not self.broad:
            self.known = self.ids
        if self.broad:
            self.notices.append(_(
                "Plus de %(n)s lieux contiennent « %(text)s » : seuls les %(n)s premiers trouvés sont listés, "
                "par nom. Précisez la recherche ou ajoutez un filtre (commune, service…) pour les classer par "
                "pertinence."
            ) % {"n": f"{MATCH_CAP:,}".replace(",", "\u202f"), "text": self.query.text[:80]})

    def _first_matches(self, queryset) -> list[int]:
        """Kept per query and data version, like the counts they give (actors/directory/counts.py): paging through a
        search, or coming back to it, finds its matches once. The key is the query itself (its SQL)."""
        if search_index.is_postgres() or self.filters_drive:
            found = queryset.filter(Q(search_index.direct_match(self.query, filters_drive=self.filters_drive)))
        else:
            found = search_index.ranked(queryset, self.query)  # the FTS result drives, and stops at the cap

        first = found.order_by().values_list("pk", flat=True)[:MATCH_CAP + 1]
        sql, params = first.query.sql_with_params()
        return kept(cache_key("textmatches", sql, repr(params), data_version()), lambda: list(first),
                    seconds=settings.LIST_COUNTS_SECONDS)

    def queryset(self):
        """The matches, annotated with `rank`: ranked up to MATCH_CAP; beyond, the first MATCH_CAP found."""
        if self.broad:
            return self.base.filter(pk__in=self.ids[:MATCH_CAP]).annotate(rank=Value(0.0))
        # The filters are in the ids (the core's, with `counted` False: `base` tests the others): only those
        # places are read and ranked.
        if self.counted and self.everything is not None:
            return search_index.ranked(self.everything.select_related("commune"), self.query, among=self.ids)
        return search_index.ranked(self.base, self.query, among=self.ids)

    @property
    def ranks_in_python(self) -> bool:
        """SQLite, a page by relevance: ranked by `ranked_ids` when that costs less than the MATCH, which walks
        every place holding the words (national). Python's cost is the matches times the distinct phrases
        (~3 µs each); beyond PYTHON_RANKING_UNITS the MATCH is the cheaper of the two. Same order either way."""
        if search_index.is_postgres() or self.broad:
            return False
        distinct = set(search_index.phrases(self.query.expression()))
        return len(self.ids) * len(distinct) <= PYTHON_RANKING_UNITS

    def ranked_ids(self) -> list[tuple[int, float]]:
        """SQLite: the results (id, rank) in the list's order by relevance (-rank, -quality, nom, pk), without a
        MATCH: FTS5's bm25 computed from the results' own indexed texts and the statistics of the data
        version (search.bm25_scores: the same doubles). A MATCH would walk every place containing the
        words (74,000 for « mediatheque » among 300,000) to rank the few the filters leave."""

        expression = self.query.expression()
        key = cache_key("bm25stats", expression, data_version())
        statistics = cache.get(key)
        content = f"{search_index.FTS_TABLE}_content"
        select = {name: f"{content}.{name}" for name in ("c0", "c1", "c2")}
        params: list[str] = []
        if statistics is None:  # read in the same query, kept per data version
            columns, params = search_index.bm25_statistics_columns(expression)
            select.update(columns)
        rows = list(
            self.base.filter(pk__in=self.ids).order_by()
            .extra(tables=[content], where=[f"{content}.id = actors_structure.id"], select=select,
                   select_params=params)
            .values_list("pk", "quality", "nom", *select)
        )
        if not rows:
            return []
        if statistics is None:
            statistics = search_index.bm25_statistics(rows[0][6:])
            cache.set(key, statistics, settings.LIST_COUNTS_SECONDS)
        scores = search_index.bm25_scores(((row[0], *row[3:6]) for row in rows), expression=expression,
                                    statistics=statistics)
        rows.sort(key=lambda row: (-scores[row[0]], -row[1], row[2], row[0]))
        return [(row[0], scores[row[0]]) for row in rows]

    def _correct(self, prefixes: list[str], known: dict) -> bool:
        """Replace each word found in no place by the closest indexed word; True when one was replaced."""
        corrected = False
        whole = self.query.whole_words()
        for word in dict.fromkeys(prefixes + whole):
            covered = known.get(word)
            missing = covered == () or (word in whole and covered is not None and word not in covered)
            if (not missing or len(word) < MIN_CORRECTED or word not in self.query.words
                    or self.query.is_need(word)):
                continue
            limit = 1 if len(word) < 8 else 2
            better = closest(word, search_index.words_near(word, limit), limit)
            if better:
                typed = next((raw for stem, raw in zip(self.query.plain, self.query.raw, strict=True)
                              if stem == word and raw), word)
                self.query.replace(word, better)
                # `better` is an indexed stem (« mediathequ »): shown as the start of the words it stands for.
                self.notices.append(_("Aucun lieu ne contient « %(word)s » : résultats pour « %(better)s… ».")
                                    % {"word": typed, "better": better})
                corrected = True
        return corrected


def closest(word: str, candidates: list[str], limit: int) -> str | None:
    """The candidate within `limit` edits of `word`, fewest edits first, then alphabetical."""
    scored = [(edits(word, term, limit), term) for term in candidates if abs(len(term) - len(word)) <= limit]
    scored = [item for item in scored if item[0] <= limit]
    return min(scored)[1] if scored else None


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

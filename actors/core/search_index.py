"""Full-text search over structures: what a query means, how it is matched and ranked, on both engines.

Documents and queries go through one French analysis here in Python (`analysed`): accents and case
folded, elisions (l', d', qu') and small words dropped (territories.text.SEARCH_STOP_WORDS), each word cut
to its Snowball stem (PyStemmer: imprimer / imprimante / imprimantes -> « imprim »). Both engines then index
and search the same stems: PostgreSQL's own French configuration would stem after other foldings and
disagree with SQLite on a few words, so it only stores what Python wrote ('simple').
Three weighted columns: A = name, B = typology / services / programmes labels, postcode and commune,
C = descriptions and address. Words of the name and labels written in two parts are also indexed joined
("Tiers-lieu" gives "tierslieu"), so a compound finds the same places in one or two words.

- PostGIS: a `search_vector` tsvector column on actors_structure (migrations 0020, 0080; unknown to the
  ORM), `setweight(to_tsvector('simple', unaccent(...)), 'A'|'B'|'C')`, a GIN index; ranked by ts_rank.
- SQLite / SpatiaLite: an FTS5 table `actors_structure_fts` (rowid = structure id) with the same columns,
  `unicode61 remove_diacritics 2`, ranked by bm25 (10 / 4 / 1) in one pass joining the FTS result.

A query (see `parse`): at most 8 analysed words; a word typed in capitals (FLE, CAF, ANTS) is an acronym and
matches whole words only; a word of 3 characters or more matches as a prefix (an
exact word ranks higher), a shorter one only as a whole word; abbreviations and synonyms of
actors/data/synonyms.txt are expanded ("st" also finds "saint", "ccas" the full name); two adjacent
words also match joined ("cyber base" finds "Cyberbase"). A word no place contains is replaced by the
closest indexed word (at most 2 edits) and the page says so (see actors/directory/text_query.py). Every indexed word
is kept in `actors_search_word` (never pruned: a word of a deleted place only finds nothing).

Both indexes are written by `index_structures()`, called by `structure_upsert()`; bulk writers call
`_write(documents(...))` or `rebuild_search_index()` once at the end.
"""

import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import Stemmer
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from actors.models import Structure
from actors.vocabulary.enums import TermKind
from territories.text import SEARCH_STOP_WORDS, fold

MAX_QUERY_CHARS = 200
MAX_WORDS = 8
PREFIX_FROM = 3  # shorter words match whole words only: a 1-letter prefix would match every place
FTS_TABLE = "actors_structure_fts"
WORDS_TABLE = "actors_search_word"  # every indexed word (migration 0080): prefixes and corrections
JOINED_MARK = "0"  # joined compounds are indexed as "0tierslieu": found whole, never by a user's prefix
MAX_EXPANSION = 64  # SQLite: a prefix covering at most this many words is searched as these words
INDEXED_KINDS = (TermKind.TYPOLOGIE, TermKind.SERVICES, TermKind.DISPOSITIFS)
BATCH = 2000
DOCUMENT_FIELDS = ("nom", "code_postal", "commune_nom", "presentation_resume", "presentation_detail", "adresse")
SYNONYMS_FILE = Path(__file__).resolve().parent.parent / "data" / "synonyms.txt"
NEEDS_FILE = Path(__file__).resolve().parent.parent / "data" / "needs.txt"
WEIGHTS = (10.0, 4.0, 1.0)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text or ""))


_stemmers = threading.local()  # a PyStemmer object is not safe to share between threads


@cache
def stem(word: str) -> str:
    """The French Snowball stem of a folded word; numbers and words of 2 letters are kept whole."""
    if len(word) <= 2 or word.isdigit():
        return word
    stemmer = getattr(_stemmers, "french", None)
    if stemmer is None:
        stemmer = _stemmers.french = Stemmer.Stemmer("french")
    return stemmer.stemWord(word)


def analysed(text: str) -> list[tuple[str, str]]:
    """(word, stem) of the meaningful words of a text: the one analysis of documents and queries."""
    return [(word, stem(word)) for word in tokens(text) if word not in SEARCH_STOP_WORDS]


def words(text: str) -> list[str]:
    """Stems of a user query (letters and digits only, so nothing reaches SQL syntax)."""
    return [stemmed for _word, stemmed in analysed(text[:MAX_QUERY_CHARS])][:MAX_WORDS]


def acronyms(text: str) -> set[str]:
    """Stems of the words typed in capitals (« FLE », « CAF »): whole words only, never a prefix."""
    return {stem(fold(word)) for word in re.findall(r"\w+", text[:MAX_QUERY_CHARS])
            if 2 <= len(word) <= 6 and word.isalpha() and word.isupper()}


# --- Synonyms ----------------------------------------------------------------------------------------
@cache
def synonym_groups() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Groups of equivalent expressions, each a tuple of folded words, from actors/data/synonyms.txt."""
    groups = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" not in line:
            continue
        expressions = tuple(dict.fromkeys(tuple(words(part)) for part in line.split("=") if words(part)))
        if len(expressions) > 1:
            groups.append(expressions)
    return tuple(groups)


@cache
def need_groups() -> tuple[tuple[tuple[tuple[str, ...], ...], str], ...]:
    """(expressions as stems, the service's label) of each need of actors/data/needs.txt."""
    groups = []
    for line in NEEDS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if ">" not in line:
            continue
        said, label = (part.strip() for part in line.split(">", 1))
        expressions = tuple(dict.fromkeys(tuple(words(part)) for part in said.split("=") if words(part)))
        if expressions and words(label):
            groups.append((expressions, label))
    return tuple(groups)


def _need_at(found: list[str], index: int) -> tuple[tuple[str, ...], str] | None:
    """The longest need expression starting at `index`, with its service's label."""
    best = None
    for expressions, label in need_groups():
        for expression in expressions:
            if tuple(found[index:index + len(expression)]) == expression and (
                    best is None or len(expression) > len(best[0])):
                best = (expression, label)
    return best


# --- Query -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Alternative:
    words: tuple[str, ...]  # a phrase when several
    prefix: bool = False  # the (single) word also matches as a prefix
    expansion: tuple[str, ...] | None = None  # SQLite: the indexed words having this prefix, when few


@dataclass
class TextQuery:
    """What a query means: slots that must all match, each a choice of alternatives."""

    text: str
    slots: list[list[Alternative]] = field(default_factory=list)
    plain: list[str | None] = field(default_factory=list)  # the user's own word per slot, stemmed (None: synonym)
    raw: list[str | None] = field(default_factory=list)  # the same, unstemmed: compounds are joined from these
    needs: list[tuple[str, str]] = field(default_factory=list)  # (words typed, service label) understood as needs
    typed: list[str] = field(default_factory=list)  # the words each slot came from, as typed (its notices)

    @property
    def words(self) -> list[str]:
        return [word for word in self.plain if word]

    def replace(self, old: str, new: str) -> None:
        for index, word in enumerate(self.plain):
            if word == old:
                self.plain[index] = self.raw[index] = new
                self.slots[index] = _word_slot(new, new)

    def without(self, index: int) -> "TextQuery":
        """The query without its slot `index` (a word, a synonym phrase or a need), for relaxing a search that
        nothing matches whole."""
        keep = [i for i in range(len(self.slots)) if i != index]
        said = words(self.typed[index])
        return TextQuery(text=self.text, slots=[self.slots[i] for i in keep], plain=[self.plain[i] for i in keep],
                         raw=[self.raw[i] for i in keep], typed=[self.typed[i] for i in keep],
                         needs=[need for need in self.needs if words(need[0]) != said])

    def only(self, index: int) -> "TextQuery":
        """The query of its slot `index` alone (« imprimer : 182 lieux » on a page with no result)."""
        return TextQuery(text=self.typed[index], slots=[self.slots[index]], plain=[self.plain[index]],
                         raw=[self.raw[index]], typed=[self.typed[index]],
                         needs=[need for need in self.needs if words(need[0]) == words(self.typed[index])])

    def is_need(self, word: str) -> bool:
        """Whether the stem `word` was understood as a need: its slot also finds the service, never corrected."""
        return any(word in words(said) for said, _label in self.needs)

    def whole_words(self) -> list[str]:
        """Stems of words the stemmer shortened: typed whole, so a stem no place holds is a misspelling even
        when it is the prefix of other words (« perigeux » -> « perig », the start of « perignac »)."""
        return [word for word, raw in zip(self.plain, self.raw, strict=True) if word and raw and word != raw]

    def prefixes(self) -> list[str]:
        return list(dict.fromkeys(a.words[0] for slot in self.slots for a in slot if a.prefix))

    def expand(self, expansions: dict[str, tuple[str, ...] | None]) -> None:
        """SQLite: search a prefix as the few words it covers (FTS5 merges a prefix's lists up front)."""
        self.slots = [[Alternative(a.words, a.prefix, expansions.get(a.words[0])) if a.prefix else a
                       for a in slot] for slot in self.slots]

    def expression(self) -> str:
        """The engine's query string: AND of slots; two adjacent plain words may also match joined."""
        parts, index = [], 0
        while index < len(self.slots):
            first, second = self.raw[index], self.raw[index + 1] if index + 1 < len(self.slots) else None
            if first and second and len(first) >= PREFIX_FROM and len(second) >= PREFIX_FROM:
                both = _and([_slot(self.slots[index]), _slot(self.slots[index + 1])])
                joined = [_term(Alternative((JOINED_MARK + stem(first + second),))),
                          _term(Alternative((stem(first + second),), prefix=True))]
                parts.append(_or([both, *joined]))
                index += 2
                continue
            parts.append(_slot(self.slots[index]))
            index += 1
        return _and(parts)


def _word_slot(word: str, raw: str, *, whole: bool = False) -> list[Alternative]:
    if len(word) < PREFIX_FROM or whole:
        return [Alternative((word,))]
    if word != raw:
        # A word the stemmer shortened was typed whole: its stem covers its forms, and a prefix of the stem
        # would reach other words (« france » -> « franc* » finds « Franck »). The stem is counted twice, as an
        # exact word is below (with its prefix), so whole words keep their weight against typed prefixes.
        slot = [Alternative((word,)), Alternative((word,))]
        return slot + [Alternative((JOINED_MARK + stem(raw),))] if len(raw) >= 2 * PREFIX_FROM else slot
    # The exact word counts twice, so "gueret" ranks Guéret above Guéretois; a compound typed in one word
    # also finds it written in two ("tierslieu" finds "Tiers-lieu").
    slot = [Alternative((word,)), Alternative((word,), prefix=True)]
    return slot + [Alternative((JOINED_MARK + stem(raw),))] if len(raw) >= 2 * PREFIX_FROM else slot


def parse(text: str, *, needs: bool = True) -> TextQuery | None:
    """The meaning of a user query, or None when it holds no word. `needs`: need words also find the
    places offering their service (actors/data/needs.txt); off for « les mots tels quels »."""
    pairs = analysed(text[:MAX_QUERY_CHARS])[:MAX_WORDS]
    found = [stemmed for _word, stemmed in pairs]
    if not found:
        return None
    capitals = acronyms(text)
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
        need = _need_at(found, index) if needs else None
        if need is not None and len(need[0]) > (len(best[0]) if best else 1):
            # A need said in several words (« titre de séjour »): the phrase, or the service's places.
            expression, label = need
            query.slots.append([Alternative(expression), Alternative(tuple(words(label)))])
            query.plain.append(None)
            query.raw.append(None)
            query.needs.append((" ".join(word for word, _stem in pairs[index:index + len(expression)]), label))
            query.typed.append(query.needs[-1][0])
            index += len(expression)
            continue
        if best is None:
            query.slots.append(_word_slot(found[index], pairs[index][0], whole=found[index] in capitals))
            if need is not None:  # a need in one word: its places are one more choice
                query.slots[-1].append(Alternative(tuple(words(need[1]))))
                query.needs.append((pairs[index][0], need[1]))
            query.plain.append(found[index])
            query.raw.append(pairs[index][0])
            query.typed.append(pairs[index][0])
            index += 1
            continue
        expression, group = best
        query.slots.append([Alternative(alternative) for alternative in group])
        if need is not None and len(need[0]) == len(expression):
            query.slots[-1].append(Alternative(tuple(words(need[1]))))
            query.needs.append((" ".join(word for word, _stem in pairs[index:index + len(expression)]), need[1]))
        query.plain.append(None if len(expression) > 1 else expression[0])
        query.raw.append(None if len(expression) > 1 else pairs[index][0])
        query.typed.append(" ".join(word for word, _stem in pairs[index:index + len(expression)]))
        index += len(expression)
    return query


def _term(alternative: Alternative) -> str:
    if is_postgres():
        if alternative.prefix:
            return f"{alternative.words[0]}:*"
        return " <-> ".join(alternative.words) if len(alternative.words) > 1 else alternative.words[0]
    if alternative.prefix and alternative.expansion is not None:
        others = [word for word in alternative.expansion if word != alternative.words[0]]
        return _or([f'"{word}"' for word in [alternative.words[0], *others]])
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


def direct_match(query: TextQuery, *, filters_drive: bool = False) -> RawSQL:
    """The match as a condition on the top-level table (not usable inside subqueries, which alias it).

    `filters_drive` (SQLite): the match is only a membership test (its ids gathered once), so that the other
    filters (a département's communes, a box of the spatial index) choose the rows: « +id » keeps SQLite from
    looping over every match, or worse, over every match for each commune."""
    if is_postgres():
        sql = "actors_structure.search_vector @@ to_tsquery('simple', %s)"
    else:
        column = "+actors_structure.id" if filters_drive else "actors_structure.id"
        sql = f"{column} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
    return RawSQL(sql, [query.expression()], output_field=BooleanField())


def matches(text: "str | TextQuery") -> Q | None:
    """The condition "matches `text`", or None when the text holds no word."""
    query = parse(text) if isinstance(text, str) else text
    if query is None:
        return None
    return Q(pk__in=RawSQL(*match_sql(query.expression())))


# PostgreSQL rank, per slot: the best of (column weight x 3 for an exact word, x 1 for a mere prefix),
# summed over slots; ts_rank breaks ties. An exact word beats a prefix ("gueret": Guéret before Guéretois).
RANK_STEPS = [("A", False, 30), ("B", False, 12), ("A", True, 10), ("B", True, 4), ("C", False, 3), ("C", True, 1)]


def _weighted(alternatives: list[Alternative], weight: str, prefix: bool) -> str | None:
    terms = []
    for alternative in alternatives:
        if alternative.prefix != prefix:
            continue
        if alternative.prefix:
            terms.append(f"{alternative.words[0]}:*{weight}")
        else:
            terms.append(" <-> ".join(f"{word}:{weight}" for word in alternative.words))
    return "(" + " | ".join(terms) + ")" if terms else None


def rank(text: "str | TextQuery") -> RawSQL | None:
    """PostgreSQL's rank of a row (higher is better); SQLite ranks with bm25 through `ranked()`."""
    query = parse(text) if isinstance(text, str) else text
    if query is None:
        return None
    parts, params = [], []
    for slot in query.slots:
        cases = []
        for weight, prefix, points in RANK_STEPS:
            expression = _weighted(slot, weight, prefix)
            if expression:
                cases.append(f"WHEN actors_structure.search_vector @@ to_tsquery('simple', %s) THEN {points}")
                params.append(expression)
        parts.append("(CASE " + " ".join(cases) + " ELSE 0 END)")
    tie = "ts_rank('{0.01, 0.1, 0.4, 1.0}', actors_structure.search_vector, to_tsquery('simple', %s))"
    return RawSQL(" + ".join(parts) + " + " + tie, [*params, query.expression()])


def ranked(queryset, query: TextQuery, among: list[int] | None = None):
    """`queryset` restricted to the matches of `query`, annotated with `rank` (higher is better).

    SQLite joins the FTS result once (a bm25 per matching row) instead of a correlated subquery per row.
    `among`: the matches already found (ids): the others are dropped inside the FTS scan, before their place
    is read or ranked.
    """
    if is_postgres():
        queryset = queryset.filter(pk__in=among) if among is not None else queryset.filter(matches(query))
        return queryset.annotate(rank=rank(query))
    weights = ", ".join(str(w) for w in WEIGHTS)
    # "+rowid": the FTS result drives the join (each match then reads its place by primary key); without
    # it SQLite may scan the places and run the MATCH again for each one.
    where = [f"actors_structure.id = +{FTS_TABLE}.rowid", f"{FTS_TABLE} MATCH %s"]
    if among is not None:
        # Integers from our own query, written inline: a membership test on the FTS cursor ("+": never a
        # rowid lookup, which would run the MATCH once per id).
        where.append(f"+{FTS_TABLE}.rowid IN ({','.join(str(int(pk)) for pk in among) or 'NULL'})")
    return queryset.extra(
        tables=[FTS_TABLE], where=where, params=[query.expression()],
        select={"rank": f"-bm25({FTS_TABLE}, {weights})"},
    )


# --- SQLite: bm25 of matches already found ------------------------------------------------------------------
# FTS5's bm25 reads the whole list of every phrase for its statistics, and its match walks the list too:
# 74,000 rows for « mediatheque » among 300,000 places, when a département's filters leave 960 to rank.
# Here the same bm25 (fts5_aux.c: k1 = 1.2, b = 0.75, an idf per phrase, the row's size in tokens) is
# computed from the statistics, kept per data version, and from the ranked places' own indexed texts.
# The documents are folded words separated by spaces (`documents`), which unicode61 splits as str.split().
BM25_K1, BM25_B = 1.2, 0.75
# The parts of an expression `TextQuery.expression` writes: parentheses, AND, OR and quoted phrases.
EXPRESSION_PART = re.compile(r'\s*(?:(\()|(\))|(AND)\b|(OR)\b|"([^"]*)"(\*?))')


def phrases(expression: str) -> list[tuple[tuple[str, ...], bool]]:
    """The phrases of the expression (words, prefix), numbered as FTS5 does: in order."""
    return [(tuple(words.split()), bool(prefix)) for *_, words, prefix in EXPRESSION_PART.findall(expression)
            if words]


def expression_tree(expression: str) -> tuple:
    """The expression as nested ("or" | "and", [children]) and ("phrase", number): AND binds before OR."""
    parts = EXPRESSION_PART.findall(expression)
    position, number = 0, 0

    def joined(kind: str, marker: int, operand) -> tuple:
        nonlocal position
        children = [operand()]
        while position < len(parts) and parts[position][marker]:
            position += 1
            children.append(operand())
        return children[0] if len(children) == 1 else (kind, children)

    def either() -> tuple:
        return joined("or", 3, lambda: joined("and", 2, single))

    def single() -> tuple:
        nonlocal position, number
        opening = parts[position][0]
        position += 1
        if opening:
            inner = either()
            position += 1  # ")"
            return inner
        number += 1
        return ("phrase", number - 1)

    return either()


def _counted(node: tuple, found: list[float], alive: bool, counted: list[float]) -> bool:
    """Whether `node` matches the row (`found`: each phrase's weighted instances); fills `counted` with what
    bm25 counts: FTS5 zeroes the phrases of an AND that does not match the row (fts5ExprNodeZeroPoslist)."""
    kind, content = node
    if kind == "phrase":
        counted[content] = found[content] if alive else 0.0
        return found[content] > 0
    if kind == "and":
        matched = all(_matches(child, found) for child in content)
        for child in content:
            _counted(child, found, alive and matched, counted)
        return matched
    return any([_counted(child, found, alive, counted) for child in content])


def _inner_and(node: tuple, root: bool = False) -> bool:
    kind, content = node
    if kind == "phrase":
        return False
    return (kind == "and" and not root) or any(_inner_and(child) for child in content)


def _matches(node: tuple, found: list[float]) -> bool:
    kind, content = node
    if kind == "phrase":
        return found[content] > 0
    test = all if kind == "and" else any
    return test(_matches(child, found) for child in content)


def bm25_statistics_columns(expression: str) -> tuple[dict[str, str], list[str]]:
    """Columns (and their parameters) that read, once per query, what FTS5's bm25 reads of the whole index:
    its totals (row 1 of the index: the number of rows, then the tokens of each column, as varints) and the
    number of rows holding each phrase. `bm25_statistics` reads their values."""
    listed = phrases(expression)
    columns = {"bm25_totals": f"(SELECT block FROM {FTS_TABLE}_data WHERE id = 1)"}
    columns.update((f"bm25_hits_{index}", f"(SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)")
                   for index in range(len(listed)))
    return columns, ['"' + " ".join(words) + '"' + ("*" if prefix else "") for words, prefix in listed]


def bm25_statistics(values: tuple) -> tuple[float, list[float]]:
    """(average size of a row in tokens, idf of each phrase) from the columns of `bm25_statistics_columns`."""
    block, *hits = values
    rows, *sizes = varints(bytes(block or b"")) or [0]
    average = sum(sizes[:len(WEIGHTS)]) / rows if rows else 1.0
    idf = [math.log((rows - hit + 0.5) / (hit + 0.5)) for hit in hits]
    return average, [value if value > 0 else 1e-6 for value in idf]


def varints(data: bytes) -> list[int]:
    """SQLite's varints (big-endian, 7 bits a byte, the 9th byte whole)."""
    values, index = [], 0
    while index < len(data):
        value = 0
        for position in range(9):
            byte = data[index]
            index += 1
            if position == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


def bm25_scores(rows: Iterable[tuple[int, str, str, str]], *, expression: str,
                statistics: tuple[float, list[float]]) -> dict[int, float]:
    """{id: score} (FTS5's `-bm25(…, 10, 4, 1)`: higher is better) of rows (id and their three indexed texts)."""
    average, idf = statistics
    listed = list(zip(phrases(expression), idf, strict=True))
    scores = {}
    distinct = list(dict.fromkeys(phrase for phrase, _idf in listed))
    tree = expression_tree(expression)
    plain = not _inner_and(tree, root=True)  # then every phrase found counts
    for pk, *texts in rows:
        texts = [text or "" for text in texts]
        # Words separated by single spaces: a column's size is its spaces + 1.
        size = sum(text.count(" ") + 1 for text in texts if text)
        columns: list[list[str] | None] = [None] * len(texts)
        frequencies = {}
        for words, prefix in distinct:  # an exact word is also its prefix's first word: counted once
            frequency = 0.0
            for column, (weight, text) in enumerate(zip(WEIGHTS, texts, strict=True)):
                if words[0] not in text:  # most phrases are in few columns: the split is then never made
                    continue
                if columns[column] is None:
                    columns[column] = text.split()
                frequency += weight * _instances(columns[column], words, prefix)
            frequencies[words, prefix] = frequency
        found = [frequencies[phrase] for phrase, _idf in listed]
        if plain:
            counted = found
        else:
            counted = [0.0] * len(found)
            _counted(tree, found, True, counted)
        score = 0.0
        for frequency, (_phrase, phrase_idf) in zip(counted, listed, strict=True):
            # The operations of fts5_aux.c in the same order, so that the doubles are the same.
            score += phrase_idf * ((frequency * (BM25_K1 + 1.0))
                                   / (frequency + BM25_K1 * (1 - BM25_B + BM25_B * size / average)))
        scores[pk] = score
    return scores


def _instances(tokens: list[str], words: tuple[str, ...], prefix: bool) -> int:
    if len(words) == 1:
        return sum(1 for token in tokens if token.startswith(words[0])) if prefix else tokens.count(words[0])
    last = len(words) - 1
    return sum(
        1 for start in range(len(tokens) - last)
        if all(tokens[start + i] == word for i, word in enumerate(words[:last]))
        and (tokens[start + last].startswith(words[last]) if prefix else tokens[start + last] == words[last])
    )


# --- Index ---------------------------------------------------------------------------------------------
def joined_pairs(found: list[str]) -> list[str]:
    """Adjacent words written in two parts, joined, stemmed and marked ("tiers lieu" -> "0tierslieu")."""
    return [JOINED_MARK + stem(a + b) for a, b in zip(found, found[1:], strict=False)
            if len(a) >= PREFIX_FROM and len(b) >= PREFIX_FROM and not a.isdigit() and not b.isdigit()]


def documents(structures: Iterable) -> list[tuple[int, str, str, str]]:
    """(id, A, B, C) folded texts of structures whose `terms` are prefetched."""
    rows = []
    for structure in structures:
        name = analysed(structure.nom)
        labels = [analysed(term.label) for term in structure.terms.all() if term.kind in INDEXED_KINDS]
        place = analysed(f"{structure.code_postal} {structure.commune_nom}")
        description = analysed(" ".join(
            part for part in (structure.presentation_resume, structure.presentation_detail, structure.adresse) if part
        ))
        rows.append((
            structure.pk,
            " ".join(_stems(name) + joined_pairs(_words(name))),
            " ".join([word for label in labels for word in _stems(label) + joined_pairs(_words(label))]
                     + _stems(place)),
            " ".join(_stems(description)),
        ))
    return rows


def _stems(pairs: list[tuple[str, str]]) -> list[str]:
    return [stemmed for _word, stemmed in pairs]


def _words(pairs: list[tuple[str, str]]) -> list[str]:
    return [word for word, _stem in pairs]


def _write(rows: list[tuple[int, str, str, str]]) -> None:
    if not rows:
        return
    found = sorted({word for row in rows for text in row[1:] for word in text.split()
                    if not word.startswith(JOINED_MARK)})
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(f"INSERT INTO {WORDS_TABLE} (word) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                           [found])
        else:
            cursor.executemany(f"INSERT OR IGNORE INTO {WORDS_TABLE} (word) VALUES (%s)", [(w,) for w in found])
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


def known_words(prefixes: list[str]) -> dict[str, tuple[str, ...] | None]:
    """{prefix: the indexed words it covers (None: more than MAX_EXPANSION)}, in one query."""
    if not prefixes:
        return {}
    parts, params = [], []
    for index, prefix in enumerate(prefixes):
        parts.append(f"SELECT * FROM (SELECT {index}, word FROM {WORDS_TABLE} WHERE word >= %s AND word < %s "
                     f"ORDER BY word LIMIT {MAX_EXPANSION + 1}) w{index}")
        params += [prefix, prefix + "{"]
    found: dict[str, list[str]] = {prefix: [] for prefix in prefixes}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for index, word in cursor.fetchall():
            found[prefixes[index]].append(word)
    return {prefix: tuple(words) if len(words) <= MAX_EXPANSION else None for prefix, words in found.items()}


def words_near(word: str, limit: int) -> list[str]:
    """Indexed words sharing the first three letters of `word`, about its length (correction candidates)."""
    stem = word[:3]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {WORDS_TABLE} WHERE word >= %s AND word < %s "
                       "AND length(word) BETWEEN %s AND %s LIMIT 5000",
                       [stem, stem + "{", len(word) - limit, len(word) + limit])
        return [row[0] for row in cursor.fetchall()]


def index_structures(ids: Iterable[int], structure_model=None) -> int:
    """(Re)index the given structures; returns how many were written."""
    structure_model = structure_model or Structure  # migrations pass their historical model
    ids = list(ids)
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = (structure_model.objects.filter(pk__in=ids[start:start + BATCH]).only(*DOCUMENT_FIELDS)
                 .prefetch_related("terms"))
        rows = documents(batch)
        _write(rows)
        written += len(rows)
    return written


def rebuild_search_index(structure_model=None) -> int:
    """Index every structure: for bulk writers (generators, imports using bulk_create) and migrations."""
    structure_model = structure_model or Structure  # migrations pass their historical model
    if not is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    return index_structures(structure_model.objects.values_list("pk", flat=True), structure_model)

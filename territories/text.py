import unicodedata


def fold(text: str) -> str:
    """Lowercase ASCII form used for accent- and case-insensitive matching ("Évreux" -> "evreux")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = ascii_text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return " ".join(ascii_text.lower().replace("-", " ").replace("'", " ").replace("’", " ").split())


# French small words that say nothing of a place's identity: matching names and addresses ignores them
# ("Espace numérique de la Gibauderie" = "Espace numérique Gibauderie"). Folded, as `fold` writes them. The one
# list of the duplicate pairs (actors.duplicates.pairs) and of folding (actors.duplicates.folding).
STOP_WORDS = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en", "sur", "sous",
                        "pour"})

# Elided articles and pronouns (l', d', qu', j', n', s', c', m', t'), as `fold` splits them off.
ELISIONS = frozenset({"l", "d", "qu", "j", "n", "s", "c", "m", "t"})
# The words a search ignores, at index and query time alike (actors/core/search_index.py): the small words
# above, elisions, and what people add around their need (« un », « pour mon », « avec »).
SEARCH_STOP_WORDS = STOP_WORDS | ELISIONS | frozenset({
    "un", "une", "avec", "chez", "dans", "par", "ou", "mon", "ma", "mes", "son", "sa", "ses", "je", "il", "elle",
    "on", "nous", "vous", "y",
})

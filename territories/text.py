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

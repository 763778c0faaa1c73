import unicodedata


def fold(text: str) -> str:
    """Lowercase ASCII form used for accent- and case-insensitive matching ("Évreux" -> "evreux")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = ascii_text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return " ".join(ascii_text.lower().replace("-", " ").replace("'", " ").replace("’", " ").split())

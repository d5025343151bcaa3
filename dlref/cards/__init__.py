"""Cards: parsing, validating, indexing and looking up the content files.

Imports only the standard library, so a lookup never pays for NumPy or a UI toolkit.
"""

from dlref.cards.library import Library, normalize
from dlref.cards.model import SECTION_KEYS, Card, ContentError, Section

__all__ = ["SECTION_KEYS", "Card", "ContentError", "Library", "Section", "normalize"]

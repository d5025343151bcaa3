"""Typesetting shared by every front end: measuring terminal columns, line breaking (with the
CJK rules), the paragraph model of card text, and number formatting. Standard library only."""

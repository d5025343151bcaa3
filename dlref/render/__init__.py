"""Terminal rendering for the CLI: ANSI styles, cards, tables, plots and demo results.

Hand-written rather than Rich so that `dlref show` imports almost nothing; the layout itself
(columns, line breaking, the paragraph model) lives in `dlref.text`, shared with the app and the
Anki export. Modules: `style` (colours), `card`, `table`, `plot`, `result`.
"""

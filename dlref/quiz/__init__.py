"""Numeric quizzes: question templates, the safe answer parser and quiz sessions.

Submodules are imported where they are used (`dlref.quiz.answer`, `dlref.quiz.questions`,
`dlref.quiz.session`), so importing this package stays cheap.
"""

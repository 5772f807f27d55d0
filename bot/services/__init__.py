"""Use cases: handle a resident's message, start a survey, report on one; no web or SQL imports."""

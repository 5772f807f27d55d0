"""When a survey may be texted: pure rules (model, calltypes, rules) and their impure edges.

rules.py decides over injected time and imports only the standard library; policy.py loads the
agency's SendPolicy from survey_rules.yaml and the environment; timezones.py reads a resident's
time zone from their phone number. Nothing is imported here, so the pure modules stay pure.
"""

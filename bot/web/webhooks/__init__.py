"""Provider webhooks: verify, normalise, call the service layer, answer fast."""

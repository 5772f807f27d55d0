"""Channel adapters: verify a request, normalise it, call the service layer, deliver replies."""

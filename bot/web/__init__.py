"""Web layer: the Flask app, its blueprints and HTTP error handling."""

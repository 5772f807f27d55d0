"""An inbound message's turn: routing, keywords, languages and the reply."""

"""What the service does: answer forecasts from memory, keep the served models current."""

"""Business rules: what a charger's message or an operator's request means for the stored state."""

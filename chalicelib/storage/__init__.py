"""DynamoDB storage: PynamoDB models and the repositories that the domain layer calls."""

"""PynamoDB implementations of the ports: one module per port, each with a `build()`."""

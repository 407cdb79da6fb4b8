"""WebSocket edge: API Gateway $connect / $default / $disconnect events in, frames out."""

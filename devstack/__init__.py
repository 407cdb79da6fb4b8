"""The local stack behind `make run`: an API Gateway WebSocket look-alike, the REST routes, the
scheduled handler and an embedded AWS endpoint, all on 127.0.0.1."""

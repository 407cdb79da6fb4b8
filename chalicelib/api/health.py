"""GET /api/v1/health: 200 once storage answers."""

from chalice import Response


def register(app) -> None:
    @app.route("/api/v1/health", methods=["GET"])
    def health():
        from chalicelib.storage.models import CounterItem

        try:
            CounterItem.describe_table()
        except Exception:
            return Response(status_code=503, body={"status": "unavailable"})
        return {"status": "ok"}

"""moto's app as the stack serves it: a DynamoDB request goes straight to the backend app the dispatcher
chose for the same host and credential scope before; anything else through the dispatcher every time."""

from __future__ import annotations

from devstack.moto_app import MotoApp, _scope

AUTH = "AWS4-HMAC-SHA256 Credential=testing/20260101/{region}/{service}/aws4_request, SignedHeaders=host, Signature=0"


class Dispatcher:
    def __init__(self) -> None:
        self.lookups: list[str] = []
        self.dispatched = 0

    def get_application(self, environ):
        service = _scope(environ["HTTP_AUTHORIZATION"])
        self.lookups.append(service)
        return lambda environ, start_response: (start_response("200 OK", []), [service.encode()])[1]

    def __call__(self, environ, start_response):
        self.dispatched += 1
        start_response("200 OK", [])
        return [b"dispatched"]


def request(app: MotoApp, target: str, region: str = "eu-west-1", service: str = "dynamodb") -> bytes:
    environ = {
        "PATH_INFO": "/",
        "HTTP_HOST": "127.0.0.1:5000",
        "HTTP_AUTHORIZATION": AUTH.format(region=region, service=service),
        "HTTP_X_AMZ_TARGET": target,
    }
    return b"".join(app(environ, lambda status, headers, exc_info=None: None))


def test_dynamodb_requests_reuse_the_backend_app_per_scope_and_others_are_dispatched():
    dispatcher = Dispatcher()
    app = MotoApp(dispatcher)

    answers = [
        request(app, "DynamoDB_20120810.GetItem"),
        request(app, "DynamoDB_20120810.Query"),
        request(app, "DynamoDB_20120810.GetItem", region="us-east-1"),
        request(app, "", service="s3"),
    ]

    assert answers == [b"eu-west-1/dynamodb", b"eu-west-1/dynamodb", b"us-east-1/dynamodb", b"dispatched"]
    assert dispatcher.lookups == ["eu-west-1/dynamodb", "us-east-1/dynamodb"]
    assert dispatcher.dispatched == 1


def test_scope_of_a_header_without_credential_is_empty():
    assert _scope("") == ""
    assert _scope(AUTH.format(region="eu-west-1", service="dynamodb")) == "eu-west-1/dynamodb"


def control(app: MotoApp, action: str, body: dict | None = None) -> tuple[str, dict]:
    import io
    import json

    data = json.dumps(body or {}).encode()
    environ = {"PATH_INFO": f"/_devstack/{action}", "REQUEST_METHOD": "POST", "CONTENT_LENGTH": str(len(data)),
               "wsgi.input": io.BytesIO(data)}
    statuses: list[str] = []
    answer = b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    return statuses[0], json.loads(answer)


def seeded(count: int) -> dict:
    """A seed hook: what moto's process would run."""
    return {"items": count}


def test_seed_runs_only_the_hooks_the_environment_names(monkeypatch):
    app = MotoApp(Dispatcher())
    hook = {"hook": f"{__name__}:seeded", "args": {"count": 3}}
    monkeypatch.delenv("CSMS_MOTO_SEED_HOOKS", raising=False)
    assert control(app, "seed", hook) == ("409 Conflict", {"message": "cannot seed now"})
    monkeypatch.setenv("CSMS_MOTO_SEED_HOOKS", "bench.moto_seed, devstack.snapshot")
    assert control(app, "seed", hook)[0] == "409 Conflict"
    monkeypatch.setenv("CSMS_MOTO_SEED_HOOKS", f"bench.moto_seed, {__name__}")
    assert control(app, "seed", hook) == ("200 OK", {"items": 3})


def test_stats_answers_moto_s_cpu_per_request_kind_and_starts_again():
    app = MotoApp(Dispatcher())
    request(app, "DynamoDB_20120810.Query")
    request(app, "DynamoDB_20120810.Query")
    request(app, "", service="s3")
    status, stats = control(app, "stats")
    assert status == "200 OK"
    assert stats["requests"] == {"Query": 2, "S3 and other": 1}
    assert set(stats["cpu"]) == {"Query", "S3 and other"} and all(s >= 0 for s in stats["cpu"].values())
    assert control(app, "stats")[1] == {"cpu": {}, "requests": {}}
def test_a_browsers_form_post_to_s3_is_answered_with_the_buckets_cors_header_and_nothing_else_is():
    def headers_of(method: str, origin: str | None, target: str = "") -> list:
        environ = {"PATH_INFO": "/bucket", "REQUEST_METHOD": method, "HTTP_X_AMZ_TARGET": target,
                   "HTTP_AUTHORIZATION": AUTH.format(region="eu-west-1", service="s3")}
        if origin:
            environ["HTTP_ORIGIN"] = origin
        seen: list = []
        b"".join(MotoApp(Dispatcher())(environ, lambda status, headers, exc_info=None: seen.extend(headers)))
        return seen

    assert headers_of("POST", "http://127.0.0.1:8000") == [("Access-Control-Allow-Origin", "http://127.0.0.1:8000")]
    assert headers_of("POST", None) == []  # a charger or boto3: no browser, no CORS
    assert headers_of("PUT", "http://127.0.0.1:8000") == []
    assert headers_of("POST", "http://127.0.0.1:8000", target="DynamoDB_20120810.PutItem") == []

"""moto's WSGI app as the local stack serves it: one request at a time, mutating DynamoDB requests journaled.

Control requests (POST, JSON, only from the stack itself on 127.0.0.1) live under /_devstack/:
- open    {"data_dir", "tables": {suffix: name}, "region"}: restore the snapshot, replay its journal, then
          journal every acknowledged mutating request; answers {"restored": items, "replayed": entries}
- compact: new snapshot, new journal generation, old journal removed; answers {"items": n}
- close:  compact and stop journaling (the stack's clean stop)
- seed    {"hook": "module:function", "args": {...}}: call a function of a module named in the environment
          variable CSMS_MOTO_SEED_HOOKS (comma-separated; unset: refused) inside moto's process, with moto's
          lock held, and answer what it returns. Benchmarks fill moto's tables this way in bulk, straight
          into its backend, also when moto runs in a process of its own (the hook module does the writing).
- stats:  the CPU seconds moto's request threads spent per request kind (X-Amz-Target's action, or "S3
          and other") and the request counts since the last `stats`, which resets them
"""

from __future__ import annotations

import importlib
import io
import json
import logging
import os
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from werkzeug.test import Client

from devstack import journal, moto_dynamodb, snapshot

log = logging.getLogger("devstack.aws")

CONTROL = "/_devstack/"
# A compaction costs one pass over the data (about 0.1 s per 2,000 items here); a replay after a crash
# costs what the writes did (5 to 15 ms each on this shared 2-core machine): bound the journal by both.
COMPACT_ENTRIES = 2000
COMPACT_BYTES = 64 * 1024 * 1024


class _Store:
    """Where the journal goes and what a snapshot holds, once `open` said so."""

    def __init__(self, data_dir: Path, tables: dict[str, str], region: str) -> None:
        self.data_dir = data_dir
        self.tables = tables
        self.region = region
        self.journal: journal.Journal | None = None


class MotoApp:
    """One request at a time into moto, whose backends are not thread-safe under concurrent writes (seen as
    "dictionary changed size during iteration" in transact_write_items); the lock also orders the journal."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._store: _Store | None = None
        self._dynamodb_apps: dict[tuple[str, str], Any] = {}
        self._cpu: Counter[str] = Counter()  # request kind -> thread CPU seconds (the `stats` action)
        self._requests: Counter[str] = Counter()

    def __call__(self, environ: dict, start_response: Any) -> list[bytes]:
        if environ.get("PATH_INFO", "").startswith(CONTROL):
            return self._control(environ, start_response)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        _object_body_kept(environ, target)
        body = None
        if target in journal.MUTATING:
            body = _read_body(environ)
            environ["wsgi.input"] = io.BytesIO(body)
        statuses: list[str] = []

        def remember(status: str, headers: list, exc_info: Any = None) -> Any:
            statuses.append(status)
            return start_response(status, _cors_of_post(environ, target, headers), exc_info)

        with self._lock:
            started, cpu = time.perf_counter(), time.thread_time()
            answer = list(self._backend(environ, target)(environ, remember))
            if body is not None and statuses and statuses[-1].startswith("200"):
                self._journal(target, body)
            self._count(target, statuses[-1] if statuses else "", started, cpu)
        return answer  # the answer leaves only now: after its journal line

    def direct(self, method: str, path: str, headers: list[tuple[str, str]], body: bytes) -> tuple | None:
        """The answer (status line, headers, body) to a DynamoDB JSON request, from moto's DynamoHandler
        without the WSGI layers (devstack/moto_dynamodb.py); None: not such a request, use the WSGI app.
        Lock, journal and stats as for every other request."""
        named = _by_name(headers)
        if not moto_dynamodb.eligible(method, path, named, body):
            return None
        target = named["x-amz-target"]
        named.pop("transfer-encoding", None)  # the body is handed over whole, with its real length
        named["content-length"] = str(len(body))
        with self._lock:
            started, cpu = time.perf_counter(), time.thread_time()
            answer = moto_dynamodb.answer(named, body)
            if target in journal.MUTATING and answer[0].startswith("200"):
                self._journal(target, body)
            self._count(target, answer[0], started, cpu)
        return answer

    def _count(self, target: str, status: str, started: float, cpu: float) -> None:
        kind = target.rpartition(".")[2] or "S3 and other"
        self._cpu[kind] += time.thread_time() - cpu
        self._requests[kind] += 1
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s %s %.2f ms", target, status[:3], (time.perf_counter() - started) * 1000)

    def _backend(self, environ: dict, target: str) -> Any:
        """moto's app for this request: DynamoDB's remembered per host and credential scope.

        moto's dispatcher works the service out again for every request (its host table, then the
        Authorization header, with a directory listing on the way): about 8 % of moto's CPU under load.
        A DynamoDB request (X-Amz-Target) from the same host with the same region/service scope always
        ends at the same backend app; everything else goes through the dispatcher as before.
        """
        if not target.startswith("DynamoDB_"):
            return self._app
        key = (environ.get("HTTP_HOST", ""), _scope(environ.get("HTTP_AUTHORIZATION", "")))
        app = self._dynamodb_apps.get(key)
        if app is None:
            app = self._dynamodb_apps[key] = self._app.get_application(environ)
        return app

    # --- journal ---------------------------------------------------------------------------------------
    def _journal(self, target: str, body: bytes) -> None:
        store = self._store
        if store is None or store.journal is None:
            return
        store.journal.append({"target": target, "body": body.decode("utf-8")})
        if store.journal.entries >= COMPACT_ENTRIES or store.journal.size > COMPACT_BYTES:
            self._compact(store)

    def _compact(self, store: _Store) -> int:
        old = store.journal
        generation = old.generation + 1 if old else 0
        count = snapshot.dump(store.data_dir, store.tables, store.region, generation)
        store.journal = journal.Journal(store.data_dir, generation)
        if old is not None:
            old.close()
        journal.remove_others(store.data_dir, generation)
        return count

    def _open(self, store: _Store) -> dict:
        saved = snapshot.read(store.data_dir)
        restored = snapshot.restore(saved, store.tables, store.region) if saved else 0
        generation = int((saved or {}).get("journal", 0))
        replayed = failed = 0
        client = Client(self._app)
        for entry in journal.read(store.data_dir, generation):
            answer = client.post("/", data=entry["body"].encode(), headers=_headers(entry["target"], store.region))
            replayed += 1
            if answer.status_code != 200:
                failed += 1
                log.warning("journal entry %d (%s) answered %s at replay", replayed, entry["target"], answer.status)
        journal.remove_others(store.data_dir, generation)
        store.journal = journal.Journal(store.data_dir, generation)
        store.journal.entries = replayed  # they count towards the next compaction
        self._store = store
        log.info("%d items restored, %d journal entries replayed (%d refused)", restored, replayed, failed)
        return {"restored": restored, "replayed": replayed, "snapshot": saved is not None}

    # --- control ---------------------------------------------------------------------------------------
    def _control(self, environ: dict, start_response: Any) -> list[bytes]:
        action = environ["PATH_INFO"][len(CONTROL) :]
        with self._lock:
            if action == "open" and self._store is None:
                request = json.loads(_read_body(environ) or b"{}")
                result = self._open(_Store(Path(request["data_dir"]), request["tables"], request["region"]))
            elif action == "seed" and _hook_allowed(request := json.loads(_read_body(environ) or b"{}")):
                result = _hook(request["hook"])(**request.get("args", {}))
            elif action == "stats":
                result = {"cpu": dict(self._cpu), "requests": dict(self._requests)}
                self._cpu, self._requests = Counter(), Counter()
            elif action in ("compact", "close") and self._store is not None:
                result = {"items": self._compact(self._store)}
                if action == "close":
                    self.close()
            else:
                start_response("409 Conflict", [("Content-Type", "application/json")])
                return [json.dumps({"message": f"cannot {action} now"}).encode()]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(result).encode()]

    def close(self) -> None:
        """Stop journaling (what was appended is on disk: fsync'ed here)."""
        store, self._store = self._store, None
        if store is not None and store.journal is not None:
            store.journal.close()


def _by_name(headers: list[tuple[str, str]]) -> dict[str, str]:
    """Lower-case header names to values, a repeated header's values joined with "," (as in a WSGI environ)."""
    named: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        named[key] = f"{named[key]},{value}" if key in named else value
    return named


def _hook_allowed(request: dict) -> bool:
    allowed = {m.strip() for m in os.environ.get("CSMS_MOTO_SEED_HOOKS", "").split(",") if m.strip()}
    return str(request.get("hook", "")).partition(":")[0] in allowed


def _hook(name: str) -> Any:
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def _object_body_kept(environ: dict, target: str) -> None:
    """An S3 PUT whose client labelled the bytes as a form (urllib's default, some chargers' HTTP stacks):
    S3 stores the body as sent, while moto's Flask would parse it as form fields and store nothing."""
    if target or environ.get("REQUEST_METHOD") != "PUT":
        return
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        environ["CONTENT_TYPE"] = "application/octet-stream"


def _cors_of_post(environ: dict, target: str, headers: list) -> list:
    """S3 answers a browser's form POST with the bucket's CORS headers (the firmware bucket allows every
    origin, as the template says); moto adds them to its GET answers only, so the page could not read it."""
    origin = environ.get("HTTP_ORIGIN")
    if target or not origin or environ.get("REQUEST_METHOD") != "POST":
        return headers
    if any(name.lower() == "access-control-allow-origin" for name, _ in headers):
        return headers
    return [*headers, ("Access-Control-Allow-Origin", origin)]


def _scope(authorization: str) -> str:
    """'eu-west-1/dynamodb' from a SigV4 header's Credential=<key>/<date>/<region>/<service>/aws4_request."""
    credential = authorization.partition("Credential=")[2].split(",", 1)[0]
    return "/".join(credential.split("/")[2:4])


def _read_body(environ: dict) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _headers(target: str, region: str) -> dict[str, str]:
    """What botocore sends, as far as moto's dispatcher and DynamoDB handler read it."""
    return {
        "X-Amz-Target": target,
        "Content-Type": "application/x-amz-json-1.0",
        "Authorization": f"AWS4-HMAC-SHA256 Credential=testing/20260101/{region}/dynamodb/aws4_request, "
        "SignedHeaders=host;x-amz-target, Signature=0",
    }

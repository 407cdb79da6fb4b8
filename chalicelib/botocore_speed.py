"""A cheaper SigV4 signer for the DynamoDB client: the same signature as botocore's, for less CPU per request.

botocore's SigV4Auth selects the headers to sign twice per request into an email.message-based HTTPHeaders
(header names lowercased and policy-checked one by one), parses the URL's host twice and derives the signing
key with four HMACs on every request. With PynamoDB that was about 140 us of the ~2 ms of client CPU of a
GetItem (docs/adr/0030-client-cpu-per-request.md). `SigV4` keeps botocore's own steps for everything else
(date headers, token, path, query, string to sign) and replaces only these: the header list is built once
with plain dicts, the host is cached per URL, the signing key per secret, date, region and service, and a
bytes body is hashed as it is (botocore prepared a full copy of the request to read it). It is chosen through botocore's `choose-signer` event for exactly the case botocore would sign
with its plain "v4" signer, and only on the botocore version it was checked against: any other version, a
presigned URL, an unsigned-payload operation or an auth-scheme preference keeps botocore's own signer.
"""

from __future__ import annotations

import functools
import hmac
import logging
from hashlib import sha256
from typing import Any

import botocore
import botocore.auth
from botocore.auth import SIGNED_HEADERS_BLACKLIST, SigV4Auth

log = logging.getLogger(__name__)

CHECKED_VERSION = "1.44.5"  # the botocore whose SigV4Auth this was checked against, signature for signature
SIGNATURE_VERSION = "v4-csms"  # our name for it among botocore.auth.AUTH_TYPE_MAPS
_UNIQUE_ID = "csms-fast-sigv4"
_UNSIGNED_HEADERS = frozenset(SIGNED_HEADERS_BLACKLIST)
# Derived signing keys by (secret key, date, region, service): one entry a day per credential set, so a
# rotated credential set (new secret) never reuses an old key; cleared when it grows past a few entries.
_KEYS: dict[tuple[str, str, str, str], bytes] = {}
_MAX_KEYS = 16


def supported() -> bool:
    return botocore.__version__ == CHECKED_VERSION


@functools.lru_cache(maxsize=64)
def _host(url: str) -> str:
    return botocore.auth._host_from_url(url)


def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    cache_key = (secret, date, region, service)
    key = _KEYS.get(cache_key)
    if key is None:
        key = f"AWS4{secret}".encode()
        for part in (date, region, service, "aws4_request"):
            key = hmac.new(key, part.encode(), sha256).digest()
        if len(_KEYS) >= _MAX_KEYS:
            _KEYS.clear()
        _KEYS[cache_key] = key
    return key


class SigV4(SigV4Auth):
    """botocore's SigV4Auth with the header canonicalisation done once, in plain dicts, and the key cached."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._headers_of: tuple[Any, tuple[str, str]] | None = None

    def _canonical(self, request) -> tuple[str, str]:
        """(canonical headers, signed headers) of `request`; botocore needs both twice per signing."""
        if self._headers_of is not None and self._headers_of[0] is request:
            return self._headers_of[1]
        values: dict[str, list[str]] = {}
        for name, value in request.headers.items():
            lower = name.lower()
            if lower not in _UNSIGNED_HEADERS:
                values.setdefault(lower, []).append(value)
        if "host" not in values:
            values["host"] = [_host(request.url)]
        names = sorted(values)
        canonical = "\n".join(f"{name}:{','.join(' '.join(v.split()) for v in values[name])}" for name in names)
        signed = ";".join(sorted(name.strip() for name in names))
        self._headers_of = (request, (canonical, signed))
        return canonical, signed

    def canonical_request(self, request) -> str:
        canonical, signed = self._canonical(request)
        if "X-Amz-Content-SHA256" in request.headers:
            body_checksum = request.headers["X-Amz-Content-SHA256"]
        else:
            body_checksum = self.payload(request)
        path = self._normalize_url_path(botocore.auth.urlsplit(request.url).path)
        return "\n".join((request.method.upper(), path, self.canonical_query_string(request), canonical + "\n",
                          signed, body_checksum))

    def payload(self, request) -> str:
        # botocore reads `request.body`, which prepares a whole copy of the request (headers and all) only to
        # hash its bytes; a JSON request's body is those bytes already (b"" prepares to no body at all).
        data = request.data
        if isinstance(data, bytes) and not self._is_streaming_checksum_payload(request) \
                and self._should_sha256_sign_payload(request):
            return sha256(data).hexdigest() if data else botocore.auth.EMPTY_SHA256_HASH
        return super().payload(request)

    def signature(self, string_to_sign: str, request) -> str:
        key = _signing_key(self.credentials.secret_key, request.context["timestamp"][0:8], self._region_name,
                           self._service_name)
        return hmac.new(key, string_to_sign.encode("utf-8"), sha256).hexdigest()

    def _inject_signature_to_request(self, request, signature: str):
        signed = self._canonical(request)[1]
        request.headers["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={self.scope(request)}, SignedHeaders={signed}, Signature={signature}"
        )
        return request


def choose_signer(signature_version=None, context=None, signing_name=None, **_) -> str | None:
    """`choose-signer` handler: our SigV4 where botocore's own handlers would answer plain "v4", else no say."""
    # botocore 1.44.5's DynamoDB model names no per-operation auth (auth_type None), the client's default is
    # "v4", and its own choose-signer handlers answer nothing then: it signs with AUTH_TYPE_MAPS["v4"].
    context = context or {}
    if signature_version != "v4" or context.get("auth_type") not in (None, "v4") or signing_name != "dynamodb":
        return None
    if context.get("unsigned_payload") or not context.get("payload_signing_enabled", True):
        return None
    config = context.get("client_config")
    if config is not None and (config.signature_version not in (None, "v4") or config.auth_scheme_preference):
        return None
    return SIGNATURE_VERSION


def install(client: Any) -> bool:
    """Sign `client`'s requests with `SigV4` (True), or leave botocore's signer (False: another botocore)."""
    if not supported():
        log.info("botocore %s is not %s: DynamoDB requests keep botocore's own signer", botocore.__version__,
                 CHECKED_VERSION)
        return False
    botocore.auth.AUTH_TYPE_MAPS.setdefault(SIGNATURE_VERSION, SigV4)
    client.meta.events.register_first("choose-signer.dynamodb", choose_signer, unique_id=_UNIQUE_ID)
    return True


def uninstall(client: Any) -> None:
    """Back to botocore's own signer on `client` (the benchmark's "before" figure)."""
    client.meta.events.unregister("choose-signer.dynamodb", unique_id=_UNIQUE_ID)

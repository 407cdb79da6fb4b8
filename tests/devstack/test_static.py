"""The built frontend on the local stack's REST port: index.html at `/`, assets cached, nothing outside dist/."""

from __future__ import annotations

from devstack import static


def build(tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>x</title>")
    (dist / "assets" / "index-abc123.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("no")
    return dist


def test_root_is_index_html_never_cached(tmp_path):
    answer = static.answer("/", build(tmp_path))
    assert (answer.status, answer.content_type, answer.cache_control) == (200, "text/html; charset=utf-8", "no-cache")
    assert answer.body.startswith(b"<!doctype html>")


def test_hashed_assets_are_cached_for_good(tmp_path):
    answer = static.answer("/assets/index-abc123.js?v=1", build(tmp_path))
    assert answer.status == 200 and answer.content_type.startswith("text/javascript")
    assert answer.cache_control == "public, max-age=31536000, immutable"


def test_nothing_outside_dist_and_no_unknown_files(tmp_path):
    dist = build(tmp_path)
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt", "/missing.js"):
        assert static.answer(path, dist).status == 404, path


def test_an_unbuilt_frontend_says_how_to_build_it(tmp_path):
    answer = static.answer("/", tmp_path / "dist")
    assert answer.status == 404 and b"make run" in answer.body and b"/api/v1" in answer.body


def test_the_api_is_never_a_file():
    assert not static.is_frontend("/api/v1/health") and not static.is_frontend("/api")
    assert static.is_frontend("/") and static.is_frontend("/assets/x.js") and static.is_frontend("/apix")

"""`make infra` publishes frontend/dist to the frontend bucket (moto's S3) and invalidates CloudFront's entry page."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from infrastructure import frontend_publish, infra

REGION = os.environ.get("AWS_DEFAULT_REGION", "eu-west-1")


@pytest.fixture
def aws(monkeypatch):
    for name in ("CSMS_AWS_ENDPOINT", "CSMS_DYNAMODB_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="frontend", CreateBucketConfiguration={"LocationConstraint": REGION})
        cloudfront = boto3.client("cloudfront", region_name=REGION)
        distribution = cloudfront.create_distribution(DistributionConfig={
            "CallerReference": "test", "Comment": "", "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{"Id": "frontend", "DomainName": "frontend.s3.amazonaws.com",
                                                  "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "frontend", "ViewerProtocolPolicy": "redirect-to-https",
                                     "MinTTL": 0, "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                                     "TrustedSigners": {"Enabled": False, "Quantity": 0}},
        })["Distribution"]["Id"]
        yield s3, cloudfront, distribution


@pytest.fixture
def dist(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<!doctype html><script type="module" src="./assets/index-AAA.js"></script>')
    (tmp_path / "assets" / "index-AAA.js").write_text("console.log('app')")
    (tmp_path / "assets" / "index-AAA.css").write_text("body{}")
    return tmp_path


def test_files_get_their_types_and_caching_and_cloudfront_re_reads_the_entry_page(aws, dist):
    s3, cloudfront, distribution = aws
    done = frontend_publish.publish(s3, "frontend", dist, cloudfront=cloudfront, distribution=distribution)
    assert done.uploaded == ["assets/index-AAA.css", "assets/index-AAA.js", "index.html"]  # the entry page last
    entry = s3.get_object(Bucket="frontend", Key="index.html")
    assert entry["ContentType"] == "text/html; charset=utf-8"
    assert entry["CacheControl"] == "no-cache"
    script = s3.head_object(Bucket="frontend", Key="assets/index-AAA.js")
    assert script["ContentType"] == "text/javascript; charset=utf-8"
    assert script["CacheControl"] == "public, max-age=31536000, immutable"
    assert s3.head_object(Bucket="frontend", Key="assets/index-AAA.css")["ContentType"] == "text/css; charset=utf-8"
    invalidation = cloudfront.get_invalidation(DistributionId=distribution, Id=done.invalidation)["Invalidation"]
    assert sorted(invalidation["InvalidationBatch"]["Paths"]["Items"]) == ["/", "/index.html"]
    assert frontend_publish.report(done).splitlines() == [
        "frontend: 3 files uploaded, 0 unchanged",
        f"frontend: CloudFront invalidation {done.invalidation} for / and /index.html",
    ]


def test_a_new_build_keeps_the_old_assets_for_open_tabs_and_skips_what_is_unchanged(aws, dist):
    s3, cloudfront, distribution = aws
    frontend_publish.publish(s3, "frontend", dist)
    (dist / "assets" / "index-AAA.js").unlink()
    (dist / "assets" / "index-BBB.js").write_text("console.log('app 2')")
    (dist / "index.html").write_text('<!doctype html><script type="module" src="./assets/index-BBB.js"></script>')
    done = frontend_publish.publish(s3, "frontend", dist, cloudfront=cloudfront, distribution=distribution)
    assert done.uploaded == ["assets/index-BBB.js", "index.html"]
    assert done.unchanged == ["assets/index-AAA.css"]
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="frontend")["Contents"]}
    assert "assets/index-AAA.js" in keys  # a tab opened before the upload still loads its chunks
    assert b"index-BBB.js" in s3.get_object(Bucket="frontend", Key="index.html")["Body"].read()
    # Nothing changed: nothing uploaded, CloudFront left alone.
    again = frontend_publish.publish(s3, "frontend", dist, cloudfront=cloudfront, distribution=distribution)
    assert again.uploaded == [] and again.invalidation is None
    # Pruning removes only the assets no build uses that are older than the given days.
    assert frontend_publish.publish(s3, "frontend", dist, prune_days=7).pruned == []
    later = datetime.now(UTC) + timedelta(days=8)
    assert frontend_publish.publish(s3, "frontend", dist, prune_days=7, now=later).pruned == ["assets/index-AAA.js"]
    assert "assets/index-AAA.js" not in {o["Key"] for o in s3.list_objects_v2(Bucket="frontend")["Contents"]}


def test_an_unbuilt_frontend_is_a_clear_error(aws, tmp_path):
    s3, _, _ = aws
    with pytest.raises(SystemExit, match=r"index.html is missing: build the frontend first \(`make frontend`\)"):
        frontend_publish.publish(s3, "frontend", tmp_path)


def test_make_infra_publishes_to_the_stacks_bucket(aws, dist, monkeypatch, capsys):
    s3, _, distribution = aws
    monkeypatch.setattr(frontend_publish, "DIST", dist)
    infra.publish_frontend({"FrontendBucketName": "frontend", "DistributionId": distribution})
    assert capsys.readouterr().out.startswith("frontend: 3 files uploaded, 0 unchanged\nfrontend: CloudFront invalidation ")
    assert s3.head_object(Bucket="frontend", Key="index.html")["CacheControl"] == "no-cache"

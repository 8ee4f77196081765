"""Media storage: the local folder and S3 over HTTP (moto's server), content types, privacy, multipart, failures."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from streaming.media.storage import LocalStorage, S3Storage, StorageError, content_type
from tests.s3_server import s3_client


@pytest.mark.parametrize(("key", "expected"), [
    ("films/1/v/master.m3u8", "application/vnd.apple.mpegurl"), ("a/seg_00001.m4s", "video/iso.segment"),
    ("a/init.mp4", "video/mp4"), ("s/captions.vtt", "text/vtt; charset=utf-8"), ("poster.jpg", "image/jpeg"),
])
def test_content_types_are_the_ones_hls_players_expect(key: str, expected: str) -> None:
    assert content_type(key) == expected


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs/key", "a/../../b", ""])
def test_keys_cannot_escape_the_storage(tmp_path: Path, key: str) -> None:
    with pytest.raises(StorageError):
        LocalStorage(tmp_path).put_bytes(b"x", key)


def test_local_storage_writes_lists_reads_and_deletes(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "media")
    storage.put_bytes(b"#EXTM3U\n", "films/1/0001-a/master.m3u8")
    source = tmp_path / "seg.m4s"
    source.write_bytes(b"x" * 100)
    storage.put_file(source, "films/1/0001-a/v234/seg_00000.m4s")
    assert storage.list_sizes("films/1/0001-a") == {"films/1/0001-a/master.m3u8": 8,
                                                    "films/1/0001-a/v234/seg_00000.m4s": 100}
    assert storage.read_bytes("films/1/0001-a/master.m3u8") == b"#EXTM3U\n"
    storage.delete_prefix("films/1/0001-a")
    assert storage.list_sizes("films/1/0001-a") == {}
    with pytest.raises(FileNotFoundError):
        storage.read_bytes("films/1/0001-a/master.m3u8")


def test_s3_objects_get_their_content_type_and_the_bucket_stays_private(
        s3_endpoint: str, s3_bucket: str, tmp_path: Path) -> None:
    storage = S3Storage(s3_bucket, endpoint_url=s3_endpoint, prefix="cinedoc")
    storage.put_bytes(b"#EXTM3U\n", "films/1/0001-a/master.m3u8")
    segment = tmp_path / "seg.m4s"
    segment.write_bytes(b"s" * 2048)
    storage.put_file(segment, "films/1/0001-a/v234/seg_00000.m4s")
    client = s3_client(s3_endpoint)
    head = client.head_object(Bucket=s3_bucket, Key="cinedoc/films/1/0001-a/v234/seg_00000.m4s")
    assert head["ContentType"] == "video/iso.segment"
    assert client.head_object(Bucket=s3_bucket, Key="cinedoc/films/1/0001-a/master.m3u8")["ContentType"] == (
        "application/vnd.apple.mpegurl")
    assert storage.list_sizes("films/1/0001-a") == {"films/1/0001-a/master.m3u8": 8,
                                                    "films/1/0001-a/v234/seg_00000.m4s": 2048}
    grants = client.get_object_acl(Bucket=s3_bucket, Key="cinedoc/films/1/0001-a/master.m3u8")["Grants"]
    assert all("AllUsers" not in str(grant.get("Grantee")) for grant in grants)
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        urllib.request.urlopen(f"{s3_endpoint}/{s3_bucket}/cinedoc/films/1/0001-a/master.m3u8", timeout=10)
    assert anonymous.value.code == 403


def test_large_files_go_up_in_parts(s3_endpoint: str, s3_bucket: str, tmp_path: Path) -> None:
    storage = S3Storage(s3_bucket, endpoint_url=s3_endpoint, multipart_threshold=5 * 1024 * 1024)
    big = tmp_path / "big.mp4"
    big.write_bytes(b"\0" * (11 * 1024 * 1024))
    storage.put_file(big, "films/2/big.mp4")
    head = s3_client(s3_endpoint).head_object(Bucket=s3_bucket, Key="films/2/big.mp4")
    # A multipart object's ETag is "<md5 of part md5s>-<number of parts>".
    assert head["ETag"].strip('"').endswith("-2")
    assert head["ContentLength"] == big.stat().st_size and head["ContentType"] == "video/mp4"


def test_a_missing_object_reads_as_file_not_found(s3_endpoint: str, s3_bucket: str) -> None:
    with pytest.raises(FileNotFoundError):
        S3Storage(s3_bucket, endpoint_url=s3_endpoint).read_bytes("films/9/master.m3u8")


def test_a_bucket_that_has_gone_gives_a_storage_error(s3_endpoint: str, tmp_path: Path) -> None:
    storage = S3Storage("cinedoc-no-such-bucket", endpoint_url=s3_endpoint)
    source = tmp_path / "x.m4s"
    source.write_bytes(b"x")
    with pytest.raises(StorageError, match="NoSuchBucket"):
        storage.put_file(source, "films/1/x.m4s")

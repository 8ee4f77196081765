"""Where packaged media lives: one small protocol, a local folder (embedded default) and S3-compatible storage."""

from __future__ import annotations

import errno
import mimetypes
import os
import shutil
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, Protocol, runtime_checkable

from streaming.media.config import StreamingSettings

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".json": "application/json",
}


class StorageError(RuntimeError):
    """The storage refused or lost a write or a read; the message is safe to show to staff."""


def content_type(key: str) -> str:
    suffix = PurePosixPath(key).suffix.lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"


def _check_key(key: str) -> str:
    path = PurePosixPath(key)
    if path.is_absolute() or ".." in path.parts or not key.strip("/"):
        raise StorageError(f"Refusing storage key {key!r}.")
    return str(path)


@runtime_checkable
class MediaStorage(Protocol):
    """Keys are POSIX paths like ``films/12/0003-ab12cd/master.m3u8``."""

    name: str

    def put_file(self, local_path: Path, key: str) -> None: ...

    def put_bytes(self, data: bytes, key: str) -> None: ...

    def read_bytes(self, key: str) -> bytes: ...

    def list_sizes(self, prefix: str) -> dict[str, int]: ...

    def delete_prefix(self, prefix: str) -> None: ...

    def local_path(self, key: str) -> Path | None: ...


class LocalStorage:
    """A folder on this machine; files are written under a temporary name and renamed, so none is ever half there."""

    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)

    def put_file(self, local_path: Path, key: str) -> None:
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            shutil.copyfile(local_path, partial)
            os.replace(partial, target)
        except OSError as error:
            raise _storage_error(error) from error

    def put_bytes(self, data: bytes, key: str) -> None:
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(data)
            os.replace(partial, target)
        except OSError as error:
            raise _storage_error(error) from error

    def move_tree(self, local_dir: Path, prefix: str) -> bool:
        """Rename a finished work folder into place when both are on one file system (no copy); False otherwise."""
        target = self._path(prefix)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists() or os.stat(local_dir).st_dev != os.stat(target.parent).st_dev:
                return False
            os.rename(local_dir, target)
            return True
        except OSError as error:
            if error.errno == errno.EXDEV:
                return False
            raise _storage_error(error) from error

    def read_bytes(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except OSError as error:
            raise FileNotFoundError(key) from error

    def list_sizes(self, prefix: str) -> dict[str, int]:
        base = self._path(prefix)
        if not base.is_dir():
            return {}
        sizes: dict[str, int] = {}
        for path in base.rglob("*"):
            if path.is_file() and not path.name.endswith(".partial"):
                sizes[str(PurePosixPath(prefix) / path.relative_to(base).as_posix())] = path.stat().st_size
        return sizes

    def delete_prefix(self, prefix: str) -> None:
        shutil.rmtree(self._path(prefix), ignore_errors=True)

    def local_path(self, key: str) -> Path | None:
        return self._path(key)


class S3Storage:
    """A private bucket; large files go up in parts, each object with the Content-Type players expect."""

    name = "s3"

    def __init__(self, bucket: str, *, client: Any | None = None, prefix: str = "", endpoint_url: str | None = None,
                 region: str = "eu-west-3", multipart_threshold: int = 16 * 1024 * 1024) -> None:
        import boto3
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client or boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=10, read_timeout=60),
        )
        self.transfer_config = TransferConfig(multipart_threshold=multipart_threshold,
                                              multipart_chunksize=max(multipart_threshold, 8 * 1024 * 1024),
                                              use_threads=True, max_concurrency=4)

    def _key(self, key: str) -> str:
        key = _check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def put_file(self, local_path: Path, key: str) -> None:
        from boto3.exceptions import S3UploadFailedError
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.upload_file(str(local_path), self.bucket, self._key(key),
                                    ExtraArgs={"ContentType": content_type(key)}, Config=self.transfer_config)
        except (ClientError, BotoCoreError, S3UploadFailedError) as error:
            raise StorageError(f"Upload of {key} to bucket {self.bucket} failed: {_describe(error)}") from error

    def put_bytes(self, data: bytes, key: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, ContentType=content_type(key))
        except (ClientError, BotoCoreError) as error:
            raise StorageError(f"Upload of {key} to bucket {self.bucket} failed: {_describe(error)}") from error

    def read_bytes(self, key: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise FileNotFoundError(key) from error
            raise StorageError(f"Reading {key} from bucket {self.bucket} failed: {_describe(error)}") from error
        except BotoCoreError as error:
            raise StorageError(f"Reading {key} from bucket {self.bucket} failed: {_describe(error)}") from error

    def _objects(self, prefix: str) -> Iterator[dict[str, Any]]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self._key(prefix).rstrip("/") + "/"):
            yield from page.get("Contents", [])

    def list_sizes(self, prefix: str) -> dict[str, int]:
        from botocore.exceptions import BotoCoreError, ClientError

        strip = len(self.prefix) + 1 if self.prefix else 0
        try:
            return {item["Key"][strip:]: int(item["Size"]) for item in self._objects(prefix)}
        except (ClientError, BotoCoreError) as error:
            raise StorageError(f"Listing bucket {self.bucket} failed: {_describe(error)}") from error

    def delete_prefix(self, prefix: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            keys = [{"Key": item["Key"]} for item in self._objects(prefix)]
            for start in range(0, len(keys), 1000):
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys[start:start + 1000]})
        except (ClientError, BotoCoreError):
            # Cleaning up after a failure must not hide the failure; leftovers sit outside any published prefix.
            return

    def local_path(self, key: str) -> Path | None:
        return None


def _describe(error: Exception) -> str:
    response = getattr(error, "response", None)
    if isinstance(response, dict) and response.get("Error"):
        return f"{response['Error'].get('Code')}: {response['Error'].get('Message', '')}".strip(": ")
    return str(error)


def _storage_error(error: OSError) -> StorageError:
    if error.errno == errno.ENOSPC:
        return StorageError("No space left on the media storage.")
    return StorageError(f"Writing to the media storage failed: {error.strerror or error}.")


def make_storage(settings: StreamingSettings, data_dir: Path) -> MediaStorage:
    if settings.media_storage == "s3":
        if not settings.s3_bucket:
            raise StorageError("CINEDOC_MEDIA_STORAGE=s3 needs CINEDOC_S3_BUCKET.")
        return S3Storage(settings.s3_bucket, prefix=settings.s3_prefix, endpoint_url=settings.s3_endpoint_url,
                         region=settings.s3_region, multipart_threshold=settings.s3_multipart_threshold_mb * 2**20)
    return LocalStorage(settings.media_root or data_dir / "media")

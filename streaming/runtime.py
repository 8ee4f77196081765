"""What one app process keeps for patron access: the key ring, the media storage and URL signer, and short caches.

Nothing here is needed by another process: the caches only hold what the database says (key statuses, sessions,
subscriptions, IP ranges) for a few seconds (CINEDOC_ACCESS_CACHE_SECONDS), so a revocation reaches every process
within that delay, and the gateway does not query the database for every segment of every patron.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine

from streaming.access.config import AccessSettings, get_access_settings
from streaming.playback.signing import KeyRing

T = TypeVar("T")
MAX_CACHED = 50_000


class ShortCache:
    """A dictionary whose entries expire after `ttl` seconds; races only cost a duplicate load, never a wrong answer
    for longer than the ttl."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        if self.ttl <= 0:
            return load()
        now = self.clock()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = load()
        if len(self._entries) >= MAX_CACHED:
            self._entries.clear()
        self._entries[key] = (now + self.ttl, value)
        return value

    def forget(self, key: Hashable | None = None) -> None:
        if key is None:
            self._entries.clear()
        else:
            self._entries.pop(key, None)


@dataclass
class AccessRuntime:
    engine: Engine
    settings: AccessSettings
    ring: KeyRing
    data_dir: Path
    cache: ShortCache
    _storage: Any = None
    _cdn: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def storage(self) -> Any:
        """The media storage the packaging side publishes to (streaming/media/storage.py), built on first use."""
        if self._storage is None:
            from streaming.media.config import get_streaming_settings
            from streaming.media.storage import make_storage

            with self._lock:
                if self._storage is None:
                    self._storage = make_storage(get_streaming_settings(), self.data_dir)
        return self._storage

    @storage.setter
    def storage(self, value: Any) -> None:
        self._storage = value

    @property
    def cdn(self) -> Any:
        """The CloudFront signer when media goes through CloudFront, else None."""
        if self._cdn is None and self.settings.media_delivery == "cloudfront":
            from streaming.playback.cdn import CloudFrontPolicySigner

            with self._lock:
                if self._cdn is None:
                    self._cdn = CloudFrontPolicySigner.from_settings(self.settings)
        return self._cdn

    @cdn.setter
    def cdn(self, value: Any) -> None:
        self._cdn = value

    def assertion_keys(self, session: Any) -> Callable[[str], Any]:
        """Look an assertion key up through the short cache (a revocation reaches other processes within it)."""
        from streaming.access.assertions import key_facts

        return lambda kid: self.cache.get(("assertion-key", kid), lambda: key_facts(session, kid))

    def now(self) -> float:
        from cinedoc.kernel import clock

        return clock.utcnow().timestamp()


_create_lock = threading.Lock()


def runtime_for(state: Any) -> AccessRuntime:
    """The app's runtime, created on first use from its settings (tests may put `access_settings` in the state)."""
    runtime = state.get("access_runtime")
    if runtime is None:
        with _create_lock:
            runtime = state.get("access_runtime")
            if runtime is None:
                settings = state.get("access_settings") or get_access_settings()
                runtime = AccessRuntime(
                    engine=state.engine, settings=settings, ring=KeyRing(state.settings.secret_key),
                    data_dir=Path(state.settings.data_dir), cache=ShortCache(settings.access_cache_seconds),
                )
                state["access_runtime"] = runtime
    return runtime

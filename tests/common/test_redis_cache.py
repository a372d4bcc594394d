import threading
import uuid

import pytest

from common.redis_cache import SharedClientRedisCache

pytestmark = pytest.mark.integration


def _cache(settings) -> SharedClientRedisCache:
    return SharedClientRedisCache(settings.REDIS_URL, {"KEY_PREFIX": uuid.uuid4().hex})


def test_reads_and_writes_share_one_redis_client(settings):
    cache = _cache(settings)
    cache.set("answer", {"pain": 3})
    assert cache.get("answer") == {"pain": 3}
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=False) is client
    cache.delete("answer")
    assert cache._cache.get_client(write=True) is client
    assert cache.get("answer") is None


def test_threads_sharing_the_client_each_read_their_own_values(settings):
    cache = _cache(settings)
    wrong: list[str] = []

    def read_and_write(name: str) -> None:
        for round_ in range(50):
            cache.set(name, f"{name}-{round_}")
            if cache.get(name) != f"{name}-{round_}":
                wrong.append(name)

    threads = [threading.Thread(target=read_and_write, args=(f"t{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []

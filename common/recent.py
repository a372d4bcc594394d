"""A small least-recently-used map of rendered markup, kept in this process and safe to share between threads.

Used for pieces of pages that are a pure function of their key (Markdown by the digest of its text, a note's
card by the digest of everything it shows): a change to any input is a new key, so an entry can be dropped
early but never served stale.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.utils.safestring import SafeString


class RecentMarkup:
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, SafeString] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> SafeString | None:
        with self._lock:
            markup = self._entries.get(key)
            if markup is not None:
                self._entries.move_to_end(key)
            return markup

    def put(self, key: Hashable, markup: SafeString) -> None:
        with self._lock:
            self._entries[key] = markup
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def get_or_render(self, key: Hashable, render: Callable[[], SafeString]) -> SafeString:
        markup = self.get(key)
        if markup is None:
            markup = render()
            self.put(key, markup)
        return markup

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

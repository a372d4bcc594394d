"""Panels: parts of a lower app's page that higher apps fill in, without the lower app importing them.

A page that others may extend owns a `PanelRegistry`; a higher app registers a source in its AppConfig.ready()
(as the timeline's sources are registered), and the page's view asks the registry for its panels and includes
each panel's template with `{% include panel.template with panel=panel.context %}`. A source returns None
when it has nothing to show to this viewer. The order is the order of registration.
"""

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any


@dataclasses.dataclass(frozen=True)
class Panel:
    template: str  # a fragment, `templates/<app>/_<name>.html`
    context: Mapping[str, Any] = dataclasses.field(default_factory=dict)


PanelSource = Callable[..., Panel | None]


class PanelRegistry:
    """The named sources of one place on one page."""

    def __init__(self, place: str) -> None:
        self.place = place
        self._sources: dict[str, PanelSource] = {}

    def register(self, name: str, source: PanelSource) -> None:
        """Add (or replace) a source under a unique name such as "reminders.settings"."""
        self._sources[name] = source

    def unregister(self, name: str) -> None:
        self._sources.pop(name, None)

    def names(self) -> list[str]:
        return list(self._sources)

    def panels(self, **kwargs: Any) -> list[Panel]:
        """Every source's panel for these arguments, leaving out the sources that have nothing to show."""
        found = (source(**kwargs) for source in self._sources.values())
        return [panel for panel in found if panel is not None]

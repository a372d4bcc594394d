"""Panels that higher apps add to a clinician's view of a patient's progress (rehab:patient_progress), such
as how often a reminder was followed by a session. A source is `source(*, viewer, patient) -> Panel | None`,
called once per page view in a fixed number of queries; register it in the higher app's AppConfig.ready():

    from rehab.panels import register_progress_panel
    register_progress_panel("reminders.effect", effect_panel)

The progress page has already checked that the viewer may see the record (and audited the read). The
patient's own progress page shows no panels: they are for the care team.
"""

from collections.abc import Callable

from accounts.models import User
from common.panels import Panel, PanelRegistry

ProgressPanelSource = Callable[..., Panel | None]

_progress = PanelRegistry("rehab.patient_progress")


def register_progress_panel(name: str, source: ProgressPanelSource) -> None:
    _progress.register(name, source)


def progress_panels(*, viewer: User, patient: User) -> list[Panel]:
    return _progress.panels(viewer=viewer, patient=patient)

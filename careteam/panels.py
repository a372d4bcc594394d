"""Panels that higher apps add to the patient record (careteam:patient_detail), such as the patient's
reminder settings. A source is `source(*, viewer, patient) -> Panel | None`, called once per page view in a
fixed number of queries; register it in the higher app's AppConfig.ready():

    from careteam.panels import register_record_panel
    register_record_panel("reminders.settings", settings_panel)

The record page has already checked that the viewer may see the record (and audited the read); a source
decides only what it shows to whom, such as a form for the team's clinicians and not for admins.
"""

from collections.abc import Callable

from accounts.models import User
from common.panels import Panel, PanelRegistry

RecordPanelSource = Callable[..., Panel | None]

_record = PanelRegistry("careteam.patient_record")


def register_record_panel(name: str, source: RecordPanelSource) -> None:
    _record.register(name, source)


def record_panels(*, viewer: User, patient: User) -> list[Panel]:
    return _record.panels(viewer=viewer, patient=patient)

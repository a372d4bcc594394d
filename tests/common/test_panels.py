from common.panels import Panel, PanelRegistry


def test_a_registry_gives_each_sources_panel_in_order_and_leaves_out_sources_with_nothing_to_show():
    registry = PanelRegistry("tests.page")
    registry.register("first", lambda *, viewer: Panel("first.html", {"who": viewer}))
    registry.register("nothing", lambda *, viewer: None)
    registry.register("second", lambda *, viewer: Panel("second.html"))

    panels = registry.panels(viewer="ada")

    assert [panel.template for panel in panels] == ["first.html", "second.html"]
    assert panels[0].context == {"who": "ada"}


def test_registering_a_name_again_replaces_its_source():
    registry = PanelRegistry("tests.page")
    registry.register("one", lambda: Panel("old.html"))
    registry.register("one", lambda: Panel("new.html"))
    assert [panel.template for panel in registry.panels()] == ["new.html"]
    registry.unregister("one")
    assert registry.panels() == []


def test_reminders_fill_the_record_and_progress_registries_at_start_up():
    from careteam.panels import _record
    from rehab.panels import _progress

    assert "reminders.settings" in _record.names()
    assert "reminders.effect" in _progress.names()

"""axe-core (the copy shipped inside axe-playwright-python) over a page as it stands, read at rest."""

from axe_playwright_python.sync_playwright import Axe

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_violations(page, *, where: str | None = None, options: dict = WCAG_AA) -> list[str]:
    """One line per rule broken on the page as it stands now (forms opened, results swapped in).

    The page is read at rest, as a person would see it: once its stylesheets have applied (before
    portal.css has, the footer link is Bootstrap's 4.3:1 blue), with the pointer moved off whatever the
    last click left it over, and with colour fades off (reduced motion), so no control is measured
    half-way through a hover."""
    page.wait_for_load_state("load")
    page.emulate_media(reduced_motion="reduce")
    page.mouse.move(0, 0)
    where = page.url if where is None else where
    return [
        f"{where}: {violation['id']} ({violation['impact']}) at "
        f"{[' '.join(node['target']) for node in violation['nodes'][:3]]}"
        for violation in Axe().run(page, options=options).response["violations"]
    ]

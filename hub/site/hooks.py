"""MkDocs hook used only by `hub serve` (part of the `hub.site` adapter).

MkDocs reloads the config and calls `on_config` before every rebuild of the
live-reload server, so this is where a changed data file, template or
`content/` page gets re-rendered into the served docs folder. Only changed
files are written: the server watches that folder too, and rewriting every
file would trigger an endless series of rebuilds. `hub build` does not use
hooks; it renders once, before the generator starts.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hub")


def on_config(config):
    """Validate and render the catalogue into `docs_dir`; set the nav and the help banner."""
    from hub.catalogue.checks import validate
    from hub.render import RenderError, banner_lines, navigation, render
    from hub.site import serve

    session = serve.SESSION
    result = validate(session.data_dir, root=Path.cwd())
    if result.failed():
        for problem in result.errors:
            log.error(problem.render(show_source=True))
        raise PluginError(f"{len(result.errors)} error(s) in the data: fix them and save; the preview "
                          "will rebuild (it shows the last good version meanwhile)")
    catalogue = result.load.catalogue
    try:
        files = render(catalogue, dt.date.today(), base_url=None)
    except RenderError as exc:
        raise PluginError(str(exc)) from None
    changed = serve.sync_docs(files, Path(config["docs_dir"]), session.project)
    if changed:
        log.info(f"hub: re-rendered the catalogue ({changed} file(s) changed)")
    config["nav"] = navigation(catalogue)
    config["extra"]["urgent_help"] = banner_lines(catalogue)
    return config

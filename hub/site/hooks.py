"""MkDocs hook file used only by `hub serve` (part of the `hub.site` adapter; see `hub.site.serve`).

MkDocs reloads the config and calls `on_config` before every rebuild of the
live-reload server: the catalogue is validated and rendered there, and
`on_files` hands the rendered pages to MkDocs as generated files (nothing
is written to disk, so the server's watcher sees no change of its own).
When the data has errors, the last good pages are served and
`extra.hub_preview_problems` lists the errors for the banner in
`overrides/main.html`. `hub build` does not use hooks.
"""

from __future__ import annotations

import logging

log = logging.getLogger("mkdocs.hub")


def on_config(config):
    """Validate and render the catalogue; set the nav, the help banner and the problems banner."""
    from hub.site import serve

    session = serve.SESSION
    serve.refresh(session)
    for problem in session.problems:
        log.error(f"{problem['where']}: {problem['message']}" if problem["where"] else problem["message"])
    if session.problems:
        log.warning(f"hub: {len(session.problems)} error(s) in the data: showing the last good version, with "
                    "the problems in a banner on every page; fix them and save")
    config["nav"] = session.nav
    config["extra"]["urgent_help"] = session.banner
    config["extra"]["hub_preview_problems"] = session.problems
    return config


def on_files(files, config):
    """Add the rendered pages and downloads as generated files (a hand-written page of the same path loses)."""
    from mkdocs.structure.files import File

    from hub.site import serve

    for rel, text in serve.SESSION.files.items():
        existing = files.get_file_from_path(rel)
        if existing is not None:
            log.warning(f"hub: content/{rel} has the path of a generated page; the generated page is shown")
            files.remove(existing)
        files.append(File.generated(config, rel, content=text))
    return files


def on_env(env, config, files):
    """Keep the theme's compiled templates between rebuilds (`hub.site.serve.CompiledTemplates`)."""
    from hub.site import serve

    env.bytecode_cache = serve.SESSION.templates
    return env

"""Every worked example in CONTRIBUTING.md passes every check when pasted as shown (issue #15).

Each ```yaml block whose first line says where it goes ("# In data/resources.yaml, under
resources:", "…, in the record nice-cg16, after topics:", "…, in the subsection safety-plans,
under resources:") is pasted, as text and exactly as written, at that place in a copy of the real
data (put in canonical layout first: the real data's own layout is the advisory Layout check's
business). Then the copy must validate with no error, `hub fmt` must change nothing, and the
wording check of `hub review` (offline: no client, nothing asks the network) must flag nothing in
the pasted lines."""

from __future__ import annotations

import datetime as dt
import re
import shutil

from hub.catalogue.checks import validate
from hub.catalogue.model import DATA_FILES
from hub.catalogue.yamlfile import load_yaml_text
from hub.editor.document import parse
from hub.editor.fmt import format_text
from hub.editor.review import review

from .conftest import ROOT, TODAY

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^( *)```yaml\n\1# In data/(\w+)\.yaml, (.*?):\n(.*?)^\1```", re.MULTILINE | re.DOTALL)
EXAMPLES = [(file, where, "".join(line[len(pad):] + "\n" for line in body.rstrip("\n").split("\n")))
            for pad, file, where, body in BLOCK.findall(GUIDE)]


def test_the_guide_has_every_kind_of_example():
    places = [where for _, where, _ in EXAMPLES]
    assert len(EXAMPLES) >= 8
    assert any(w.startswith("in the record ") for w in places)  # superseding a resource
    assert any(w.startswith("in the subsection ") for w in places)  # listing it a second time
    assert any("phone" in body or "helpline" in body for _, _, body in EXAMPLES)
    assert "<!-- ids:start -->" in GUIDE and "`psychosocial-assessments`" in GUIDE


def _record_path(data: dict, record_id: str) -> tuple:
    for key, items in data.items():
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and item.get("id") == record_id:
                return (key, i)
    raise AssertionError(f"the example names '{record_id}', which is not in the data")


def _subsection_path(data: dict, subsection_id: str) -> tuple:
    for s, section in enumerate(data["sections"]):
        for j, sub in enumerate(section["subsections"]):
            if sub["id"] == subsection_id:
                return ("sections", s, "subsections", j, "resources")
    raise AssertionError(f"the example names the subsection '{subsection_id}', which does not exist")


def paste(text: str, where: str, body: str) -> tuple[str, int, list[tuple[int, int]]]:
    """``body`` pasted, as written, at the place ``where`` names: the new text, the 0-based line it
    starts at, and the (0-based line, change in length) of each edit, to shift earlier ranges."""
    edits = []
    doc, problems = parse(text, "copy")
    assert doc is not None, problems
    lines = text.split("\n")
    if match := re.fullmatch(r"under (\w+)", where):
        at = doc.find((match[1],)).end + 1
    elif match := re.fullmatch(r"in the record ([a-z0-9-]+), after (\w+)", where):
        path = _record_path(doc.loaded.data, match[1])
        pasted = load_yaml_text(body, "example").data
        for key in sorted(pasted, key=lambda k: -(doc.find(path + (k,)).start if doc.find(path + (k,)) else -1)):
            old = doc.find(path + (key,))  # a field the record has already: the example's value replaces it
            if old is not None:
                del lines[old.start:old.end + 1]
                edits.append((old.start, -(old.end + 1 - old.start)))
        text = "\n".join(lines)
        doc, _ = parse(text, "copy")
        at = doc.find(path + (match[2],)).end + 1
    elif match := re.fullmatch(r"in the subsection ([a-z0-9-]+), under resources", where):
        at = doc.find(_subsection_path(doc.loaded.data, match[1])).end + 1
    else:
        raise AssertionError(f"the guide says to paste an example '{where}': the test does not know that place")
    new = body.rstrip("\n").split("\n")
    lines[at:at] = new
    return "\n".join(lines), at, edits + [(at, len(new))]


def test_each_example_passes_every_check_when_pasted_as_shown(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copytree(ROOT / "editorial", tmp_path / "editorial")
    texts = {}
    for path in (ROOT / "data").glob("*.yaml"):
        canonical, problems = format_text(path.read_text(encoding="utf-8"), path.name, DATA_FILES.get(path.name))
        assert not problems
        texts[path.name] = canonical
    pasted: dict[str, list[list[int]]] = {}  # file -> [first line, last line] (0-based) of each example
    for file, where, body in EXAMPLES:
        name = f"{file}.yaml"
        texts[name], at, edits = paste(texts[name], where, body)
        for line, delta in edits:
            for span in pasted.get(name, []):
                if span[0] >= line:
                    span[0] += delta
                    span[1] += delta
        pasted.setdefault(name, []).append([at, at + body.count("\n") - 1])
    for name, text in texts.items():
        (data / name).write_text(text, encoding="utf-8")

    def inside(problem) -> bool:
        return any(a + 1 <= (problem.line or 0) <= b + 1 for a, b in pasted.get(problem.file.split("/")[-1], []))

    today = dt.date.fromisoformat(TODAY)
    result = validate(data, tmp_path, today)
    assert not result.errors, [p.render() for p in result.errors]
    assert not [p.render() for p in result.warnings if inside(p) and p.code != "not-placed"]
    for name, text in texts.items():
        out, problems = format_text(text, name, DATA_FILES[name])
        assert not problems and out == text, f"an example pasted into {name} is not in canonical layout"
    wording = review(data, tmp_path, tmp_path / "editorial", today).of("language")
    assert not [f.problem.render() for f in wording if inside(f.problem)]

"""CONTRIBUTING.md stays true: the generated field reference is current, every problem code the hub
can emit is explained, every worked example validates against the real data, and links inside the
guide lead somewhere."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from hub.catalogue.model import DATA_FILES
from hub.catalogue.yamlfile import load_yaml_text
from hub.cli import COMMANDS, cli
from hub.editor.printer import render_item

from .conftest import ROOT, hub

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
EXAMPLE = re.compile(r"```yaml\n# In data/(\w+)\.yaml, under (\w+):\n(.*?)```", re.DOTALL)


def test_the_generated_parts_are_up_to_date(monkeypatch):
    monkeypatch.chdir(ROOT)
    run = hub("docs", "--check")
    assert run.code == 0, run.output + "\nrun: python -m hub docs"


def test_docs_rewrites_only_between_the_markers(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    path = tmp_path / "GUIDE.md"
    path.write_text("Intro\n<!-- fields:start -->\nOLD-TEXT\n<!-- fields:end -->\n<!-- language:start -->\n"
                    "<!-- language:end -->\n<!-- ids:start -->\n<!-- ids:end -->\nOutro\n")
    assert hub("docs", "--file", str(path)).code == 0
    text = path.read_text()
    assert text.startswith("Intro\n<!-- fields:start -->\n\n*Generated from the model")
    assert text.endswith("<!-- ids:end -->\nOutro\n") and "OLD-TEXT" not in text
    assert "| `psychosocial-assessments` |" in text and "| `safety-planning` |" in text
    assert "| `last_reviewed` | optional |" in text and "| `added` | required |" in text
    path.write_text("no markers\n")
    run = hub("docs", "--file", str(path), "--check")
    assert run.code == 1 and "the markers <!-- fields:start --> and <!-- fields:end --> are missing" in run.stderr


@pytest.mark.parametrize("broken, expected", [
    ("sources:\n  - id: x\n    title: [unclosed\n",
     "editorial/language.yaml:3:12: error: this '[' is never closed (no ']' after the last item)"),
    (None, "editorial/language.yaml:26:5: error: the 1st term: unknown field 'suggestoin' — did you mean "
           "'suggestion'? ('suggestion' is required)"),
    ("", "editorial/language.yaml:1:1: error: the file is empty"),
    ("missing", "editorial/language.yaml: warning: the safe-messaging word list is missing"),
])
def test_docs_with_a_broken_word_list_reports_it_and_changes_nothing(tmp_path, monkeypatch, broken, expected):
    """No problem is dropped: the word list is not regenerated from part of the file (nor from nothing)."""
    (tmp_path / "editorial").mkdir()
    language = (ROOT / "editorial" / "language.yaml").read_text(encoding="utf-8")
    if broken != "missing":
        (tmp_path / "editorial" / "language.yaml").write_text(
            language.replace("    suggestion:", "    suggestoin:", 1) if broken is None else broken, encoding="utf-8")
    guide = tmp_path / "CONTRIBUTING.md"
    guide.write_bytes((ROOT / "CONTRIBUTING.md").read_bytes())
    monkeypatch.chdir(tmp_path)
    for args in ([], ["--check"]):
        run = hub("docs", *args)
        assert run.code == 1, run.output
        assert expected in run.stderr
        assert "CONTRIBUTING.md was " + ("not checked" if args else "left unchanged") in run.stderr
        assert "updated" not in run.stderr
        assert guide.read_bytes() == (ROOT / "CONTRIBUTING.md").read_bytes()


# --- every problem code is explained ------------------------------------------------------


def emitted_codes() -> dict[str, str]:
    """Problem codes written literally in hub/: in `Problem(...)`, in helpers that pass a parameter on as
    the code (found to a fixed point), in `PydanticCustomError("code", ...)`, in module-level dicts whose
    name ends in `_CODES`, and the pydantic error types hub/catalogue/messages.py words for editors."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted((ROOT / "hub").rglob("*.py"))}
    factories: dict[str, int] = {"Problem": 3}
    changed = True
    while changed:
        changed = False
        for tree in trees.values():
            for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name not in factories):
                params = [a.arg for a in fn.args.args]
                for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call)):
                    arg = _code_arg(call, factories)
                    if isinstance(arg, ast.Name) and arg.id in params:
                        factories[fn.name] = params.index(arg.id)
                        changed = True
                        break
    codes: dict[str, str] = {}
    for path, tree in trees.items():
        where = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                arg = _code_arg(node, factories)
                if _name(node.func) == "PydanticCustomError" and node.args:
                    arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    codes.setdefault(arg.value, where)
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("_CODES")
                                                      for t in node.targets):
                for value in getattr(node.value, "values", []):
                    if isinstance(value, ast.Constant):
                        codes.setdefault(value.value, where)
    messages = (ROOT / "hub" / "catalogue" / "messages.py").read_text(encoding="utf-8")
    for group in re.findall(r'kind (?:==|in) (\([^)]*\)|"[^"]+")', messages):
        for kind in re.findall(r'"([a-z_]+)"', group):
            codes.setdefault(kind.replace("_", "-"), "hub/catalogue/messages.py")
    return codes


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _code_arg(call: ast.Call, factories: dict[str, int]):
    index = factories.get(_name(call.func))
    if index is None:
        return None
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == "code"), None)


def test_the_code_scan_finds_codes_of_every_kind():
    codes = emitted_codes()
    for code in ("duplicate-key", "yaml-syntax", "not-slug", "unknown-reference", "missing", "extra-forbidden",
                 "review-retraction", "review-duplicate-doi", "fmt-unsafe", "cannot-edit"):
        assert code in codes, code


def test_every_problem_code_is_explained_in_contributing():
    documented = set(re.findall(r"`([a-z][a-z0-9-]*)`", GUIDE))
    missing = {code: where for code, where in emitted_codes().items() if code not in documented}
    assert not missing, ("add these codes to 'Error messages and how to fix them' in CONTRIBUTING.md: "
                         + ", ".join(f"{c} ({w})" for c, w in sorted(missing.items())))


# --- the worked examples --------------------------------------------------------------------

EXAMPLES = EXAMPLE.findall(GUIDE)


def test_there_is_an_example_for_each_kind_the_issue_names():
    kinds = [(f, k) for f, k, _ in EXAMPLES]
    assert kinds.count(("resources", "resources")) >= 2  # a paper and a guideline
    assert {("events", "events"), ("organisations", "organisations"), ("measures", "measures")} <= set(kinds)
    assert any("talks:" in body for _, _, body in EXAMPLES)


def _item_model(file: str, key: str):
    return DATA_FILES[f"{file}.yaml"].model_fields[key].annotation.__args__[0]


@pytest.mark.parametrize("file, key, body", EXAMPLES, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(EXAMPLES)])
def test_each_example_is_one_record_in_canonical_layout(file, key, body):
    if re.search(r" {2}# ", body):
        pytest.skip("an annotated example: its layout is checked by pasting it (test_worked_examples.py)")
    loaded = load_yaml_text(body, "example")
    assert not loaded.problems and isinstance(loaded.data, list) and len(loaded.data) == 1
    assert render_item(loaded.data[0], 2, _item_model(file, key)) == body.rstrip("\n").split("\n"), \
        "not in canonical layout"


# Pasting each example into a copy of the real data, and every check on it: test_worked_examples.py.


# --- the rest of the guide ------------------------------------------------------------------


def _anchor(heading: str) -> str:
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


@pytest.mark.parametrize("name", ["CONTRIBUTING.md", "README.md"])
def test_links_inside_the_guide_lead_to_headings(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    anchors = {_anchor(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE)}
    targets = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert targets <= anchors, f"{name}: links to headings that do not exist: {sorted(targets - anchors)}"
    if name == "CONTRIBUTING.md":
        assert targets


def test_the_tools_name_only_sections_of_the_guide_that_exist():
    """Messages such as "see 'Layout: what hub fmt does' in CONTRIBUTING.md" name a real heading."""
    headings = set(re.findall(r"^#{2,4} (.+)$", GUIDE, re.MULTILINE))
    headings |= {h.replace("`", "") for h in headings}
    named = set()
    for path in (ROOT / "hub").rglob("*.py"):
        named |= set(re.findall(r"see '([^']+)' in CONTRIBUTING\.md", path.read_text(encoding="utf-8")))
        named |= set(re.findall(r'see CONTRIBUTING\.md, "([^"]+)"', path.read_text(encoding="utf-8")))
    assert "Layout: what hub fmt does" in named
    assert named <= headings, sorted(named - headings)


def test_the_guide_covers_the_web_editor_checks_and_commands():
    for words in ("pencil icon", "Propose changes", "Create pull request", "make serve", "hub new", "hub fmt",
                  "hub review", "hub validate", "--doi", "--apply", "Retraction Watch", "last_reviewed"):
        assert words in GUIDE, words


def test_every_editor_command_has_help():
    for name in ("new", "fmt", "review", "docs"):
        assert name in COMMANDS
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and ("exit status" in result.output.lower() or name == "docs"), name
        assert len(result.output.split("\n")) > 8


def test_the_pull_request_template_has_a_short_checklist():
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] ", template, re.MULTILINE)
    assert 4 <= len(items) <= 10
    assert "CONTRIBUTING.md" in template and "people who self-harm" in template


def test_contributing_names_every_data_file():
    for name in DATA_FILES:
        assert f"`data/{name}`" in GUIDE, name
    assert Path(ROOT / "editorial" / "language.yaml").exists()

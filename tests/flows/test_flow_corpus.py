"""The flow corpus: every file under ``valid/`` must validate, every file under ``invalid/`` must
be rejected for the one rule its header names.

Invariants:

* Each valid file starts with ``# what: <one line>``; multi-document files (``---``) are checked
  document by document through ``parse_documents``, single documents through ``parse_flow``.
* Each invalid file holds one document and breaks exactly one rule. Its header names the expected
  violation with ``# expect:`` (a case-insensitive substring of the violation's message) and
  ``# at:`` (that violation's 1-based line in the file).
* Every example flow under ``examples/`` validates too.
* A valid file our validator still rejects is listed in ``KNOWN_GAPS`` with the evidence, and runs
  as a strict xfail until the validator is fixed.
* The corpus keeps its size: at least 60 valid documents and 25 invalid files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from legato.errors import FlowValidationError
from legato.model import parsing
from legato.model.registry import PluginRegistry

HERE = Path(__file__).parent
EXAMPLE_FILES = sorted((HERE.parent.parent / "examples").glob("*.yaml"))
VALID_FILES = sorted((HERE / "valid").glob("*.yaml"))
INVALID_FILES = sorted((HERE / "invalid").glob("*.yaml"))

#: corpus files our validator gets wrong today, with the evidence; each is a strict xfail, so the
#: test fails (XPASS) once the validator is fixed and the entry must be removed
KNOWN_GAPS: dict[str, str] = {}

_SEPARATOR = re.compile(r"^---\s*$", re.MULTILINE)
_HEADER = re.compile(r"^#\s*(?P<key>what|expect|at):\s*(?P<value>.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Invalid:
    """An invalid corpus file and what its header says the validator must report."""

    path: Path
    expect: str
    line: int


def _headers(text: str) -> dict[str, str]:
    return {m["key"]: m["value"] for m in _HEADER.finditer(text)}


def _document_count(text: str) -> int:
    """Documents in ``text``: chunks between ``---`` lines that hold more than comments."""
    chunks = _SEPARATOR.split(text)
    return sum(1 for chunk in chunks if _has_content(chunk))


def _has_content(chunk: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in chunk.splitlines())


def _valid_cases() -> list[tuple[Path, int, int]]:
    cases: list[tuple[Path, int, int]] = []
    for path in VALID_FILES:
        count = _document_count(path.read_text(encoding="utf-8"))
        cases.extend((path, index, count) for index in range(count))
    return cases


def _with_known_gaps(cases: list[tuple[Path, int, int]]) -> list[object]:
    params: list[object] = []
    for case in cases:
        reason = KNOWN_GAPS.get(case[0].stem)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(case, marks=marks, id=_case_id(case)))
    return params


def _invalid_cases() -> list[Invalid]:
    cases = []
    for path in INVALID_FILES:
        headers = _headers(path.read_text(encoding="utf-8"))
        cases.append(Invalid(path, headers.get("expect", ""), int(headers.get("at", "0"))))
    return cases


VALID_CASES = _valid_cases()
INVALID_CASES = _invalid_cases()


@cache
def _registry() -> PluginRegistry:
    return PluginRegistry.from_entry_points()


@cache
def _parsed_documents(path: Path) -> list[object]:
    text = path.read_text(encoding="utf-8")
    return list(parsing.parse_documents(text, _registry(), path=str(path)))


def _case_id(case: tuple[Path, int, int]) -> str:
    path, index, count = case
    return path.stem if count == 1 else f"{path.stem}[{index}]"


def test_known_gaps_name_corpus_files() -> None:
    stems = {path.stem for path in VALID_FILES}
    assert set(KNOWN_GAPS) <= stems, "every KNOWN_GAPS entry names a file of valid/"


def test_the_corpus_keeps_its_size() -> None:
    assert len(VALID_CASES) >= 60, "the valid corpus needs at least 60 documents"
    assert len(INVALID_CASES) >= 25, "the invalid corpus needs at least 25 files"
    assert 5 <= len(EXAMPLE_FILES) <= 8, "examples/ holds five to eight flows"


@pytest.mark.parametrize("path", VALID_FILES, ids=lambda p: p.stem)
def test_valid_file_says_what_it_tests(path: Path) -> None:
    assert _headers(path.read_text(encoding="utf-8")).get("what"), f"{path.name}: no '# what:'"


@pytest.mark.parametrize("case", INVALID_CASES, ids=lambda c: c.path.stem)
def test_invalid_file_names_its_rule(case: Invalid) -> None:
    text = case.path.read_text(encoding="utf-8")
    assert case.expect, f"{case.path.name}: no '# expect:' header"
    assert 1 <= case.line <= len(text.splitlines()), f"{case.path.name}: '# at:' out of range"
    assert _document_count(text) == 1, f"{case.path.name}: an invalid file holds one document"


@pytest.mark.parametrize("case", _with_known_gaps(VALID_CASES))
def test_valid_flow_parses_without_violations(case: tuple[Path, int, int]) -> None:
    path, index, count = case
    if count == 1:
        flow = parsing.parse_flow(path.read_text(encoding="utf-8"), _registry(), path=str(path))
        assert flow.id and flow.namespace and flow.tasks
        return
    documents = _parsed_documents(path)
    assert len(documents) == count
    document = documents[index]
    if isinstance(document, FlowValidationError):
        pytest.fail(f"{path.name} document {index}: {document}")
    assert getattr(document, "tasks", None), f"{path.name} document {index} has no tasks"


@pytest.mark.parametrize("case", INVALID_CASES, ids=lambda c: c.path.stem)
def test_invalid_flow_is_rejected_at_the_right_line(case: Invalid) -> None:
    text = case.path.read_text(encoding="utf-8")
    with pytest.raises(FlowValidationError) as caught:
        parsing.parse_flow(text, _registry(), path=str(case.path))
    violations = caught.value.violations
    wanted = case.expect.lower()
    matching = [v for v in violations if wanted in str(getattr(v, "message", "")).lower()]
    found = [(getattr(v, "line", None), getattr(v, "message", v)) for v in violations]
    assert matching, f"no violation mentions {case.expect!r}; got {found}"
    lines = [getattr(v, "line", None) for v in matching]
    assert case.line in lines, f"{case.expect!r} reported at lines {lines}, expected {case.line}"
    others = [f for f, v in zip(found, violations, strict=True) if v not in matching]
    assert not others, f"an invalid file breaks one rule only; it also broke {others}"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_flow_validates(path: Path) -> None:
    flow = parsing.parse_flow(path.read_text(encoding="utf-8"), _registry(), path=str(path))
    assert flow.id and flow.namespace and flow.tasks

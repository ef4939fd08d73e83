"""``conference-desk verify-certificate NUMBER``: the number printed on a certificate says
whose it is and for which event, in the interface language; an unknown number is one
sentence and exit status 1. Printing again keeps the number."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from desktop.cli import main
from tests.databases import Templates
from tests.exports.pdf_tools import page_texts


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def demo_db(tmp_path: Path, db_templates: Templates) -> str:
    return str(db_templates.copy_sqlite("demo", tmp_path / "demo.sqlite"))


def _numbers(pdf: Path, marker: str) -> list[str]:
    found = []
    for text in page_texts(pdf):
        match = re.search(marker + r"\s*(\d+-\d{4,})", text)
        assert match, text
        found.append(match.group(1))
    return found


def test_a_printed_number_is_verified_and_kept_on_reprint(demo_db: str, tmp_path: Path) -> None:
    first, again = tmp_path / "first.pdf", tmp_path / "again-ru.pdf"
    assert run("--db", demo_db, "export-certificates", "-o", str(first))[0] == 0
    assert run("--db", demo_db, "export-certificates", "--lang", "ru", "-o", str(again))[0] == 0
    numbers = _numbers(first, "No.")
    assert len(numbers) == len(set(numbers)) == 24
    assert sorted(_numbers(again, "№")) == sorted(numbers)  # a reprint, another language: the same numbers

    page = page_texts(first)[0]
    code, out, err = run("--db", demo_db, "verify-certificate", numbers[0])
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"Certificate: {numbers[0]}"
    name = lines[1].removeprefix("Name: ")
    assert name != lines[1] and all(part in page for part in name.split())
    assert lines[2].startswith("Event: “Improving the Effectiveness of the Justice System") and "2025" in lines[2]

    code, out, err = run("--db", demo_db, "--ui-language", "ru", "verify-certificate", f"№ {numbers[0]}")
    assert (code, err) == (0, "")
    assert "Сертификат" in out and "Повышение эффективности" in out and "Certificate" not in out


@pytest.mark.parametrize("lang, words", [("en", "no certificate has the number"), ("kk", "сертификат")])
def test_an_unknown_number_is_one_sentence(demo_db: str, lang: str, words: str) -> None:
    code, out, err = run("--db", demo_db, "--ui-language", lang, "verify-certificate", "999-0001")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and words in err and "999-0001" in err and "Traceback" not in err

"""``conference-desk export-report``: the line it prints, the PDF in the language asked for,
exit statuses (0 done, 1 data error, 2 usage error) with one line on stderr, no file on failure."""

from __future__ import annotations

import io
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


@pytest.mark.parametrize(("lang", "title", "page"), [
    ("en", "PARTICIPATION REPORT", "Page 1 of"),
    ("ru", "ОТЧЁТ ОБ УЧАСТИИ", "Страница 1 из"),
    ("kk", "ҚАТЫСУ ТУРАЛЫ ЕСЕП", "1-беті"),
])
def test_export_report_writes_the_pdf(demo_db: str, tmp_path: Path, lang: str, title: str, page: str) -> None:
    target = tmp_path / "report.pdf"
    code, out, err = run("--db", demo_db, "export-report", "--lang", lang, "-o", str(target))
    assert (code, err) == (0, "")
    texts = page_texts(target)
    assert out.strip() == (f"The participation report of 120 registrations ({len(texts)} pages) "
                           f"was written to {target}")
    assert title in texts[0] and page in texts[0]


def test_export_report_refuses_what_it_cannot_do(demo_db: str, tmp_path: Path) -> None:
    code, out, err = run("--db", demo_db, "export-report", "-o", str(tmp_path / "report.txt"))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    code, out, err = run("--db", demo_db, "export-report", "--event", "999", "-o", str(tmp_path / "r.pdf"))
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1 and "999" in err
    code, out, err = run("--db", demo_db, "export-report", "-o", str(tmp_path / "missing" / "r.pdf"))
    assert code == 1 and "does not exist" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.sqlite"]


def test_export_report_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:  # argparse prints the help and exits
        run("--help")
    assert exited.value.code == 0 and "export-report" in capsys.readouterr().out

"""`mentor export plan.docx` and `plan.pdf`: read back with python-docx and pypdf, as a reader would get them."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from exportkit import (
    EXAMPLES,
    export,
    headings,
    load_yaml,
    parse_html,
    pdf_pages,
)

from bmw_mentor.cli import run
from bmw_mentor.documents.builder import strings
from bmw_mentor.documents.logo import MAX_BYTES
from bmw_mentor.errors import ExitCode

docx = pytest.importorskip("docx")

LOGISTICS = next(p for p in EXAMPLES if p.name.startswith("logistics"))
MANUFACTURING = next(p for p in EXAMPLES if p.name.startswith("manufacturing"))
SOFFICE = shutil.which("soffice")
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100" viewBox="0 0 300 100">'
    b"<script>alert('logo')</script>"
    b'<rect width="300" height="100" rx="12" fill="#ff00ff"/></svg>'
)


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def answers(example: Path) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for step in load_yaml(example / "mentor-project.yaml")["answers"].values():
        flat.update(step)
    return flat


def pair_count(example: Path) -> int:
    """The pairs the cover shows: those saved with `mentor match --save`, else the number planned in step 2."""
    pairs = load_yaml(example / "mentor-project.yaml").get("pairs") or []
    return len(pairs) or int(answers(example)["scope_pairs"])


@pytest.fixture(scope="module")
def nl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Dutch example as HTML, Word and PDF."""
    folder = tmp_path_factory.mktemp("nl")
    out = {}
    for ext in ("html", "docx", "pdf"):
        out[ext] = folder / f"plan.{ext}"
        assert export(LOGISTICS / "mentor-project.yaml", out[ext]) == 0
    return out


def paragraphs_of(path: Path) -> list[Any]:
    return list(docx.Document(str(path)).paragraphs)


# --- Word ---------------------------------------------------------------------------------------


def test_docx_has_word_headings_for_every_document_and_section(nl: dict[str, Path]) -> None:
    html = parse_html(nl["html"].read_text(encoding="utf-8"))
    doc_titles = [t for level, t, _ in headings(html) if level == 2 and t != "Inhoud"]
    section_titles = [t for level, t, el in headings(html) if level == 3]
    paras = paragraphs_of(nl["docx"])
    h1 = [p.text for p in paras if p.style.name == "Heading 1"]
    h2 = [p.text for p in paras if p.style.name == "Heading 2"]
    # the same parts in the same order: (the summary,) the documents, (the appendix or) the open points
    assert h1 == doc_titles
    assert set(section_titles) - set(h2) == set(), "every section of the HTML is a Heading 2 in Word"
    assert "Aannames" in [p.text for p in paras if p.style.name == "Heading 3"]


def test_docx_cover_comes_first_then_contents_field(nl: dict[str, Path]) -> None:
    s = strings()
    paras = paragraphs_of(nl["docx"])
    # the first page: the cover, or the cover with the summary, up to the contents
    contents = next(i for i, p in enumerate(paras) if p.style.name == "TOC Heading")
    cover = words(" ".join(p.text for p in paras[:contents]))
    cells = docx.Document(str(nl["docx"])).tables[0]
    cover += " " + words(" ".join(c.text for row in cells.rows for c in row.cells))
    a = answers(LOGISTICS)
    assert s["title"]["nl"] in cover and a["org_name"] in cover
    assert words(a["goal_statement"]) in cover
    assert "6 september 2027 tot 6 september 2028" in cover and str(pair_count(LOGISTICS)) in cover
    titles = [p.text for p in paras[:contents] if p.style.name == "Title"]
    assert titles == [s["title"]["nl"]]
    body = docx.Document(str(nl["docx"])).element.body
    instructions = " ".join(t.text or "" for t in body.iter("{*}instrText"))
    assert "TOC" in instructions
    toc_entries = [p.text for p in paras if p.style.name in ("TOC 1", "TOC 2")]
    assert "Programmaplan" in toc_entries and "Aannames" not in toc_entries


def test_docx_tables_are_word_tables_in_the_plan_style(nl: dict[str, Path]) -> None:
    document = docx.Document(str(nl["docx"]))
    tables = document.tables
    assert len(tables) >= 15
    styled = [t for t in tables if t.style is not None and t.style.name == "Plan Table"]
    assert len(styled) == len(tables)
    header_rows = [[c.text for c in t.rows[0].cells] for t in tables]
    assert ["Datum", "Mijlpaal", "Verantwoordelijke"] in header_rows
    assert any("Kernboodschap" in row for row in header_rows)


def test_docx_communication_plan_is_a_landscape_section(nl: dict[str, Path]) -> None:
    document = docx.Document(str(nl["docx"]))
    sections = document.sections
    landscape = [s for s in sections if s.page_width > s.page_height]
    assert len(landscape) == 1
    assert sections[0].page_width < sections[0].page_height
    assert sections[-1].page_width < sections[-1].page_height, "after the communication plan, portrait again"
    # the heading of the communication plan sits in the landscape section
    body = list(document.element.body)
    heading = {p._p for p in document.paragraphs if p.style.name == "Heading 1" and p.text == "Communicatieplan"}
    comm = next(i for i, el in enumerate(body) if el in heading)
    breaks = [i for i, el in enumerate(body) if el.find(".//{*}sectPr") is not None]
    section_index = sum(1 for b in breaks if b < comm)
    assert sections[section_index].page_width > sections[section_index].page_height


def test_docx_footer_numbers_the_pages(nl: dict[str, Path]) -> None:
    document = docx.Document(str(nl["docx"]))
    footer = document.sections[0].footer
    xml = footer._element.xml
    assert "PAGE" in xml and "NUMPAGES" in xml and "Transport Claeys" in xml
    assert document.sections[0].different_first_page_header_footer, "no footer on the cover"


def test_docx_forms_have_lines_to_write_on(nl: dict[str, Path]) -> None:
    paras = paragraphs_of(nl["docx"])
    lines = [p for p in paras if p.style.name == "Form Line"]
    assert len(lines) >= 60
    assert all(not p.text for p in lines)


def test_docx_doc_and_folder_targets(tmp_path: Path) -> None:
    project = MANUFACTURING / "mentor-project.yaml"
    assert export(project, tmp_path / "comms.docx", "--doc", "communication") == 0
    document = docx.Document(str(tmp_path / "comms.docx"))
    # one document, and the appendix for the coordinator that every export ends with
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["Communication plan", "For the coordinator"]
    assert any(s.page_width > s.page_height for s in document.sections)
    folder = tmp_path / "plans"
    folder.mkdir()
    assert export(project, f"{folder}/", "--format", "docx") == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "communication.docx",
        "forms.docx",
        "programme.docx",
        "training.docx",
    ]


@pytest.mark.office
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_docx_round_trips_through_libreoffice(nl: dict[str, Path], tmp_path: Path) -> None:
    assert SOFFICE is not None
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(nl["docx"])],
        capture_output=True, timeout=240, check=False,
    )  # fmt: skip
    converted = tmp_path / "plan.pdf"
    assert result.returncode == 0 and converted.exists(), result.stderr.decode(errors="replace")[-1500:]
    pages = pdf_pages(converted.read_bytes())
    assert len(pages) >= 15
    text = words(" ".join(pages))
    for title in ("Programmaplan", "Communicatieplan", "Opleidingsplan", "Formulieren", "Aannames"):
        assert title in text
    assert "Pagina 2 van" in words(pages[1])


# --- PDF ----------------------------------------------------------------------------------------


def footer_line(line: str, org: str) -> bool:
    return line.strip() == org or bool(re.fullmatch(r"(Pagina|Page) \d+ / \d+", line.strip()))


def test_pdf_first_page_holds_goal_period_and_pairs(nl: dict[str, Path]) -> None:
    first = words(pdf_pages(nl["pdf"].read_bytes())[0])
    a = answers(LOGISTICS)
    assert words(a["goal_statement"]) in first
    assert "6 september 2027 tot 6 september 2028" in first
    assert str(pair_count(LOGISTICS)) in re.findall(r"\d+", first)


def test_pdf_contents_give_the_page_of_each_document(nl: dict[str, Path]) -> None:
    pages = pdf_pages(nl["pdf"].read_bytes())
    contents = next(i for i, p in enumerate(pages) if "INHOUD" in p.upper())
    for title in ("Programmaplan", "Communicatieplan", "Opleidingsplan", "Formulieren"):
        m = re.search(rf"^(?:\d\. )?{title}[ .]*?(\d+)\s*$", pages[contents], re.MULTILINE)
        assert m, f"{title} has no page number in the contents"
        page = int(m.group(1))
        lines = [ln.strip() for ln in pages[page - 1].splitlines()]
        assert title in lines, f"the contents send {title} to page {page}, which does not start it"


def test_pdf_no_heading_ends_a_page(nl: dict[str, Path]) -> None:
    html = parse_html(nl["html"].read_text(encoding="utf-8"))
    titles = {words(t) for _, t, _ in headings(html)}
    org = answers(LOGISTICS)["org_name"]
    pages = pdf_pages(nl["pdf"].read_bytes())
    assert len(pages) > 10
    for number, page in enumerate(pages[:-1], start=1):
        lines = [ln for ln in page.splitlines() if ln.strip() and not footer_line(ln, org)]
        assert lines, f"page {number} is empty"
        last = words(lines[-1])
        assert last not in titles, f"page {number} ends with the heading {last!r}"


def test_pdf_communication_plan_is_landscape_and_no_browser_headers(nl: dict[str, Path]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(nl["pdf"].read_bytes()))
    wide = [i for i, p in enumerate(reader.pages) if p.mediabox.width > p.mediabox.height]
    assert wide, "no landscape page"
    assert "Communicatieplan" in reader.pages[wide[0]].extract_text()
    texts = [p.extract_text() for p in reader.pages]
    assert not any("file:" in t or ".html" in t for t in texts)
    org = answers(LOGISTICS)["org_name"]
    assert all(f"Pagina {i} / {len(texts)}" in t for i, t in enumerate(texts[1:], start=2))
    assert org in texts[3]
    assert reader.metadata is not None and reader.metadata.title.endswith(org)


def test_pdf_without_pango_says_how_to_install_it_and_other_formats_still_work(tmp_path: Path) -> None:
    code = """
import builtins, sys
real = builtins.__import__
def fake(name, *args, **kwargs):
    if name == "weasyprint":
        raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
    return real(name, *args, **kwargs)
builtins.__import__ = fake
from bmw_mentor.cli import run
codes = [run(["export", str(sys.argv[1]) + "/plan." + ext, "-p", sys.argv[2]]) for ext in ("pdf", "html", "md", "docx")]
print(codes)
"""
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path), str(MANUFACTURING / "mentor-project.yaml")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == f"[{int(ExitCode.IO_ERROR)}, 0, 0, 0]", result.stderr
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and "Pango" in errors[0] and "apt-get install libpango" in errors[0]
    assert not (tmp_path / "plan.pdf").exists()
    assert (tmp_path / "plan.docx").exists() and (tmp_path / "plan.html").exists()


def test_html_export_imports_neither_weasyprint_nor_python_docx(tmp_path: Path) -> None:
    code = (
        "import sys; from bmw_mentor.cli import run; "
        f"assert run(['export', {str(tmp_path / 'p.html')!r}, '-p', {str(MANUFACTURING / 'mentor-project.yaml')!r}]) == 0; "
        "print(sorted(m for m in ('weasyprint', 'docx', 'cairosvg') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr


# --- the logo -----------------------------------------------------------------------------------


def test_svg_logo_with_a_script_is_only_ever_an_image(tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_bytes(SVG_WITH_SCRIPT)
    project = MANUFACTURING / "mentor-project.yaml"
    for ext in ("html", "docx", "pdf"):
        assert export(project, tmp_path / f"plan.{ext}", "--logo", str(logo)) == 0
    page = (tmp_path / "plan.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<svg" not in page
    root = parse_html(page)
    images = [el for el in root.iter("img") if "logo" in (el.get("class") or "")]
    assert len(images) == 1
    src = images[0].get("src") or ""
    assert src.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(src.split(",", 1)[1]) == SVG_WITH_SCRIPT
    with zipfile.ZipFile(tmp_path / "plan.docx") as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 1 and media[0].endswith(".png")
        assert not any(b"<script" in z.read(n) for n in z.namelist())
    pdf = (tmp_path / "plan.pdf").read_bytes()
    assert b"/JavaScript" not in pdf and b"/JS " not in pdf
    # the logo is drawn on the cover: its magenta fill is among the first page's drawing operations
    from pypdf import PdfReader

    cover = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert cover is not None and re.search(rb"(?m)^1 0 1 (rg|sc|scn)\b", cover.get_data())


def test_png_logo_on_the_word_cover(tmp_path: Path) -> None:
    png = _tiny_png()
    logo = tmp_path / "logo.png"
    logo.write_bytes(png)
    assert export(MANUFACTURING / "mentor-project.yaml", tmp_path / "plan.docx", "--logo", str(logo)) == 0
    document = docx.Document(str(tmp_path / "plan.docx"))
    first = document.paragraphs[0]
    assert first._p.xpath(".//pic:pic"), "the logo is the first thing on the cover"
    with zipfile.ZipFile(tmp_path / "plan.docx") as z:
        assert any(z.read(n) == png for n in z.namelist() if n.startswith("word/media/"))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"just some text", "not a PNG, JPEG or SVG"),
        (b"<html><body>no svg</body></html>", "not a PNG, JPEG or SVG"),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
         "not a PNG, JPEG or SVG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (MAX_BYTES + 1), "larger than"),
    ],
    ids=["text", "html", "entities", "too-big"],
)
def test_a_bad_logo_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(content)
    target = tmp_path / "plan.html"
    code = run(["export", str(target), "-p", str(MANUFACTURING / "mentor-project.yaml"), "--logo", str(logo)])
    assert code == ExitCode.USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0] and "Traceback" not in err[0]
    assert not target.exists()


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\x1d\x6a\x73" * 30 for _ in range(10))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 30, 10, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


COMMAND = re.compile(r"\bmentor (step|check|match|export|status|continue|init)\b|TO DECIDE|TE BESLISSEN.*mentor step")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_no_command_before_the_coordinator_appendix_in_word_or_pdf(example: Path, tmp_path: Path) -> None:
    titles = strings().get("app_title")
    if titles is None:
        pytest.skip("this version has no appendix for the coordinator yet")
    lang = load_yaml(example / "mentor-project.yaml")["language"]
    appendix = titles[lang]
    assert export(example / "mentor-project.yaml", tmp_path / "plan.docx") == 0
    document = docx.Document(str(tmp_path / "plan.docx"))
    body = list(document.element.body)
    start = next(
        i for i, p in enumerate(body)
        if p.tag.endswith("}p") and p.xpath("string(.)") == appendix and "Heading1" in p.xml
    )  # fmt: skip
    before = " ".join(el.xpath("string(.)") for el in body[:start])
    assert not COMMAND.search(before), COMMAND.search(before)
    assert export(example / "mentor-project.yaml", tmp_path / "plan.pdf") == 0
    pages = pdf_pages((tmp_path / "plan.pdf").read_bytes())
    first = next(i for i, page in enumerate(pages) if i > 2 and appendix in page.splitlines()[:3])
    text = " ".join(pages[:first])
    assert not COMMAND.search(text), COMMAND.search(text)

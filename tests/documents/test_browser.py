"""The HTML plans in a real browser: a screenshot that is not blank, and an A4 PDF of sensible length."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from exportkit import EXAMPLES, export, png_pixels

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
A4 = (595, 842)  # points

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium (/usr/bin/chromium) is not installed"),
]


def chromium(tmp_path: Path, *args: str) -> None:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    result = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.name)
def exported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp(request.param.name)
    target = folder / "plan.html"
    assert export(request.param / "mentor-project.yaml", target) == 0
    return target


def test_screenshot_is_not_blank(exported: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    chromium(tmp_path, "--window-size=1280,1600", f"--screenshot={shot}", exported.as_uri())
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 1600)
    pixels = [row[i : i + 3] for row in rows[::4] for i in range(0, len(row), 12)]
    ink = sum(1 for p in pixels if min(p) < 200) / len(pixels)
    colours = {p for p in pixels}
    assert ink > 0.02, f"only {ink:.1%} of the screenshot has ink"
    assert len(colours) > 20


def test_prints_to_sensible_a4_pdf(exported: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    pdf = tmp_path / "plan.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", exported.as_uri())
    reader = PdfReader(pdf)
    pages = len(reader.pages)
    assert 12 <= pages <= 40, f"{pages} pages"
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    assert sizes[0] == A4
    assert set(sizes) <= {A4, A4[::-1]}
    texts = [p.extract_text() or "" for p in reader.pages]
    assert all(t.strip() for t in texts), "a blank page"
    # each document starts on a page of its own; the communication plan's wide table is printed landscape
    lang_titles = [("Programme plan", "Programmaplan"), ("Communication plan", "Communicatieplan"), ("Training plan", "Opleidingsplan"), ("Forms", "Formulieren")]
    starts = []
    for en, nl in lang_titles:
        found = [i for i, t in enumerate(texts) if i > 0 and any(t.lstrip().split("\n")[1:2] == [w] or f"\n{w}\n" in t[:200] for w in (en, nl))]
        assert found, f"no page starts with {en}"
        starts.append(found[0])
    assert starts == sorted(starts)
    assert sizes[starts[1]] == A4[::-1]
    assert sizes[starts[2]] == A4


def _pages(exported: Path, tmp_path: Path) -> list[str]:
    from pypdf import PdfReader

    pdf = tmp_path / "plan.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", exported.as_uri())
    return [p.extract_text() or "" for p in PdfReader(pdf).pages]


def _flat(text: str) -> str:
    """Text as compared across HTML and PDF: ligatures and no-break spaces unfolded, case and line breaks ignored."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def test_the_summary_is_the_first_printed_page(exported: Path, tmp_path: Path) -> None:
    from exportkit import parse_html, text_of

    root = parse_html(exported.read_text(encoding="utf-8"))
    summary = root.find(".//section[@id='summary']")
    goal = text_of(summary.find(".//div[@class='goal']/p"))
    facts = {text_of(d.find("dt")): text_of(d.find("dd")) for d in summary.find(".//dl[@class='sum-facts']")}
    texts = _pages(exported, tmp_path)
    first = _flat(texts[0])
    # the goal, the period and the number of pairs are on page 1, and so is the rest of the summary
    assert _flat(goal[:60]) in first
    period = next(v for k, v in facts.items() if k in ("Period", "Periode"))
    pairs = next(v for k, v in facts.items() if k in ("Number of pairs", "Aantal koppels"))
    assert _flat(period) in first and _flat(pairs) in first
    assert _flat(text_of(summary.findall(".//h3")[-1])) in first
    for li in summary.iter("li"):
        shown = li.find("strong") if li.find("strong") is not None else li
        assert _flat(text_of(shown)[:40]) in first, text_of(li)
    # the contents start on page 2: the summary is one page on its own
    page2 = [ln.strip() for ln in texts[1].splitlines() if ln.strip() and not re.search(r"\d+ / \d+", ln)]
    assert page2[0].casefold() in ("contents", "inhoud"), page2[:2]


def test_a_heading_is_never_the_last_line_of_a_printed_page(exported: Path, tmp_path: Path) -> None:
    from exportkit import headings, parse_html

    root = parse_html(exported.read_text(encoding="utf-8"))
    titles = {t for level, t, _ in headings(root) if level >= 2 and len(t) > 3}
    texts = _pages(exported, tmp_path)
    for number, text in enumerate(texts[:-1], start=1):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        # the page footer (organisation, "n / m") is not content
        while lines and re.search(r"\d+ / \d+$", lines[-1]):
            lines.pop()
        assert lines, f"page {number} is empty"
        last = lines[-1]
        assert not any(t == last or (len(last) > 12 and t.endswith(last)) for t in titles), f"page {number} ends with the heading {last!r}"

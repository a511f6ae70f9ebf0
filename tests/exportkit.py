"""Helpers for the export tests: example projects, exporting through the CLI, reading the HTML back."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib

from bmw_mentor.cli import run
from bmw_mentor.files import yamlio

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.parent for p in (REPO / "examples").glob("*/mentor-project.yaml"))
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def export(project: Path, target: Path | str, *args: str) -> int:
    return run(["export", str(target), "--project", str(project), *args])


def docx_parts(data: bytes) -> dict[str, bytes]:
    """The parts of a .docx (a zip) by name: what Word reads, whatever the zip's compression."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF, as pypdf extracts it."""
    import io

    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def parse_html(text: str) -> Element:
    """Parse like a browser does (html5lib), without XHTML namespaces in tag names."""
    return html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False)


def text_of(el: Element) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def headings(root: Element) -> list[tuple[int, str, Element]]:
    return [(int(el.tag[1]), text_of(el), el) for el in root.iter() if el.tag in HEADINGS]


def ids(root: Element) -> list[str]:
    return [el.get("id", "") for el in root.iter() if el.get("id")]


def load_yaml(path: Path) -> Any:
    return yamlio.load_file(path)


def write_project(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yamlio.dumps(data), encoding="utf-8")
    return path


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG into (width, height, rows of raw pixel bytes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    height = colour = depth = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert depth == 8 and colour in (2, 6), f"unexpected PNG format (depth {depth}, colour type {colour})"
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    i = 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        rows.append(bytes(line) if bpp == 3 else bytes(v for j, v in enumerate(line) if j % 4 != 3))
        prev = line
    return width, height, rows


"""``--logo FILE``: the organisation's logo for the cover, checked once and handed to every writer.

A logo is untrusted input. PNG and JPEG are recognised by their signature and
their size read from the header; an SVG must parse as an ``<svg>`` document and
is only ever used as an image (a ``data:`` URI in ``<img>``, where scripts never
run, or rasterised for Word), never pasted into a page.
"""

from __future__ import annotations

import base64
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from bmw_mentor.errors import UsageError

MAX_BYTES = 4 * 1024 * 1024
_SVG_NS = "{http://www.w3.org/2000/svg}svg"


@dataclass(frozen=True)
class Logo:
    """A checked image: its bytes, MIME type and natural size in pixels (0 when an SVG does not say)."""

    data: bytes
    mime: str
    width: int
    height: int

    @property
    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"

    @property
    def svg(self) -> bool:
        return self.mime == "image/svg+xml"

    @property
    def ratio(self) -> float:
        """Height over width, for sizing (a square when unknown)."""
        return self.height / self.width if self.width and self.height else 1.0


def load(path: Path, lang: str) -> Logo:
    """Read and check the logo at ``path``; a problem becomes one clear :class:`UsageError`."""
    from bmw_mentor.messages import msg

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UsageError(msg("logo_too_big", lang, path=path, mb=MAX_BYTES // (1024 * 1024)))
        data = path.read_bytes()
    except UsageError:
        raise
    except IsADirectoryError:
        raise UsageError(msg("logo_unreadable", lang, path=path, reason=msg("logo_is_folder", lang))) from None
    except OSError as exc:
        raise UsageError(msg("logo_unreadable", lang, path=path, reason=exc.strerror or exc)) from None
    logo = sniff(data)
    if logo is None:
        raise UsageError(msg("logo_invalid", lang, path=path))
    return logo


def sniff(data: bytes) -> Logo | None:
    """The image in ``data`` if it is a well-formed PNG, JPEG or SVG header, else None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 33 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return Logo(data, "image/png", width, height) if width and height else None
    if data[:3] == b"\xff\xd8\xff":
        size = _jpeg_size(data)
        return Logo(data, "image/jpeg", *size) if size else None
    return _svg(data)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the first start-of-frame marker."""
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return (width, height) if width and height else None
        pos += 2 + length
    return None


def _svg(data: bytes) -> Logo | None:
    import xml.etree.ElementTree as ET

    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith((b"<?xml", b"<svg", b"<!--")):
        return None
    if b"<!doctype" in data.lower() or b"<!entity" in data.lower():
        # no entities: a document type is where entity expansion attacks live
        return None
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return None
    if root.tag != _SVG_NS:
        return None
    width, height = _svg_length(root.get("width")), _svg_length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (not width or not height) and len(box) == 4:
        try:
            width, height = round(float(box[2])), round(float(box[3]))
        except ValueError:
            pass
    return Logo(data, "image/svg+xml", max(width, 0), max(height, 0))


def _svg_length(value: str | None) -> int:
    m = re.fullmatch(r"\s*([0-9.]+)\s*(px)?\s*", value or "")
    try:
        return round(float(m.group(1))) if m else 0
    except ValueError:
        return 0

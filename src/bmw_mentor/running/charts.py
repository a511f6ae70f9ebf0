"""Charts of the answers as SVG, drawn by matplotlib (imported here only, with its SVG backend).

The SVG is made reproducible (fixed hash salt, no date) so that a committed
report does not change on every export, and its ids get a prefix per chart so
that several charts can sit inline in one HTML page.
"""

from __future__ import annotations

import io
import re
from typing import Any

# colour-blind-safe and dark enough for white labels (Okabe–Ito, darkened)
COLOURS = ("#1d6a73", "#b35c00", "#3d5a99", "#8a3b70", "#5b6b1f")
INK = "#1d2430"


def _draw(points: list[str], by_group: dict[str, list[int]]) -> Any:
    """Horizontal bars: one per answer point, stacked by group, with the count at the end of each bar."""
    import matplotlib

    matplotlib.use("svg", force=True)
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update(
        {"svg.hashsalt": "bmw-mentor", "svg.fonttype": "none", "font.size": 9, "font.family": "DejaVu Sans"}
    )
    height = 0.4 * len(points) + (1.1 if len(by_group) > 1 else 0.8)
    fig, ax = plt.subplots(figsize=(6.4, height))
    left = [0] * len(points)
    rows = list(range(len(points)))[::-1]  # the first point on top
    for k, (group, counts) in enumerate(by_group.items()):
        ax.barh(rows, counts, left=left, color=COLOURS[k % len(COLOURS)], label=group, height=0.62)
        left = [a + b for a, b in zip(left, counts)]
    for row, total in zip(rows, left):
        ax.text(total + 0.08, row, str(total), va="center", color=INK)
    ax.set_yticks(rows, labels=points)
    ax.set_xlim(0, max([*left, 1]) * 1.15 + 0.5)
    ax.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0, colors=INK)
    if len(by_group) > 1:
        # above the bars, so that it never covers a count at the end of a long bar
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1), ncol=len(by_group), frameon=False, fontsize=8)
    fig.tight_layout(pad=0.4)
    return fig


def bar_svg(points: list[str], by_group: dict[str, list[int]], title: str, chart_id: str) -> str:
    """The chart as an inline <svg> element for the HTML report (and the PDF made from it)."""
    import matplotlib.pyplot as plt

    fig = _draw(points, by_group)
    try:
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    finally:
        plt.close(fig)
    return _inline(buffer.getvalue(), title, chart_id)


def bar_png(points: list[str], by_group: dict[str, list[int]]) -> bytes:
    """The same chart as a PNG picture, for the Word report."""
    import matplotlib.pyplot as plt

    fig = _draw(points, by_group)
    try:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=200, metadata={"Software": None})
    finally:
        plt.close(fig)
    return buffer.getvalue()


def _inline(svg: str, title: str, chart_id: str) -> str:
    """The <svg> element alone, with ids unique to this chart and a text alternative for screen readers."""
    from markupsafe import escape

    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'id="([^"]+)"', rf'id="{chart_id}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{chart_id}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{chart_id}-\1"', svg)
    # its own style sheet would apply to the whole page; its fixed size would not shrink on a phone
    svg = re.sub(r"<metadata>.*?</metadata>\s*|<style[^>]*>.*?</style>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r'^<svg ([^>]*?)width="[^"]*" height="[^"]*" ', r"<svg \1", svg)
    return svg.replace("<svg ", f'<svg class="chart" role="img" aria-label="{escape(title)}" ', 1)

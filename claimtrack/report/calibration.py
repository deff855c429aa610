"""The report's calibration figure: for each confidence level, the share of its claims later corrected, hedged,
retracted or strengthened (one stacked bar per level), and the same as a table with the median days until then.
The figures come from :func:`claimtrack.changelog.calibration.calibration`.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from ..changelog.calibration import Calibration
from ..views import plural
from .charts import KIND_COLORS

__all__ = ["calibration_chart", "calibration_table"]

_PARTS = (
    ("corrected", "correction"),
    ("hedged", "hedge"),
    ("retracted", "retraction"),
    ("strengthened", "strengthen"),
)
_FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"'


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def calibration_chart(rows: Sequence[Calibration], ident: str = "chart-calibration") -> Markup:
    """One bar per level, 0 to 100% of the claims that held it, stacked by what happened to them."""
    width, left, right, top, row_h = 720, 120, 60, 12, 34
    height = top + row_h * max(len(rows), 1) + 44
    body: list[str] = []
    plot_w = width - left - right
    for tick in (0, 25, 50, 75, 100):
        x = left + plot_w * tick / 100
        body.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - 40}" stroke="#eef0f2"/>')
        body.append(f'<text x="{x:.1f}" y="{height - 28}" text-anchor="middle" fill="#5d6d7e">{tick}%</text>')
    for index, row in enumerate(rows):
        y = top + row_h * index + 6
        body.append(f'<text x="{left - 10}" y="{y + 15}" text-anchor="end" fill="#2c3e50">{escape(row.confidence)}</text>')
        x = float(left)
        for column, kind in _PARTS:
            count = getattr(row, column)
            if not count:
                continue
            w = plot_w * count / row.claims
            tip = f"{row.confidence}: {count} of {plural(row.claims, 'claim')} {column} ({_percent(count, row.claims)})"
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="22" fill="{KIND_COLORS[kind]}">'
                f"<title>{escape(tip)}</title></rect>"
            )
            x += w
        body.append(
            f'<text x="{x + 6:.1f}" y="{y + 15}" fill="#2c3e50">{_percent(row.changed, row.claims)} of {row.claims}</text>'
        )
    x = left
    for column, kind in _PARTS:
        body.append(f'<rect x="{x}" y="{height - 19}" width="10" height="10" fill="{KIND_COLORS[kind]}"/>')
        body.append(f'<text x="{x + 14}" y="{height - 10}" fill="#2c3e50">{column}</text>')
        x += 30 + 7 * len(column)
    desc = "; ".join(
        f"{row.confidence}: {row.changed} of {plural(row.claims, 'claim')} changed"
        + "".join(f", {getattr(row, c)} {c}" for c, _ in _PARTS if getattr(row, c))
        for row in rows
    )
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" {_FONT} font-size="11">'
        f'<title id="{ident}-title">What became of each confidence level\'s claims</title>'
        f'<desc id="{ident}-desc">{escape(desc or "No claims yet.")}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def calibration_table(rows: Sequence[Calibration]) -> Markup:
    """The same figures as a table: claims per level, each outcome's count and share, the median days until it."""
    head = "".join(f'<th scope="col">{name}</th>' for name in ("Confidence", "Claims", *[c for c, _ in _PARTS]))
    out = [
        '<table class="calibration"><thead><tr>'
        f'{head}<th scope="col">Changed</th><th scope="col">Median days until</th></tr></thead><tbody>'
    ]
    for row in rows:
        cells = "".join(
            f"<td>{getattr(row, c)} <span class=muted>({_percent(getattr(row, c), row.claims)})</span></td>" for c, _ in _PARTS
        )
        days = "–" if row.median_days is None else f"{row.median_days:g}"
        out.append(
            f'<tr><th scope="row">{escape(row.confidence)}</th><td>{row.claims}</td>{cells}'
            f"<td>{row.changed} <span class=muted>({_percent(row.changed, row.claims)})</span></td><td>{days}</td></tr>"
        )
    out.append("</tbody></table>")
    return Markup("".join(out))

"""Inline SVG charts for the HTML report, every text escaped, every mark with a ``<title>``.

* :func:`revisions_chart`: revisions over time, stacked by kind (by month, or
  by year over long spans);
* :func:`support_chart`: supporting sources per claim against each confidence
  level's expected minimum; claims below it are drawn in red.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from ..views import plural

__all__ = ["revisions_chart", "support_chart", "KIND_COLORS"]

KIND_COLORS = {
    "created": "#9aa5b1",
    "correction": "#c0392b",
    "clarification": "#2e86c1",
    "update": "#16a085",
    "hedge": "#d68910",
    "strengthen": "#1e8449",
    "confidence": "#8e44ad",
    "evidence": "#2874a6",
    "editorial": "#bdc3c7",
    "retraction": "#641e16",
    "supersession": "#6e2c00",
    "review": "#5d6d7e",
}
_FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"'


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" {_FONT} font-size="11">'
        f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _nice_max(value: int) -> int:
    if value <= 5:
        return max(value, 1)
    magnitude = 10 ** int(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return value


def _legend_rows(kinds: Sequence[str], left: int, right: int) -> list[list[tuple[int, str]]]:
    """The legend's entries placed in rows that fit between ``left`` and ``right`` (a word is about 7 px a letter)."""
    rows: list[list[tuple[int, str]]] = [[]]
    x = left
    for kind in kinds:
        need = 22 + 7 * len(kind)
        if rows[-1] and x + need > right:
            rows.append([])
            x = left
        rows[-1].append((x, kind))
        x += need
    return rows


def revisions_chart(
    revisions: Iterable[tuple[str, str]] | Mapping[tuple[str, str], int], ident: str = "chart-revisions"
) -> Markup:
    """``revisions`` as (ISO date, kind) pairs, or how many there are of each -> a stacked bar chart over time."""
    if not isinstance(revisions, Mapping):
        revisions = Counter(revisions)
    width, height, left, right, top, bottom = 720, 270, 44, 12, 14, 78
    if not revisions:
        return _svg(
            width, 60, "Revisions over time", "No revisions yet.", ['<text x="10" y="30">No revisions yet.</text>'], ident
        )
    months = sorted({d[:7] for d, _ in revisions})
    first, last = months[0], months[-1]
    span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
    by_year = span > 48
    if by_year:
        buckets = [f"{y:04d}" for y in range(int(first[:4]), int(last[:4]) + 1)]  # as the ISO dates write them
        key = lambda d: d[:4]  # noqa: E731
    else:
        buckets = []
        year, month = int(first[:4]), int(first[5:7])
        for _ in range(span):
            buckets.append(f"{year:04d}-{month:02d}")
            month += 1
            if month > 12:
                year, month = year + 1, 1
        key = lambda d: d[:7]  # noqa: E731
    counts: dict[str, Counter[str]] = {b: Counter() for b in buckets}
    for (date, kind), number in revisions.items():
        counts[key(date)][kind] += number
    kinds = [k for k in KIND_COLORS if any(c[k] for c in counts.values())]
    kinds += sorted({k for c in counts.values() for k in c} - set(kinds))
    top_value = _nice_max(max(sum(c.values()) for c in counts.values()))
    ticks = 4 if top_value % 4 == 0 else 5 if top_value % 5 == 0 else min(top_value, 4)
    top_value = max(ticks * math.ceil(top_value / ticks), 1)  # whole counts at every tick
    legend = _legend_rows(kinds, left, width - right)
    height += 16 * (len(legend) - 1)
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / len(buckets)
    bar = max(min(slot * 0.7, 48), 1.5)
    body = []
    for i in range(ticks + 1):
        y = top + plot_h - plot_h * i / ticks
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e8eb"/>')
        label = str(top_value * i // ticks)
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#5d6d7e">{label}</text>')
    label_every = max(1, math.ceil(len(buckets) / 14))
    for index, bucket in enumerate(buckets):
        x = left + slot * index + (slot - bar) / 2
        y = top + plot_h
        for kind in kinds:
            n = counts[bucket][kind]
            if not n:
                continue
            h = plot_h * n / top_value
            y -= h
            tip = f"{bucket}: {n} {kind} revision{'s' if n != 1 else ''}"
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{KIND_COLORS.get(kind, "#7f8c8d")}">'
                f"<title>{escape(tip)}</title></rect>"
            )
        if index % label_every == 0:
            cx = left + slot * index + slot / 2
            body.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 14}" text-anchor="end" transform="rotate(-40 {cx:.1f} {top + plot_h + 14})" '
                f'fill="#5d6d7e">{escape(bucket)}</text>'
            )
    for line, row in enumerate(legend):
        legend_y = height - 14 - 16 * (len(legend) - 1 - line)
        for x, kind in row:
            body.append(f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{KIND_COLORS.get(kind, "#7f8c8d")}"/>')
            body.append(f'<text x="{x + 14}" y="{legend_y}" fill="#2c3e50">{escape(kind)}</text>')
    total = len(revisions)
    desc = (
        f"{plural(total, 'revision')} from {first} to {last}, per {'year' if by_year else 'month'}, stacked by kind: "
        + ", ".join(f"{k} {sum(c[k] for c in counts.values())}" for k in kinds)
    )
    return _svg(width, height, "Revisions over time, by kind", desc, body, ident)


def support_chart(claims: Sequence[Any], levels: Sequence[dict[str, Any]], ident: str = "chart-support") -> Markup:
    """Claims per (confidence level, supporting sources), against the level's minimum."""
    cap = 10
    rows = [lv for lv in levels if lv["count"]] or list(levels)
    width, left, right, top, row_h = 720, 120, 20, 30, 46
    height = top + row_h * max(len(rows), 1) + 40
    if not claims:
        return _svg(
            width, 60, "Supporting sources per claim", "No claims yet.", ['<text x="10" y="30">No claims yet.</text>'], ident
        )
    counts: Counter[tuple[str, int]] = Counter((c.confidence, min(c.supporting, cap)) for c in claims)
    biggest = max(counts.values())
    plot_w = width - left - right
    step = plot_w / (cap + 1)
    body = [
        f'<text x="{left}" y="16" fill="#5d6d7e">supporting sources per claim (circle area: number of claims; dashed: minimum expected)</text>'
    ]
    for n in range(cap + 1):
        x = left + step * n + step / 2
        body.append(
            f'<text x="{x:.1f}" y="{height - 18}" text-anchor="middle" fill="#5d6d7e">{n}{"+" if n == cap else ""}</text>'
        )
    for index, level in enumerate(rows):
        y = top + row_h * index + row_h / 2
        name = level["level"]
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eef0f2"/>')
        body.append(f'<text x="{left - 10}" y="{y + 4:.1f}" text-anchor="end" fill="#2c3e50">{escape(name)}</text>')
        minimum = level.get("min_support")
        if minimum is not None:
            mx = left + step * min(minimum, cap)
            body.append(
                f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{y - row_h / 2 + 4:.1f}" y2="{y + row_h / 2 - 4:.1f}" stroke="#2c3e50" stroke-dasharray="3 3">'
                f"<title>{escape(f'{name}: at least {minimum} supporting source' + ('s' if minimum != 1 else '') + ' expected')}</title></line>"
            )
        for n in range(cap + 1):
            count = counts.get((name, n), 0)
            if not count:
                continue
            r = 3 + 15 * math.sqrt(count / biggest)
            below = minimum is not None and n < minimum
            x = left + step * n + step / 2
            tip = f"{name}: {count} claim{'s' if count != 1 else ''} with {n}{' or more' if n == cap else ''} supporting source{'s' if n != 1 else ''}"
            if below:
                tip += f" (below the minimum of {minimum})"
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{"#c0392b" if below else "#2e86c1"}" fill-opacity="0.75">'
                f"<title>{escape(tip)}</title></circle>"
            )
    below_total = sum(1 for c in claims if c.min_support is not None and c.supporting < c.min_support)
    desc = f"{plural(len(claims), 'claim')} by confidence level and number of supporting sources; {below_total} below their level's minimum."
    return _svg(width, height, "Supporting sources per claim against the minimum its confidence level expects", desc, body, ident)

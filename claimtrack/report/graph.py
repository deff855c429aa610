"""The argument as a picture: claims and what they rest on (``depends_on`` and evidence drawn from other claims).

The layout is computed here and drawn as inline SVG, so the report needs no graph program and works from
``file://``. Claims are put in columns by how deep they rest: a claim resting on nothing in the library is in the
first column, a claim resting on it in the next, and so on; within a column, claims sit near what they rest on.
Colour is the confidence level; a retracted claim has a red ring and is struck through, a superseded one a dashed
ring, a claim with audit findings an orange dot. Each claim links to its section; the report's script highlights,
for a chosen claim, what it rests on and everything that rests on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

__all__ = ["layout", "graph_svg", "DRAW_LIMIT"]

#: Most claims drawn at once; a larger argument is not drawn whole.
DRAW_LIMIT = 400
_COLORS = ("#2e7d32", "#1e56a0", "#c77c02", "#7f8c8d")  # by confidence rank, strongest first; then any other
_COLUMN_W, _ROW_H, _LABEL = 210, 26, 24


def layout(edges: Mapping[str, Sequence[str]]) -> dict[str, tuple[int, int]]:
    """Each claim that rests on or supports another: its (column, row). ``edges`` maps a claim to what it rests on."""
    linked = {cid for cid, deps in edges.items() if deps} | {d for deps in edges.values() for d in deps}
    rests = {n: sorted({d for d in edges.get(n, ()) if d in linked and d != n}) for n in linked}
    waiting = {n: len(deps) for n, deps in rests.items()}
    carries: dict[str, list[str]] = {}
    for n, deps in rests.items():
        for d in deps:
            carries.setdefault(d, []).append(n)
    depth: dict[str, int] = {}
    ready = sorted(n for n, count in waiting.items() if not count)
    while True:
        while ready:
            node = ready.pop()
            depth[node] = 1 + max((depth[d] for d in rests[node] if d in depth), default=-1)
            for up in carries.get(node, ()):
                waiting[up] -= 1
                if not waiting[up]:
                    ready.append(up)
        left = sorted(n for n in linked if n not in depth)
        if not left:
            break
        ready = [left[0]]  # a circle of claims resting on each other: break it at its first id
        waiting[left[0]] = 0
    columns: dict[int, list[str]] = {}
    for node in sorted(linked):
        columns.setdefault(depth[node], []).append(node)
    place: dict[str, tuple[int, int]] = {}
    for column in sorted(columns):

        def centre(node: str) -> float:
            rows = [place[d][1] for d in edges.get(node, ()) if d in place]
            return sum(rows) / len(rows) if rows else float("inf")

        for row, node in enumerate(sorted(columns[column], key=lambda n: (centre(n), n))):
            place[node] = (column, row)
    return place


def graph_svg(
    edges: Mapping[str, Sequence[str]],
    rank: Mapping[str, int],
    status: Mapping[str, str],
    flagged: set[str],
) -> Markup:
    """The picture, or a sentence when there is nothing to draw or too much."""
    place = layout(edges)
    if not place:
        return Markup('<p class="muted">No claim rests on another yet: there is no argument to draw.</p>')
    if len(place) > DRAW_LIMIT:
        return Markup(
            f'<p class="muted">{len(place)} claims rest on one another, too many to draw at once; '
            "each claim's section lists what it rests on and what rests on it.</p>"
        )
    height = 20 + _ROW_H * (1 + max(row for _, row in place.values()))
    width = 20 + _COLUMN_W * (1 + max(column for column, _ in place.values()))

    def point(node: str) -> tuple[float, float]:
        column, row = place[node]
        return 16 + column * _COLUMN_W, 20 + row * _ROW_H

    body = []
    for node in sorted(place):
        x2, y2 = point(node)
        for dep in edges.get(node, ()):
            if dep in place:
                x1, y1 = point(dep)
                body.append(
                    f'<path class="edge" data-from="{escape(dep)}" data-to="{escape(node)}" '
                    f'd="M{x1 + 7:.0f},{y1:.0f} C{x1 + 90:.0f},{y1:.0f} {x2 - 90:.0f},{y2:.0f} {x2 - 7:.0f},{y2:.0f}"/>'
                )
    for node in sorted(place):
        x, y = point(node)
        state = status.get(node, "active")
        colour = _COLORS[min(rank.get(node, 3), 3)]
        label = node if len(node) <= _LABEL else node[: _LABEL - 1] + "…"
        marks = (
            f'<circle cx="{x + 6}" cy="{y - 6}" r="3" fill="#e67e22"><title>{escape(node)} has audit findings</title></circle>'
            if node in flagged
            else ""
        )
        rests = ", ".join(d for d in edges.get(node, ()) if d in place)
        tip = f"{node} ({state})" + (f"; rests on {rests}" if rests else "")
        body.append(
            f'<a href="#claim-{escape(node)}" class="node {escape(state)}" data-id="{escape(node)}">'
            f'<circle cx="{x}" cy="{y}" r="6" fill="{colour}"><title>{escape(tip)}</title></circle>{marks}'
            f'<text x="{x + 11}" y="{y + 4}">{escape(label)}</text></a>'
        )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="argument" id="argument-graph" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        'font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="11">'
        f"<title>Which claims rest on which ({len(place)} claims)</title>" + "".join(body) + "</svg>"
    )

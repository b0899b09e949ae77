"""Bar charts drawn by the server as SVG: the layout of labelled horizontal bars for a
template (`_macros/charts.html`), which prints the same rows as a table beside the chart.
No script and nothing from a third party; every bar carries its label and value as text, so
the chart never speaks through colour alone."""

from dataclasses import dataclass

WIDTH = 640  # SVG user units
ROW = 48  # height of one labelled bar
BAR = 18
LONGEST = 480  # the longest bar; the rest of the width holds its value


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no figure (shown as a dash, drawn as no bar)
    label_y: int
    y: int
    width: float
    value_x: float


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    peak: float


def bars(rows: list[tuple[str, float | None]], peak: float | None = None) -> Chart:
    """Horizontal bars for (label, value) rows, scaled to the largest value (or `peak`,
    for shares of a whole)."""
    top = peak if peak is not None else max((v for _, v in rows if v is not None), default=0)
    laid_out = []
    for i, (label, value) in enumerate(rows):
        width = round(LONGEST * value / top, 2) if value and top else 0
        laid_out.append(Bar(label=label, value=value, label_y=i * ROW + 14, y=i * ROW + 20,
                            width=width, value_x=round(width + 6, 2)))
    return Chart(bars=laid_out, width=WIDTH, height=max(len(rows), 1) * ROW, peak=top)

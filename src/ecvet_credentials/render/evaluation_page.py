"""The evaluation report as a self-contained HTML page with an inline SVG bar chart (no JavaScript)."""
from __future__ import annotations

from html import escape

from ecvet_credentials.i18n import N_, _, current_language
from ecvet_credentials.ecvet.evaluation import EvaluationReport

STAGES = (("units_agreed", N_("agreed"), "#5b7db1"), ("units_assessed", N_("assessed"), "#7a9cc6"),
          ("units_achieved", N_("achieved"), "#5fa37a"), ("units_validated", N_("validated"), "#c9a13b"),
          ("units_recognised", N_("recognised"), "#2f7d4f"))
BAR, GAP, LABEL_H, CHART_W = 14, 12, 18, 420


def bar_chart(report: EvaluationReport) -> str:
    """One group of bars per partner pair and period: units agreed, assessed, achieved, validated, recognised."""
    rows = report.rows()
    top = max([1] + [r[s] for r in rows for s, _, _ in STAGES])
    height = len(rows) * (LABEL_H + len(STAGES) * BAR + GAP) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{CHART_W + 300}" height="{height}" '
             f'aria-label="{escape(_("Units agreed, assessed, achieved, validated and recognised per partnership and period"))}">']
    y = 0
    for row in rows:  # the partnership's name on its own line, its bars below
        parts.append(f'<text x="0" y="{y + 12}" font-size="12">{escape(row["host"])} / {escape(row["home"])} '
                     f'{escape(row["period"])}</text>')
        y += LABEL_H
        for stage, label, colour in STAGES:
            label = escape(_(label))
            width = round(CHART_W * row[stage] / top)
            parts.append(f'<rect x="0" y="{y}" width="{width}" height="{BAR - 2}" fill="{colour}">'
                         f'<title>{label}: {row[stage]}</title></rect>'
                         f'<text x="{width + 4}" y="{y + BAR - 4}" font-size="10">{label} {row[stage]}</text>')
            y += BAR
        y += GAP
    legend_x = 0
    for _stage, label, colour in STAGES:
        parts.append(f'<rect x="{legend_x}" y="{y + 6}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{legend_x + 14}" y="{y + 15}" font-size="11">{escape(_(label))}</text>')
        legend_x += 80
    parts.append("</svg>")
    return "".join(parts)


def render_page(report: EvaluationReport, *, title: str | None = None) -> str:
    """In the run's language (`ecvet --lang`, LANG)."""
    title = title or _("ECVET partnership: evaluation after mobility")
    rows = report.rows()
    head = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in (rows[0] if rows else {"host": 0}))
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in r.values()) + "</tr>" for r in rows)
    missed = "".join(f"<li>{escape(text)} <small>({n}&times;)</small></li>" for text, n in report.top_not_achieved())
    return (f'<!doctype html><html lang="{current_language()}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<style>body{font-family:sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse}'
            'td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}table{display:block;overflow-x:auto}</style></head><body>'
            f"<h1>{escape(title)}</h1>"
            "<p>" + escape(_("For the partnership's review after mobility (evaluation sheets and action plan). Counted "
                             "from the partnership's own credentials; verify each one with {command}.")).format(
                                 command="<code>ecvet verify</code>") + "</p>"
            f"<h2>{escape(_('Units per partnership and period'))}</h2>{bar_chart(report)}"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            f"<h2>{escape(_('Learning outcomes most often not achieved'))}</h2>"
            + (f"<ol>{missed}</ol>" if missed else f"<p>{escape(_('None: every assessed unit was achieved.'))}</p>")
            + "</body></html>\n")

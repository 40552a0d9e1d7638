"""One HTML file that hands a run, a replication set or a sweep on: ``hotline report``.

Picture an analyst mailing the staffing study to a colleague who has no
Python: the file must open from disk with no network, say what question was
asked, on which assumptions and sources, what came out and how sure it is,
and where every number came from, and print cleanly. So the report is one
HTML file with its CSS inline, its figures as inline SVG (text kept as text,
so it can be searched and copied), no script and no link outside the file:

1. the question: the scenario's description, and for a sweep the header
   comments of its sweep file (kept in the folder as ``sweep.yaml``) and its design;
2. the headline figures with their 95% intervals (a single replay has none,
   and says so);
3. the figures;
4. the scenario's stated assumptions and sources: the comments of its YAML
   file and of the files it extends (``sim.scenario.comments``);
5. sensitivity and discovery results where they exist (below);
6. provenance: code version and commit, seed, scenario fingerprint, package
   versions as recorded when the results were written.

**Sensitivity and discovery.** The report looks in the folder for
subfolders named ``sensitivity/`` and ``discovery/``. From each it shows, in
this order: ``summary.json``'s ``headline`` (a sentence or a list of them),
every ``*.svg`` figure inline, every ``*.csv`` table (the first
``MAX_TABLE_ROWS`` rows) and every ``*.txt`` or ``*.md`` file as text, files
in name order. A command writes there and the report picks it up.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
from base64 import b64encode
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from sim import __version__
from sim.scenario.sweep_spec import SweepError
from sim.results.labels import outcome_label
from sim.results.provenance import environment, scenario_fingerprint
from sim.results.report import budget, summary_rows
from sim.results.run_folder import SWEEP_COPY
from sim.results.store import FILE_NAME, ResultStore
from sim.results.sweep_plots import figures
from sim.results.sweep_report import _interval, _is_budget, _num, factor_labels, replication_warnings
from sim.results.tables import summary_frame
from sim.scenario.comments import FileNotes, scenario_notes
from sim.scenario.loader import ScenarioError, apply_overrides, read_scenario_data
from sim.scenario.units import format_clock, parse_clock

ATTACHED = ("sensitivity", "discovery")
MAX_TABLE_ROWS = 50
SWEEP_HEADLINES = ("killed_due_to_delay", "time_to_message", "never_through", "mean_wait", "p_wait")

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1d; max-width: 60rem;
       margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc;
       margin-top: 2.2rem; } h3 { font-size: 1.05rem; }
.kind { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.88rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.2rem 0.6rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1rem 0; } figure svg, figure img { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.85rem; }
.note { color: #555; font-size: 0.9rem; } .warning { color: #8a3b00; }
code { font-size: 0.9em; } pre { white-space: pre-wrap; font-size: 0.85rem; }
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; } figure, table, tr { break-inside: avoid; }
  figure svg, figure img { max-height: 24cm; }
}
"""


def write_report(folder: Path, out: Path) -> Path:
    """Write the report of ``folder`` to ``out``; raises SweepError when ``folder`` holds no results."""
    text = build_report(folder)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out


def build_report(folder: Path) -> str:
    if (folder / FILE_NAME).is_file():
        with ResultStore.open(folder) as store:
            body = _store_report(store, folder)
    elif (folder / "summary.json").is_file():
        body = _run_report(folder)
    else:
        raise SweepError([f"{folder}: neither a run folder (summary.json) nor a results folder ({FILE_NAME}); "
                          "give a folder written by hotline run or hotline sweep"])
    return _page(body)


def _page(body: Sequence[str]) -> str:
    title = re.sub(r"<[^>]+>", "", body[0])
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta name=\"generator\" content=\"hotline-sim {html.escape(__version__)}\">\n"
            f"<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _e(value: Any) -> str:
    return html.escape(str(value))


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric_from: int = 1) -> str:
    """Cells are escaped here; columns from ``numeric_from`` on are right-aligned numbers."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td class=\"num\">{_e(c)}</td>" if i >= numeric_from else f"<td>{_e(c)}</td>"
                                    for i, c in enumerate(row)) + "</tr>\n" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


# -- one replication ---------------------------------------------------------------------------------------


def _run_report(folder: Path) -> list[str]:
    summary = json.loads((folder / "summary.json").read_text())
    source = Path(summary["source"])
    data = _scenario_data(source, summary.get("overrides", []))
    clock_origin = summary.get("clock_origin")  # as run; the file may have changed since
    origin = parse_clock(clock_origin) if clock_origin else None
    outcomes = {k: (math.nan if v is None else float(v)) for k, v in summary["outcomes"].items()}
    parts = [f"<h1>{_e(summary['scenario'])}</h1>",
             f"<p class=\"kind\">One replication (seed {_e(summary['seed'])}): a replay of one afternoon, "
             "so its figures have no interval; run it with <code>--replications N</code> for intervals.</p>",
             "<h2>The question</h2>", _question(data, summary.get("overrides", []))]
    parts += ["<h2>Headline figures</h2>",
              _table(["figure", "value"], summary_rows(outcomes, origin))]
    parts += [f"<p class=\"warning\">Warning: {_e(w)}</p>" for w in summary.get("warnings", [])]
    rows = budget(outcomes)
    if rows:
        parts += ["<h3>Where the time went</h3>",
                  _table(["part", "minutes", "releases", "killed"],
                         [[r["label"], _num(r["minutes"]), f"{r['releases']:.0f}", _num(r["killed"])] for r in rows])]
    parts += ["<h2>Figures</h2>", _timeline(folder)]
    parts += _assumptions(source, _unchanged(data, summary.get("scenario_fingerprint")))
    parts += _attached(folder)
    parts += _provenance(summary, summary.get("scenario_fingerprint"), [("seed", summary["seed"])])
    return parts


def _scenario_data(source: Path, overrides: Sequence[str]) -> Optional[dict[str, Any]]:
    """The scenario file's data now, overrides applied, if it can still be read (for words only: the
    figures come from the folder)."""
    try:
        return apply_overrides(read_scenario_data(source), overrides)
    except ScenarioError:
        return None


def _unchanged(data: Optional[dict[str, Any]], fingerprint: Optional[str]) -> Optional[bool]:
    """Whether the file still describes what ran (None when that cannot be told)."""
    return None if data is None or fingerprint is None else scenario_fingerprint(data) == fingerprint


def _question(data: Optional[dict[str, Any]], overrides: Sequence[str]) -> str:
    if data is None:
        return "<p class=\"note\">The scenario file cannot be read any more, so its description is not shown.</p>"
    text = " ".join(str(data.get("description", "")).split())
    asked = ("How long does the warning take to get through on this desk, and what does each minute of delay "
             "cost?" if data.get("strike") is not None else
             "How long do callers wait on this desk, and how many are answered in time?")
    parts = [f"<p>{_e(asked)} {_e(text)}</p>"]
    if overrides:
        parts.append("<p>With these values changed from the scenario file: "
                     + ", ".join(f"<code>{_e(o)}</code>" for o in overrides) + ".</p>")
    return "\n".join(parts)


def _timeline(folder: Path) -> str:
    svg, png = folder / "timeline.svg", folder / "timeline.png"
    caption = "<figcaption>The replay's timeline: who did what, when, and the releases.</figcaption>"
    if svg.is_file():
        return f"<figure>{_inline_svg(svg.read_text(), 'timeline')}{caption}</figure>"
    if png.is_file():
        encoded = b64encode(png.read_bytes()).decode()
        return f"<figure><img alt=\"timeline\" src=\"data:image/png;base64,{encoded}\">{caption}</figure>"
    return "<p class=\"note\">No timeline in this folder (a hotline-only scenario has no strike to draw).</p>"


# -- replications and sweeps -------------------------------------------------------------------------------


def _store_report(store: ResultStore, folder: Path) -> list[str]:
    manifest = store.manifest()
    base = manifest["base_scenario"]
    origin = parse_clock(base["clock_origin"]) if base.get("clock_origin") else None
    summary_path = folder / "summary.json"
    recorded = json.loads(summary_path.read_text()) if summary_path.is_file() else {}
    frame = summary_frame(store)
    n = manifest["replications"]
    if manifest["kind"] == "sweep":
        points = len(store.points())
        kind = f"A sweep: {points} design points x {n} replications each, with common random numbers."
        question = _sweep_question(store, manifest, folder)
        headline = _sweep_tables(store, manifest, frame)
    else:
        kind = f"{n} independent replications of one scenario."
        question = _question(base, manifest["definition"].get("overrides", []))
        headline = _replications_table(frame, origin)
        headline += "".join(f"\n<p class=\"warning\">Warning: {_e(w)}</p>" for w in replication_warnings(store))
    parts = [f"<h1>{_e(manifest['name'])}</h1>", f"<p class=\"kind\">{_e(kind)}</p>",
             "<h2>The question</h2>", question, "<h2>Headline figures</h2>",
             "<p class=\"note\">Estimates with 95% confidence intervals: Student t for means, Wilson for "
             "shares; effects against the baseline are paired by replication.</p>", headline,
             "<h2>Figures</h2>", *_figures(store)]
    definition = manifest["definition"]
    fixed = definition.get("overrides") or [f"{k}={json.dumps(v)}" for k, v in (definition.get("set") or {}).items()]
    current = _scenario_data(Path(manifest["base_source"]), fixed)
    parts += _assumptions(Path(manifest["base_source"]), _unchanged(current, scenario_fingerprint(base)))
    parts += _attached(folder)
    fingerprint = scenario_fingerprint(base)
    parts += _provenance({**recorded, "code_version": manifest.get("code_version")}, fingerprint,
                         [("seed", manifest["seed"]), ("replications per point", n),
                          ("results fingerprint (resume check)", manifest.get("fingerprint", "")),
                          ("scenario file", manifest["base_source"])])
    return parts


def _replications_table(frame: pd.DataFrame, origin: Optional[float]) -> str:
    """Every outcome's spread (moments on the scenario's clock), then the probabilities."""
    def clock(value: float) -> str:
        return "-" if math.isnan(value) or origin is None else format_clock(origin + value)

    quantities: list[list[str]] = []
    chances: list[list[str]] = []
    for row in frame.to_dict("records"):
        if _is_budget(row["outcome"]):
            continue
        if row["kind"] == "flag":
            chances.append([row["label"], str(row["n"]), _num(row["estimate"]),
                            _interval(row["ci_low"], row["ci_high"])])
            continue
        show = clock if row["kind"] == "moment" and origin is not None else _num
        quantities.append([outcome_label(row["outcome"]), str(row["n"]), show(row["estimate"]),
                           _interval(row["ci_low"], row["ci_high"], show), show(row["median"]), show(row["p10"]),
                           show(row["p90"]), str(row["missing"]) if row["missing"] else ""])
    tables = [_table(["outcome", "n", "mean", "95% CI", "median", "p10", "p90", "undefined in"], quantities)]
    if chances:
        tables.append(_table(["probability", "n", "P", "95% CI (Wilson)"], chances))
    return "\n".join(tables)


def _sweep_question(store: ResultStore, manifest: dict[str, Any], folder: Path) -> str:
    definition = manifest["definition"]
    parts = [f"<p>{_e(definition.get('description', ''))}</p>"]
    copy = folder / SWEEP_COPY
    if copy.is_file():
        try:
            parts.append(_notes_html(scenario_notes(copy)[0].header))
        except Exception:  # the copy is for words only; an unreadable one leaves them out
            pass
    labels = factor_labels(manifest)
    levels = {path: list(dict.fromkeys(json.dumps(p.factors[path], sort_keys=True) for p in store.points()))
              for path in labels}  # in design order
    parts.append(_table(["factor", "path", "values"],
                        [[labels[p], p, ", ".join(levels[p]) if len(levels[p]) <= 12 else
                          f"{len(levels[p])} values"] for p in labels], numeric_from=3))
    design = definition.get("design", {}).get("kind", "grid")
    fixed = definition.get("set") or {}
    parts.append(f"<p>Design: {_e(design.replace('_', ' '))}; every point runs on the scenario "
                 f"<code>{_e(manifest['base_source'])}</code>"
                 + ("".join(f", with <code>{_e(k)}={_e(json.dumps(v))}</code>" for k, v in fixed.items()))
                 + ".</p>")
    return "\n".join(parts)


def _sweep_tables(store: ResultStore, manifest: dict[str, Any], frame: pd.DataFrame) -> str:
    """Per headline outcome: each point's estimate and its paired effect against the baseline."""
    wanted = manifest["definition"].get("outcomes") or SWEEP_HEADLINES
    labels = factor_labels(manifest)
    baseline = manifest.get("baseline")
    header = ["point", *labels.values(), "n", "estimate", "95% CI"]
    header += ["vs baseline (paired)", "95% CI"] if baseline is not None else []
    blocks = []
    for outcome in [o for o in wanted if o in store.outcomes]:
        rows = []
        for row in frame[frame["outcome"] == outcome].to_dict("records"):
            cells = [str(row["point"]), *(str(row[f]) for f in labels), str(row["n"]), _num(row["estimate"]),
                     _interval(row["ci_low"], row["ci_high"])]
            if baseline is not None and row["point"] == baseline:
                cells += ["(baseline)", ""]
            elif baseline is not None:
                cells += [("+" if row["effect"] > 0 else "") + _num(row["effect"]),
                          _interval(row["effect_ci_low"], row["effect_ci_high"])]
            rows.append(cells)
        blocks.append(f"<h3>{_e(outcome_label(outcome))}</h3>\n"
                      + _table(header, rows, numeric_from=1 + len(labels)))
    return "\n".join(blocks)


def _figures(store: ResultStore) -> list[str]:
    drawn = []
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        for stem, figure in figures(store):
            drawn.append(f"<figure>{_inline_svg(_svg(figure), stem)}<figcaption>{_e(stem)}</figcaption></figure>")
    return drawn or ["<p class=\"note\">No figure fits these results.</p>"]


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _inline_svg(text: str, prefix: str) -> str:
    """An SVG document as an element of the page: no XML prolog, its ids made unique to this figure."""
    start = text.find("<svg")
    if start < 0:
        return ""
    tag = re.sub(r"[^A-Za-z0-9_-]", "-", prefix)
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{tag}-{m.group(1)}"', text[start:])
    return re.sub(r'(href="#|url\(#)([^")]+)', lambda m: f"{m.group(1)}{tag}-{m.group(2)}", text)


# -- assumptions, attached results, provenance ---------------------------------------------------------------


def _notes_html(lines: Sequence[str]) -> str:
    """Comment lines as paragraphs and lists: ``- item`` starts an item, deeper lines continue it."""
    blocks: list[str] = []
    items: list[str] = []
    paragraph: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append(f"<p>{_e(' '.join(paragraph))}</p>")
            paragraph.clear()

    def flush_items() -> None:
        if items:
            blocks.append("<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for line in lines:
        text = line.strip()
        if not text:
            flush_paragraph()
            flush_items()
        elif text.startswith("- "):
            flush_paragraph()
            items.append(text[2:])
        elif items and line.startswith(" "):
            items[-1] += " " + text
        else:
            flush_items()
            paragraph.append(text)
    flush_paragraph()
    flush_items()
    return "\n".join(blocks)


def _assumptions(source: Path, unchanged: Optional[bool]) -> list[str]:
    parts = ["<h2>Assumptions and sources</h2>",
             "<p class=\"note\">As stated in the comments of the scenario file"
             " and of the files it extends.</p>"]
    if unchanged is False:
        parts.append("<p class=\"warning\">The scenario file has changed since these results were made (its "
                     "fingerprint differs from the recorded one): these are its comments now, which may not "
                     "describe what ran.</p>")
    try:
        notes: list[FileNotes] = scenario_notes(source)
    except Exception as error:  # the file is for words only; say why they are missing
        return parts + [f"<p class=\"warning\">The scenario file <code>{_e(source)}</code> cannot be read "
                        f"({_e(type(error).__name__)}), so its stated assumptions and sources are not shown.</p>"]
    for note in notes:
        parts.append(f"<h3><code>{_e(note.file)}</code></h3>")
        parts.append(_notes_html(note.header) or "<p class=\"note\">No header comment.</p>")
        if note.keys:
            parts.append(_table(["value", "note"], [[key, said] for key, said in note.keys], numeric_from=2))
    return parts


def _attached(folder: Path) -> list[str]:
    parts = []
    for name in ATTACHED:
        sub = folder / name
        parts.append(f"<h2>{name.capitalize()}</h2>")
        if not sub.is_dir():
            parts.append(f"<p class=\"note\">None for these results (the report looks for <code>{_e(name)}/</code> "
                         "in the results folder).</p>")
            continue
        summary = sub / "summary.json"
        if summary.is_file():
            headline = json.loads(summary.read_text()).get("headline", [])
            parts += [f"<p>{_e(h)}</p>" for h in ([headline] if isinstance(headline, str) else headline)]
        for path in sorted(sub.iterdir()):
            if path.suffix == ".svg":
                parts.append(f"<figure>{_inline_svg(path.read_text(), f'{name}-{path.stem}')}"
                             f"<figcaption>{_e(path.name)}</figcaption></figure>")
            elif path.suffix == ".csv":
                parts.append(_csv_table(path))
            elif path.suffix in (".txt", ".md"):
                parts.append(f"<pre>{_e(path.read_text())}</pre>")
    return parts


def _csv_table(path: Path) -> str:
    with path.open(newline="") as stream:
        rows = list(csv.reader(stream))
    if not rows:
        return ""
    shown = rows[1:MAX_TABLE_ROWS + 1]
    more = len(rows) - 1 - len(shown)
    note = f"<p class=\"note\">{_e(path.name)}" + (f": first {len(shown)} of {len(rows) - 1} rows" if more else "")
    return note + "</p>\n" + _table(rows[0], shown, numeric_from=len(rows[0]))


def _provenance(recorded: dict[str, Any], fingerprint: Optional[str], extra: list[tuple[str, Any]]) -> list[str]:
    env = recorded.get("environment")
    rows: list[list[str]] = [["code version (hotline-sim)", str(recorded.get("code_version", "not recorded"))],
                             ["code commit", env["git_commit"] if env else "not recorded"],
                             *([k, str(v)] for k, v in extra),
                             ["scenario fingerprint (SHA-256 of the resolved scenario)",
                              fingerprint or "not recorded"]]
    if recorded.get("overrides"):
        rows.append(["overrides", " ".join(recorded["overrides"])])
    parts = ["<h2>Provenance</h2>", _table(["", ""], rows, numeric_from=2)]
    if env:
        parts.append("<p class=\"note\">Packages when the results were written (Python "
                     f"{_e(env['python'])}):</p>")
        packages = env["packages"]
    else:
        now = environment()
        parts.append("<p class=\"warning\">The results folder does not record its packages; these are the "
                     f"packages of the environment that made this report (Python {_e(now['python'])}):</p>")
        packages = now["packages"]
    parts.append(_table(["package", "version"], sorted(packages.items()), numeric_from=2))
    parts.append(f"<p class=\"note\">Report made by hotline-sim {_e(__version__)}.</p>")
    return parts

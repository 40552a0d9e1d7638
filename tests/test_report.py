"""``hotline report``: what the HTML says (parsed), and that a real browser shows and prints it cleanly."""

from __future__ import annotations

import hashlib
import io
import json
import math
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest
from browser import render
from PIL import Image
from scipy import stats

import sim
from sim.cli import main
from sim.scenario.loader import read_scenario_data

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


class Page(HTMLParser):
    """The parts of a report a test asks about: headings, table rows, tags, references, text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.references: list[str] = []
        self.headings: dict[str, list[str]] = {"h1": [], "h2": [], "h3": []}
        self.rows: list[list[str]] = []
        self.text: list[str] = []
        self._heading: str | None = None
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.references += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href")]
        if tag in self.headings:
            self._heading = tag
            self.headings[tag].append("")
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self.headings:
            self._heading = None
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading:
            self.headings[self._heading][-1] += data
        if self._cell is not None:
            self._cell.append(data)

    def row(self, first: str) -> list[str]:
        return next(r for r in self.rows if r and r[0] == first)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


SECTIONS = ["The question", "Headline figures", "Figures", "Assumptions and sources", "Sensitivity", "Discovery",
            "Provenance"]


def report_text(folder: Path) -> str:
    """``hotline report FOLDER``, once per folder."""
    if not (folder / "report.html").is_file():
        assert main(["report", str(folder)]) == 0
    return (folder / "report.html").read_text()


def report_of(folder: Path) -> Page:
    return Page(report_text(folder))


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("reports")
    assert main(["run", str(SCENARIOS / "deir_ez_zor_2016_duty_officer.yaml"), "--out", str(root / "run")]) == 0
    assert main(["run", str(SCENARIOS / "deir_ez_zor_2016_stochastic.yaml"), "-n", "80", "--workers", "1",
                 "--out", str(root / "reps")]) == 0
    file = root / "pocs.yaml"
    file.write_text("# Does a second POC pay on the stochastic afternoon?\n"
                    f"name: pocs\nbase: {SCENARIOS / 'deir_ez_zor_2016_stochastic.yaml'}\nreplications: 30\n"
                    "factors: [{path: desk.pocs.count, values: [1, 2]}]\nbaseline: {desk.pocs.count: 1}\n"
                    "outcomes: [killed_due_to_delay]\n")
    assert main(["sweep", str(file), "--workers", "1", "--out", str(root / "sweep")]) == 0
    sensitivity, discovery = root / "sweep" / "sensitivity", root / "sweep" / "discovery"
    sensitivity.mkdir()
    discovery.mkdir()
    (sensitivity / "summary.json").write_text(json.dumps({"headline": ["Detection delay decides the answer."]}))
    (sensitivity / "indices.csv").write_text("factor,S1,ST\ndetection.delay,0.61,0.70\n")
    (sensitivity / "indices.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
                                             '<text id="t" x="0" y="15">Sobol</text></svg>')
    (discovery / "boxes.txt").write_text("bad afternoons: POC away and detection late\n")
    return {"run": root / "run", "reps": root / "reps", "sweep": root / "sweep"}


def test_a_replay_report_has_its_figures_assumptions_and_provenance(folders: dict[str, Path]) -> None:
    page = report_of(folders["run"])
    assert page.headings["h1"] == [sim.load(SCENARIOS / "deir_ez_zor_2016_duty_officer.yaml").name]
    assert page.headings["h2"] == SECTIONS
    assert page.row("releases in all") == ["releases in all", "25"]  # the README's duty-officer what-if
    assert page.row("message through to someone who can act")[1] == "16:32:33"
    assert "no interval" in page.words
    # Assumptions: the what-if's own, and those of the replay it extends.
    assert "duty officer needs 2 minutes to relay the message" in page.words
    assert "harm spread evenly over the releases: 62/37 killed" in page.words
    assert page.row("strike.harm.killed") == ["strike.harm.killed", "62 / 37"]
    # Provenance: the seed, the fingerprint of exactly the scenario that ran, the packages.
    data = read_scenario_data(SCENARIOS / "deir_ez_zor_2016_duty_officer.yaml")
    assert page.row("seed")[1] == "20160917"
    assert page.row("scenario fingerprint (SHA-256 of the resolved scenario)")[1] == \
        hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    assert page.row("simpy") == ["simpy", version("simpy")]
    assert page.tags.count("svg") == 1  # the timeline, inline


def test_a_replication_report_gives_means_with_t_intervals(folders: dict[str, Path]) -> None:
    page = report_of(folders["reps"])
    killed = sim.open_results(folders["reps"]).replications["killed_due_to_delay"].dropna().to_numpy()
    mean = killed.mean()
    half = stats.t.ppf(0.975, killed.size - 1) * killed.std(ddof=1) / math.sqrt(killed.size)
    row = page.row("killed due to delay (people)")
    assert row[1:4] == [str(killed.size), f"{mean:.2f}", f"[{mean - half:.2f}, {mean + half:.2f}]"]
    assert page.row("P(message never got through)")[1] == "80"
    assert "80 independent replications" in page.words
    assert page.tags.count("svg") >= 1 and page.headings["h2"] == SECTIONS


def test_a_sweep_report_states_its_question_effects_and_attached_results(folders: dict[str, Path]) -> None:
    page = report_of(folders["sweep"])
    assert "Does a second POC pay on the stochastic afternoon?" in page.words  # the sweep file's header
    rows = sim.open_results(folders["sweep"]).replications.pivot(
        index="replication", columns="desk.pocs.count", values="killed_due_to_delay")
    effect = float(np.nanmean(rows[2] - rows[1]))
    baseline, second = page.row("0"), page.row("1")
    assert baseline[-2:] == ["(baseline)", ""]
    assert second[1] == "2" and second[-2] == ("+" if effect > 0 else "") + f"{effect:.2f}"
    assert "Detection delay decides the answer." in page.words
    assert page.row("detection.delay") == ["detection.delay", "0.61", "0.70"]
    assert "bad afternoons: POC away and detection late" in page.words
    assert "Sobol" in page.words  # the attached SVG, inline
    assert "None for these results" not in page.words


def test_a_report_stands_alone(folders: dict[str, Path]) -> None:
    for folder in folders.values():
        text = report_text(folder)
        page = Page(text)
        assert not {"script", "link", "iframe", "object", "embed"} & set(page.tags)
        assert all(r.startswith(("#", "data:")) for r in page.references), page.references
        assert "@media print" in text and "<?xml" not in text


def test_a_scenario_file_changed_after_the_run_changes_no_figure_and_is_flagged(tmp_path: Path) -> None:
    file = tmp_path / "replay.yaml"
    file.write_text((SCENARIOS / "deir_ez_zor_2016.yaml").read_text())
    assert main(["run", str(file), "--out", str(tmp_path / "run")]) == 0
    file.write_text(file.read_text().replace('clock_origin: "14:00"', 'clock_origin: "13:00"'))
    page = report_of(tmp_path / "run")
    assert page.row("message through to someone who can act")[1] == "16:52:33"  # the clock it ran on
    assert "The scenario file has changed since these results were made" in page.words
    assert main(["run", str(file), "--out", str(tmp_path / "again")]) == 0  # a run of the file as it is now
    assert "has changed since" not in report_of(tmp_path / "again").words


def test_a_folder_with_nothing_to_report_is_refused_in_one_line(tmp_path: Path, capsys) -> None:
    assert main(["report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "neither a run folder" in err
    assert not list(tmp_path.iterdir())


def ink(png: bytes) -> float:
    """Share of pixels that are not (nearly) white."""
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return float((grey < 240).mean())


@pytest.mark.parametrize("kind", ["run", "reps", "sweep"])
def test_chromium_shows_and_prints_the_report_without_errors(folders: dict[str, Path], kind: str,
                                                            tmp_path: Path) -> None:
    report_text(folders[kind])
    rendered = render(folders[kind] / "report.html", tmp_path)
    assert rendered.errors == []
    assert ink(rendered.screenshot) > 0.02
    assert rendered.pdf.startswith(b"%PDF") and rendered.pdf.count(b"/Type /Page") >= 2


def test_the_browser_check_does_see_errors_and_blank_pages(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text('<!DOCTYPE html><html><body><img src="missing.png">'
                      '<script>console.error("boom"); undefined_call();</script></body></html>')
    rendered = render(broken, tmp_path)
    assert any("boom" in e for e in rendered.errors)
    assert any("undefined_call" in e for e in rendered.errors)
    assert any("missing.png" in e or "ERR_FILE_NOT_FOUND" in e for e in rendered.errors)
    assert ink(rendered.screenshot) < 0.001

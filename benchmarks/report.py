"""The harness's output: progress lines, the console tables, results.md and results.png."""

from __future__ import annotations

import dataclasses
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scenarios import SCENARIOS, Scenario

if TYPE_CHECKING:
    from harness import Cell, Plan, Sample
    from servers import Endpoints

MiB = 1024 * 1024
OURS = "httprs"
# Rows measured beside the clients, never a "best" (clients.references()): A's floor, a bare
# sendall/recv loop on one socket; G's, the interpreter alone.
REFERENCES = {"A": ["socket loop"], "G": ["python -c pass"]}
# Another build of httprs (harness.py --baseline): compared with httprs, never a peer.
BASELINE = "httprs-baseline"


def is_peer(client: str, key: str) -> bool:
    return client not in (OURS, BASELINE, *REFERENCES.get(key, []))


@dataclass
class Results:
    plan: Plan
    cells: dict[tuple[str, str], Cell]
    versions: dict[str, str]
    skipped: dict[str, str]
    server: str
    started: float
    seconds: float
    load: tuple[tuple[float, ...], tuple[float, ...]]
    machine: str
    note: str
    command: str


def to_json(results: Results) -> dict:
    data = dataclasses.asdict(results)
    data["cells"] = [
        {"scenario": key, "client": client, **dataclasses.asdict(cell)}
        for (key, client), cell in results.cells.items()
    ]
    return data


def from_json(data: dict) -> Results:
    from harness import Cell, Plan, Sample

    cells = {}
    for item in data["cells"]:
        samples = [Sample(**sample) for sample in item["samples"]]
        cells[(item["scenario"], item["client"])] = Cell(samples, item["na"], item["errors"])
    fields = {k: v for k, v in data.items() if k not in ("plan", "cells", "load")}
    load = (tuple(data["load"][0]), tuple(data["load"][1]))
    return Results(plan=Plan(**data["plan"]), cells=cells, load=load, **fields)


@dataclass
class Row:
    client: str
    value: float
    cpu: float
    rss: float
    conns: float | None
    rounds: int
    errors: list[str]


def title(scenario: Scenario, plan: Plan) -> str:
    if scenario.key == "D":
        return f"{size(plan.big)} into memory"
    if scenario.key == "D′":
        return f"{size(plan.big)} streamed (iter_bytes)"
    if scenario.key == "E":
        return f"{size(plan.upload)} upload"
    return scenario.title


def size(nbytes: int) -> str:
    mib = nbytes / MiB
    return f"{mib:g} MiB" if mib >= 1 else f"{nbytes / 1024:g} KiB"


def value_text(scenario: Scenario, value: float) -> str:
    if scenario.unit == "ms":
        return f"{value:.1f} ms"
    return f"{value:,.0f}"


def cpu_text(seconds: float) -> str:
    us = seconds * 1e6
    if us < 10:
        return f"{us:.1f} µs"
    if us < 1000:
        return f"{us:,.0f} µs"
    return f"{us / 1000:,.2f} ms" if us < 10_000 else f"{us / 1000:,.1f} ms"


def rss_text(nbytes: float) -> str:
    return f"{nbytes / MiB:,.0f} MiB"


def relative(scenario: Scenario, value: float, reference: float) -> float:
    """How ``value`` compares with ``reference``: > 1 is better, whatever the unit."""
    if scenario.higher_is_better:
        return value / reference
    return reference / value


def progress(scenario: Scenario, sample: Sample) -> str:
    unit = "" if scenario.unit == "ms" else f" {scenario.unit}"
    per = "process" if scenario.unit == "ms" else "request"
    return (
        f"{value_text(scenario, sample.value)}{unit}, CPU {cpu_text(sample.cpu)}/{per}, "
        f"RSS {rss_text(sample.rss)}, connections {sample.conns:g}"
    )


def preamble(
    plan: Plan, endpoints: Endpoints, versions: dict[str, str], load: tuple[float, ...]
) -> str:
    clients = ", ".join(f"{name} {version}" for name, version in versions.items())
    return "\n".join(
        [
            f"server:    {endpoints.description}",
            f"clients:   {clients}",
            f"pinning:   servers on CPU {plan.server_core}, each client in a fresh process on "
            f"CPU {plan.client_core}",
            f"method:    {plan.rounds} round(s), interleaved, median kept; each run "
            f"{plan.warmup:g} s warm-up + {plan.duration:g} s measured; G: {plan.cold_runs} "
            f"cold starts per round",
            f"load avg:  {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start",
            "",
        ]
    )


def rows(results: Results, key: str) -> tuple[list[Row], dict[str, str]]:
    """The clients that produced figures (best first), and the others' reasons."""
    scenario = SCENARIOS[key]
    done, missing = [], {}
    for client in [*results.versions, *REFERENCES.get(key, [])]:
        cell = results.cells.get((key, client))
        if cell is None:
            continue
        if cell.samples:
            done.append(
                Row(
                    client,
                    cell.median("value"),
                    cell.median("cpu"),
                    cell.median("rss"),
                    cell.median("conns"),
                    len(cell.samples),
                    cell.errors,
                )
            )
        elif cell.na is not None:
            missing[client] = f"n/a: {cell.na}"
        elif cell.errors:
            missing[client] = f"error: {cell.errors[-1]}"
    done.sort(key=lambda r: r.value, reverse=scenario.higher_is_better)
    return done, missing


@dataclass
class Summary:
    scenario: Scenario
    ours: Row | None
    ours_missing: str | None
    best: Row | None  # the best peer
    httpx: Row | None
    baseline: Row | None = None  # --baseline's build of httprs

    def ratio(self, other: Row | None) -> float | None:
        if self.ours is None or other is None:
            return None
        return relative(self.scenario, self.ours.value, other.value)

    def cpu_ratio(self, other: Row | None = None) -> float | None:
        """httprs's CPU per request ÷ ``other``'s (the best peer's by default)."""
        other = other or self.best
        if self.ours is None or other is None or not other.cpu:
            return None
        return self.ours.cpu / other.cpu


def summaries(results: Results) -> list[Summary]:
    out = []
    for key in results.plan.scenarios:
        done, missing = rows(results, key)
        peers = [r for r in done if is_peer(r.client, key)]
        ours = next((r for r in done if r.client == OURS), None)
        httpx = next((r for r in done if r.client == "httpx"), None)
        baseline = next((r for r in done if r.client == BASELINE), None)
        best = peers[0] if peers else None
        out.append(Summary(SCENARIOS[key], ours, missing.get(OURS), best, httpx, baseline))
    return out


def cell_text(scenario: Scenario, row: Row | None, missing: str | None = None) -> str:
    if row is None:
        return missing or "—"
    text = value_text(scenario, row.value)
    if scenario.unit == "req/s":
        text += f" ({cpu_text(row.cpu)})"
    elif scenario.unit == "MiB/s":
        text += f", RSS {rss_text(row.rss)}"
    return text


def ratio_text(ratio: float | None) -> str:
    return "—" if ratio is None else f"{ratio:.2f}×"


def summary_table(results: Results) -> list[list[str]]:
    with_baseline = results.plan.baseline is not None
    head = ["scenario", "unit", "httprs", "best peer", "httprs ÷ best", "CPU/req ÷ best's"]
    head.append("httprs ÷ httpx")
    if with_baseline:
        head += ["baseline", "httprs ÷ baseline", "CPU/req ÷ baseline's"]
    table = [head]
    for s in summaries(results):
        best = f"{s.best.client} {cell_text(s.scenario, s.best)}" if s.best else "—"
        row = [
            f"{s.scenario.key} {title(s.scenario, results.plan)}",
            s.scenario.unit if s.scenario.unit != "req/s" else "req/s (CPU/req)",
            cell_text(s.scenario, s.ours, s.ours_missing),
            best,
            ratio_text(s.ratio(s.best)),
            ratio_text(s.cpu_ratio()),
            ratio_text(s.ratio(s.httpx)),
        ]
        if with_baseline:
            cpu = s.cpu_ratio(s.baseline) if s.baseline else None
            row += [cell_text(s.scenario, s.baseline), ratio_text(s.ratio(s.baseline))]
            row.append(ratio_text(cpu))
        table.append(row)
    return table


def detail_table(results: Results, key: str) -> list[list[str]]:
    scenario = SCENARIOS[key]
    done, missing = rows(results, key)
    rounds = results.plan.rounds
    best = next((r for r in done if r.client not in (BASELINE, *REFERENCES.get(key, []))), None)
    cpu_head = "CPU/process" if scenario.unit == "ms" else "CPU/request"
    table = [["client", scenario.unit, "÷ best", cpu_head, "peak RSS", "connections", "rounds"]]
    for row in done:
        version = results.versions.get(row.client, "")
        label = f"{row.client} {version}".strip()
        if row.client == OURS:
            label = f"**{label}**"
        note = f"{row.rounds}/{rounds}"
        if row.errors:
            note += f" (failed: {row.errors[-1]})"
        table.append(
            [
                label,
                value_text(scenario, row.value),
                "ref"
                if row.client in REFERENCES.get(key, [])
                else ratio_text(relative(scenario, row.value, best.value))
                if best
                else "—",
                cpu_text(row.cpu),
                rss_text(row.rss),
                "—" if row.conns is None else f"{row.conns:g}",
                note,
            ]
        )
    for client, reason in missing.items():
        version = results.versions.get(client, "")
        table.append([f"{client} {version}".strip(), reason, "", "", "", "", ""])
    return table


def plain(table: list[list[str]], indent: str = "") -> str:
    cells = [[c.replace("**", "") for c in row] for row in table]
    measured = [row for row in cells if not row[1].startswith(("n/a", "error"))]
    widths = [max(len(row[i]) for row in measured) for i in range(len(cells[0]))]
    widths[0] = max(len(row[0]) for row in cells)
    lines = []
    for index, row in enumerate(cells):
        parts = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=False))
        ]
        if len(row) > 1 and row[1].startswith(("n/a", "error")):
            parts = [row[0].ljust(widths[0]), row[1]]
        lines.append(indent + "  ".join(parts).rstrip())
        if index == 0:
            lines.append(indent + "-" * min(sum(widths) + 2 * len(widths), 110))
    return "\n".join(lines)


def markdown_table(table: list[list[str]]) -> str:
    head, *body = table
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in body:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    return "\n".join(lines)


def console(results: Results) -> str:
    parts = ["Summary (httprs against the best peer of this run):", plain(summary_table(results))]
    for key in results.plan.scenarios:
        scenario = SCENARIOS[key]
        parts += [
            "",
            f"{key}  {title(scenario, results.plan)}",
            plain(detail_table(results, key), "  "),
        ]
    for name, reason in results.skipped.items():
        parts.append(f"skipped {name}: {reason}")
    parts.append(f"\ntotal time: {results.seconds / 60:.1f} min")
    return "\n".join(parts)


def header(results: Results) -> list[str]:
    plan = results.plan
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(results.started))
    before, after = results.load
    lines = [
        "# httprs benchmark results",
        "",
        f"Measured {when} on {results.machine}, in {results.seconds / 60:.0f} min, by "
        f"`{results.command}` (`./scripts/bench` passes its arguments to it).",
        "",
        f"- Servers: {results.server}.",
        f"- Pinning: the servers on CPU {plan.server_core}; each client in a fresh process "
        f"on CPU {plan.client_core}.",
        f"- Method: {plan.rounds} round(s), clients interleaved (the order rotates each "
        f"round), median kept. Each run: {plan.warmup:g} s of warm-up, then "
        f"{plan.duration:g} s measured. G: {plan.cold_runs} cold starts per round, "
        f"bytecode cached, median. Async scenarios on {plan.loop}.",
        f"- Load average (1, 5, 15 min): {before[0]:.2f} {before[1]:.2f} {before[2]:.2f} at "
        f"the start, {after[0]:.2f} {after[1]:.2f} {after[2]:.2f} at the end.",
        "- CPU per request: `time.process_time()` of the client process (all its threads) "
        "over the requests; peak RSS: `ru_maxrss` of the child (`wait4`); connections: "
        "accepted by the servers during the run (nginx `stub_status`, pyserver `/stats`; "
        "hypercorn, L and M's server, has no counter: 0).",
        "- Each client runs with its defaults; only what a scenario needs is set: the CA of "
        "the HTTPS servers (H, I, J, L, M), HTTP/2 (J, M), HTTP/3 (L), 200 connections (K).",
    ]
    if results.note:
        lines += ["", f"**{results.note}**"]
    clients = ", ".join(f"{name} {version}" for name, version in results.versions.items())
    lines += ["", f"Clients: {clients}."]
    for name, reason in results.skipped.items():
        lines.append(f"Skipped {name}: {reason}.")
    return lines


def markdown(results: Results) -> str:
    lines = header(results)
    lines += [
        "",
        "## Summary",
        "",
        "Ratios: above 1 is better for httprs (for G, the best peer's time over httprs's). "
        "`CPU/req ÷ best's`: httprs's CPU per request over the best peer's (below 1 is "
        "better).",
        "",
        markdown_table(summary_table(results)),
        "",
        # Relative to docs/: docs/performance.md includes this file (mkdocs resolves the
        # link from the including page).
        "![relative throughput per scenario](bench/results.png)",
        "",
        "## Per scenario",
    ]
    for key in results.plan.scenarios:
        scenario = SCENARIOS[key]
        lines += ["", f"### {key}: {title(scenario, results.plan)}", ""]
        lines.append(markdown_table(detail_table(results, key)))
    return "\n".join(lines) + "\n"


def chart(results: Results, path: Path) -> str | None:
    """Writes the PNG; returns why not, or None."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed (pip install -r benchmarks/requirements.txt)"
    keys = results.plan.scenarios
    columns = min(4, len(keys))
    lines = (len(keys) + columns - 1) // columns
    most = max((len(rows(results, k)[0]) for k in keys), default=1)
    figure, axes = plt.subplots(
        lines, columns, figsize=(4.6 * columns, 0.28 * most * lines + 1.6 * lines), squeeze=False
    )
    for ax in axes.flat[len(keys) :]:
        ax.axis("off")
    for ax, key in zip(axes.flat, keys, strict=False):
        draw(ax, results, key)
    when = time.strftime("%Y-%m-%d", time.gmtime(results.started))
    caption = (
        f"Each client relative to the best of the scenario (1 = best; G: the best time over "
        f"each time); httprs in orange. {when}, {results.plan.rounds} round(s), medians"
    )
    figure.suptitle(textwrap.fill(caption, 36 * columns), fontsize=11)
    figure.tight_layout(rect=(0, 0, 1, 0.97 if columns > 2 else 0.9))
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return None


def draw(ax: Any, results: Results, key: str) -> None:
    scenario = SCENARIOS[key]
    done = [r for r in rows(results, key)[0] if r.client not in REFERENCES.get(key, [])]
    ax.set_title(f"{key}: {title(scenario, results.plan)}", fontsize=9, loc="left")
    if not done:
        ax.text(0.5, 0.5, "no figures", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    missing = rows(results, key)[1].get(OURS)
    if missing:
        ax.set_xlabel(f"httprs: {missing}"[:80], fontsize=7, color="#e8710a")
    best = done[0].value
    done = list(reversed(done))  # best on top
    scores = [relative(scenario, r.value, best) for r in done]
    colors = ["#e8710a" if r.client == OURS else "#7a9cc6" for r in done]
    bars = ax.barh([r.client for r in done], scores, color=colors)
    unit = "" if scenario.unit == "ms" else f" {scenario.unit}"
    for bar, row, score in zip(bars, done, scores, strict=True):
        ax.text(
            bar.get_width() + 0.01,
            bar.get_y() + bar.get_height() / 2,
            f"{score:.2f}  ({value_text(scenario, row.value)}{unit})",
            va="center",
            fontsize=7,
        )
    ax.set_xlim(0, 1.6)
    ax.tick_params(axis="y", labelsize=8)
    ax.tick_params(axis="x", labelsize=7)
    for label in ax.get_yticklabels():
        if label.get_text() == OURS:
            label.set_fontweight("bold")

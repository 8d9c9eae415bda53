"""Measures qingdan against its performance targets and prints one table: the median of N runs.

    ./tasks bench                       # installs check-jsonschema, then runs this (3 runs)
    .venv/bin/python bench/run.py --runs 5 --corpus /tmp/national

What is measured (each a whole command, start-up included, unless it says otherwise):
  - `check` of the bundled catalogue, without the cache;
  - `check` of a generated national corpus (bench/generate.py), without the cache, with the
    peak memory of all its processes together (PSS, polled);
  - the same files validated by check-jsonschema against qingdan's own JSON Schema, run
    alternately with the national check so both see the same machine load;
  - `check` of the national corpus again, answered from its cache (nothing changed);
  - `build` of a copy of the bundled catalogue with an empty cache of its own; a rebuild with
    nothing changed; a rebuild after one city list changed (a new phone number each time);
  - rendering one list's PDF (the official edition of the largest bundled list), in-process;
  - reading every text of the national corpus (compiler/text), in a fresh process each run:
    the part of a cold national `check` that the text checks add.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AS_OF = "2026-11-29"
CITY = "cities/xiamen.yaml"  # the list edited between rebuilds
PDF_LIST = "fuzhou"  # the largest bundled list


@dataclass
class Row:
    """One line of the table: the runs of one measurement and its target."""

    label: str
    unit: str
    target: float | None  # None: a figure shown for comparison only
    runs: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def cells(self) -> list[str]:
        fmt = (lambda v: f"{v:.0f}") if self.unit == "MiB" else (lambda v: f"{v:.2f}")
        target = "—" if self.target is None else f"< {fmt(self.target)} {self.unit}".strip()
        ratio = "—" if self.target is None else f"{self.median / self.target:.2f}"
        return [self.label, f"{fmt(self.median)} {self.unit}".strip(), target, ratio, " / ".join(fmt(v) for v in self.runs)]


def _descendants(pid: int) -> list[int]:
    """`pid` and every process below it, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += parents.get(p, [])
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(args: list[str], *, cwd: Path = ROOT, env: dict | None = None, ok: tuple[int, ...] = (0, 1),
        memory: bool = False) -> tuple[float, float]:
    """Seconds a command takes, and (if asked) the peak PSS of its processes together, in MiB."""
    peak = 0
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stop = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, sum(_pss_kib(p) for p in _descendants(proc.pid)))
            stop.wait(0.02)

    poller = threading.Thread(target=poll, daemon=True)
    if memory:
        poller.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    if memory:
        poller.join()
    if proc.returncode not in ok:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(map(str, args))}\n{err.decode(errors='replace')}")
    return seconds, peak / 1024


def measure(row: Row, times: int, once: Callable[[int], float]) -> Row:
    for i in range(times):
        row.runs.append(once(i))
        print(f"  {row.label}: {row.runs[-1]:.2f}", file=sys.stderr, flush=True)
    return row


def qingdan(*args: str) -> list[str]:
    return [str(BIN / "qingdan"), *args]


def check_rows(corpus: Path, work: Path, runs: int) -> list[Row]:
    """The check figures: bundled, national cold (time, memory, against check-jsonschema), national warm."""
    bundled = measure(Row("check：随附清单目录（12 份，冷启动，--no-cache）", "s", 1.0), runs,
                      lambda _: run(qingdan("check", "catalogue", "--no-cache", "--as-of", AS_OF))[0])
    lists = sorted(str(p) for p in corpus.rglob("*.yaml") if p.name != "departments.yaml")
    cold = Row(f"check：全国语料（{len(lists)} 份，冷，--no-cache）", "s", 10.0)
    memory = Row("check：全国语料，峰值内存（各进程 PSS 之和）", "MiB", 1024)
    schema = Row("check-jsonschema：同样的文件，只对照 JSON Schema", "s", None)
    for i in range(runs):  # alternately, so both see the same load
        seconds, peak = run(qingdan("check", str(corpus), "--no-cache", "--as-of", AS_OF), memory=True)
        cold.runs.append(seconds)
        memory.runs.append(peak)
        print(f"  national check: {seconds:.2f} s, {peak:.0f} MiB", file=sys.stderr, flush=True)
        schema.runs.append(run([str(BIN / "check-jsonschema"), "--schemafile", str(ROOT / "schema" / "catalogue.schema.json"),
                                *lists])[0])
        print(f"  check-jsonschema: {schema.runs[-1]:.2f} s", file=sys.stderr, flush=True)
    ratio = Row("check 全国语料 ÷ check-jsonschema（每轮相除）", "", 0.5,
                [c / s for c, s in zip(cold.runs, schema.runs)])
    env = {**os.environ, "QINGDAN_CACHE": str(work / "check-cache")}
    run(qingdan("check", str(corpus), "--as-of", AS_OF), env=env)  # fills the cache
    warm = measure(Row("check：全国语料，无改动（缓存命中）", "s", 2.0), runs,
                   lambda _: run(qingdan("check", str(corpus), "--as-of", AS_OF), env=env)[0])
    return [bundled, cold, memory, schema, ratio, warm]


def build_rows(work: Path, runs: int) -> list[Row]:
    """The build figures, each on a copy of the bundled catalogue with a cache of its own."""
    catalogue = work / "catalogue"
    shutil.copytree(ROOT / "catalogue", catalogue)
    env = {**os.environ, "QINGDAN_CACHE": str(work / "build-cache")}

    def build(out: Path, environment: dict) -> float:
        return run(qingdan("build", str(catalogue), "--out", str(out), "--as-of", AS_OF), env=environment, ok=(0,))[0]

    def full(i: int) -> float:  # an empty cache and a new output folder every time
        return build(work / f"full-{i}", {**os.environ, "QINGDAN_CACHE": str(work / f"empty-cache-{i}")})

    out = work / "public"
    rows = [measure(Row("build：随附清单目录，完整构建（空缓存）", "s", 30.0), runs, full)]
    build(out, env)
    rows.append(measure(Row("build：无改动的重建", "s", 2.0), runs, lambda _: build(out, env)))
    city = catalogue / CITY
    original = city.read_text(encoding="utf-8")

    def one_city(i: int) -> float:
        city.write_text(original.replace("phone: 0592-12345", f"phone: 0592-{54321 + i}"), encoding="utf-8")
        return build(out, env)

    rows.append(measure(Row(f"build：改动一份市级清单（{CITY}）后重建", "s", 8.0), runs, one_city))
    return rows


def pdf_row(work: Path, runs: int) -> Row:
    """Rendering the official edition of one list, in this process (start-up and check excluded)."""
    sys.path.insert(0, str(ROOT))
    from compiler.checks import pipeline
    from compiler.publish import views as contexts
    from compiler.publish.render import pdf

    views = contexts.published(pipeline.check([ROOT / "catalogue"], dt.date.fromisoformat(AS_OF)))
    view = next(v for v in views if v.id == PDF_LIST)

    def once(i: int) -> float:
        started = time.perf_counter()
        pdf.render_list_pdf(view, work / f"{PDF_LIST}-{i}.pdf")
        return time.perf_counter() - started

    return measure(Row(f"一份清单的 PDF（{PDF_LIST} 正式版，进程内渲染）", "s", 1.5), runs, once)


def text_row(corpus: Path, runs: int) -> Row:
    """Reading the national corpus's texts, each distinct text once (bench/read_texts.py)."""
    row = Row("读条文：全国语料全部条款和服务对象（冷，每个不同的文本读一次）", "s", None)

    def once(i: int) -> float:
        out = subprocess.run([sys.executable, str(ROOT / "bench" / "read_texts.py"), str(corpus)],
                             check=True, capture_output=True, text=True).stdout.split()
        seconds, distinct, total = float(out[0]), int(out[1]), int(out[2])
        row.label = f"读条文：全国语料 {total} 段文本中不同的 {distinct} 段（冷，每段读一次）"
        return seconds
    return measure(row, runs, once)


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "?")
    load = " / ".join(f"{v:.2f}" for v in os.getloadavg())
    return f"{os.cpu_count()} 核（{model}），Python {platform.python_version()}，负载（1/5/15 分钟）{load}"


def table(rows: list[Row]) -> str:
    lines = ["| 项目 | 中位数 | 目标 | 中位数÷目标 | 各次 |", "| --- | --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    parser.add_argument("--corpus", type=Path, help="a national corpus already generated (default: generate one)")
    args = parser.parse_args(argv)
    if shutil.which("check-jsonschema", path=str(BIN)) is None:
        raise SystemExit("check-jsonschema is missing: run ./tasks bench (it installs the bench extra)")
    started = time.perf_counter()
    print(f"machine: {machine()}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="qingdan-bench-") as tmp:
        work = Path(tmp)
        corpus = args.corpus
        if corpus is None:
            corpus = work / "national"
            subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--out", str(corpus)], check=True,
                           stdout=subprocess.DEVNULL)
        rows = check_rows(corpus, work, args.runs)
        text = text_row(corpus, args.runs)
        print(f"text reading: {text.median:.2f} s ({text.label})")
        rows.append(text)
        rows += build_rows(work, args.runs)
        rows.append(pdf_row(work, args.runs))
    print(f"\n{dt.date.today()}，{machine()}；每项 {args.runs} 次，取中位数；共用时 {time.perf_counter() - started:.0f} 秒\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Measures qingdan against its performance targets and prints one table: the median of N runs.

    ./tasks bench                       # installs check-jsonschema, then runs this (3 runs)
    .venv/bin/python bench/run.py --runs 5 --corpus /tmp/national

What is measured (each a whole command, start-up included, unless it says otherwise):
  - the machine's speed at the start and at the end: a plain Python loop, in-process;
  - `check` of the bundled catalogue, without the cache;
  - `check` of a generated national corpus (bench/generate.py), without the cache; the peak
    memory of all its processes together (PSS, polled) in a run of its own, so that polling
    does not slow the timed runs;
  - the same files validated by check-jsonschema against qingdan's own JSON Schema, run
    alternately with the national check so both see the same machine load;
  - `check` of the national corpus again, answered from its cache (nothing changed);
  - `build` of a copy of the bundled catalogue with an empty cache of its own; a rebuild with
    nothing changed; a rebuild after one city list changed (a new phone number each time);
  - rendering one list's PDF (the official edition of the largest bundled list), in-process;
  - reading every text of the national corpus (compiler/text), in a fresh process each run:
    the part of a cold national `check` that the text checks add;
  - the national portal (unless --quick): `build --no-pdf` of the corpus with an empty cache, again
    after one city's list changed (its pages alone rendered again), again with nothing changed;
    the peak memory of the first two and the largest page (once each: minutes per run).
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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


def _installed(env: dict | None) -> dict:
    """The environment of a command as installed: bytecode is cached (PYTHONDONTWRITEBYTECODE would
    make every start-up compile qingdan and its libraries again, which no user's install does)."""
    found = dict(os.environ if env is None else env)
    found.pop("PYTHONDONTWRITEBYTECODE", None)
    return found


def run(args: list[str], *, cwd: Path = ROOT, env: dict | None = None, ok: tuple[int, ...] = (0, 1),
        memory: bool = False, every: float = 0.02) -> tuple[float, float]:
    """Seconds a command takes, and (if asked) the peak PSS of its processes together, in MiB, polled
    `every` seconds (reading the PSS of a process of gigabytes is itself work: poll a long command less often)."""
    env = _installed(env)
    peak = 0
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stop = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, sum(_pss_kib(p) for p in _descendants(proc.pid)))
            stop.wait(every)

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
    cold = Row(f"check：全国语料（{len(lists)} 份，冷，--no-cache）", "s", 5.0)
    memory = Row("check：全国语料，峰值内存（各进程 PSS 之和）", "MiB", 1024)
    schema = Row("check-jsonschema：同样的文件，只对照 JSON Schema", "s", None)
    args = qingdan("check", str(corpus), "--no-cache", "--as-of", AS_OF)
    for _ in range(runs):  # alternately, so both see the same load
        cold.runs.append(run(args)[0])  # timed without the memory poller, which takes part of a core
        print(f"  national check: {cold.runs[-1]:.2f} s", file=sys.stderr, flush=True)
        schema.runs.append(run([str(BIN / "check-jsonschema"), "--schemafile", str(ROOT / "schema" / "catalogue.schema.json"),
                                *lists])[0])
        print(f"  check-jsonschema: {schema.runs[-1]:.2f} s", file=sys.stderr, flush=True)
    ratio = Row("check 全国语料 ÷ check-jsonschema（每轮相除）", "", 0.5,
                [c / s for c, s in zip(cold.runs, schema.runs)])
    memory.runs.append(run(args, memory=True)[1])  # a run of its own: the poller slows what it measures
    print(f"  national check: {memory.runs[-1]:.0f} MiB", file=sys.stderr, flush=True)
    env = {**os.environ, "QINGDAN_CACHE": str(work / "check-cache")}
    run(qingdan("check", str(corpus), "--as-of", AS_OF), env=env)  # fills the caches
    warm = measure(Row("check：全国语料，无改动（缓存命中）", "s", 0.3), runs,
                   lambda _: run(qingdan("check", str(corpus), "--as-of", AS_OF), env=env)[0])
    return [bundled, cold, memory, schema, ratio, warm, *loop_rows(corpus, work, env, runs)]


def _clear_outputs(cache: Path) -> None:
    """Forget the whole outputs `check` remembers, keeping the per-file and per-list caches."""
    for entry in (cache / "check").glob("[0-9a-f]*"):
        entry.unlink()


def loop_rows(corpus: Path, work: Path, env: dict, runs: int) -> list[Row]:
    """What people wait for in a national repository: one file, one edit, small commands."""
    cache = Path(env["QINGDAN_CACHE"])
    county = sorted((corpus / "counties").rglob("*.yaml"))[0]
    original = county.read_text(encoding="utf-8")

    def one_file(_: int) -> float:  # its output not cached; the catalogue's index is (an earlier check made it)
        _clear_outputs(cache)
        return run(qingdan("check", str(county), "--as-of", AS_OF), env=env)[0]

    def one_file_no_cache(_: int) -> float:
        return run(qingdan("check", str(county), "--as-of", AS_OF, "--no-cache"))[0]

    def one_edit(i: int) -> float:
        county.write_text(original.replace('phone: "', f'phone: "9{i}', 1), encoding="utf-8")
        return run(qingdan("check", str(corpus), "--as-of", AS_OF), env=env)[0]

    rows = [measure(Row(f"check 一个县级文件（{county.name}，全国语料，索引已在缓存）", "s", 1.0), runs, one_file),
            measure(Row("check 一个县级文件，--no-cache（对照）", "s", None), 1, one_file_no_cache)]
    try:
        rows.append(measure(Row("check：全国语料，改动一个县级文件后", "s", 1.5), runs, one_edit))
    finally:
        county.write_text(original, encoding="utf-8")
    bundled = {**os.environ, "QINGDAN_CACHE": str(work / "bundled-cache")}
    run(qingdan("check", "catalogue", "--as-of", AS_OF), env=bundled)
    rows.append(measure(Row("check：随附清单目录（缓存命中）", "s", 0.25), runs,
                        lambda _: run(qingdan("check", "catalogue", "--as-of", AS_OF), env=bundled)[0]))
    rows.append(measure(Row("deadlines --issued 2025-01-09", "s", 0.15), runs,
                        lambda _: run(qingdan("deadlines", "--issued", "2025-01-09", "--as-of", AS_OF))[0]))
    rows.append(measure(Row("qingdan --help", "s", None), runs, lambda _: run(qingdan("--help"))[0]))
    return rows


SCALES = (0.25, 0.5, 1, 2)


def scaling_rows(work: Path, national: Path, runs: int) -> list[Row]:
    """A cold check (--no-cache) of generated corpora of ¼, ½, 1 and 2 national sizes: time and peak memory."""
    rows = []
    for scale in SCALES:
        corpus = national if scale == 1 else work / f"scale-{scale}"
        if scale != 1:
            subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--out", str(corpus), "--scale",
                            str(scale)], check=True, stdout=subprocess.DEVNULL)
        n = sum(1 for p in corpus.rglob("*.yaml") if p.name != "departments.yaml")
        seconds = Row(f"规模 {scale}×：check（{n} 份，冷，--no-cache）", "s", 5.0 * scale if scale != 1 else 5.0)
        memory = Row(f"规模 {scale}×：峰值内存", "MiB", 1024 if scale == 2 else None)
        args = qingdan("check", str(corpus), "--no-cache", "--as-of", AS_OF)
        for _ in range(1 if scale == 2 else runs):
            seconds.runs.append(run(args)[0])
        memory.runs.append(run(args, memory=True)[1])  # apart from the timed runs, as in `check_rows`
        print(f"  scale {scale}: {seconds.runs[-1]:.2f} s, {memory.runs[-1]:.0f} MiB", file=sys.stderr, flush=True)
        rows += [seconds, memory]
        if scale != 1:
            shutil.rmtree(corpus, ignore_errors=True)
    return rows


def portal_rows(work: Path, national: Path) -> list[Row]:
    """The national portal (`build --no-pdf`, a cache of its own): cold, after one list changed, with
    nothing changed; the peak memory of the first two (PSS of all processes); the largest page."""
    env = {**os.environ, "QINGDAN_CACHE": str(work / "portal-cache")}
    out = work / "portal"
    args = qingdan("build", str(national), "--out", str(out), "--no-pdf", "--as-of", AS_OF)
    seconds, peak = run(args, env=env, memory=True, every=0.5)
    cold = Row("build --no-pdf：全国门户（冷，空缓存）", "s", 120.0, [seconds])
    cold_memory = Row("build --no-pdf：全国门户（冷），峰值内存", "MiB", None, [peak])
    print(f"  portal: {seconds:.1f} s, {peak:.0f} MiB", file=sys.stderr, flush=True)
    pages = sorted((p.stat().st_size / 1024, str(p.relative_to(out))) for p in out.rglob("*.html"))
    largest = Row(f"全国门户：最大页面（{pages[-1][1]}，共 {len(pages)} 页）", "KiB", 200.0, [pages[-1][0]])
    city = sorted((national / "cities").rglob("*.yaml"))[0]
    original = city.read_text(encoding="utf-8")
    try:
        city.write_text(original.replace('phone: "', 'phone: "9', 1), encoding="utf-8")
        seconds, peak = run(args, env=env, memory=True, every=0.5)
        again = Row(f"build --no-pdf：全国门户，改动一份清单（{city.name}）后", "s", 15.0, [seconds])
        again_memory = Row("build --no-pdf：全国门户，改动一份清单后，峰值内存", "MiB", None, [peak])
        print(f"  portal, one list changed: {seconds:.1f} s, {peak:.0f} MiB", file=sys.stderr, flush=True)
        unchanged = Row("build --no-pdf：全国门户，无改动", "s", 0.8, [run(args, env=env)[0]])  # the edit still in place
    finally:
        city.write_text(original, encoding="utf-8")
    return [cold, cold_memory, again, again_memory, unchanged, largest]


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
    rows.append(measure(Row("build：无改动的重建", "s", 0.8), runs, lambda _: build(out, env)))
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


def speed_row(when: str) -> Row:
    """How fast this machine runs plain Python right now: the same loop on every machine and day, to
    compare figures across runs (a machine of this kind was seen to drift by 40% within hours)."""
    started = time.perf_counter()
    total = 0
    for i in range(30_000_000):
        total += i
    return Row(f"机器速度：纯 Python 循环（三千万次加法），{when}", "s", None, [time.perf_counter() - started])


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
    parser.add_argument("--quick", action="store_true", help="leave out the scaling and the national portal (minutes each)")
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
        rows = [speed_row("开始时")]
        rows += check_rows(corpus, work, args.runs)
        text = text_row(corpus, args.runs)
        print(f"text reading: {text.median:.2f} s ({text.label})")
        rows.append(text)
        rows += build_rows(work, args.runs)
        rows.append(pdf_row(work, args.runs))
        if not args.quick:
            rows += scaling_rows(work, corpus, args.runs)
            rows += portal_rows(work, corpus)
        rows.append(speed_row("结束时"))
    print(f"\n{dt.date.today()}，{machine()}；每项 {args.runs} 次，取中位数；共用时 {time.perf_counter() - started:.0f} 秒\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

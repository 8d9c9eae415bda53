"""The shards of one check: one in this process, or one per core in forked workers.

A large catalogue is shared out by floor tree (`partition`) and each worker loads and checks its
share in one go (`stream`). A few files are handed out in small runs to whichever worker is free
(`load`) and checked afterwards (`check`), each list by the worker that loaded it; so are the
lists a stream could not settle. Floors are the only documents that travel: a worker checking a
list whose floor another worker holds gets that floor, pickled once for all.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from compiler.checks.partition import partition
from compiler.checks.shard import Checked, CheckTask, Job, Loaded, Shard, Streamed, StreamTask, serve
from compiler.domain.corpus import ListHead
from compiler.source.catalogue_index import FileInfo

RUN = 24  # files handed to a worker at a time: small enough to balance, large enough to cost little
LOCAL = -1  # "held by the shard in this process"


class WorkerFailed(RuntimeError):
    """A worker raised or died; its traceback, when it sent one, is the message."""


class ShardPool:
    """Loads files and checks lists on its shards; `holder` says which shard holds each file."""

    def __init__(self, local: Shard, conns: list[Connection]) -> None:
        self.local = local
        self.conns = conns
        self.holder: dict[str, int] = {}

    def _ask(self, worker: int, kind: str, payload: object) -> Any:
        if worker == LOCAL:
            return getattr(self.local, kind)(payload)
        self.conns[worker].send((kind, payload))
        return self._reply(self.conns[worker])

    @staticmethod
    def _reply(conn: Connection) -> Any:
        try:
            status, value = conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerFailed("a check worker ended unexpectedly") from exc
        if status != "ok":
            raise WorkerFailed(value)
        return value

    def load(self, jobs: list[Job]) -> dict[str, FileInfo]:
        """Load and validate `jobs`; what each file is, by name."""
        if not self.conns:
            found = dict(self.local.load(jobs))
            self.holder.update(dict.fromkeys(found, LOCAL))
            return found
        runs = iter([jobs[i:i + RUN] for i in range(0, len(jobs), RUN)])
        pending: dict[Connection, int] = {}
        found = {}

        def hand(worker: int) -> None:
            run = next(runs, None)
            if run is not None:
                self.conns[worker].send(("load", run))
                pending[self.conns[worker]] = worker

        for worker in range(len(self.conns)):
            hand(worker)
        while pending:
            for conn in wait(list(pending)):
                assert isinstance(conn, Connection)
                worker = pending.pop(conn)
                for name, info in self._reply(conn):
                    found[name] = info
                    self.holder[name] = worker
                hand(worker)
        return found

    def stream(self, jobs: list[Job], reported: set[str], positions: dict[str, int],
               digests: dict[str, str | None]) -> Streamed:
        """Load `jobs`, shared out by floor tree, checking their lists as they go (`Shard.stream`)."""
        workers = list(range(len(self.conns))) or [LOCAL]
        shared = partition(jobs, len(workers))
        tasks = []
        for share in shared.shares:
            names = [name for _, name in share.files]
            tasks.append(StreamTask(share.groups, share.owned, reported & share.owned, shared.floors & set(names),
                                    {n: positions[n] for n in names}, {n: digests[n] for n in names}))
        for worker, task in zip(workers, tasks):
            if worker != LOCAL:
                self.conns[worker].send(("stream", task))
        done = Streamed()
        for worker, task in zip(workers, tasks):
            got = self.local.stream(task) if worker == LOCAL else self._reply(self.conns[worker])
            done.infos += got.infos
            done.checked.update(got.checked)
            self.holder.update(dict.fromkeys(task.owned, worker))
        return done

    def check(self, lists: list[Job], floors: dict[str, list[str]], paths: dict[str, Path], positions: dict[str, int],
              catalogue: list[ListHead], duplicates: list[tuple[Job, str]]) -> Checked:
        """Check `lists` (each with the names of its floors, `floors`) and report `duplicates`."""
        for name in dict.fromkeys(f for names in floors.values() for f in names):
            if name not in self.holder:  # a floor no shard loaded in this run: loaded here, sent from here
                self.local.load([(paths[name], name)])
                self.holder[name] = LOCAL
        workers = list(range(len(self.conns))) or [LOCAL]
        mine: dict[int, list[Job]] = {w: [] for w in workers}
        repeats: dict[int, list[tuple[Job, str]]] = {w: [] for w in workers}
        for k, job in enumerate(lists):  # by holder; a list no shard loaded goes round the workers
            mine[self._holder(job[1], workers, k)].append(job)
        for k, (job, first) in enumerate(duplicates):
            repeats[self._holder(job[1], workers, k)].append((job, first))
        tasks = {w: self._task(w, mine[w], floors, positions, catalogue, repeats[w]) for w in workers}
        for worker, task in tasks.items():
            if worker != LOCAL:
                self.conns[worker].send(("check", task))
        done = Checked()
        for worker, task in tasks.items():
            got = self.local.check(task) if worker == LOCAL else self._reply(self.conns[worker])
            done.lists.update(got.lists)
            done.duplicates.update(got.duplicates)
        return done

    def _holder(self, name: str, workers: list[int], k: int) -> int:
        held = self.holder.get(name)
        return held if held is not None and held in workers else workers[k % len(workers)]

    def _task(self, worker: int, lists: list[Job], floors: dict[str, list[str]], positions: dict[str, int],
              catalogue: list[ListHead], duplicates: list[tuple[Job, str]]) -> CheckTask:
        needed = sorted({f for _, name in lists for f in floors[name] if self.holder[f] != worker},
                        key=positions.__getitem__)
        sent = self._floors(needed)
        involved = {*(name for _, name in lists), *(name for name in {f for _, n in lists for f in floors[n]})}
        return CheckTask(lists, pickle.dumps(sent, protocol=pickle.HIGHEST_PROTOCOL),
                         {name: positions[name] for name in involved}, catalogue, duplicates)

    def _floors(self, names: list[str]) -> list[tuple[str, Loaded]]:
        """The floors `names`, from the shards that hold them."""
        by_worker: dict[int, list[str]] = {}
        for name in names:
            by_worker.setdefault(self.holder[name], []).append(name)
        found: dict[str, Loaded] = {}
        for worker, asked in by_worker.items():
            found.update(self._ask(worker, "give", asked))
        return [(name, found[name]) for name in names]


@contextmanager
def shard_pool(local: Shard, processes: int) -> Iterator[ShardPool]:
    """A pool of `processes` forked shards (none below two: the local shard does all)."""
    conns: list[Connection] = []
    procs: list[BaseProcess] = []
    if processes >= 2:
        context = multiprocessing.get_context("fork")
        for _ in range(processes):
            parent, child = context.Pipe()
            proc = context.Process(target=serve, args=(child, local), daemon=True)
            proc.start()
            child.close()
            conns.append(parent)
            procs.append(proc)
    try:
        yield ShardPool(local, conns)
    finally:
        for conn in conns:
            try:
                conn.send(("stop", None))
            except OSError:
                pass
            conn.close()
        for ended in procs:
            ended.join(timeout=5)
            if ended.is_alive():
                ended.terminate()
                ended.join()

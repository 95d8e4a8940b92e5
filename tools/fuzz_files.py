"""Mutation fuzzer for Veil's readers: does a hostile file ever escape the per-file contract?

The contract: a bad file gets a one-line error for that file and the batch goes on; an export
that fails leaves nothing in the output folder and never touches the original. This tool
mutates seed files (``tools/fuzz_mutate.py``: factory-made fixtures plus, read-only, camera
files from ``--corpus``), and on each mutant runs ``audit_file(metadata_only=True)``, and on
every ``--full-every``-th the full audit and on every ``--export-every``-th the one-process
``veil clean`` core (``export_batch``), in a worker process it kills after ``--timeout``
seconds. It records each exception that escapes, each hang (with the worker's stack),
each failed export that left a file behind and each changed input, grouped by signature
(kind, exception type, innermost Veil frame), and keeps the first mutant of each.

A development tool: it is not shipped and asserts nothing.

    nice -n 15 python tools/fuzz_files.py --minutes 20 --scratch /tmp/fuzz [--corpus DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import shutil
import sys
import time
import traceback
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from veil.core.model import FileReport

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.factories
sys.path.insert(0, str(Path(__file__).resolve().parent))  # fuzz_mutate

import fuzz_mutate  # noqa: E402 - after the path set-up above


def signature(kind: str, exc: BaseException) -> tuple[str, str]:
    """(signature, traceback text): kind, exception type and the innermost Veil frame."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/veil/" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    text = "".join(traceback.format_exception(exc))
    cls = type(exc)
    name = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"
    return f"{kind} {name} @ {where}", text


def _check_export(src: Path, out: Path) -> list[tuple[str, str]]:
    from veil.core.export import export_batch
    from veil.core.model import ExportOptions, ExportStatus

    before = hashlib.sha256(src.read_bytes()).hexdigest()
    problems: list[tuple[str, str]] = []
    try:
        results = list(export_batch([src], out, ExportOptions()))
    except Exception as exc:  # the contract says never: record where it escaped
        return [signature("export-raise", exc)]
    left = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    for r in results:
        if r.status is not ExportStatus.CLEANED and left:
            problems.append((f"export-leftover {r.status}", f"{r.error}\nleft: {left}"))
        if r.status is ExportStatus.CLEANED and (r.output is None or not r.output.exists()):
            problems.append(("export-missing-output", str(r)))
        if r.error and "\n" in r.error:
            problems.append(("export-multiline-error", r.error))
        if r.error and "internal error" in r.error:  # a reader bug the export's net caught
            problems.append((f"export-internal {r.error[:60]}", r.error))
    if hashlib.sha256(src.read_bytes()).hexdigest() != before:
        problems.append(("export-touched-input", str(src)))
    return problems


def _audit(src: Path, metadata_only: bool) -> FileReport:
    """``audit_file`` without its last-resort boundary, so a reader's bug shows its stack."""
    from veil.core.audit import audit_metadata, load_metadata

    meta = load_metadata(src)
    if isinstance(meta, FileReport):
        return meta
    return audit_metadata(src, meta, metadata_only=metadata_only)


def _run_one(src: Path, out: Path, full: bool, export: bool) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for kind, meta_only in (("audit-meta", True), ("audit-full", False))[: 1 + full]:
        try:
            report = _audit(src, meta_only)
        except Exception as exc:  # the contract says never: record where it escaped
            problems.append(signature(kind, exc))
            continue
        if report.error and "\n" in report.error:
            problems.append((f"{kind} multiline-error", report.error))
        if kind == "audit-meta":
            problems.append(("", f"outcome {report.status}"))  # counted, not a problem
        if report.status == "error" and report.risk.value != "unknown":
            problems.append((f"{kind} error-not-unknown", str(report.risk)))
    if export:
        shutil.rmtree(out, ignore_errors=True)
        problems.extend(_check_export(src, out))
    return problems


def worker(conn: Connection, stacks: str) -> None:
    """Run jobs from ``conn`` until None; a hang dumps this process's stack to ``stacks``."""
    import faulthandler
    import warnings

    warnings.simplefilter("ignore")
    with open(stacks, "w") as dump:
        while (job := conn.recv()) is not None:
            src, out, full, export, timeout = job
            faulthandler.dump_traceback_later(max(1.0, timeout - 1), file=dump)
            problems = _run_one(Path(src), Path(out), full, export)
            faulthandler.cancel_dump_traceback_later()
            conn.send(problems)


class Runner:
    """One worker process, restarted after a hang."""

    def __init__(self, scratch: Path) -> None:
        self.stacks = str(scratch / "stacks.txt")
        self.ctx = multiprocessing.get_context("fork")
        self.death = ""
        self._start()

    def _start(self) -> None:
        self.conn, theirs = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=worker, args=(theirs, self.stacks), daemon=True)
        self.proc.start()

    def run(self, job: tuple[Any, ...], timeout: float) -> list[tuple[str, str]] | None:
        """The job's problems, or None when it ran over ``timeout`` or the worker died
        (``death`` then says how; the worker is restarted)."""
        self.death = ""
        self.conn.send(job)
        if self.conn.poll(timeout):
            try:
                return self.conn.recv()  # type: ignore[no-any-return]
            except EOFError:
                self.proc.join(1)
                self.death = f"worker-died exit={self.proc.exitcode}"
        self.proc.kill()
        self.proc.join()
        self._start()
        return None

    def close(self) -> None:
        self.conn.send(None)
        self.proc.join(5)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--scratch", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, action="append", default=[])
    ap.add_argument("--max-seed-size", type=int, default=400_000)
    ap.add_argument("--full-every", type=int, default=8)
    ap.add_argument("--export-every", type=int, default=6)
    ap.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args(argv)
    scratch: Path = args.scratch
    (scratch / "crashes").mkdir(parents=True, exist_ok=True)
    seeds = list(fuzz_mutate.factory_seeds()) + list(fuzz_mutate.clip_seed(scratch))
    for folder in args.corpus:
        seeds += list(fuzz_mutate.folder_seeds(folder, args.max_seed_size))
    print(f"{len(seeds)} seeds", flush=True)
    rng = random.Random(args.seed)
    runner = Runner(scratch)
    found: dict[str, dict[str, Any]] = {}
    outcomes: Counter[str] = Counter()  # how many mutants still read "ok": a coverage hint
    deadline = time.monotonic() + 60 * args.minutes
    count = 0
    started = time.monotonic()
    while time.monotonic() < deadline:
        name, data = rng.choice(seeds)
        mutant, how = data, []
        for _ in range(rng.choice((1, 1, 1, 2, 3))):  # mostly one, sometimes stacked
            mutant, step = fuzz_mutate.mutate(mutant, rng)
            how.append(step)
            if len(mutant) < 2:
                break
        count += 1
        full, export = count % args.full_every == 0, count % args.export_every == 0
        src = scratch / ("m" + (Path(name).suffix or ".bin"))
        src.write_bytes(mutant)
        timeout = args.timeout * (1 + 2 * (full or export))  # a decode takes longer
        problems = runner.run((str(src), str(scratch / "out"), full, export, timeout), timeout)
        if problems is None:
            stack = Path(runner.stacks).read_text(errors="replace")[-3000:]
            problems = [(runner.death or f"hang>{timeout:.0f}s", stack)]
        for sig, text in problems:
            if not sig:
                outcomes[text] += 1
                continue
            entry = found.setdefault(sig, {"count": 0, "seed": name, "how": " ".join(how),
                                           "text": text})
            entry["count"] += 1
            if entry["count"] == 1:
                keep = scratch / "crashes" / f"{len(found):03d}{src.suffix}"
                keep.write_bytes(mutant)
                entry["file"] = str(keep)
                print(f"[{count}] NEW {sig}  ({name}, {entry['how']})", flush=True)
        if count % 500 == 0:
            print(f"[{count}] {time.monotonic() - started:.0f}s, {len(found)} signatures",
                  flush=True)
    runner.close()
    summary = {"mutants": count, "seconds": round(time.monotonic() - started),
               "seeds": len(seeds), "outcomes": dict(outcomes), "signatures": found}
    (scratch / "summary.json").write_text(json.dumps(summary, indent=1))
    print(f"{count} mutants of {len(seeds)} seeds in {summary['seconds']}s: "
          f"{len(found)} signatures; {dict(outcomes)}")
    for sig, entry in sorted(found.items(), key=lambda kv: -kv[1]["count"]):
        print(f"{entry['count']:6d}  {sig}  e.g. {entry['file']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

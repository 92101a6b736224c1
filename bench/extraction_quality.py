"""Article-body extraction quality on the 181 pages of scrapinghub's benchmark.

Scored exactly the way the benchmark's own evaluate.py scores (re-implemented below, same
rules): text split into `\\w+` tokens, 4-token shingles counted with multiplicity, true/false
positives and negatives per page normalised by their sum, precision and recall averaged over
pages (pages with no predicted / no true shingles left out of the respective average), F1 from
the two averages, and the ± from 1,000 bootstrap resamples of the pages.

Rows measured in this run: Shpalta's HTML importer (what it stores as the body's plain text)
and trafilatura's plain-text output with the settings tried for it. Beside them, the figures
published in the benchmark's README, and the scores of its two bundled outputs recomputed here
(which checks this scorer against the published numbers). Writes
bench/results/extraction_quality.json.
"""

import argparse
import gzip
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "data" / "extraction" / "scrapinghub-article-extraction-benchmark"
RESULTS = ROOT / "bench" / "results" / "extraction_quality.json"

# trafilatura settings tried (plain-text output, comments off as in the benchmark's runner)
VARIANTS = {
    "trafilatura defaults (as published)": {},
    "trafilatura favor_recall": {"favor_recall": True},
    "trafilatura favor_precision": {"favor_precision": True},
    "trafilatura favor_precision, no tables": {"favor_precision": True, "include_tables": False},
    "trafilatura fast (no fallbacks)": {"fast": True},
    "trafilatura favor_precision + fast": {"favor_precision": True, "fast": True},
}
SHPALTA = "shpalta html importer"

# --- scoring: the benchmark's evaluate.py rules -------------------------------------------

_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def tokenize(text: str) -> list[str]:
    return _TOKEN_RE.findall(text or "")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = tokenize(text)
    grams = (tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    t, p = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for key in set(t) | set(p):
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total > 0 else (tp, fp, fn)


def precision_score(tp, fp, fn) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp, fp, fn) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def metrics(rows: list[tuple[float, float, float]]) -> dict[str, float]:
    precision = statistics.mean(precision_score(*r) for r in rows if r[0] + r[1] > 0)
    recall = statistics.mean(recall_score(*r) for r in rows if r[0] + r[2] > 0)
    return {
        "f1": 2 * precision * recall / (precision + recall),
        "precision": precision,
        "recall": recall,
    }


def evaluate(truth: dict, predicted: dict[str, str], n_bootstrap: int) -> dict:
    keys = sorted(truth)
    rows = [tp_fp_fn(truth[k].get("articleBody", ""), predicted.get(k) or "") for k in keys]
    accuracy = [
        float(tokenize(truth[k].get("articleBody", "")) == tokenize(predicted.get(k) or ""))
        for k in keys
    ]
    result = metrics(rows) | {"accuracy": statistics.mean(accuracy)}
    rng = random.Random(0)
    samples: dict[str, list[float]] = {}
    for _ in range(n_bootstrap):
        picks = [rng.randrange(len(rows)) for _ in rows]
        for name, value in metrics([rows[i] for i in picks]).items():
            samples.setdefault(name, []).append(value)
        samples.setdefault("accuracy", []).append(statistics.mean(accuracy[i] for i in picks))
    for name, values in samples.items():
        result[f"{name}_std"] = statistics.stdev(values) if len(values) > 1 else 0.0
    return result


# --- extraction ---------------------------------------------------------------------------


def _setup_django() -> None:
    os.environ.setdefault("SHPALTA_DATA_DIR", tempfile.mkdtemp(prefix="shpalta-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shpalta.settings")
    import django

    django.setup()


def _page(path: Path) -> str:
    with gzip.open(path, "rt", encoding="utf8") as handle:
        return handle.read()


def _run_one(job: tuple[str, str]) -> tuple[str, str]:
    import logging
    import warnings

    logging.disable(logging.WARNING)  # trafilatura warns about every odd link

    import trafilatura

    name, path = job
    html = _page(Path(path))
    key = Path(path).name.split(".")[0]
    warnings.simplefilter("ignore")
    if name == SHPALTA:
        _setup_django()
        from shpalta.importers.html import extract_text

        return key, extract_text(html)
    options = {"include_comments": False} | VARIANTS[name]
    return key, trafilatura.extract(html, **options) or ""


def extract_all(name: str, pages: list[Path], jobs: int) -> tuple[dict[str, str], float]:
    started = time.perf_counter()
    with Pool(jobs) as pool:
        out = dict(pool.map(_run_one, [(name, str(p)) for p in pages], chunksize=4))
    return out, time.perf_counter() - started


# --- published figures --------------------------------------------------------------------

_ROW = re.compile(
    r"^\s{4}(\S+)\s+(\S+)\s+([\d.]+) ± ([\d.]+)\s+([\d.]+) ± ([\d.]+)\s+([\d.]+) ± ([\d.]+)"
)


def published(readme: Path) -> list[dict]:
    """The README's latest results table (the first one after 'Results of the latest')."""
    rows, inside = [], False
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("Results of the latest evaluation"):
            inside = True
            continue
        if inside and line.startswith("Results of"):
            break
        match = _ROW.match(line) if inside else None
        if match:
            name, version, f1, f1s, p, ps, r, rs = match.groups()
            rows.append({"name": name, "version": version, "f1": float(f1), "f1_std": float(f1s),
                         "precision": float(p), "precision_std": float(ps),
                         "recall": float(r), "recall_std": float(rs)})  # fmt: skip
    return rows


def bundled_outputs(data: Path) -> dict[str, dict[str, str]]:
    outputs = {}
    for path in sorted((data / "output").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw = raw.get("output", raw) if "output" in raw and "version" in raw else raw
        outputs[path.stem] = {k: (v or {}).get("articleBody") or "" for k, v in raw.items()}
    return outputs


def fmt(m: dict) -> str:
    return (
        f"{m['f1']:.3f} ± {m['f1_std']:.3f}  {m['precision']:.3f} ± {m['precision_std']:.3f}  "
        f"{m['recall']:.3f} ± {m['recall_std']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--only-shpalta", action="store_true", help="skip the variants")
    args = parser.parse_args()
    if not (args.data / "ground-truth.json").exists():
        print(f"skipped: {args.data} is missing")
        return
    import trafilatura

    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = sorted((args.data / "html").glob("*.html.gz"))
    assert {p.name.split(".")[0] for p in pages} == set(truth), "pages and ground truth differ"
    names = [SHPALTA] + ([] if args.only_shpalta else list(VARIANTS))
    measured = {}
    for name in names:
        predicted, seconds = extract_all(name, pages, args.jobs)
        measured[name] = evaluate(truth, predicted, args.bootstrap) | {"seconds": seconds}
    recomputed = {
        f"{name} (bundled output, rescored)": evaluate(truth, out, args.bootstrap)
        for name, out in bundled_outputs(args.data).items()
    }
    table = published(args.data / "README.rst")

    print(f"Article body extraction, {len(pages)} pages; trafilatura {trafilatura.__version__}")
    print(f"{'':46} {'F1':>13}  {'precision':>13}  {'recall':>13}  {'s':>5}")
    for name, m in measured.items():
        print(f"{name:46} {fmt(m)}  {m['seconds']:5.1f}")
    for name, m in recomputed.items():
        print(f"{name:46} {fmt(m)}")
    print("published (README, latest evaluation):")
    for row in sorted(table, key=lambda r: -r["f1"])[:10]:
        print(f"  {row['name'] + ' ' + row['version']:44} {fmt(row)}")
    best = measured[SHPALTA]["f1"]
    reference = next((r["f1"] for r in table if r["name"] == "trafilatura"), None)
    if reference is not None:
        verdict = (
            "ahead of"
            if round(best, 3) > reference
            else "matches"
            if round(best, 3) == reference
            else "behind"
        )
        print(f"shpalta F1 {best:.3f} {verdict} trafilatura's published {reference:.3f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"pages": len(pages), "trafilatura": trafilatura.__version__, "measured": measured,
             "bundled_rescored": recomputed, "published": table},
            indent=2, ensure_ascii=False,
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()

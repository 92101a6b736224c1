"""Article-body extraction on the 181 pages of scrapinghub's benchmark, cross-validated.

The HTML importer's settings must hold on pages nobody tuned them on, so every candidate is
judged by 5-fold cross-validation (pages shuffled with a fixed seed): for each fold, the value
of a setting is chosen on the other four folds and scored on this one. A setting (one aspect at
a time, the others at trafilatura's defaults) is kept only if the same value is chosen in every
fold and it beats trafilatura's default on the held-out pages with a paired 95% bootstrap
interval of the gain above zero; otherwise the default stays. Comments off and links/emphasis
kept are not tuned (the article body needs them); their effect is measured all the same.

Scored the way the benchmark's evaluate.py scores (re-implemented below, same rules): text
split into `\\w+` tokens, 4-token shingles counted with multiplicity, true/false positives and
negatives per page normalised by their sum, precision and recall averaged over pages, F1 from
the two averages. Intervals: 95% percentile bootstrap over pages (1,000 resamples).

Printed: the per-aspect verdicts; then F1 tuned-in-fold (on the four folds a row was tuned on,
mean over folds) beside held-out (each page scored by settings not tuned on its fold) for the
importer as shipped, the whole grid tuned in each fold, the old tuned settings and trafilatura's
defaults, all measured in this run; then a scorer check against the benchmark's published
figures. Writes bench/results/extraction_quality.json.
"""

import argparse
import copy
import gzip
import itertools
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
IN_CI = os.environ.get("CI") == "true" or os.environ.get("SHPALTA_REQUIRE_SERVICES") == "1"

# Tuned aspects: value -> trafilatura options (or, for the headline, the importer's rule);
# the first value is trafilatura's default.
TUNED = {
    "precision/recall": {
        "balanced": {},
        "favor_precision": {"favor_precision": True},
        "favor_recall": {"favor_recall": True},
    },
    "tables": {"kept": {}, "dropped": {"include_tables": False}},
    "fallback extractors": {"on": {}, "off (fast)": {"fast": True}},
    "repeated headline": {"kept": {}, "dropped": {}},  # importers.html's post-processing
}
# Not tuned (what the stored article needs): trafilatura's default first, then the required value.
REQUIRED = {
    "comments": {"kept": {"include_comments": True}, "dropped": {"include_comments": False}},
    "links, emphasis": {
        "off": {},
        "kept": {"include_formatting": True, "include_links": True},
    },
}
BASE = {a: list(v)[0] for a, v in TUNED.items()} | {a: list(v)[1] for a, v in REQUIRED.items()}
OLD = BASE | {"precision/recall": "favor_precision", "repeated headline": "dropped"}
SHIPPED = "shpalta html importer as shipped"
TRAFILATURA = "trafilatura defaults, comments off (as the benchmark runs it)"
PLAIN = "trafilatura.extract() with no arguments (comments kept)"


def name(config: dict) -> str:
    return "; ".join(f"{a}={v}" for a, v in config.items())


def options(config: dict) -> dict:
    """trafilatura's options for a configuration (the headline rule is not one of them)."""
    out = {}
    for aspect, values in itertools.chain(TUNED.items(), REQUIRED.items()):
        out |= values[config[aspect]]
    return out


def configurations() -> list[dict]:
    """The whole tuned grid (required aspects at their required values), plus each required
    aspect at trafilatura's default."""
    grid = [
        BASE | dict(zip(TUNED, values, strict=True))
        for values in itertools.product(*TUNED.values())
    ]
    return grid + [BASE | {a: list(v)[0]} for a, v in REQUIRED.items()]


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


def f1(rows) -> float:
    return metrics(rows)["f1"]


def interval(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[int(0.025 * len(ordered))], ordered[int(0.975 * len(ordered)) - 1]


def resamples(n_pages: int, n_bootstrap: int) -> list[list[int]]:
    """The same page resamples for every row, so paired differences are paired."""
    rng = random.Random(0)
    return [[rng.randrange(n_pages) for _ in range(n_pages)] for _ in range(n_bootstrap)]


def evaluate_std(truth: dict, predicted: dict[str, str], picks: list[list[int]]) -> dict:
    """F1/precision/recall with the benchmark's ± (bootstrap standard deviation)."""
    keys = sorted(truth)
    rows = [tp_fp_fn(truth[k].get("articleBody", ""), predicted.get(k) or "") for k in keys]
    result = metrics(rows)
    samples = [metrics([rows[i] for i in pick]) for pick in picks]
    for key in list(result):
        result[f"{key}_std"] = statistics.stdev(s[key] for s in samples)
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


def _run_one(path: str) -> tuple[str, dict[str, str]]:
    """Every row's text for one page: the importer with each configuration (one trafilatura
    run per set of options, the headline rule applied to a copy of its document), the
    importer as shipped, and trafilatura's own plain-text output."""
    import logging
    import warnings

    logging.disable(logging.WARNING)  # trafilatura warns about every odd link
    warnings.simplefilter("ignore")
    _setup_django()
    import trafilatura

    from shpalta.importers import html

    markup = _page(Path(path))
    out, documents = {}, {}
    for config in configurations():
        wanted = options(config)
        key = json.dumps(wanted, sort_keys=True)
        if key not in documents:
            documents[key] = trafilatura.bare_extraction(markup, with_metadata=True, **wanted)
        drop = config["repeated headline"] == "dropped"
        page = html.page_of(copy.deepcopy(documents[key]), drop_headline=drop)
        out[name(config)] = html.page_text(page)
    out[SHIPPED] = html.extract_text(markup)
    out[TRAFILATURA] = trafilatura.extract(markup, include_comments=False) or ""
    out[PLAIN] = trafilatura.extract(markup) or ""
    return Path(path).name.split(".")[0], out


def extract_all(pages: list[Path], jobs: int) -> dict[str, dict[str, str]]:
    """{row: {page: text}}, with a progress line (it takes a minute or two)."""
    texts: dict[str, dict[str, str]] = {}
    with Pool(jobs) as pool:
        for done, (key, out) in enumerate(pool.imap_unordered(_run_one, map(str, pages)), 1):
            for row, text in out.items():
                texts.setdefault(row, {})[key] = text
            if done % 20 == 0 or done == len(pages):
                print(f"  extracted {done}/{len(pages)} pages", file=sys.stderr, flush=True)
    return texts


# --- cross-validation ---------------------------------------------------------------------


class Folds:
    """The pages split into k folds (shuffled with `seed`) and every row's per-page counts."""

    def __init__(self, rows: dict, k: int, seed: int, n_bootstrap: int):
        self.keys = sorted(next(iter(rows.values())))
        order = self.keys[:]
        random.Random(seed).shuffle(order)
        self.folds = [sorted(order[i::k]) for i in range(k)]
        self.rows = rows
        # held-out pages in one fixed order (fold by fold), for pooled rows and paired samples
        self.held_order = [p for fold in self.folds for p in fold]
        self.picks = resamples(len(self.held_order), n_bootstrap)

    def train(self, i: int) -> list[str]:
        return [p for j, fold in enumerate(self.folds) if j != i for p in fold]

    def score(self, row: str, pages: list[str]) -> float:
        return f1([self.rows[row][p] for p in pages])

    def held_out(self, choose) -> dict:
        """`choose(train_pages) -> row` is run per fold; its row scores that fold's pages."""
        chosen = [choose(self.train(i)) for i in range(len(self.folds))]
        pooled = [self.rows[r][p] for r, fold in zip(chosen, self.folds, strict=True) for p in fold]
        in_fold = [self.score(r, self.train(i)) for i, r in enumerate(chosen)]
        per_fold = [self.score(r, fold) for r, fold in zip(chosen, self.folds, strict=True)]
        samples = [metrics([pooled[i] for i in pick]) for pick in self.picks]
        return {
            "chosen": chosen,
            "pooled": pooled,
            "in_fold_f1": statistics.mean(in_fold),
            "per_fold_f1": per_fold,
            "held_out": metrics(pooled),
            "f1_interval": interval([s["f1"] for s in samples]),
        }

    def gain(self, ours: dict, theirs: dict) -> dict:
        """Held-out F1 of `ours` minus `theirs`, paired over the same resampled pages."""
        a, b = ours["pooled"], theirs["pooled"]
        diffs = [f1([a[i] for i in pick]) - f1([b[i] for i in pick]) for pick in self.picks]
        won = sum(x > y for x, y in zip(ours["per_fold_f1"], theirs["per_fold_f1"], strict=True))
        return {"gain": f1(a) - f1(b), "interval": interval(diffs), "folds_won": won}


def score_all(truth: dict, texts: dict) -> dict:
    """{row: {page: (tp, fp, fn)}}."""
    return {
        row: {p: tp_fp_fn(truth[p].get("articleBody", ""), t.get(p, "")) for p in truth}
        for row, t in texts.items()
    }


def decide(folds: Folds) -> tuple[dict, list[dict]]:
    """Each tuned aspect chosen on the training folds (others at trafilatura's defaults) and
    kept only if it wins held-out; each required aspect's held-out effect."""
    base = folds.held_out(lambda train: name(BASE))
    chosen, verdicts = dict(BASE), []
    for aspect, values in TUNED.items():
        candidates = [name(BASE | {aspect: v}) for v in values]  # default first: wins ties

        def best(train, candidates=candidates):
            return max(candidates, key=lambda row: folds.score(row, train))

        result = folds.held_out(best)
        picked = [
            dict(part.split("=", 1) for part in r.split("; "))[aspect] for r in result["chosen"]
        ]
        gain = folds.gain(result, base)
        keep = len(set(picked)) == 1 and picked[0] != list(values)[0] and gain["interval"][0] > 0
        if keep:
            chosen[aspect] = picked[0]
        verdict = f"kept: {picked[0]}" if keep else f"trafilatura's default: {list(values)[0]}"
        verdicts.append({"aspect": aspect, "picked": picked, "verdict": verdict} | gain)
    for aspect, values in REQUIRED.items():
        default_row = name(BASE | {aspect: list(values)[0]})
        default = folds.held_out(lambda train, row=default_row: row)
        gain = folds.gain(base, default)
        verdicts.append(
            {"aspect": aspect, "picked": [BASE[aspect]] * len(folds.folds),
             "verdict": f"required: {BASE[aspect]}"} | gain
        )  # fmt: skip
    return chosen, verdicts


# --- published figures (the scorer check) ---------------------------------------------------

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


def fmt_std(m: dict) -> str:
    return (
        f"{m['f1']:.3f} ± {m['f1_std']:.3f}  {m['precision']:.3f} ± {m['precision_std']:.3f}  "
        f"{m['recall']:.3f} ± {m['recall_std']:.3f}"
    )


# --- the report -----------------------------------------------------------------------------


def differs_from_shipped(chosen: dict) -> list[str]:
    """Where the importer's settings are not what cross-validation chose."""
    _setup_django()
    from shpalta.importers import html

    wanted = options(chosen)
    shipped = dict(html.EXTRACTION)
    problems = (
        [f"EXTRACTION is {shipped}, cross-validation chose {wanted}"] if shipped != wanted else []
    )
    drop = chosen["repeated headline"] == "dropped"
    if drop != html.DROP_REPEATED_HEADLINE:
        problems.append(f"DROP_REPEATED_HEADLINE is {html.DROP_REPEATED_HEADLINE}, chose {drop}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0, help="the fold split's seed")
    parser.add_argument(
        "--other-seeds", type=int, default=4, help="re-decide with this many other fold splits"
    )
    args = parser.parse_args()
    if not (args.data / "ground-truth.json").exists():
        message = f"{args.data} is missing: the benchmark reads ../shared/data beside the checkout"
        if IN_CI:
            sys.exit(message)
        print(f"skipped: {message}")
        return
    import trafilatura

    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = sorted((args.data / "html").glob("*.html.gz"))
    assert {p.name.split(".")[0] for p in pages} == set(truth), "pages and ground truth differ"
    started = time.perf_counter()
    texts = extract_all(pages, args.jobs)
    seconds = time.perf_counter() - started
    scored = score_all(truth, texts)
    folds = Folds(scored, args.folds, args.seed, args.bootstrap)
    chosen, verdicts = decide(folds)
    grid = [name(c) for c in configurations() if all(c[a] == BASE[a] for a in REQUIRED)]
    fixed = {
        SHIPPED: SHIPPED,
        "chosen by the rule above": name(chosen),
        "old settings (tuned on all 181 pages, so not held out)": name(OLD),
        TRAFILATURA: TRAFILATURA,
        PLAIN: PLAIN,
    }
    rows = {label: folds.held_out(lambda train, r=row: r) for label, row in fixed.items()}
    rows = {
        "whole grid (24 settings) tuned in each fold": folds.held_out(
            lambda train: max(grid, key=lambda row: folds.score(row, train))
        )
    } | rows
    versus = folds.gain(rows[SHIPPED], rows[TRAFILATURA])

    print(
        f"Article body extraction, {len(pages)} pages in {args.folds} folds (seed {args.seed}); "
        f"trafilatura {trafilatura.__version__}; extraction {seconds:.0f} s"
    )
    print("Each aspect chosen on the training folds (others at trafilatura's defaults), scored")
    print("held out; kept only if one value wins every fold's choice and its gain's 95% CI > 0:")
    print(f"  {'aspect':22} {'held-out F1 gain [95% CI]':29} {'folds won':9}  verdict")
    for v in verdicts:
        low, high = v["interval"]
        gain = f"{v['gain']:+.4f} [{low:+.4f}, {high:+.4f}]"
        picked = ", ".join(f"{p}×{v['picked'].count(p)}" for p in dict.fromkeys(v["picked"]))
        print(f"  {v['aspect']:22} {gain:29} {v['folds_won']}/{args.folds}        "
              f"{v['verdict']} (chosen: {picked})")  # fmt: skip
    for other in range(args.seed + 1, args.seed + 1 + args.other_seeds):
        kept, _ = decide(Folds(scored, args.folds, other, args.bootstrap))
        changed = {a: v for a, v in kept.items() if v != BASE[a]}
        print(f"  same rule, folds shuffled with seed {other}: kept {changed or 'nothing'}")
    print()
    print(f"  {'':62} {'tuned-in-fold':>13}  {'held-out F1 [95% CI]':<23}  "
          f"{'precision':>9}  {'recall':>6}  {'folds min–max':>13}")  # fmt: skip
    for label, r in rows.items():
        low, high = r["f1_interval"]
        held = r["held_out"]
        print(f"  {label:62} {r['in_fold_f1']:13.4f}  {held['f1']:.4f} [{low:.4f}, {high:.4f}]  "
              f"{held['precision']:9.4f}  {held['recall']:6.4f}  "
              f"{min(r['per_fold_f1']):.3f}–{max(r['per_fold_f1']):.3f}")  # fmt: skip
    low, high = versus["interval"]
    print(f"shipped importer − trafilatura defaults, held out: {versus['gain']:+.4f} "
          f"[{low:+.4f}, {high:+.4f}], ahead in {versus['folds_won']}/{args.folds} folds"
    )  # fmt: skip
    _setup_django()
    from shpalta.importers.html import MIN_WORDS

    refused = sum(1 for p in truth if not texts[SHIPPED][p] and texts[TRAFILATURA][p])
    print(f"pages refused for fewer than {MIN_WORDS} words where trafilatura found text: {refused}")
    problems = differs_from_shipped(chosen)
    print(
        "importer's settings: " + ("; ".join(problems) if problems else "as cross-validation chose")
    )

    table = published(args.data / "README.rst")
    picks = resamples(len(truth), args.bootstrap)
    recomputed = {
        n: evaluate_std(truth, out, picks) for n, out in bundled_outputs(args.data).items()
    }
    print("scorer check (bundled outputs rescored here | published F1):")
    for bundled, m in recomputed.items():
        ref = next((r for r in table if r["name"] == bundled), None)
        print(
            f"  {bundled:20} {fmt_std(m)}  |  {ref['f1']:.3f}"
            if ref
            else f"  {bundled:20} {fmt_std(m)}"
        )

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"pages": len(pages), "folds": args.folds, "seed": args.seed,
             "trafilatura": trafilatura.__version__, "chosen": chosen, "aspects": verdicts,
             "rows": {k: {x: y for x, y in r.items() if x != "pooled"} for k, r in rows.items()},
             "shipped_minus_trafilatura": versus, "importer_settings_problems": problems,
             "bundled_rescored": recomputed, "published": table},
            indent=2, ensure_ascii=False,
        )
    )  # fmt: skip
    if problems:
        sys.exit("the importer's settings differ from what cross-validation chose")


if __name__ == "__main__":
    main()

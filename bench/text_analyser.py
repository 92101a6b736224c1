"""Speed and memory of the Ukrainian text analyser on the real news in ../shared/data.

Prints words per second for a cold cache (first pass: every distinct word meets pymorphy3 and,
where ambiguous, simplemma) and a warm cache (the steady state of a running site), plus the
resident memory the dictionaries and caches take. Writes bench/results/text_analyser.json.
"""

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "data" / "uk-news" / "articles.jsonl"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [f"{row['title']}. {row['text']}" for row in map(json.loads, handle)]


def timed(function, corpus) -> tuple[float, int]:
    started = time.perf_counter()
    words = sum(len(function(text)) for text in corpus)
    return time.perf_counter() - started, words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    if not args.data.exists():
        print(f"skipped: {args.data} is missing")
        return
    base_mb = rss_mb()
    from shpalta.text import analyser, lemmas

    corpus = texts(args.data)
    tokens = sum(len(analyser.tokenise(t)) for t in corpus)
    rows = []
    t, _ = timed(analyser.tokenise, corpus)
    rows.append(("tokenise + normalise", t, tokens))
    t, _ = timed(analyser.index_terms, corpus)
    rows.append(("index_terms, cold cache", t, tokens))
    t, _ = timed(analyser.index_terms, corpus)
    rows.append(("index_terms, warm cache", t, tokens))
    t, _ = timed(analyser.analyse, corpus)
    rows.append(("analyse, first pass (simplemma loads)", t, tokens))
    t, _ = timed(analyser.analyse, corpus)
    rows.append(("analyse, warm cache", t, tokens))
    memory = {
        "rss_before_mb": round(base_mb, 1),
        "rss_after_mb": round(rss_mb(), 1),
        "cached_words": lemmas.candidates.cache_info().currsize,
    }
    print(f"{len(corpus)} articles, {tokens:,} tokens ({args.data.name})")
    print(f"{'step':40} {'seconds':>8} {'words/s':>10}")
    results = []
    for name, seconds, words in rows:
        print(f"{name:40} {seconds:8.2f} {words / seconds:10,.0f}")
        results.append({"step": name, "seconds": seconds, "words_per_second": words / seconds})
    print(
        f"memory: {memory['rss_before_mb']} MB before import, {memory['rss_after_mb']} MB after "
        f"({memory['cached_words']:,} distinct words cached)"
    )
    out = ROOT / "bench" / "results" / "text_analyser.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"rows": results, "memory": memory}, indent=2))


if __name__ == "__main__":
    main()

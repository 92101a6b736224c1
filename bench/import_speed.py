"""WordPress import throughput and memory on a generated export.

Generates a WXR 1.2 export of N posts (default 10,000) from the real Ukrainian news texts in
../shared/data/uk-news (nested categories, tags, authors, featured images, captions, block and
classic bodies, drafts and scheduled posts), then, each in a fresh child process so peak
memory is its own:
  * parse: both streaming passes, no database (the parser's own cost and memory);
  * import: the WXR importer into a fresh SQLite database with every reaction of the site on
    and every task run inline (the default setup), then a second run of the same file (all
    skipped). The bulk path (batches of 500, related lists rebuilt once at the end) imports the
    full export; the in-run baseline is the former path, `--one-by-one` (a transaction and
    every per-article update per post), on a smaller export (`--sync-posts`), which the bulk
    path also imports for a like-for-like row. The bulk path also imports a middle-sized export
    (`--mid-posts`, 2,000), and `--before REV` imports it with another commit's importer too
    (`--before-full`: the full export as well), as the in-run baseline of a change.
For each import: the seconds it waited for a CPU (the machine's other programs), and its time
and memory when the posts were written (after the last batch's reactions, before the related
lists are computed): peak, the heap (anonymous memory) and the file pages of SQLite's
memory-mapped database, which grow with the database.
CPU seconds of the child are printed beside wall time: the machine may be shared, and posts per
CPU second are what other programs' load disturbs least.
The parse is also run on an export 4x larger to show that memory stays flat as the file grows
(`--big` makes that 100,000 posts). Writes bench/results/import_speed.json.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
NEWS = ROOT.parent / "shared" / "data" / "uk-news" / "articles.jsonl"
RESULTS = ROOT / "bench" / "results" / "import_speed.json"
SITE = "https://staryi-sait.example.com.ua"


def load_texts() -> list[tuple[str, str]]:
    if NEWS.exists():
        with NEWS.open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        return [(r["title"], r["text"]) for r in rows if r["text"].strip()]
    words = [
        "Київ",
        "Україна",
        "уряд",
        "новини",
        "сьогодні",
        "заявив",
        "міністр",
        "президент",
        "рада",
        "область",
    ]
    return [(f"Новина {i}", " ".join(words * 30)) for i in range(50)]


def paragraphs(text: str, size: int = 3) -> list[str]:
    sentences = [s.strip() for s in text.replace("\n", " ").split(". ") if s.strip()]
    return [". ".join(sentences[i : i + size]) + "." for i in range(0, len(sentences), size)]


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def body(n: int, text: str, image: str) -> str:
    parts = paragraphs(text)[:12]
    if n % 3 == 0:  # block editor
        blocks = [
            f"<!-- wp:paragraph -->\n<p>{escape(p)}</p>\n<!-- /wp:paragraph -->" for p in parts
        ]
        return "\n\n".join(blocks)
    classic = "\n\n".join(escape(p) for p in parts)
    if n % 10 == 1:
        classic = (
            f'[caption id="attachment_{n}" align="alignnone" width="800"]<img src="{image}" '
            f'alt="Фото" width="800" height="450" /> Підпис до фото {n}[/caption]\n\n' + classic
        )
    return classic


def generate(path: Path, posts: int) -> None:
    texts = load_texts()
    parents = [f"rubryka-{i}" for i in range(8)]
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            f"<title>Старий сайт</title><link>{SITE}</link>\n"
            f"<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{SITE}</wp:base_site_url>"
            f"<wp:base_blog_url>{SITE}</wp:base_blog_url>\n"
        )
        for i in range(20):
            out.write(
                f"<wp:author><wp:author_id>{i + 1}</wp:author_id><wp:author_login>avtor{i}"
                f"</wp:author_login><wp:author_display_name>{cdata(f'Автор Номер {i}')}"
                "</wp:author_display_name></wp:author>\n"
            )
        for i, slug in enumerate(parents):
            out.write(
                f"<wp:category><wp:term_id>{i + 1}</wp:term_id><wp:category_nicename>{slug}"
                f"</wp:category_nicename><wp:category_parent></wp:category_parent>"
                f"<wp:cat_name>{cdata(f'Рубрика {i}')}</wp:cat_name></wp:category>\n"
            )
            for j in range(3):
                out.write(
                    f"<wp:category><wp:term_id>{100 + i * 3 + j}</wp:term_id><wp:category_nicename>"
                    f"{slug}-pidrubryka-{j}</wp:category_nicename><wp:category_parent>{slug}"
                    f"</wp:category_parent><wp:cat_name>{cdata(f'Підрубрика {i}.{j}')}"
                    "</wp:cat_name>"
                    "</wp:category>\n"
                )
        for n in range(1, posts + 1):
            title, text = texts[n % len(texts)]
            post_id = n * 2
            image = f"{SITE}/wp-content/uploads/2024/05/foto-{n}.jpg"
            status = "draft" if n % 20 == 0 else "future" if n % 20 == 1 else "publish"
            day = 1 + n % 28
            date = f"2024-{1 + n % 12:02d}-{day:02d} {n % 24:02d}:{n % 60:02d}:00"
            gmt = f"2024-{1 + n % 12:02d}-{day:02d} {(n % 24 + 21) % 24:02d}:{n % 60:02d}:00"
            parent = parents[n % len(parents)]
            category = parent if n % 2 else f"{parent}-pidrubryka-{n % 3}"
            tags = "".join(
                f'<category domain="post_tag" nicename="teh-{(n * k) % 300}">'
                f"{cdata(f'тег {(n * k) % 300}')}</category>"
                for k in (1, 7, 13)
            )
            thumb = ""
            if n % 5 == 0:
                thumb = (
                    "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                    f"<wp:meta_value>{post_id + 1}</wp:meta_value></wp:postmeta>"
                )
            out.write(
                f"<item><title>{escape(title)} ({n})</title>"
                f"<link>{SITE}/{date[:4]}/{date[5:7]}/{date[8:10]}/post-{n}/</link>"
                f"<dc:creator>avtor{n % 20}</dc:creator>"
                f"<content:encoded>{cdata(body(n, text, image))}</content:encoded>"
                f"<excerpt:encoded>{cdata('')}</excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{date}</wp:post_date>"
                f"<wp:post_date_gmt>{gmt}</wp:post_date_gmt><wp:post_name>post-{n}</wp:post_name>"
                f"<wp:status>{status}</wp:status><wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="{category}">{cdata(category)}</category>'
                f"{tags}{thumb}</item>\n"
            )
            if n % 5 == 0:
                out.write(
                    f"<item><title>foto-{n}</title><wp:post_id>{post_id + 1}</wp:post_id>"
                    f"<wp:post_parent>{post_id}</wp:post_parent><wp:post_type>attachment"
                    f"</wp:post_type><wp:status>inherit</wp:status>"
                    f"<wp:attachment_url>{image}</wp:attachment_url>"
                    f"<excerpt:encoded>{cdata(f'Підпис {n}')}</excerpt:encoded></item>\n"
                )
        out.write("</channel>\n</rss>\n")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def waited_seconds() -> float:
    """Time this process was runnable but waited for a CPU (Linux schedstat: run delay)."""
    try:
        return int(Path("/proc/self/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return float("nan")


def memory() -> dict:
    """Peak and current RSS, split into anonymous memory (the heap) and file pages (SQLite's
    memory-mapped database file, which grows with the database and the kernel may drop)."""
    wanted = {"VmHWM": "peak_mb", "RssAnon": "anon_mb", "RssFile": "file_mb"}
    found = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in wanted:
                found[wanted[name]] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return found


# --- children -----------------------------------------------------------------------------


def child(mode: str, path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shpalta.settings")
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from shpalta.importers import wxr

    if mode == "parse":
        started = time.perf_counter()
        channel = wxr.scan(Path(path))
        result = {"posts": sum(1 for _ in wxr.posts(Path(path), channel, "bench"))}
        result["seconds"] = time.perf_counter() - started
        result["cpu_seconds"] = cpu_seconds()
    else:
        from django.core.management import call_command

        from shpalta.news import signals

        call_command("migrate", verbosity=0)
        one_by_one = mode == "one-by-one"
        before_related = {}

        def posts_written(**kwargs):  # after each batch's reactions; the last one's counts
            before_related.update(memory(), cpu_seconds=cpu_seconds() - cpu)
            before_related["seconds"] = time.perf_counter() - started

        signals.articles_saved.connect(posts_written, weak=False)
        waited = waited_seconds()
        started, cpu = time.perf_counter(), cpu_seconds()
        report = wxr.import_wxr([path], one_by_one=one_by_one)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        waited = waited_seconds() - waited
        end = memory()
        started = time.perf_counter()
        again = wxr.import_wxr([path], one_by_one=one_by_one)
        result = {
            "summary": report.summary(),
            "rerun_summary": again.summary(),
            "seconds": seconds,
            "cpu_seconds": cpu,
            "rerun_seconds": time.perf_counter() - started,
            "posts": report.imported + report.updated + report.skipped + report.failed,
            "waited_for_cpu_seconds": waited,
            "before_related": before_related,
            "end_memory": end,
        }
    result["peak_rss_mb"] = peak_mb()
    print(json.dumps(result))


def run_child(
    mode: str, path: Path, data_dir: str, tasks: str = "immediate", script: str = __file__
) -> dict:
    env = os.environ | {"SHPALTA_DATA_DIR": data_dir, "SHPALTA_TASKS": tasks}
    out = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, script, "--child", mode, str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def before_tree(rev: str, work: Path) -> str:
    """The bench script of another commit (`git archive` of its src and bench, into the work
    directory; the checkout is not touched): its child runs that commit's importer."""
    tree = work / f"before-{rev}"
    tree.mkdir()
    archive = subprocess.run(  # noqa: S603, S607 - git, our own repository
        ["git", "-C", str(ROOT), "archive", rev, "src", "bench"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)  # noqa: S603, S607
    return str(tree / "bench" / "import_speed.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--mid-posts", type=int, default=2_000, help="a second bulk size")
    parser.add_argument("--big", action="store_true", help="parse-only run on 100,000 posts")
    parser.add_argument(
        "--sync-posts", type=int, default=500, help="posts imported with every task run inline"
    )
    parser.add_argument(
        "--before",
        metavar="REV",
        help="also import the --mid-posts export with the importer of this commit (in-run "
        "baseline of a change; e.g. HEAD~3)",
    )
    parser.add_argument(
        "--before-full", action="store_true", help="... and the --posts export as well"
    )
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    work = Path(tempfile.mkdtemp(prefix="shpalta-wxr-bench-"))
    export = work / f"export-{args.posts}.xml"
    started = time.perf_counter()
    generate(export, args.posts)
    generated = time.perf_counter() - started
    big_posts = 100_000 if args.big else args.posts * 4
    big = work / f"export-{big_posts}.xml"
    generate(big, big_posts)
    small = work / f"export-{args.sync_posts}.xml"
    generate(small, args.sync_posts)
    mid = work / f"export-{args.mid_posts}.xml"
    generate(mid, args.mid_posts)
    rows = {
        "parse": run_child("parse", export, str(work / "db-parse")),
        "parse_big": run_child("parse", big, str(work / "db-parse-big")),
        "import": run_child("bulk", export, str(work / "db-import")),
        "import_mid": run_child("bulk", mid, str(work / "db-mid")),
        "import_small": run_child("bulk", small, str(work / "db-small")),
        "import_inline": run_child("one-by-one", small, str(work / "db-inline")),
    }
    lines = [
        ("parse only (2 streamed passes)", rows["parse"]),
        (f"parse only, {big_posts:,} posts", rows["parse_big"]),
        ("bulk import, default setup (related rebuilt at end)", rows["import"]),
        ("bulk import, default setup", rows["import_mid"]),
        ("bulk import, default setup, small export", rows["import_small"]),
        ("baseline: --one-by-one, every task inline", rows["import_inline"]),
    ]
    if args.before:
        script = before_tree(args.before, work)
        rows["before_mid"] = run_child("bulk", mid, str(work / "db-before-mid"), script=script)
        lines.append((f"baseline: bulk import at {args.before}", rows["before_mid"]))
        if args.before_full:
            rows["before"] = run_child("bulk", export, str(work / "db-before"), script=script)
            lines.append((f"baseline: bulk import at {args.before}", rows["before"]))
    load = os.getloadavg()[0]
    size_mb = export.stat().st_size / 1e6
    print(f"WXR import, generated export of {args.posts:,} posts ({size_mb:.1f} MB, made in "
          f"{generated:.1f} s); {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs (load average {load:.1f} at the end), SQLite, every save "
          "signal on")  # fmt: skip
    print(f"{'run':52} {'posts':>7} {'seconds':>8} {'posts/s':>8} {'CPU s':>7} "
          f"{'posts/CPU s':>11} {'CPU wait s':>10} {'peak RSS MB':>11}")  # fmt: skip
    for name, row in lines:
        waited = row.get("waited_for_cpu_seconds", float("nan"))
        print(
            f"{name:52} {row['posts']:>7,} {row['seconds']:>8.1f} "
            f"{row['posts'] / row['seconds']:>8.0f} {row['cpu_seconds']:>7.1f} "
            f"{row['posts'] / row['cpu_seconds']:>11.0f} {waited:>10.1f} "
            f"{row['peak_rss_mb']:>11.0f}"
        )
    print("CPU wait: seconds the import was ready to run but waited for a core (schedstat).")
    print(f"{'when the posts were written (before related lists)':52} {'posts':>7} "
          f"{'seconds':>8} {'posts/s':>8} {'CPU s':>7} {'posts/CPU s':>11} {'peak MB':>8} "
          f"{'heap MB':>8} {'mmap MB':>8}")  # fmt: skip
    for name, row in lines:
        written = row.get("before_related")
        if written:
            print(
                f"{name:52} {row['posts']:>7,} {written['seconds']:>8.1f} "
                f"{row['posts'] / written['seconds']:>8.0f} {written['cpu_seconds']:>7.1f} "
                f"{row['posts'] / written['cpu_seconds']:>11.0f} {written['peak_mb']:>8.0f} "
                f"{written['anon_mb']:>8.0f} {written['file_mb']:>8.0f}"
            )
    print("heap: anonymous RSS; mmap: file pages in RSS (SQLite maps up to 256 MB of its file).")
    for name, key in (("bulk", "import"), ("one by one", "import_inline")):
        again = rows[key]
        print(
            f"{f're-run of the same file, {name} (all unchanged)':52} {again['posts']:>7,} "
            f"{again['rerun_seconds']:>8.1f} {again['posts'] / again['rerun_seconds']:>8.0f}"
        )
        print(f"  {name}: {again['summary']}; re-run: {again['rerun_summary']}")
    growth = rows["parse_big"]["peak_rss_mb"] - rows["parse"]["peak_rss_mb"]
    print(f"parser memory growth for {big_posts / args.posts:.0f}x the posts: {growth:+.0f} MB")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"posts": args.posts, "export_mb": size_mb, "big_posts": big_posts, "load": load,
             "mid_posts": args.mid_posts, "before": args.before, "runs": rows},
            indent=2,
        )
    )  # fmt: skip
    for path in (export, big, small, mid):
        path.unlink()


if __name__ == "__main__":
    main()

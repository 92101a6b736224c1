"""Lighthouse scores of the home page and an article page, served the way production serves.

A fresh data directory gets migrations, collected static files and the demo content; gunicorn
serves it with DEBUG off; Lighthouse 12.2.3 (npm, pinned in package.json / package-lock.json,
installed here into ./node_modules) drives Debian's chromium headless. Each page is audited
with Lighthouse's default mobile profile (simulated slow 4G, 4x CPU slowdown) and the desktop
preset. As the machine's baseline, the same server's minimal static HTML page is audited too.

    .venv/bin/python bench/lighthouse.py            # table + bench/results/lighthouse.json
    .venv/bin/python bench/lighthouse.py --strict   # exit 1 when a page scores under 95
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from _support import free_port, serving, site_env

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_VERSION = "12.2.3"
CHROMIUM = Path(os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGET = 95
RESULTS = ROOT / "bench" / "results"
BASELINE_HTML = """<!doctype html>
<html lang="uk"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Базова сторінка</title><meta name="description" content="Статична сторінка для порівняння.">
</head><body><main><h1>Базова сторінка</h1><p>Статичний файл з того самого сервера.</p></main>
</body></html>
"""


def ensure_lighthouse() -> None:
    """npm ci from the lock file: the exact Lighthouse every run and every machine uses."""
    if LIGHTHOUSE.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is not installed: apt-get install -y npm (Debian) and run again")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--quiet"], cwd=ROOT, check=True)


def ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium")


def lighthouse_env(data_dir: Path, port: int) -> dict:
    return site_env(
        data_dir,
        SHPALTA_DEBUG="0",
        SHPALTA_SECRET_KEY=secrets.token_urlsafe(50),
        SHPALTA_SITE_URL=f"http://127.0.0.1:{port}",
    )


def prepare_site(env: dict) -> None:
    """Migrate, collect static files and load the demo (a few articles if there is no demo)."""
    shpalta = str(BIN / "shpalta")
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([shpalta, *command], env=env, check=True, stdout=subprocess.DEVNULL)
    commands = subprocess.run(
        [shpalta, "help", "--commands"], env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    if "load_demo" in commands:
        subprocess.run([shpalta, "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    else:
        script = (
            "from datetime import timedelta\n"
            "from shpalta.news import factories\n"
            "c = factories.category('Суспільство')\n"
            "for n in range(12):\n"
            "    factories.article(f'Новина дня номер {n}', category=c, age=timedelta(hours=n),\n"
            "        lead='Короткий виклад новини для читача.',\n"
            "        body='<p>' + 'Текст статті про події в країні. ' * 40 + '</p>')\n"
        )
        subprocess.run([shpalta, "shell", "-c", script], env=env, check=True)
    static_root = Path(env["SHPALTA_DATA_DIR"]) / "static"
    (static_root / "baseline.html").write_text(BASELINE_HTML, encoding="utf-8")


def photo_cover(env: dict, path: Path) -> None:
    """The newest story's cover becomes a 4000×3000 photo-like JPEG (bench/images.py draws it)
    added through the photo library, as an editor's upload would be."""
    from images import photo

    path.write_bytes(photo(0))
    script = (
        "from pathlib import Path\n"
        "from shpalta.news.models import Article\n"
        "from shpalta.photos import library\n"
        f"image, _ = library.add(Path({str(path)!r}).read_bytes(), 'cover.jpg', alt='Фото')\n"
        "story = Article.objects.published().order_by('-published_at', '-id').first()\n"
        "story.cover = image\n"
        "story.save()\n"
    )
    subprocess.run([str(BIN / "shpalta"), "shell", "-c", script], env=env, check=True)


def article_url(base: str) -> str:
    with urllib.request.urlopen(f"{base}/api/articles?page_size=1", timeout=5) as response:  # noqa: S310
        items = json.load(response)["items"]
    if not items:
        raise RuntimeError("the demo site has no published article")
    return base + items[0]["url"]


def audit(url: str, desktop: bool, out_dir: Path) -> dict:
    name = f"{'desktop' if desktop else 'mobile'}-{abs(hash(url))}.json"
    report = out_dir / name
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    if desktop:
        command.append("--preset=desktop")
    env = os.environ | {"CHROME_PATH": str(CHROMIUM)}
    subprocess.run(command, check=True, env=env, timeout=240)
    data = json.loads(report.read_text())
    scores = {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}
    flagged = sorted(
        {
            audit_id
            for category in CATEGORIES
            for ref in data["categories"][category]["auditRefs"]
            if ref["weight"] > 0
            for audit_id in [ref["id"]]
            if (data["audits"][audit_id].get("score") is not None)
            and data["audits"][audit_id]["score"] < 0.9
        }
    )
    metrics = data["audits"]
    return {
        "url": url,
        "profile": "desktop" if desktop else "mobile",
        "lighthouse": data.get("lighthouseVersion"),
        "scores": scores,
        "flagged": flagged,
        "fcp_ms": round(metrics["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(metrics["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(metrics["total-blocking-time"]["numericValue"]),
        "cls": round(metrics["cumulative-layout-shift"]["numericValue"], 3),
    }


def table(rows: list[dict]) -> str:
    head = f"{'page':<10} {'profile':<8} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}"
    head += f" {'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>7} {'CLS':>6}  flagged audits"
    lines = [head, "-" * len(head)]
    for row in rows:
        s = row["scores"]
        lines.append(
            f"{row['page']:<10} {row['profile']:<8} {s['performance']:>5} "
            f"{s['accessibility']:>5} {s['best-practices']:>5} {s['seo']:>5} "
            f"{row['fcp_ms']:>7} {row['lcp_ms']:>7} {row['tbt_ms']:>7} {row['cls']:>6}  "
            f"{', '.join(row['flagged']) or '-'}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help=f"exit 1 under {TARGET}")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--photo-cover",
        action="store_true",
        help="give the audited article a 4000x3000 photo cover from the library (issue 14)",
    )
    args = parser.parse_args()
    ensure_chromium()
    ensure_lighthouse()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="shpalta-lighthouse-") as tmp:
        data_dir = Path(tmp) / "data"
        env = lighthouse_env(data_dir, port)
        prepare_site(env)
        # As in production, where the background task makes them at upload (the demo leaves
        # them to the first request, which a first-load audit would then pay for).
        subprocess.run([str(BIN / "shpalta"), "photos", "renditions"], env=env, check=True)
        if args.photo_cover:
            photo_cover(env, Path(tmp) / "cover.jpg")
        command = [str(BIN / "gunicorn"), "shpalta.wsgi", f"--bind=127.0.0.1:{port}"]
        command += [f"--workers={args.workers}", "--log-level=warning"]
        with serving(command, env, port, Path(tmp) / "gunicorn.log", wait=30) as base:
            pages = [
                ("baseline", f"{base}/static/baseline.html"),
                ("home", f"{base}/"),
                ("article", article_url(base)),
            ]
            rows = []
            for page, url in pages:
                for desktop in (False, True):
                    result = audit(url, desktop, Path(tmp))
                    rows.append({"page": page, **result})
                    print(f"  {page} {result['profile']}: {result['scores']}", flush=True)
    print(
        f"\nLighthouse {LIGHTHOUSE_VERSION}, chromium headless, gunicorn ({args.workers} "
        "workers), DEBUG off, demo content; target: every score >= 95 on home and article\n"
    )
    print(table(rows))
    failing = [r for r in rows if r["page"] != "baseline" and min(r["scores"].values()) < TARGET]
    RESULTS.mkdir(parents=True, exist_ok=True)
    summary = {"target": TARGET, "passed": not failing, "rows": rows}
    (RESULTS / "lighthouse.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(
        f"\n{'all pages >= ' + str(TARGET) if not failing else 'UNDER TARGET'}; "
        f"written {RESULTS / 'lighthouse.json'}"
    )
    return 1 if failing and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())

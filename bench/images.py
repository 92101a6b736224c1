"""Photo renditions: how fast a 12-megapixel photo becomes what pages serve, and how many bytes
of the cover a phone receives, beside Pillow's plain decode+save of the same file.

Photo-like 4000×3000 JPEGs (smooth light, texture, grain, EXIF with GPS: what a camera in the
field writes, about 4-6 MB each) are generated in memory with a fixed seed. For each:

- baseline: Pillow opens the original, decodes every pixel and saves it again as JPEG (q=80),
  the least a server that re-encodes an upload at all does;
- upload: `photos.safety.clean` (verify, caps, upright, stripped, stored again at q=92);
- renditions: every rendition the background task makes at upload (`renditions.warm`'s set:
  the photo's own shape at 7 widths and the 16:9 card at 5, each as AVIF, WebP and JPEG, and
  the 1200×630 social JPEG), timed one by one, per format;
- bytes: what `<picture>` sends a 375 px phone for the cover (the column is 343 CSS px: the
  480 px rendition at 1x; 960 px at Lighthouse's mobile 2.625x), as AVIF/WebP/JPEG, against
  the original file (target: a tenth of it or less).

    .venv/bin/python bench/images.py [--photos 3]

Prints the tables and writes bench/results/images.json.
"""

import argparse
import io
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "images.json"


def setup_django() -> None:
    os.environ.setdefault("SHPALTA_DATA_DIR", tempfile.mkdtemp(prefix="shpalta-images-"))
    os.environ.setdefault("SHPALTA_SECRET_KEY", "bench-only-secret-key-not-for-production")
    os.environ["DJANGO_SETTINGS_MODULE"] = "shpalta.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def photo(seed: int) -> bytes:
    """A 4000×3000 JPEG that compresses like a photo: light falling across, shapes, texture and
    sensor grain, with EXIF (camera, serial, GPS) as a phone writes it."""
    from PIL import Image, ImageDraw, ImageFilter, TiffImagePlugin

    rng = random.Random(seed)
    small = Image.new("RGB", (400, 300))
    draw = ImageDraw.Draw(small)
    for _ in range(60):
        x, y, r = rng.randrange(400), rng.randrange(300), rng.randrange(10, 120)
        colour = tuple(rng.randrange(40, 230) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    base = small.filter(ImageFilter.GaussianBlur(6)).resize((4000, 3000), Image.Resampling.BICUBIC)
    texture = Image.effect_noise((4000, 3000), 60).filter(ImageFilter.GaussianBlur(0.6))
    grain = Image.effect_noise((4000, 3000), 14)
    detail = Image.merge("RGB", [texture, texture, texture])
    picture = Image.blend(base, detail, 0.3)
    picture = Image.blend(picture, Image.merge("RGB", [grain, grain, grain]), 0.06)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "NIKON CORPORATION", "NIKON Z 6"
    exif.get_ifd(0x8769)[0xA431] = f"SN-{seed:08d}"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[3] = "N", "E"
    gps[2] = tuple(TiffImagePlugin.IFDRational(v) for v in (50.0, 27.0, 4.56))
    gps[4] = tuple(TiffImagePlugin.IFDRational(v) for v in (30.0, 31.0, 24.0))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def baseline(data: bytes) -> float:
    from PIL import Image

    def plain():
        image = Image.open(io.BytesIO(data))
        image.load()
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)

    return timed(plain)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from PIL import Image

    from shpalta.photos import conf, renditions, safety
    from shpalta.photos.models import Image as LibraryImage

    rows = {"baseline": [], "clean": [], **{fmt: [] for fmt in conf.FORMATS}}
    phone = {}
    originals = []
    for n in range(args.photos):
        print(f"photo {n + 1}/{args.photos}: generating…", file=sys.stderr, flush=True)
        data = photo(n)
        originals.append(len(data))
        rows["baseline"].append(baseline(data))
        cleaned, seconds = timed(lambda data=data: safety.clean(data))
        rows["clean"].append(seconds)
        image = LibraryImage(width=cleaned.width, height=cleaned.height, sha256=cleaned.sha256)
        for crop, widths, formats in conf.WARM:
            offered = renditions.widths(image, crop)
            for width in [w for w in offered if w in widths or w == offered[-1]]:
                for fmt in formats:
                    spec = renditions.Spec(crop, 50, 50, width, fmt)
                    body, seconds = timed(
                        lambda spec=spec, source=cleaned.content: renditions.render(source, spec)
                    )
                    rows[fmt].append(seconds)
                    if crop == "full" and width in (480, 960):
                        phone.setdefault((width, fmt), []).append(len(body))
        print(f"photo {n + 1}: {len(data) / 1e6:.1f} MB, done", file=sys.stderr, flush=True)

    original = statistics.mean(originals)
    print(
        f"\nRenditions of {args.photos} photo-like 4000×3000 JPEGs (12 MP, mean "
        f"{original / 1e6:.2f} MB), {platform.processor() or platform.machine()}, "
        f"Pillow {Image.__version__}, one process\n"
    )
    print(f"{'step':<44} {'n':>4} {'mean ms':>9} {'per s':>7}")
    print("-" * 67)
    labels = {
        "baseline": "baseline: Pillow decode + save JPEG (full)",
        "clean": "upload: verify, upright, strip, store q=92",
        "avif": "rendition AVIF (q55, speed 8)",
        "webp": "rendition WebP (q75)",
        "jpg": "rendition JPEG (q80, progressive)",
    }
    result = {"photos": args.photos, "original_bytes": original, "steps": {}, "phone": {}}
    for key, label in labels.items():
        values = rows[key]
        mean = statistics.mean(values)
        result["steps"][key] = {"n": len(values), "mean_ms": mean * 1000, "per_s": 1 / mean}
        print(f"{label:<44} {len(values):>4} {mean * 1000:>9.1f} {1 / mean:>7.2f}")
    every = [v for fmt in conf.FORMATS for v in rows[fmt]]
    per_photo = sum(every) / args.photos
    print(
        f"{'all renditions of one photo (' + str(len(every) // args.photos) + ')':<44} "
        f"{'':>4} {per_photo * 1000:>9.0f} {len(every) / sum(every):>7.2f}"
    )
    print(
        f"{'  = baseline decode+saves in the same time':<44} {'':>4} "
        f"{per_photo / statistics.mean(rows['baseline']):>9.1f}"
    )
    result["all_renditions_ms"] = per_photo * 1000

    print(
        f"\nBytes of the cover a 375 px phone receives (column 343 CSS px) vs the original "
        f"({original / 1e6:.2f} MB)\n"
    )
    print(f"{'rendition':<26} {'bytes':>9} {'share of original':>18}")
    print("-" * 55)
    for (width, fmt), sizes in sorted(phone.items()):
        mean = statistics.mean(sizes)
        share = mean / original
        label = f"{width} px {fmt.upper()} ({'1x' if width == 480 else '2.625x'})"
        result["phone"][f"{width}-{fmt}"] = {"bytes": mean, "share": share}
        print(f"{label:<26} {mean:>9.0f} {share:>17.1%}")
    print(f"{'original (baseline)':<26} {original:>9.0f} {1:>17.0%}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

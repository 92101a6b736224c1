"""The `shpalta` command as a user first meets it: its help, and what its commands print."""

import os
import re
from pathlib import Path

import pytest

from shpalta.cli import verbosity
from tests.live_site import shpalta


def site_env(data_dir: Path) -> dict:
    """A fresh local site of its own (SQLite in `data_dir`), whatever the suite's database."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHPALTA_")}
    return clean | {
        "DJANGO_SETTINGS_MODULE": "shpalta.settings",
        "SHPALTA_DATA_DIR": str(data_dir),
        "SHPALTA_SECRET_KEY": "cli-test-secret-key-not-for-production",
    }


def migrated(data_dir: Path) -> dict:
    env = site_env(data_dir)
    done = shpalta(env, "migrate", "--noinput")
    assert done.returncode == 0, done.stdout + done.stderr
    return env


LIBRARY_CHATTER = re.compile(r"Task id=|Loading dictionaries")


def test_load_demo_prints_its_summary_not_the_libraries_chatter(tmp_path):
    done = shpalta(migrated(tmp_path), "load_demo")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "демонстраційні статті: додано" in done.stdout
    output = done.stdout + done.stderr
    assert not LIBRARY_CHATTER.search(output), output[:2000]


@pytest.mark.parametrize("flag", [["-v", "2"], ["-v2"], ["--verbosity=3"]])
def test_verbosity_2_shows_the_details(tmp_path, flag):
    done = shpalta(migrated(tmp_path), "load_demo", *flag)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "INFO django_tasks: Task id=" in done.stderr
    assert "Loading dictionaries" in done.stderr


@pytest.mark.parametrize(
    ("args", "level"),
    [
        ([], 1),
        (["--verbosity", "2"], 2),
        (["--verbosity=0"], 0),
        (["-v", "3"], 3),
        (["-v0"], 0),
        (["text", "a.txt", "-v", "2", "-v", "1"], 1),  # argparse keeps the last
    ],
)
def test_the_verbosity_is_read_as_django_reads_it(args, level):
    assert verbosity(args) == level


SRC = Path(__file__).resolve().parents[2] / "src" / "shpalta"
OUR_COMMANDS = sorted(
    p.stem for p in SRC.glob("*/management/commands/*.py") if not p.stem.startswith("_")
)


@pytest.mark.parametrize("args", [[], ["help"], ["--help"], ["-h"]])
def test_the_help_lists_shpaltas_commands_first_then_djangos(tmp_path, args):
    from django.core.management import load_command_class

    done = shpalta(site_env(tmp_path), *args)
    assert done.returncode == 0, done.stdout + done.stderr
    text = done.stdout
    ours = text.index("Команди Шпальти")
    djangos = text.index("Команди Django")
    assert ours < djangos
    assert len(OUR_COMMANDS) >= 7
    for name in OUR_COMMANDS:
        app = next(SRC.glob(f"*/management/commands/{name}.py")).parents[2].name
        first_line = load_command_class(f"shpalta.{app}", name).help.strip().splitlines()[0]
        line = re.search(rf"^ +{name} +(.+)$", text, re.MULTILINE)
        assert line, f"{name} is not listed with its description"
        assert ours < line.start() < djangos
        assert line.group(1) == first_line
    for name in ("migrate", "createsuperuser", "collectstatic", "shell"):
        assert re.search(rf"^ +{name}$", text[djangos:], re.MULTILINE), name
        assert not re.search(rf"^ +{name}\b", text[:djangos], re.MULTILINE), name


def test_the_bare_command_list_is_still_djangos(tmp_path):
    """`shpalta help --commands` (what shell completion reads) stays one name a line."""
    done = shpalta(site_env(tmp_path), "help", "--commands")
    names = done.stdout.split()
    assert set(OUR_COMMANDS) <= set(names)
    assert "migrate" in names and "Команди" not in done.stdout

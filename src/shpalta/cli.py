"""`shpalta`: Django's management commands with Shpalta's settings preselected."""

import logging
import os
import sys
from collections import defaultdict

from django.core.management import (
    ManagementUtility,
    color_style,
    get_commands,
    load_command_class,
)

# Libraries whose INFO lines are details, not news, in a command's terminal: a line per task run
# (django_tasks: 142 of them for `load_demo`) and pymorphy3's dictionary loading. A command shows
# them from --verbosity 2; warnings and errors always.
CHATTY_LIBRARIES = ("django_tasks", "pymorphy3")
# Long-running processes whose log is the record of what they did: their logging is as configured.
SERVERS = frozenset({"runserver", "serve", "worker", "db_worker"})


def verbosity(args: list[str]) -> int:
    """The --verbosity a command was given (argparse's spellings; the last one counts), else 1."""
    found = "1"
    for i, arg in enumerate(args):
        if arg in ("-v", "--verbosity"):
            found = args[i + 1] if i + 1 < len(args) else ""
        elif arg.startswith("--verbosity="):
            found = arg.removeprefix("--verbosity=")
        elif arg.startswith("-v") and not arg.startswith("--"):
            found = arg.removeprefix("-v")
    return int(found) if found.isdigit() else 1


def quiet_libraries(argv: list[str]) -> None:
    """Below --verbosity 2, the chatty libraries log warnings only. Set before Django configures
    logging: LOGGING names neither logger, so dictConfig keeps these levels (one that names a
    logger decides it itself)."""
    command = argv[1] if len(argv) > 1 else ""
    if command in SERVERS or verbosity(argv[2:]) >= 2:
        return
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)


class Shpalta(ManagementUtility):
    """Django's command runner whose main help (`shpalta`, `shpalta help`, `shpalta --help`)
    lists Shpalta's own commands first, one line each, then Django's and the libraries'."""

    def main_help_text(self, commands_only=False):
        if commands_only or self.settings_exception is not None:
            return super().main_help_text(commands_only)
        ours, theirs = {}, defaultdict(list)
        for name, app in get_commands().items():
            if app.startswith("shpalta."):
                ours[name] = first_line(load_command_class(app, name).help)
            else:
                theirs["django" if app == "django.core" else app.rpartition(".")[-1]].append(name)
        style = color_style()
        width = max(map(len, ours), default=0)
        lines = [
            "",
            f"Використання: {self.prog_name} <команда> [параметри]",
            f"Довідка про команду: {self.prog_name} help <команда>",
            "",
            style.NOTICE("Команди Шпальти:"),
            *(f"    {name:<{width}}  {ours[name]}" for name in sorted(ours)),
            "",
            style.NOTICE("Команди Django та бібліотек:"),
        ]
        for app in sorted(theirs):
            lines += ["", f"[{app}]", *(f"    {name}" for name in sorted(theirs[app]))]
        return "\n".join(lines)


def first_line(text: str) -> str:
    lines = str(text).strip().splitlines()
    return lines[0] if lines else ""


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shpalta.settings")
    quiet_libraries(sys.argv)
    Shpalta(sys.argv).execute()


if __name__ == "__main__":
    main()

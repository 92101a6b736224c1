"""`shpalta`: Django's management commands with Shpalta's settings preselected."""

import logging
import os
import sys

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


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shpalta.settings")
    from django.core.management import execute_from_command_line

    quiet_libraries(sys.argv)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

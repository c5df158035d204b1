"""The ``hallbar`` command: the CLI's composition root.

Each command group lives in its own module with a ``register(app)`` function;
adding a group is one line in ``_GROUPS``. User errors (``HallbarError``) are
printed as one Swedish line with exit code 1, usage errors (a missing or unknown
option) as the usage and one Swedish line with exit code 2, never as a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from hallbar.cli.usage import USAGE_EXIT_CODE, is_usage_error, usage_lines
from hallbar.core.errors import HallbarError

# Each group module and the top-level commands its ``register`` adds. A command line
# names one command, so only its module is imported: the pay survey's statsmodels and
# SciPy cost seconds of every other command's start (docs/benchmarks.md, "The real
# path"). Help and unknown commands import them all. A test keeps this table true.
_GROUPS: dict[str, tuple[str, ...]] = {
    "data": ("aktivera", "demo", "import", "imports", "serve"),
    "paysurvey": ("paysurvey",),
    "projection": ("projection",),
    "figures": ("figures",),
    "backup": ("backup", "restore"),
}


def _groups_for(args: list[str]) -> tuple[str, ...]:
    """The group modules a command line needs: the one owning its command, else all."""
    command = next((a for a in args if not a.startswith("-")), None)
    owners = [module for module, names in _GROUPS.items() if command in names]
    return tuple(owners) if owners else tuple(_GROUPS)


def build_app(args: list[str] | None = None) -> typer.Typer:
    """The app with every command, or only the group ``args`` (a command line) names."""
    app = typer.Typer(
        name="hallbar",
        help="Hållbar: kompetensförsörjning och personalanalys för offentliga arbetsgivare.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    for module_name in _GROUPS if args is None else _groups_for(args):
        importlib.import_module(f"hallbar.cli.{module_name}").register(app)
    return app


PROG_NAME = "hallbar"


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    app = build_app(args)
    try:
        # Without standalone mode click returns a command's typer.Exit code instead of exiting.
        code = app(args=args, prog_name=PROG_NAME, standalone_mode=False)
    except HallbarError as err:
        Console(stderr=True).print(f"[bold red]Fel:[/] {err}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except typer.Exit as exit_:
        sys.exit(exit_.exit_code)
    except typer.Abort:
        Console(stderr=True).print("Avbrutet.")
        sys.exit(130)
    except typer.TyperException as err:  # Typer's bundled Click: usage errors and the like
        if is_usage_error(err):
            console = Console(stderr=True)
            root = typer.main.get_command(app)
            lines = usage_lines(err, root, PROG_NAME, args)
            for line in lines:
                console.print(line, highlight=False, soft_wrap=True, markup=False)
            sys.exit(USAGE_EXIT_CODE)
        show = getattr(err, "show", None)  # the help screen of a group called without a command
        if show is not None:
            show()
        sys.exit(err.exit_code)
    if isinstance(code, int) and code:
        sys.exit(code)

"""The ``hallbar`` command: the CLI's composition root.

Each command group lives in its own module with a ``register(app)`` function;
adding a group is one line in ``_GROUPS``. User errors (``HallbarError``) are
printed as one Swedish line with exit code 1, never as a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from hallbar.core.errors import HallbarError

_GROUPS: tuple[str, ...] = (
    "data",
    "paysurvey",
    "projection",
    "figures",
    "backup",
)


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="hallbar",
        help="Hållbar: kompetensförsörjning och personalanalys för offentliga arbetsgivare.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    for module_name in _GROUPS:
        importlib.import_module(f"hallbar.cli.{module_name}").register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    app = build_app()
    try:
        # Without standalone mode click returns a command's typer.Exit code instead of exiting.
        code = app(args=argv, standalone_mode=False)
    except HallbarError as err:
        Console(stderr=True).print(f"[bold red]Fel:[/] {err}", highlight=False)
        sys.exit(1)
    except typer.Exit as exit_:
        sys.exit(exit_.exit_code)
    except typer.Abort:
        Console(stderr=True).print("Avbrutet.")
        sys.exit(130)
    except Exception as err:  # click usage errors carry their own exit codes
        import click

        if isinstance(err, click.ClickException):
            err.show()
            sys.exit(err.exit_code)
        raise
    if isinstance(code, int) and code:
        sys.exit(code)

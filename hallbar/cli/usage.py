"""Command-line usage errors in Swedish: one line naming the option, the usage, exit code 2.

Typer (its bundled Click) raises ``UsageError`` subclasses for a missing or unknown
option, a value of the wrong type or an unknown command; its own text is English.
``usage_lines`` turns each into the command's usage line and one Swedish sentence.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeGuard, get_args

from typer._click import exceptions
from typer._click.core import Command, Context

USAGE_EXIT_CODE = 2  # the shell convention for wrong usage (Click uses it too)

# What a value of each annotated type must look like.
_TYPE_HINTS_SV: tuple[tuple[type, str], ...] = (
    (bool, "ja eller nej"),
    (int, "ett heltal, t.ex. 2025"),
    (float, "ett tal med punkt som decimaltecken, t.ex. 1.5"),
    (Path, "en sökväg till en fil eller katalog"),
)


def _wanted_sv(param: object) -> str:
    """What the parameter takes, from its annotation (``int | None`` counts as ``int``)."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    kinds = set(get_args(annotation)) or {annotation}
    for kind, text in _TYPE_HINTS_SV:
        if kind in kinds:
            return text
    return "ett giltigt värde"


def _name_of(param: object) -> str:
    """'--org' for an option, 'MAPP' for an argument (the name the user types or sees)."""
    opts = [o for o in getattr(param, "opts", []) if o.startswith("--")]
    if getattr(param, "param_type_name", "") == "option" and opts:
        return opts[0]
    metavar = getattr(param, "metavar", None)
    name = metavar or str(getattr(param, "name", "") or "").upper()
    return name


def _message_sv(err: exceptions.UsageError) -> str:
    if isinstance(err, exceptions.MissingParameter):
        param = err.param
        name = _name_of(param) if param is not None else "ett värde"
        kind = (
            "argumentet" if getattr(param, "param_type_name", "") == "argument" else "alternativet"
        )
        return f"{kind.capitalize()} {name} saknas. Ange det och försök igen."
    if isinstance(err, exceptions.NoSuchOption):
        text = f"Alternativet {err.option_name} finns inte för det här kommandot."
        if err.possibilities:
            text += f" Menade du {' eller '.join(sorted(err.possibilities))}?"
        return text
    if isinstance(err, exceptions.BadOptionUsage):
        return f"Alternativet {err.option_name} behöver ett värde."
    if isinstance(err, exceptions.BadParameter):
        param = err.param
        if param is None:  # raised by a command with its own (Swedish) message
            return err.message
        return f"Värdet för {_name_of(param)} går inte att använda. Ange {_wanted_sv(param)}."
    extra = re.match(r"Got unexpected extra arguments? \((.*)\)", err.message)
    if extra:
        return (
            f"Oväntat argument: {extra.group(1)}. Ta bort det eller sätt det efter rätt alternativ."
        )
    command = re.match(r"No such command '(.*)'", err.message)
    if command:
        return f"Kommandot {command.group(1)} finns inte."
    return "Kommandot kunde inte tolkas. Kontrollera alternativen."


def _context_of(root: Command, prog_name: str, argv: list[str]) -> Context:
    """The context of the command ``argv`` names, for an error the parser raised without
    one (an option given without its value): follow the words that name sub-commands."""
    ctx = Context(root, info_name=prog_name)
    for word in argv:
        commands = getattr(ctx.command, "commands", None)
        if not commands or word not in commands:
            break
        ctx = Context(commands[word], parent=ctx, info_name=word)
    return ctx


def usage_lines(
    err: exceptions.UsageError, root: Command, prog_name: str, argv: list[str]
) -> list[str]:
    """The command's usage and one Swedish line naming what was wrong, for stderr."""
    ctx = err.ctx if err.ctx is not None else _context_of(root, prog_name, argv)
    usage = ctx.get_usage().strip()
    lines = [re.sub(r"^Usage:", "Användning:", usage)]
    help_hint = f" Skriv '{ctx.command_path} --help' för hjälp."
    lines.append(f"Fel: {_message_sv(err)}{help_hint}")
    return lines


def is_usage_error(err: BaseException) -> TypeGuard[exceptions.UsageError]:
    """A usage error (not the help screen that ``no_args_is_help`` raises)."""
    return isinstance(err, exceptions.UsageError) and not isinstance(
        err, exceptions.NoArgsIsHelpError
    )

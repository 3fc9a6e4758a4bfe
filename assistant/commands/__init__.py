"""CLI subcommands that live beside their feature module. Each module here defines
`register(sub)`, which adds its parsers to the `plan-assistant` subparsers and sets
`func(args, doc) -> int` (the parsed plan is passed in), or `func(args) -> int` together with
`needs_doc=False`. Raise `assistant.cli.UserError` for bad input: it prints one line, exit code 2."""

import importlib
import pkgutil


def register_all(sub) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{info.name}").register(sub)

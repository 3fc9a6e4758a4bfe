"""CLI subcommands that live beside their feature module. Each module here defines
`register(sub)`, which adds its parsers to the `plan-assistant` subparsers and sets `func(args) -> int`."""

import importlib
import pkgutil


def register_all(sub) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{info.name}").register(sub)

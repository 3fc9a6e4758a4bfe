from .cli import script

raise SystemExit(script())

"""The project's own exceptions, in one light module so every edge can catch them cheaply."""


class ConfigError(ValueError):
    """The configuration file or an environment value is unusable; the message says which."""


class EmbedderUnavailable(RuntimeError):
    """The backend or its model cannot be loaded here; the message says how to make it available."""


class StaleIndex(Exception):
    """The index on disk cannot be used as it is; the message says why."""


class IndexWriteError(OSError):
    """The index could not be written (disk full, read-only folder, lock timeout)."""

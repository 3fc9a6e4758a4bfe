"""The project's own exceptions, in one light module so every edge can catch them cheaply."""


class ConfigError(ValueError):
    """The configuration file or an environment value is unusable; the message says which."""


class EmbedderUnavailable(RuntimeError):
    """The backend or its model cannot be loaded here; the message says how to make it available."""


class StaleIndex(Exception):
    """The index on disk cannot be used as it is; the message says why."""


class IndexWriteError(OSError):
    """The index could not be written (disk full, read-only folder, lock timeout)."""


class LibraryError(ValueError):
    """A document cannot be added to, found in or removed from the library; the message says why."""


class DocumentError(ValueError):
    """A file that cannot become a document. The message is one Chinese line that names the file and says
    why; nothing of the file is kept (no partial document)."""


class UnsupportedFormat(DocumentError):
    """The file's extension is none of the formats read (.docx .pdf .txt .md)."""


class UnreadableDocument(DocumentError):
    """The file is damaged, or its content is not what its extension says (a .txt renamed .docx)."""


class EncryptedDocument(DocumentError):
    """The file needs a password to open."""


class NoTextLayer(DocumentError):
    """A PDF of page images only (a scan): there is no text to read until it has been through OCR."""


class EmptyDocument(DocumentError):
    """The file opens but holds no text."""


class DocumentTooLarge(DocumentError):
    """The file is over the size limit (formats.MAX_BYTES)."""

"""Errors raised by veil.core. Each message is one plain line shown to the user per file."""


class VeilError(Exception):
    """Base of every error Veil reports for a single file."""


class NotAnImage(VeilError):
    """The bytes are not a supported image container."""


class CorruptFile(VeilError):
    """The container is broken (truncated, bad lengths, loops)."""


class Unsupported(VeilError):
    """A real image Veil cannot handle safely (e.g. export of a DNG)."""


class Cancelled(VeilError):
    """The user cancelled; raised by :meth:`CancelToken.raise_if_cancelled`."""

"""The exception hierarchy. Caught only at the CLI edge and turned into exit codes."""


class PostureError(Exception):
    """Base of every error posture raises on purpose."""


class UsageError(PostureError):
    """Bad input: an unknown name, a malformed file, unreadable credentials. Exit 2."""


class ConfigError(UsageError):
    """The config file is missing, unreadable or invalid."""


class CredentialsError(UsageError):
    """No usable credentials for a provider."""


class ProviderUnavailableError(UsageError):
    """A provider's SDK extra is not installed."""


class OutputError(PostureError):
    """An output could not be written."""

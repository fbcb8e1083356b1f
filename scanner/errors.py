"""The exception hierarchy. Caught only at the CLI edge and turned into exit codes."""

from scanner.exit_codes import ExitCode


class PostureError(Exception):
    """Base of every error posture raises on purpose."""

    exit_code: ExitCode = ExitCode.USAGE


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


class RunNotFinishedError(PostureError):
    """A brokered run's jobs did not all end within the planner's wait: no document yet, the
    run stays open for `posture finalize`. Exit 3, as for a partial scan."""

    exit_code = ExitCode.PARTIAL

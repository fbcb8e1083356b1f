"""posture: cloud and identity posture scanner with SOC 2 mappings."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("posture-scanner")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

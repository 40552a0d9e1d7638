"""hotline-sim: a discrete-event simulator of a military deconfliction hotline."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hotline-sim")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

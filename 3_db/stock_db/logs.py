"""One log format for every service and command of the suite."""

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries that log a line per request or call at INFO.
CHATTY = ("httpx", "httpcore", "urllib3", "alembic.runtime.migration")


def configure_logging(level: int = logging.INFO, *packages: str) -> None:
    """INFO and above of `packages` to stderr, unless the host (pytest, uvicorn with a log
    config, an embedding app) already set up the root logger."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format=FORMAT)
    for package in packages:
        logging.getLogger(package).setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)

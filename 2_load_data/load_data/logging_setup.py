"""One log format for the service and its commands."""

import logging


def configure_logging(level: int = logging.INFO) -> None:
    """Send INFO and above to stderr unless the host (pytest, an embedding app) already did."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("load_data").setLevel(level)

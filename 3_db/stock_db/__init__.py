"""The suite's shared core: the database (tables, migrations, engines, bulk writes) here, and,
imported by module, what every service shares: `settings` (SuiteSettings), `auth` (bearer
ADMIN_TOKEN), `rules` (tickers, dates), `jsonio`, `numbers`, `logs` and `health`."""

from stock_db.bulk import copy_rows
from stock_db.engine import create_db_engine, ensure_schema, wait_for_database
from stock_db.tables import metadata, models, pipeline_runs, predictions, prices

__all__ = [
    "copy_rows",
    "create_db_engine",
    "ensure_schema",
    "metadata",
    "models",
    "pipeline_runs",
    "predictions",
    "prices",
    "wait_for_database",
]

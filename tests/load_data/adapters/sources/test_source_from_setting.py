"""Price sources chosen by their setting string ("yahoo", "sample", "csv:PATH")."""

import pytest

from load_data.adapters.sources import source_from_setting
from load_data.adapters.sources.csv_file import CsvFileSource
from load_data.adapters.sources.sample import SampleSource
from load_data.adapters.sources.yahoo import YahooSource


@pytest.mark.parametrize(
    ("setting", "kind", "name"),
    [
        ("yahoo", YahooSource, "yahoo"),
        ("sample", SampleSource, "sample"),
        ("csv:/data/prices.csv", CsvFileSource, "csv:prices.csv"),
    ],
)
def test_sources_come_from_their_setting(setting: str, kind: type, name: str) -> None:
    source = source_from_setting(setting)
    assert isinstance(source, kind)
    assert source.name == name


@pytest.mark.parametrize("setting", ["", "csv:", "stooq", "Sample"])
def test_unknown_source_settings_are_refused(setting: str) -> None:
    with pytest.raises(ValueError, match="unknown price source"):
        source_from_setting(setting)

"""TrainConfig: the band's nominal coverage must be a probability strictly inside (0, 1)."""

import pytest

from nn_estimator.config import TrainConfig


@pytest.mark.parametrize("interval", [0.0, 1.0, 90.0, -0.1])
def test_an_interval_outside_0_1_is_refused(interval: float) -> None:
    with pytest.raises(ValueError, match="interval"):
        TrainConfig(interval=interval)


def test_the_interval_survives_the_params_round_trip() -> None:
    config = TrainConfig(interval=0.8)
    assert TrainConfig.from_params(config.as_params()).interval == 0.8

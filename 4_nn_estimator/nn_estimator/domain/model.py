"""The LSTM forecaster: closes in, [lower, point, upper] prices out.

Everything between raw closes and prices lives inside the module (log returns, normalisation
with constants fitted on training windows, cumulating predicted returns from the last close,
the calibrated band), so the TorchScript export needs no training code and the model keeps
working when prices leave the range seen in training.

The band adapts to the current volatility: sigma, the std of the window's own daily log returns,
is computed in `forward`, so both request forms (by date and explicit history) get it. The band
buffers hold split-conformal quantiles in units of sigma * sqrt(k) (domain/band.py): step k's
band is point * exp(band_lower[k] * sigma * sqrt(k)) .. point * exp(band_upper[k] * sigma *
sqrt(k)).
"""

import torch
from torch import Tensor, nn

# Lowest window volatility (daily log-return std) the band scales by: a flat window (a constant
# series, or the sample's stale 1986-90 prices) gets a narrow band instead of a zero-width one,
# and calibration never divides by zero. Real daily stds are 50-500 times larger.
SIGMA_FLOOR = 1e-4


class LSTMForecaster(nn.Module):
    # Buffers, declared for type checkers and TorchScript. band_lower / band_upper keep their
    # names from the fixed band (so an old champion's state dict still loads for a fine-tune,
    # which recalibrates them) but now hold quantiles in units of sigma * sqrt(k).
    return_mean: Tensor
    return_std: Tensor
    band_lower: Tensor
    band_upper: Tensor
    sigma_floor: float

    def __init__(
        self,
        input_length: int,
        max_horizon: int,
        hidden_size: int,
        num_layers: int,
        dropout: float,
    ) -> None:
        super().__init__()
        self.input_length = input_length
        self.max_horizon = max_horizon
        self.sigma_floor = SIGMA_FLOOR
        self.lstm = nn.LSTM(
            input_size=1,
            hidden_size=hidden_size,
            num_layers=num_layers,
            dropout=dropout if num_layers > 1 else 0.0,
            batch_first=True,
        )
        self.head = nn.Linear(hidden_size, max_horizon)
        # Start as the drift forecast (every step = the training mean return), so an
        # undertrained model is close to naive instead of wild; training learns deviations.
        nn.init.zeros_(self.head.weight)
        nn.init.zeros_(self.head.bias)
        # Constants set from data (not trained by the optimiser); buffers travel with the
        # state dict and are baked into the TorchScript export.
        self.register_buffer("return_mean", torch.zeros(()))
        self.register_buffer("return_std", torch.ones(()))
        self.register_buffer("band_lower", torch.zeros(max_horizon))
        self.register_buffer("band_upper", torch.zeros(max_horizon))

    def set_normaliser(self, mean: float, std: float) -> None:
        self.return_mean.fill_(mean)
        self.return_std.fill_(max(std, 1e-8))

    def set_band(self, lower: Tensor, upper: Tensor) -> None:
        """Per-step quantiles in units of sigma * sqrt(k). Clamped so that lower <= point <= upper
        always holds (the predictions table checks it)."""
        self.band_lower.copy_(torch.clamp(lower, max=0.0))
        self.band_upper.copy_(torch.clamp(upper, min=0.0))

    def band_scale(self, closes: Tensor) -> Tensor:
        """(B, L) closes -> (B, H): sigma * sqrt(k), sigma = std of the window's L-1 daily log
        returns (floored). The unit the band quantiles are calibrated in."""
        returns = torch.log(closes[:, 1:] / closes[:, :-1])
        # Population std (divides by L-1 returns, not L-2): defined even for a 2-close window;
        # a constant factor either way, which the calibrated quantiles absorb.
        spread = torch.std(returns, dim=1, unbiased=False, keepdim=True)
        sigma = torch.clamp(spread, min=self.sigma_floor)
        steps = torch.arange(1, self.max_horizon + 1, dtype=closes.dtype, device=closes.device)
        return sigma * torch.sqrt(steps)

    def normalised_returns(self, closes: Tensor) -> Tensor:
        """(B, L) closes -> (B, H) predicted daily log returns, normalised (the training target)."""
        returns = torch.log(closes[:, 1:] / closes[:, :-1])
        x = ((returns - self.return_mean) / self.return_std).unsqueeze(-1)
        out, _ = self.lstm(x)
        return self.head(out[:, -1, :])

    def cumulative_log_returns(self, closes: Tensor) -> Tensor:
        """(B, L) -> (B, H): predicted log(close[t+k] / close[t]) for k = 1..H."""
        daily = self.normalised_returns(closes) * self.return_std + self.return_mean
        return torch.cumsum(daily, dim=1)

    def forward(self, closes: Tensor) -> Tensor:
        """(B, L) closes -> (B, H, 3) [lower, point, upper] in price units."""
        cumulative = self.cumulative_log_returns(closes)
        scale = self.band_scale(closes)
        last = closes[:, -1:]
        point = last * torch.exp(cumulative)
        lower = last * torch.exp(cumulative + self.band_lower * scale)
        upper = last * torch.exp(cumulative + self.band_upper * scale)
        return torch.stack([lower, point, upper], dim=-1)

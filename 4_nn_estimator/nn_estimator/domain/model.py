"""The LSTM forecaster: closes in, [lower, point, upper] prices out.

Everything between raw closes and prices lives inside the module (log returns, normalisation
with constants fitted on training windows, cumulating predicted returns from the last close,
the calibrated band), so the TorchScript export needs no training code and the model keeps
working when prices leave the range seen in training.
"""

import torch
from torch import Tensor, nn


class LSTMForecaster(nn.Module):
    # Buffers, declared for type checkers and TorchScript.
    return_mean: Tensor
    return_std: Tensor
    band_lower: Tensor
    band_upper: Tensor

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
        # Clamped so that lower <= point <= upper always holds (the predictions table checks it).
        self.band_lower.copy_(torch.clamp(lower, max=0.0))
        self.band_upper.copy_(torch.clamp(upper, min=0.0))

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
        last = closes[:, -1:]
        point = last * torch.exp(cumulative)
        lower = last * torch.exp(cumulative + self.band_lower)
        upper = last * torch.exp(cumulative + self.band_upper)
        return torch.stack([lower, point, upper], dim=-1)

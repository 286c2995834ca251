"""What the shepherd does: run one cycle for a ticker, and schedule cycles."""

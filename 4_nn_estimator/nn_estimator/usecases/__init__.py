"""What the package does, step by step: train (or fine-tune) and register, run a study."""

"""The inference service: serves the champion LSTM of each ticker over HTTP (port 8002).

Importing this package pins torch to one intra-op thread before torch is loaded: a ~0.2 ms
forward gains nothing from more threads on 2 cores, and the default OpenMP pool made serving
throughput bimodal here (see NOTES.md). main.py also calls torch.set_num_threads(1).
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

"""The api's Prometheus metrics, all in one place. Built on a registry handed in, so each
test (and each app instance) can use a fresh CollectorRegistry."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

NAMESPACE = "nn_estimator"
# The model runs in ~0.2 ms: the default buckets (from 5 ms) would put every sample in one.
INFERENCE_BUCKETS = (
    0.0001,
    0.00025,
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
)
# Whole-request latency: from sub-millisecond (one request) to seconds (overload).
HTTP_LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
BATCH_SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)


class ApiMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        # Names and labels as prometheus-fastapi-instrumentator had them (dashboards keep working).
        self.http_requests = Counter(
            "http_requests",
            "Requests by route template (handler), method and status class.",
            ["handler", "method", "status"],
            namespace=NAMESPACE,
            registry=registry,
        )
        self.http_request_duration_seconds = Histogram(
            "http_request_duration_seconds",
            "Whole-request latency by route template, method and status class.",
            ["handler", "method", "status"],
            namespace=NAMESPACE,
            buckets=HTTP_LATENCY_BUCKETS,
            registry=registry,
        )
        self.inference_seconds = Histogram(
            "inference_seconds",
            "Duration of the model forward pass that answered a request (shared by the "
            "requests batched into it).",
            ["ticker"],
            namespace=NAMESPACE,
            buckets=INFERENCE_BUCKETS,
            registry=registry,
        )
        self.inference_batch_size = Histogram(
            "inference_batch_size",
            "Requests answered by one forward pass (micro-batching of concurrent requests).",
            ["ticker"],
            namespace=NAMESPACE,
            buckets=BATCH_SIZE_BUCKETS,
            registry=registry,
        )
        self.model_info = Gauge(
            "model_info",
            "1 for the registered model version being served per ticker.",
            ["ticker", "version"],
            namespace=NAMESPACE,
            registry=registry,
        )
        self.model_reloads = Counter(
            "model_reloads",
            "Attempts to load a new model version, by outcome (success|failure).",
            ["ticker", "outcome"],
            namespace=NAMESPACE,
            registry=registry,
        )
        self.model_refusals = Counter(
            "model_refusals",
            "Registry versions refused because the models table does not record them as "
            "promoted by the gate, by reason (not_recorded|not_champion|run_mismatch).",
            ["ticker", "reason"],
            namespace=NAMESPACE,
            registry=registry,
        )
        self.predictions_logged = Counter(
            "predictions_logged",
            "Prediction rows written to the predictions table.",
            namespace=NAMESPACE,
            registry=registry,
        )
        self.predictions_dropped = Counter(
            "predictions_dropped",
            "Prediction rows given up on (queue overflow or a rejected write).",
            namespace=NAMESPACE,
            registry=registry,
        )
        self.prediction_queue_rows = Gauge(
            "prediction_queue_rows",
            "Prediction rows waiting to be written.",
            namespace=NAMESPACE,
            registry=registry,
        )

    def set_served_version(self, ticker: str, old: int | None, new: int) -> None:
        if old is not None and old != new:
            self.model_info.remove(ticker, str(old))
        self.model_info.labels(ticker=ticker, version=str(new)).set(1)

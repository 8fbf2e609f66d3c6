"""Prometheus metrics: requests by route and status, latency, index size and the dense pass's progress.

Each app has its own registry (several apps live in one test process). The index gauges are read from
the Health record at scrape time, so they are never stale and cost nothing between scrapes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector

from qa.core.records import Health, ServiceState

METHODS = {"GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"}  # anything else is "other": bounded labels
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class HealthCollector(Collector):
    def __init__(self, health: Callable[[], Health]) -> None:
        self.health = health

    def collect(self) -> Iterator[Metric]:
        h = self.health()
        gauges = (
            ("reportqa_ready", "1 when the index is loaded and /ask answers", float(h.status == ServiceState.OK)),
            ("reportqa_index_documents", "Indexed reports", float(h.documents)),
            ("reportqa_index_passages", "Indexed passages (chunks)", float(h.chunks)),
            # Present once the index reports a background dense pass; 0 until then.
            ("reportqa_dense_passages_done", "Passages embedded so far", float(getattr(h, "dense_done", 0) or 0)),
            ("reportqa_dense_passages_total", "Passages to embed", float(getattr(h, "dense_total", 0) or 0)),
        )
        for name, doc, value in gauges:
            yield GaugeMetricFamily(name, doc, value=value)
        yield InfoMetricFamily("reportqa_index", "Model, retrieval mode, index version and status", value={
            "model": h.model or "", "retrieval": h.retrieval or "", "index_version": h.index_version or "",
            "status": str(h.status)})


class Metrics:
    def __init__(self, health: Callable[[], Health]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("reportqa_requests", "HTTP requests by method, route template and status",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("reportqa_request_duration_seconds", "HTTP request latency by route template",
                                 ["method", "route"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.registry.register(HealthCollector(health))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "other"
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


router = APIRouter()


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus text format; like /health it is open (it reveals counts, never content)."""
    registry: Metrics = request.app.state.metrics
    return Response(registry.render(), media_type=CONTENT_TYPE_LATEST)

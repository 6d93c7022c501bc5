"""What the example flows must produce, computed from the generated files alone.

Taxi months: the ``unique_row_id`` of every trip as the Zoomcamp flow computes it in
PostgreSQL (md5 over vendor, pickup, dropoff, locations, fare and distance, each cast to
text), the rows, and sums of two columns. PostgreSQL (12+) casts a ``double precision`` to its
shortest exact digits without a trailing ``.0`` (``7``, ``13.74``) — Python's ``repr`` for the
amounts generated (between 1e-4 and 1e15, where neither uses an exponent) — and a
``timestamp`` to ``YYYY-MM-DD HH:MM:SS``.

Products: the average price per brand rounded to cents, products without a brand under
``N/A`` as the example's Python step files them, highest average first.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path


@dataclass(frozen=True)
class MonthLoad:
    """The rows of one monthly file in a taxi table (its ``filename``'s rows)."""

    rows: int
    row_ids: frozenset[str]
    total_amount: Decimal
    passengers: int


def pg_float_text(value: float) -> str:
    """``CAST(value AS text)`` of a PostgreSQL double precision in the generated range."""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def _pg_timestamp_text(value: str) -> str:
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").isoformat(sep=" ")


def row_id(trip: dict[str, str], prefix: str) -> str:
    """The Zoomcamp flow's ``unique_row_id`` of one CSV trip (``prefix``: tpep or lpep)."""
    parts = (
        trip["VendorID"],
        _pg_timestamp_text(trip[f"{prefix}_pickup_datetime"]),
        _pg_timestamp_text(trip[f"{prefix}_dropoff_datetime"]),
        trip["PULocationID"],
        trip["DOLocationID"],
        pg_float_text(float(trip["fare_amount"])),
        pg_float_text(float(trip["trip_distance"])),
    )
    return hashlib.md5("".join(parts).encode()).hexdigest()


def month_load(gz_file: Path, taxi: str) -> MonthLoad:
    """What loading the gzip'ed CSV ``gz_file`` of colour ``taxi`` must put in its table."""
    prefix = "tpep" if taxi == "yellow" else "lpep"
    text = gzip.decompress(gz_file.read_bytes()).decode("utf-8")
    trips = list(csv.DictReader(io.StringIO(text)))
    return MonthLoad(
        rows=len(trips),
        row_ids=frozenset(row_id(trip, prefix) for trip in trips),
        total_amount=sum((Decimal(t["total_amount"]) for t in trips), Decimal(0)),
        passengers=sum(int(t["passenger_count"]) for t in trips),
    )


def average_price_per_brand(products_file: Path) -> list[tuple[str, Decimal]]:
    """(brand, average price rounded half up to cents), highest average first."""
    prices: dict[str, list[Decimal]] = defaultdict(list)
    for product in json.loads(products_file.read_text(encoding="utf-8"))["products"]:
        prices[product.get("brand", "N/A")].append(Decimal(str(product["price"])))
    averages = [
        (brand, (sum(values) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP))
        for brand, values in prices.items()
    ]
    return sorted(averages, key=lambda pair: pair[1], reverse=True)

"""Deterministic sample data for the example flows, served offline in place of the internet.

Writes, under one output folder, the files the examples download:

* ``yellow/yellow_tripdata_YYYY-MM.csv.gz`` and ``green/green_tripdata_YYYY-MM.csv.gz``: NYC
  taxi trips with the real column sets (and order) of the TLC yellow and green trip files the
  Data Engineering Zoomcamp publishes on GitHub, in the same folder layout as its releases
  (``.../releases/download/<taxi>/<file>.gz``);
* ``products.json``: a product list shaped like ``https://dummyjson.com/products``
  (``{"products": [...], "total", "skip", "limit"}``), a few products without a ``brand``.

Invariants: the same arguments give byte-identical files (a random generator seeded by taxi,
year and month; gzip without a timestamp). Within one month file, no two trips share the
values the Zoomcamp flow hashes into ``unique_row_id`` (vendor, pickup, dropoff, locations,
fare, distance): pickups are strictly increasing, so reloading a month adds no rows.

Run ``python examples/data/generate.py --out DIR`` (see ``--help``).
"""

from __future__ import annotations

import argparse
import calendar
import csv
import gzip
import io
import json
import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

TAXIS = ("yellow", "green")

YELLOW_COLUMNS = (
    "VendorID",
    "tpep_pickup_datetime",
    "tpep_dropoff_datetime",
    "passenger_count",
    "trip_distance",
    "RatecodeID",
    "store_and_fwd_flag",
    "PULocationID",
    "DOLocationID",
    "payment_type",
    "fare_amount",
    "extra",
    "mta_tax",
    "tip_amount",
    "tolls_amount",
    "improvement_surcharge",
    "total_amount",
    "congestion_surcharge",
)

GREEN_COLUMNS = (
    "VendorID",
    "lpep_pickup_datetime",
    "lpep_dropoff_datetime",
    "store_and_fwd_flag",
    "RatecodeID",
    "PULocationID",
    "DOLocationID",
    "passenger_count",
    "trip_distance",
    "fare_amount",
    "extra",
    "mta_tax",
    "tip_amount",
    "tolls_amount",
    "ehail_fee",
    "improvement_surcharge",
    "total_amount",
    "payment_type",
    "trip_type",
    "congestion_surcharge",
)

COLUMNS = {"yellow": YELLOW_COLUMNS, "green": GREEN_COLUMNS}
DEFAULT_MONTHS = ("2019-01", "2019-02")
DEFAULT_ROWS = 2000
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
BRANDS = ("Apple", "Samsung", "Essence", "Glamour Beauty", "Velvet Touch", "Chic Cosmetics")


def file_name(taxi: str, year: int, month: int) -> str:
    """The course's name of a month's trip file, before gzip: ``yellow_tripdata_2019-01.csv``."""
    return f"{taxi}_tripdata_{year:04d}-{month:02d}.csv"


def _money(value: float) -> str:
    return f"{value:.2f}"


def _trip(taxi: str, pickup: datetime, rng: random.Random) -> dict[str, str]:
    """One trip with plausible amounts; empty strings are the CSV's nulls."""
    distance = round(rng.uniform(0.3, 18.0), 2)
    fare = round(2.5 + 2.5 * distance + rng.choice((0, 0.5, 1.0, 1.5)), 2)
    tip = round(fare * rng.choice((0, 0, 0.1, 0.15, 0.2)), 2)
    tolls = rng.choice((0.0, 0.0, 0.0, 5.76))
    extra = rng.choice((0.0, 0.5, 1.0))
    congestion = rng.choice(("", "0.0", "2.5"))
    total = fare + extra + 0.5 + tip + tolls + 0.3 + (float(congestion) if congestion else 0.0)
    dropoff = pickup + timedelta(seconds=rng.randint(120, 3600))
    prefix = "tpep" if taxi == "yellow" else "lpep"
    trip = {
        "VendorID": str(rng.choice((1, 2))),
        f"{prefix}_pickup_datetime": pickup.strftime(TIME_FORMAT),
        f"{prefix}_dropoff_datetime": dropoff.strftime(TIME_FORMAT),
        "passenger_count": str(rng.randint(1, 6)),
        "trip_distance": _money(distance),
        "RatecodeID": str(rng.choice((1, 1, 1, 1, 2, 5))),
        "store_and_fwd_flag": rng.choice(("N", "N", "N", "Y")),
        "PULocationID": str(rng.randint(1, 265)),
        "DOLocationID": str(rng.randint(1, 265)),
        "payment_type": str(rng.choice((1, 1, 2, 3))),
        "fare_amount": _money(fare),
        "extra": _money(extra),
        "mta_tax": "0.50",
        "tip_amount": _money(tip),
        "tolls_amount": _money(tolls),
        "improvement_surcharge": "0.30",
        "total_amount": _money(total),
        "congestion_surcharge": congestion,
    }
    if taxi == "green":
        trip |= {"ehail_fee": "", "trip_type": str(rng.choice((1, 1, 1, 2)))}
    return trip


def trips(taxi: str, year: int, month: int, rows: int) -> list[dict[str, str]]:
    """``rows`` trips of one month, in pickup order, the same for the same arguments."""
    if taxi not in COLUMNS:
        raise ValueError(f"unknown taxi colour {taxi!r}: choose one of {', '.join(TAXIS)}")
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    rng = random.Random(f"{taxi}-{year:04d}-{month:02d}")
    start = datetime(year, month, 1)
    slot = calendar.monthrange(year, month)[1] * 86400 // rows
    if slot < 1:
        raise ValueError(f"{rows} trips do not fit one per second in {year}-{month:02d}")
    return [
        _trip(taxi, start + timedelta(seconds=i * slot + rng.randrange(slot)), rng)
        for i in range(rows)
    ]


def trips_csv(taxi: str, rows: Sequence[dict[str, str]]) -> str:
    """The CSV text of ``rows`` with the taxi colour's header, unquoted as the TLC files are."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS[taxi], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_gzip(path: Path, text: str) -> Path:
    """``text`` gzip'ed into ``path`` without a timestamp or name (byte-identical reruns)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return path


def write_trips(out: Path, taxi: str, year: int, month: int, rows: int) -> Path:
    """Write one month's trip file at ``out/<taxi>/<taxi>_tripdata_YYYY-MM.csv.gz``."""
    text = trips_csv(taxi, trips(taxi, year, month, rows))
    return write_gzip(out / taxi / (file_name(taxi, year, month) + ".gz"), text)


def products(count: int = 30) -> dict[str, object]:
    """A dummyjson-shaped product list; every fifth product has no brand (groceries)."""
    rng = random.Random("products")
    items: list[dict[str, object]] = []
    for number in range(1, count + 1):
        item: dict[str, object] = {
            "id": number,
            "title": f"Product {number}",
            "category": "groceries" if number % 5 == 0 else "electronics",
            "price": round(rng.uniform(1, 2000), 2),
            "discountPercentage": round(rng.uniform(0, 20), 2),
            "rating": round(rng.uniform(1, 5), 2),
            "stock": rng.randint(0, 150),
        }
        if number % 5 != 0:
            item["brand"] = rng.choice(BRANDS)
        items.append(item)
    return {"products": items, "total": count, "skip": 0, "limit": count}


def write_products(out: Path, count: int = 30) -> Path:
    """Write the product list at ``out/products.json``."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "products.json"
    path.write_text(json.dumps(products(count), indent=2) + "\n", encoding="utf-8")
    return path


def parse_month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` as (year, month); ValueError names the malformed value."""
    try:
        parsed = datetime.strptime(text, "%Y-%m")
    except ValueError:
        raise ValueError(f"month {text!r} must look like 2019-01") from None
    return parsed.year, parsed.month


def generate(out: Path, months: Sequence[str], rows: int) -> list[Path]:
    """Every taxi file of ``months`` and the product list under ``out``; the paths written."""
    written = [
        write_trips(out, taxi, *parse_month(month), rows) for month in months for taxi in TAXIS
    ]
    return [*written, write_products(out)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument(
        "--months", nargs="+", default=list(DEFAULT_MONTHS), help="months as YYYY-MM"
    )
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="trips per month file")
    args = parser.parse_args(argv)
    try:
        paths = generate(args.out, args.months, args.rows)
    except ValueError as error:
        parser.error(str(error))
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

# Copyright 2024 Nordwind Labs
"""Command-line interface: ``weatherlib latest EDDB`` and friends."""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Optional, Sequence

from weatherlib.client import WeatherClient
from weatherlib.observations import summarize
from weatherlib.stations import nearest

try:  # optional plugins, shipped separately
    from weatherlib.plugins import registry
except ImportError:  # pragma: no cover - plugins are not installed in CI
    registry = None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="weatherlib", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    latest = sub.add_parser("latest", help="print the latest observation of a station")
    latest.add_argument("icao")
    summary = sub.add_parser("summary", help="min/max/mean of the last hours and an outlook")
    summary.add_argument("icao")
    summary.add_argument("--hours", type=int, default=24)
    near = sub.add_parser("nearest", help="stations closest to a coordinate")
    near.add_argument("latitude", type=float)
    near.add_argument("longitude", type=float)
    near.add_argument("--limit", type=int, default=3)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "nearest":
        for station in nearest(args.latitude, args.longitude, args.limit):
            print(f"{station.icao}  {station.name} ({station.country})")
        return 0
    client = WeatherClient(api_key=os.environ.get("WEATHERLIB_API_KEY", ""))
    if args.command == "latest":
        obs = client.latest(args.icao)
        print(f"{obs.station} {obs.observed_at:%Y-%m-%d %H:%M} {obs.temperature_c:.1f} C")
    else:
        print(json.dumps(summarize(client.history(args.icao, args.hours)), indent=2, default=str))
    if registry is not None:
        registry.notify(args.command, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

# Copyright 2024 Nordwind Labs
from weatherlib import forecast
from weatherlib.observations import summarize


def test_trend_of_warming_series_is_one_degree_per_hour(warming_series):
    assert abs(forecast.temperature_trend(warming_series) - 1.0) < 1e-9


def test_forecast_has_one_value_per_hour(warming_series):
    assert len(forecast.trend_forecast(warming_series, horizon_hours=4)) == 4


def test_forecast_keeps_warming_but_slower(warming_series):
    outlook = forecast.trend_forecast(warming_series, horizon_hours=6)
    steps = [b - a for a, b in zip(outlook, outlook[1:])]
    assert all(s > 0 for s in steps)
    assert steps[-1] < steps[0]


def test_summary_reports_extremes(warming_series):
    summary = summarize(warming_series)
    assert (summary["min_c"], summary["max_c"]) == (2.0, 9.0)


def test_warming_series_will_not_freeze(warming_series):
    assert not forecast.will_freeze(warming_series)

# -*- coding: latin-1 -*-
# Umrechnung der Messwerte der Wetterstation Lübeck-Blankensee.
# Geschrieben für die alte Auswertung; Kommentare stammen noch aus dem Jahr 2009.
# Grüße an das Team in Zürich, das die Sensoren geliefert hat.
"""Conversion helpers for the legacy station logger (values in degrees and km/h)."""

DEGREE_SIGN = "°"


def format_temperature(celsius):
    # Temperatur mit Gradzeichen, eine Nachkommastelle (z. B. "21.5 °C").
    return "%.1f %sC" % (celsius, DEGREE_SIGN)


def beaufort(wind_kmh):
    # Windstärke nach Beaufort; Grenzen laut Deutschem Wetterdienst.
    limits = [1, 6, 12, 20, 29, 39, 50, 62, 75, 89, 103, 118]
    for force, limit in enumerate(limits):
        if wind_kmh < limit:
            return force
    return 12

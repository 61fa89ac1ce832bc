package com.acme.bank.model;

/** The currencies the bank supports, with their number of minor units. */
public enum Currency {
    EUR(2),
    USD(2),
    CHF(2),
    JPY(0);

    private final int minorUnits;

    Currency(int minorUnits) {
        this.minorUnits = minorUnits;
    }

    /** Digits after the decimal point, e.g. 2 for cents. */
    public int minorUnits() {
        return minorUnits;
    }
}

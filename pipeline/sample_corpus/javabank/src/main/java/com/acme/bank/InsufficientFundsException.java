package com.acme.bank;

import com.acme.bank.model.Money;

/** Thrown when a withdrawal or transfer would make a balance negative. */
public class InsufficientFundsException extends RuntimeException {
    private final String iban;

    public InsufficientFundsException(String iban, Money requested) {
        super("insufficient funds on " + iban + " for " + requested);
        this.iban = iban;
    }

    public String iban() {
        return iban;
    }
}

package com.acme.bank;

import com.acme.bank.model.Currency;
import com.acme.bank.model.Money;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A bank account identified by its IBAN; keeps a ledger of signed postings. */
public class Account {
    private final String iban;
    private final String owner;
    private final Currency currency;
    private final List<Money> postings = new ArrayList<>();

    public Account(String iban, String owner, Currency currency) {
        this.iban = iban;
        this.owner = owner;
        this.currency = currency;
    }

    public String iban() {
        return iban;
    }

    public String owner() {
        return owner;
    }

    public Currency currency() {
        return currency;
    }

    /** The balance is the sum of all postings. */
    public Money balance() {
        Money total = Money.zero(currency);
        for (Money posting : postings) {
            total = total.plus(posting);
        }
        return total;
    }

    void deposit(Money amount) {
        postings.add(amount);
    }

    void withdraw(Money amount) {
        Money after = balance().minus(amount);
        if (after.isNegative()) {
            throw new InsufficientFundsException(iban, amount);
        }
        postings.add(Money.zero(currency).minus(amount));
    }

    public List<Money> postings() {
        return Collections.unmodifiableList(postings);
    }
}

package com.acme.bank;

import com.acme.bank.model.*;
import java.util.*;

/** Holds accounts by IBAN. Opening an account twice with the same IBAN is an error. */
public class Bank {
    private final String name;
    private final Map<String, Account> accounts = new TreeMap<>();

    public Bank(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public Account open(String iban, String owner, Currency currency) {
        if (accounts.containsKey(iban)) {
            throw new IllegalStateException("account already exists: " + iban);
        }
        Account account = new Account(iban, owner, currency);
        accounts.put(iban, account);
        return account;
    }

    public Optional<Account> find(String iban) {
        return Optional.ofNullable(accounts.get(iban));
    }

    public Account get(String iban) {
        return find(iban).orElseThrow(() -> new NoSuchElementException("no account " + iban));
    }

    /** Total holdings per currency, for the daily report. */
    public Map<Currency, Money> totals() {
        Map<Currency, Money> totals = new EnumMap<>(Currency.class);
        for (Account account : accounts.values()) {
            totals.merge(account.currency(), account.balance(), Money::plus);
        }
        return totals;
    }
}

package com.acme.bank;

import static com.acme.bank.model.Money.zero;

import com.acme.bank.model.Money;
import java.util.concurrent.locks.ReentrantLock;

/** Moves money between two accounts of the same bank, all or nothing. */
public class TransferService {
    private final Bank bank;
    private final ReentrantLock lock = new ReentrantLock();

    public TransferService(Bank bank) {
        this.bank = bank;
    }

    public void transfer(String fromIban, String toIban, Money amount) {
        if (amount.compareTo(zero(amount.currency())) <= 0) {
            throw new IllegalArgumentException("transfer amount must be positive: " + amount);
        }
        Account from = bank.get(fromIban);
        Account to = bank.get(toIban);
        if (from.currency() != to.currency()) {
            throw new IllegalArgumentException("cross-currency transfers are not supported");
        }
        lock.lock();
        try {
            from.withdraw(amount);
            to.deposit(amount);
        } finally {
            lock.unlock();
        }
    }
}

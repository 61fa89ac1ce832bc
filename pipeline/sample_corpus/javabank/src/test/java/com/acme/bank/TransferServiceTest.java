package com.acme.bank;

import static org.junit.jupiter.api.Assertions.*;

import com.acme.bank.model.Currency;
import com.acme.bank.model.Money;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransferServiceTest {
    private Bank bank;
    private TransferService service;

    @BeforeEach
    void setUp() {
        bank = new Bank("ACME");
        bank.open("DE02100100100006820101", "Alice", Currency.EUR).deposit(Money.of("100.00", Currency.EUR));
        bank.open("DE02100100100006820102", "Bob", Currency.EUR);
        service = new TransferService(bank);
    }

    @Test
    void transferMovesMoneyBetweenAccounts() {
        service.transfer("DE02100100100006820101", "DE02100100100006820102", Money.of("30", Currency.EUR));
        assertEquals(Money.of("70", Currency.EUR), bank.get("DE02100100100006820101").balance());
        assertEquals(Money.of("30", Currency.EUR), bank.get("DE02100100100006820102").balance());
    }

    @Test
    void overdraftIsRejectedAndNothingMoves() {
        assertThrows(InsufficientFundsException.class, () ->
            service.transfer("DE02100100100006820101", "DE02100100100006820102", Money.of("500", Currency.EUR)));
        assertEquals(Money.zero(Currency.EUR), bank.get("DE02100100100006820102").balance());
    }
}

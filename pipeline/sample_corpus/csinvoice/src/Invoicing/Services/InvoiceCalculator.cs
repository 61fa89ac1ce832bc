using System;
using System.Linq;
using Acme.Invoicing.Models;

namespace Acme.Invoicing.Services;

/// <summary>Net, tax and gross totals of an invoice, rounded commercially to cents.</summary>
public sealed class InvoiceCalculator
{
    private readonly decimal _bulkDiscountThreshold;

    public InvoiceCalculator(decimal bulkDiscountThreshold = 1000m)
    {
        _bulkDiscountThreshold = bulkDiscountThreshold;
    }

    public decimal Net(Invoice invoice)
    {
        var net = invoice.Items.Sum(item => item.Net);
        return net >= _bulkDiscountThreshold ? net * 0.97m : net;
    }

    public decimal Tax(Invoice invoice) =>
        Math.Round(Net(invoice) * TaxPolicy.RateFor(invoice.CustomerCountry), 2, MidpointRounding.AwayFromZero);

    public decimal Gross(Invoice invoice) => Math.Round(Net(invoice), 2) + Tax(invoice);
}

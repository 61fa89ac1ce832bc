using System;
using System.Collections.Generic;

namespace Acme.Invoicing.Models;

/// <summary>An invoice to one customer, in one currency.</summary>
public sealed class Invoice
{
    private readonly List<LineItem> _items = new();

    public Invoice(string number, string customerCountry, DateOnly issued)
    {
        Number = number;
        CustomerCountry = customerCountry.ToUpperInvariant();
        Issued = issued;
    }

    public string Number { get; }
    public string CustomerCountry { get; }
    public DateOnly Issued { get; }
    public DateOnly Due => Issued.AddDays(30);
    public IReadOnlyList<LineItem> Items => _items;

    public Invoice Add(LineItem item)
    {
        if (item.Quantity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(item), "quantity must be positive");
        }
        _items.Add(item);
        return this;
    }
}

using System;
using Acme.Invoicing.Services;
using Models = Acme.Invoicing.Models;
using static System.Console;

namespace Acme.Invoicing;

internal static class Program
{
    private static void Main()
    {
        var invoice = new Models.Invoice("2024-0042", "de", new DateOnly(2024, 3, 1))
            .Add(new Models.LineItem("KB-01", "Mechanical keyboard", 2, 129.00m))
            .Add(new Models.LineItem("MS-07", "Wireless mouse", 3, 39.90m));
        var calculator = new InvoiceCalculator();
        WriteLine($"Invoice {invoice.Number} due {invoice.Due:yyyy-MM-dd}");
        WriteLine($"  net   {calculator.Net(invoice),10:F2}");
        WriteLine($"  tax   {calculator.Tax(invoice),10:F2}");
        WriteLine($"  gross {calculator.Gross(invoice),10:F2}");
        WriteLine(Properties.Resources.ThankYou);
    }
}

namespace Acme.Invoicing.Models
{
    /// <summary>One position on an invoice: a product, a quantity and a unit price.</summary>
    public sealed record LineItem(string Sku, string Description, int Quantity, decimal UnitPrice)
    {
        /// <summary>Quantity times unit price, before tax and discounts.</summary>
        public decimal Net => Quantity * UnitPrice;
    }
}

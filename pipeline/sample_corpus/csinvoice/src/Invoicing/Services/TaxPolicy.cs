using System.Collections.Generic;

namespace Acme.Invoicing
{
    namespace Services
    {
        /// <summary>Standard VAT rates by ISO country code.</summary>
        public static class TaxPolicy
        {
            private static readonly Dictionary<string, decimal> Rates = new()
            {
                ["DE"] = 0.19m,
                ["FR"] = 0.20m,
                ["NL"] = 0.21m,
                ["CH"] = 0.081m,
            };

            /// <summary>The VAT rate for a country, zero for export outside the list.</summary>
            public static decimal RateFor(string country) =>
                Rates.TryGetValue(country, out var rate) ? rate : 0m;
        }
    }
}

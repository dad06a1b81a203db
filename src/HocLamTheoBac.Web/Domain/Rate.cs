using System.Globalization;

namespace HocLamTheoBac.Web.Domain;

/// <summary>
/// The one rounding rule for every rate the product prints: a percentage with exactly one decimal,
/// rounded half up (away from zero), Vietnamese style with a non-breaking space before "%":
/// "97,8 %", "100,0 %". Nothing registered (denominator 0) prints "—", never NaN.
/// </summary>
public readonly record struct Rate(long Done, long Of)
{
    public const string None = "—";
    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>The percentage rounded to one decimal, or null when nothing was registered.</summary>
    public decimal? Percent => Of == 0 ? null : Math.Round(100m * Done / Of, 1, MidpointRounding.AwayFromZero);

    /// <summary>The same rounded value as a fraction (0.978) for spreadsheets that format it as a percentage.</summary>
    public decimal? Fraction => Percent / 100m;

    public override string ToString() => Percent is { } p ? p.ToString("0.0", Vi) + "\u00A0%" : None;

    /// <summary>"97,8 % (1.001.762/1.024.574)"; "—" when nothing was registered.</summary>
    public string WithFraction() => Of == 0 ? None : $"{this} ({N(Done)}/{N(Of)})";

    private static string N(long n) => n.ToString("#,##0", Vi);
}

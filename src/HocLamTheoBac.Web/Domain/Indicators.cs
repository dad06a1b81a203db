namespace HocLamTheoBac.Web.Domain;

/// <summary>A number a unit reports for the year (e.g. citizen receptions), shown in its report without code changes.
/// Deleted softly: a deleted name may be entered again (the unique name is among the live rows).</summary>
public sealed class IndicatorValue : IAudited, IYearly, ISoftDeletable
{
    int IYearly.YearUnitId => OrgUnitId;
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public int Year { get; set; }
    public required string Name { get; set; }
    public decimal Value { get; set; }
    public string? Unit { get; set; }
    public uint Version { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

/// <summary>How indicators' values go together (ADR 0034), for the report's totals and a merge of units alike.</summary>
public static class IndicatorRules
{
    /// <summary>The unit of measure as typed, case and spaces aside: values are added or averaged only within one.</summary>
    public static string UnitKey(string? unit) => (unit ?? "").Trim().ToLowerInvariant();

    /// <summary>A rate ("%"): never added, averaged.</summary>
    public static bool IsRate(string? unit) => UnitKey(unit) is "%" or "phần trăm" or "tỷ lệ %";

    /// <summary>
    /// The value of a unit's indicator after another unit's value of the same name and unit of measure joins it (a
    /// merge): a count or an amount adds up, a rate is the mean of the two; null when the units of measure differ (never added).
    /// </summary>
    public static decimal? Combine(decimal value, string? unit, decimal other, string? otherUnit) =>
        UnitKey(unit) != UnitKey(otherUnit) ? null : IsRate(unit) ? Math.Round((value + other) / 2, 2) : value + other;
}

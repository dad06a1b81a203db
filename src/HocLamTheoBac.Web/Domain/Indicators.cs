namespace HocLamTheoBac.Web.Domain;

/// <summary>A number a unit reports for the year (e.g. citizen receptions), shown in its report without code changes.</summary>
public sealed class IndicatorValue : IAudited, IYearly
{
    int IYearly.YearUnitId => OrgUnitId;
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public int Year { get; set; }
    public required string Name { get; set; }
    public decimal Value { get; set; }
    public string? Unit { get; set; }
    public uint Version { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

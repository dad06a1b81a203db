namespace HocLamTheoBac.Web.Domain;

public enum ReportStatus { Draft = 1, Issued = 2 }

public static class ReportStatusText
{
    public static string Label(this ReportStatus s) => s == ReportStatus.Issued ? "Đã ban hành" : "Dự thảo";
}

/// <summary>
/// A year-end report of a unit. A draft is edited freely; issuing assigns number and date and
/// freezes a snapshot (model JSON and PDF bytes with their hash) that every reprint returns as is.
/// </summary>
public sealed class Report : IAudited, ISoftDeletable
{
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    /// <summary>The year of a year-end report; the last year of a period review.</summary>
    public int Year { get; set; }
    /// <summary>The first year of a period review (sơ kết, tổng kết: e.g. 2021 for 2021–2025); null for a year-end report.</summary>
    public int? FirstYear { get; set; }
    public ReportStatus Status { get; set; } = ReportStatus.Draft;
    public int? Number { get; set; }
    /// <summary>"BC/TU", "BC/HU", "BC/ĐU", "BC/CB".</summary>
    public string? Symbol { get; set; }
    public DateOnly? IssuedOn { get; set; }
    public string? Place { get; set; }
    public string? LeadershipText { get; set; }
    public string? ResultsText { get; set; }
    public string? Strengths { get; set; }
    public string? Limitations { get; set; }
    public string? Direction { get; set; }
    public string? Recipients { get; set; }
    public string? SignerName { get; set; }
    public string? SignerTitle { get; set; }
    public string? SignerOnBehalf { get; set; }
    public int? ReplacesReportId { get; set; }
    public string? SnapshotJson { get; set; }
    public byte[]? Pdf { get; set; }
    public string? PdfSha256 { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public uint Version { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

namespace HocLamTheoBac.Web.Domain;

public enum LeaderTaskStatus { Assigned = 1, Done = 2, NotDone = 3 }

/// <summary>A named breakthrough task assigned by a committee to a named leader.</summary>
public sealed class LeaderTask : IAudited, ISoftDeletable, IYearly
{
    int IYearly.YearUnitId => OrgUnitId;
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public int Year { get; set; }
    public required string LeaderName { get; set; }
    public string? LeaderPosition { get; set; }
    public required string Title { get; set; }
    public DateOnly? Deadline { get; set; }
    public LeaderTaskStatus Status { get; set; } = LeaderTaskStatus.Assigned;
    public string? Outcome { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public uint Version { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

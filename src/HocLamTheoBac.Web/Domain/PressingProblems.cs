namespace HocLamTheoBac.Web.Domain;

public enum ProblemOutcome { Open = 1, Resolved = 2, Partly = 3, NotResolved = 4 }

/// <summary>Vấn đề bức xúc, nổi cộm registered at a level.</summary>
public sealed class PressingProblem : IAudited, ISoftDeletable, IYearly
{
    int IYearly.YearUnitId => OrgUnitId;
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public int Year { get; set; }
    public required string Title { get; set; }
    public string? Owner { get; set; }
    public DateOnly? Deadline { get; set; }
    public string? ProgressNotes { get; set; }
    public ProblemOutcome Outcome { get; set; } = ProblemOutcome.Open;
    public DateOnly? ResolvedOn { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public uint Version { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

namespace HocLamTheoBac.Web.Domain;

/// <summary>Entities whose every change lands in the audit log.</summary>
public interface IAudited
{
    int? AuditOrgUnitId { get; }
}

public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>Who: an account's email, or "operator" for the server's command line.</summary>
    public required string Actor { get; set; }
    public string? UserId { get; set; }
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public required string EntityId { get; set; }
    public int? OrgUnitId { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    public string? Note { get; set; }
}

/// <summary>An entity that can carry a reason for the next audited change (e.g. "reopen with reason").</summary>
public interface IAuditNote
{
    string? TakeAuditNote();
}

public interface ISoftDeletable
{
    DateTimeOffset? DeletedAt { get; set; }
}

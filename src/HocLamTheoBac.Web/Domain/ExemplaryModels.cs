namespace HocLamTheoBac.Web.Domain;

public enum ExemplaryModelKind { Collective = 1, Exemplar = 2 }

public enum ExemplaryModelStatus { Registered = 1, Building = 2, Recognised = 3, NotAchieved = 4 }

/// <summary>A collective model (mô hình) or an individual exemplar (điển hình, linked to a member).</summary>
public sealed class ExemplaryModel : IAudited, ISoftDeletable, IYearly
{
    int IYearly.YearUnitId => OrgUnitId;
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public int Year { get; set; }
    public ExemplaryModelKind Kind { get; set; }
    public int? MemberId { get; set; }
    public required string Title { get; set; }
    public string? Field { get; set; }
    public string? Description { get; set; }
    public DateOnly? StartDate { get; set; }
    public ExemplaryModelStatus Status { get; set; } = ExemplaryModelStatus.Registered;
    public string? Evidence { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public uint Version { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

/// <summary>Another unit applying a model (nhân rộng). Counted per model.</summary>
public sealed class ModelReplication : IAudited, ISoftDeletable, IYearly
{
    int IYearly.YearUnitId => OrgUnitId;
    public int Id { get; set; }
    public int ModelId { get; set; }
    public int OrgUnitId { get; set; }
    public int Year { get; set; }
    public DateOnly ReplicatedOn { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

/// <summary>Minimum models and exemplars per kind of unit, set by a committee for its subtree.</summary>
public sealed class ModelQuota : IAudited, IYearly
{
    int IYearly.YearUnitId => SetByOrgUnitId;
    public int Id { get; set; }
    public int SetByOrgUnitId { get; set; }
    public int Year { get; set; }
    public int OrgKindId { get; set; }
    public int MinCollective { get; set; }
    public int MinExemplar { get; set; }
    public uint Version { get; set; }
    int? IAudited.AuditOrgUnitId => SetByOrgUnitId;
}

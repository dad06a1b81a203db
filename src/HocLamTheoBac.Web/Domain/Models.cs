namespace HocLamTheoBac.Web.Domain;

public enum ModelKind { Collective = 1, Exemplar = 2 }

public enum ModelStatus { Registered = 1, Building = 2, Recognised = 3, NotAchieved = 4 }

/// <summary>A collective model (mô hình) or an individual exemplar (điển hình, linked to a member).</summary>
public sealed class ExemplaryModel : IAudited, ISoftDeletable, IYearly
{
    int IYearly.YearUnitId => OrgUnitId;
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public int Year { get; set; }
    public ModelKind Kind { get; set; }
    public int? MemberId { get; set; }
    public required string Title { get; set; }
    public string? Field { get; set; }
    public string? Description { get; set; }
    public DateOnly? StartDate { get; set; }
    public ModelStatus Status { get; set; } = ModelStatus.Registered;
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

public enum CommendationLevel { Praise = 1, Certificate = 2, Merit = 3 }

/// <summary>Biểu dương, giấy khen or bằng khen to a unit or a member.</summary>
public sealed class Commendation : IAudited, ISoftDeletable, IYearly
{
    int IYearly.YearUnitId => OrgUnitId;
    public int Id { get; set; }
    /// <summary>The unit that records it (for scope and counting).</summary>
    public int OrgUnitId { get; set; }
    public int Year { get; set; }
    public CommendationLevel Level { get; set; }
    public int? RecipientOrgUnitId { get; set; }
    public int? RecipientMemberId { get; set; }
    public required string IssuingBody { get; set; }
    public string? DecisionNumber { get; set; }
    public DateOnly? DecisionDate { get; set; }
    public int? ModelId { get; set; }
    public int? PledgeId { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

public enum SessionFormat { InPerson = 1, Online = 2 }

public enum AttendanceStatus { Present = 1, Excused = 2, Absent = 3 }

public sealed class StudySession : IAudited, ISoftDeletable, IYearly
{
    int IYearly.YearUnitId => OrgUnitId;
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public int Year { get; set; }
    public DateOnly HeldOn { get; set; }
    public required string Theme { get; set; }
    public SessionFormat Format { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

public sealed class Attendance
{
    public int SessionId { get; set; }
    public int MemberId { get; set; }
    public AttendanceStatus Status { get; set; }
}

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

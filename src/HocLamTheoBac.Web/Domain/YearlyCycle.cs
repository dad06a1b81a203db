namespace HocLamTheoBac.Web.Domain;

/// <summary>A committee opens a year for its subtree: the study theme, its plan document, the registration deadline.</summary>
public sealed class PlanYear : IAudited, IAuditNote
{
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit OrgUnit { get; set; } = null!;
    public int Year { get; set; }
    /// <summary>Chuyên đề năm.</summary>
    public required string Theme { get; set; }
    public string? PlanNumber { get; set; }
    public DateOnly? PlanDate { get; set; }
    public DateOnly? RegistrationDeadline { get; set; }
    /// <summary>Set when the committee closes the year for its subtree; pledges become read-only.</summary>
    public DateTimeOffset? ClosedAt { get; set; }
    public uint Version { get; set; }

    private string? _note;
    public void NoteForAudit(string note) => _note = note;
    string? IAuditNote.TakeAuditNote() { var n = _note; _note = null; return n; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

public enum TopicKind { Breakthrough = 1, EthicalStandard = 2 }

/// <summary>The words the pages (and the audit page) use for the yearly records' kinds and statuses.</summary>
public static class YearlyText
{
    public static string Label(this TopicKind k) => k switch
    {
        TopicKind.Breakthrough => "Nội dung đột phá",
        TopicKind.EthicalStandard => "Chuẩn mực đạo đức",
        _ => k.ToString(),
    };

    public static string Label(this CollectiveStatus s) => s switch
    {
        CollectiveStatus.Registered => "Đã đăng ký",
        CollectiveStatus.InProgress => "Đang thực hiện",
        CollectiveStatus.Done => "Hoàn thành",
        CollectiveStatus.NotDone => "Không hoàn thành",
        _ => s.ToString(),
    };
}

/// <summary>Nội dung đột phá or chuẩn mực đạo đức; set at any level, inherited by the whole subtree.</summary>
public sealed class Topic : IAudited, ISoftDeletable, IYearly
{
    int IYearly.YearUnitId => OrgUnitId;
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public int Year { get; set; }
    public TopicKind Kind { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

public enum CollectiveCategory { Study = 1, Follow = 2, Example = 3, Creative = 4, PressingProblem = 5 }

public enum CollectiveStatus { Registered = 1, InProgress = 2, Done = 3, NotDone = 4 }

/// <summary>One item of a unit's collective plan (kế hoạch của tập thể).</summary>
public sealed class CollectivePledge : IAudited, ISoftDeletable, IYearly
{
    int IYearly.YearUnitId => OrgUnitId;
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public int Year { get; set; }
    public CollectiveCategory Category { get; set; }
    public required string What { get; set; }
    public string? How { get; set; }
    public string? Lead { get; set; }
    public DateOnly? Deadline { get; set; }
    public int? TopicId { get; set; }
    public CollectiveStatus Status { get; set; } = CollectiveStatus.Registered;
    public string? ResultNote { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public uint Version { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

public enum PledgeStatus
{
    Draft = 1,
    Submitted = 2,
    Approved = 3,
    Returned = 4,
    InProgress = 5,
    ReportedDone = 6,
    Done = 7,
    NotDone = 8,
}

/// <summary>A member's personal pledge (việc làm theo). Counted for the branch where it was registered.</summary>
public sealed class Pledge : IAudited, ISoftDeletable, IAuditNote, IYearly
{
    int IYearly.YearUnitId => BranchId;
    public int Id { get; set; }
    public int MemberId { get; set; }
    public Member Member { get; set; } = null!;
    /// <summary>The branch the pledge was registered in; stays when the member transfers.</summary>
    public int BranchId { get; set; }
    public int Year { get; set; }
    public required string Content { get; set; }
    public string? Solution { get; set; }
    public DateOnly? Deadline { get; set; }
    public int? TopicId { get; set; }
    public PledgeStatus Status { get; set; } = PledgeStatus.Draft;
    /// <summary>Why it was returned or marked not done.</summary>
    public string? Reason { get; set; }
    public string? EvidenceNote { get; set; }
    public DateTimeOffset? ReportedAt { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public uint Version { get; set; }

    private string? _note;
    public void NoteForAudit(string note) => _note = note;
    string? IAuditNote.TakeAuditNote() { var n = _note; _note = null; return n; }
    int? IAudited.AuditOrgUnitId => BranchId;
}

/// <summary>
/// The longest text each pledge field takes: the column sizes (EF configuration), the forms' checks and their messages,
/// the import's checks and the textareas' maxlength all read these. In a [StringLength] message, {1} is the limit.
/// </summary>
public static class PledgeLimits
{
    public const int Content = 2000;
    public const int Solution = 4000;
    public const int Reason = 2000;
    public const int EvidenceNote = 4000;

    public const string ContentMessage = "Nội dung tối đa {1} ký tự.";
    public const string SolutionMessage = "Giải pháp tối đa {1} ký tự.";
    public const string ReasonMessage = "Lý do tối đa {1} ký tự.";
    public const string EvidenceNoteMessage = "Ghi chú tối đa {1} ký tự.";

    /// <summary>The same message with the limit filled in, for checks made in code (the import, a note posted with an action).</summary>
    public static string TooLong(string message, int limit) => message.Replace("{1}", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>
/// A file attached as evidence: stored 0600 outside the published site (EvidenceStore), served as an attachment only
/// through /Pledges/Evidence to those who may see the pledge; uploads and removals audited under the pledge's branch.
/// </summary>
public sealed class PledgeEvidence : IAudited
{
    public int Id { get; set; }
    public int PledgeId { get; set; }
    /// <summary>The pledge, for the audit row's unit; set (or fixed up by the change tracker) before saving.</summary>
    public Pledge? Pledge { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string StoragePath { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public string? UploadedBy { get; set; }
    int? IAudited.AuditOrgUnitId => Pledge?.BranchId;
}

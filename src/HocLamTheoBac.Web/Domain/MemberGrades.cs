namespace HocLamTheoBac.Web.Domain;

/// <summary>The four levels of a member's annual evaluation (đánh giá, xếp loại đảng viên).</summary>
public enum GradeLevel
{
    Excellent = 1,
    Good = 2,
    Completed = 3,
    NotCompleted = 4,
}

/// <summary>The grade a branch records for one of its members for a year; one live grade per member and year, audited, soft-deleted.</summary>
public sealed class MemberGrade : IAudited, ISoftDeletable, IYearly
{
    int IYearly.YearUnitId => BranchId;
    public int Id { get; set; }
    public int MemberId { get; set; }
    /// <summary>The branch that evaluated the member (the member's branch when the grade was recorded).</summary>
    public int BranchId { get; set; }
    public int Year { get; set; }
    public GradeLevel Level { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public uint Version { get; set; }
    int? IAudited.AuditOrgUnitId => BranchId;
}

public static class GradeText
{
    public static string Label(this GradeLevel g) => g switch
    {
        GradeLevel.Excellent => "Hoàn thành xuất sắc nhiệm vụ",
        GradeLevel.Good => "Hoàn thành tốt nhiệm vụ",
        GradeLevel.Completed => "Hoàn thành nhiệm vụ",
        GradeLevel.NotCompleted => "Không hoàn thành nhiệm vụ",
        _ => g.ToString(),
    };
}

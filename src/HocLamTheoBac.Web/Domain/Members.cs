namespace HocLamTheoBac.Web.Domain;

public enum Gender { Male = 1, Female = 2 }

public enum MemberStatus { Active = 1, TransferredOut = 2, Deceased = 3, Expelled = 4 }

/// <summary>The branch offices a member's position names, and the order lists of a branch's members follow: the
/// secretary, the deputy, then the others (the sheets, the review, the grid).</summary>
public static class Positions
{
    public const string Secretary = "Bí thư chi bộ";
    public const string Deputy = "Phó Bí thư chi bộ";

    public static readonly System.Linq.Expressions.Expression<Func<Member, int>> Rank =
        m => m.Position == Secretary ? 0 : m.Position == Deputy ? 1 : 2;
}

public sealed class Member : IAudited
{
    public int Id { get; set; }
    public required string FullName { get; set; }
    public DateOnly? BirthDate { get; set; }
    public Gender? Gender { get; set; }
    /// <summary>Số thẻ đảng viên; unique when present.</summary>
    public string? CardNumber { get; set; }
    public DateOnly? AdmittedOn { get; set; }
    public DateOnly? OfficialOn { get; set; }
    public string? Position { get; set; }
    public int BranchId { get; set; }
    public OrgUnit Branch { get; set; } = null!;
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public MemberStatus Status { get; set; } = MemberStatus.Active;
    public uint Version { get; set; }

    int? IAudited.AuditOrgUnitId => BranchId;
}

/// <summary>Which branch a member belonged to over a period (chuyển sinh hoạt đảng keeps history).</summary>
public sealed class MemberBranchPeriod
{
    public long Id { get; set; }
    public int MemberId { get; set; }
    public int BranchId { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
}

public static class MemberText
{
    public static string Label(this MemberStatus s) => s switch
    {
        MemberStatus.Active => "Đang sinh hoạt",
        MemberStatus.TransferredOut => "Đã chuyển đi",
        MemberStatus.Deceased => "Đã từ trần",
        MemberStatus.Expelled => "Đã khai trừ",
        _ => s.ToString(),
    };

    public static string Label(this Gender? g) => g switch
    {
        Gender.Male => "Nam",
        Gender.Female => "Nữ",
        _ => "",
    };
}

using Microsoft.AspNetCore.Identity;

namespace HocLamTheoBac.Web.Domain;

public sealed class AppUser : IdentityUser
{
    public string FullName { get; set; } = "";
    public int? MemberId { get; set; }
    /// <summary>Set when the account was given a temporary password: every page leads to the password form until it is changed.</summary>
    public bool MustChangePassword { get; set; }
}

public enum AppRole { Admin = 1, Staff = 2, Secretary = 3, Member = 4 }

/// <summary>A role held over one unit's subtree. One person may hold several.</summary>
public sealed class RoleBinding : IAudited
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public AppRole Role { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit OrgUnit { get; set; } = null!;
    public DateTimeOffset GrantedAt { get; set; }
    int? IAudited.AuditOrgUnitId => OrgUnitId;
}

public static class RoleText
{
    public static string Label(this AppRole r) => r switch
    {
        AppRole.Admin => "Quản trị viên",
        AppRole.Staff => "Cán bộ Ban Tuyên giáo và Dân vận / cấp ủy",
        AppRole.Secretary => "Bí thư chi bộ",
        AppRole.Member => "Đảng viên",
        _ => r.ToString(),
    };
}

using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Accounts;

public sealed class BindingInput
{
    [Required(ErrorMessage = "Vui lòng chọn vai trò.")] public AppRole? Role { get; set; }
    [Required(ErrorMessage = "Vui lòng nhập mã đơn vị."), StringLength(40)] public string OrgCode { get; set; } = "";
    [StringLength(30)] public string? MemberCardNumber { get; set; }
}

public static class AccountRules
{
    public sealed record UnitChoice(string Code, string Name, string Kind);

    /// <summary>The open units an administrator may bind roles on, for the unit picker (searchable by code or name).</summary>
    public static async Task<List<UnitChoice>> UnitChoicesAsync(AccessService access, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        return await access.Units(scope, Permission.ManageAccounts).AsNoTracking().Where(u => u.ClosedOn == null)
            .OrderBy(u => u.Path).Take(20000).Select(u => new UnitChoice(u.Code, u.Name, u.Kind.Name)).ToListAsync(ct);
    }

    /// <summary>Resolves the unit (within the administrator's subtree) and, for a member role, the member record by card number.</summary>
    public static async Task<(OrgUnit? Unit, int? MemberId, string? Error, string Field)> ResolveAsync(AppDbContext db, AccessService access, BindingInput input, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        // The picker's options read "CODE — Name"; a pasted option text is accepted as well as the bare code.
        var code = (input.OrgCode ?? "").Split(" — ")[0].Trim();
        var unit = await access.Units(scope, Permission.ManageAccounts).Include(u => u.Kind).FirstOrDefaultAsync(u => u.Code == code && u.ClosedOn == null, ct);
        if (unit is null) return (null, null, $"Không có đơn vị mã {code} trong phạm vi quản lý của bạn.", "OrgCode");
        if (input.Role is AppRole.Secretary or AppRole.Member && !unit.Kind.IsBranch)
            return (null, null, "Vai trò bí thư chi bộ và đảng viên phải gắn với một chi bộ.", "OrgCode");
        int? memberId = null;
        if (!string.IsNullOrWhiteSpace(input.MemberCardNumber))
        {
            var card = input.MemberCardNumber.Trim();
            var path = unit.Path;
            memberId = await db.Members.Where(m => m.CardNumber == card && m.Branch.Path.IsDescendantOf(path)).Select(m => (int?)m.Id).FirstOrDefaultAsync(ct);
            if (memberId is null) return (null, null, $"Không có đảng viên số thẻ {card} trong {unit.Name}.", "MemberCardNumber");
        }
        if (input.Role == AppRole.Member && memberId is null)
            return (null, null, "Tài khoản đảng viên cần số thẻ đảng viên để liên kết với hồ sơ.", "MemberCardNumber");
        return (unit, memberId, null, "");
    }
}

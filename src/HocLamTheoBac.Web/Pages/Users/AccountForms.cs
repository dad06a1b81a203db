using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Users;

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

    /// <summary>Resolves the unit (within the administrator's subtree) and, for a member role, the member record by card number;
    /// the first problem found, for callers that stop at one (the CLI, the grant form).</summary>
    public static async Task<(OrgUnit? Unit, int? MemberId, string? Error, string Field)> ResolveAsync(AppDbContext db, AccessService access, BindingInput input, CancellationToken ct)
    {
        var (unit, memberId, errors) = await ValidateAsync(db, access, input, ct);
        if (errors.Count == 0 && unit is null) errors.Add(("OrgCode", "Vui lòng nhập mã đơn vị."));
        return errors.Count > 0 ? (null, null, errors[0].Error, errors[0].Field) : (unit, memberId, null, "");
    }

    /// <summary>Every problem with a role binding at once (unit, branch-only roles, card number), each with the field it belongs to,
    /// so a form reports a bad unit together with a bad card number. An empty unit code is left to the [Required] message.</summary>
    public static async Task<(OrgUnit? Unit, int? MemberId, List<(string Field, string Error)> Errors)> ValidateAsync(AppDbContext db, AccessService access, BindingInput input, CancellationToken ct)
    {
        var errors = new List<(string Field, string Error)>();
        var scope = await access.ScopeAsync(ct);
        // The picker's options read "CODE — Name"; a pasted option text is accepted as well as the bare code.
        var code = (input.OrgCode ?? "").Split(" — ")[0].Trim();
        OrgUnit? unit = null;
        if (code.Length > 0)
        {
            unit = await access.Units(scope, Permission.ManageAccounts).Include(u => u.Kind).FirstOrDefaultAsync(u => u.Code == code && u.ClosedOn == null, ct);
            if (unit is null)
            {
                // A dissolved or merged unit of the subtree says so (the walk of session 17: "Không có đơn vị mã TQ-TP…"
                // for a city the administrator can see, dissolved).
                var closed = await access.Units(scope, Permission.ManageAccounts).Where(u => u.Code == code && u.ClosedOn != null)
                    .Select(u => new { u.Name, u.ClosedOn }).FirstOrDefaultAsync(ct);
                errors.Add(("OrgCode", closed is null ? $"Không có đơn vị mã {code} trong phạm vi quản lý của bạn."
                    : $"{closed.Name} (mã {code}) đã giải thể hoặc hợp nhất từ ngày {Vn.Date(closed.ClosedOn)}: hãy giao vai trò tại đơn vị đang hoạt động."));
            }
            else if (input.Role is AppRole.Secretary or AppRole.Member && !unit.Kind.IsBranch)
            {
                errors.Add(("OrgCode", "Vai trò bí thư chi bộ và đảng viên phải gắn với một chi bộ."));
                unit = null;
            }
        }
        int? memberId = null;
        if (!string.IsNullOrWhiteSpace(input.MemberCardNumber))
        {
            var card = input.MemberCardNumber.Trim();
            if (unit is not null)
            {
                var path = unit.Path;
                memberId = await db.Members.Where(m => m.CardNumber == card && m.Branch.Path.IsDescendantOf(path)).Select(m => (int?)m.Id).FirstOrDefaultAsync(ct);
                if (memberId is null) errors.Add(("MemberCardNumber", $"Không có đảng viên số thẻ {card} trong {unit.Name}."));
            }
            else if (!await access.Members(scope, Permission.ManageAccounts).AnyAsync(m => m.CardNumber == card, ct))
                errors.Add(("MemberCardNumber", $"Không có đảng viên số thẻ {card} trong phạm vi quản lý của bạn."));
        }
        else if (input.Role == AppRole.Member)
            errors.Add(("MemberCardNumber", "Tài khoản đảng viên cần số thẻ đảng viên để liên kết với hồ sơ."));
        return (errors.Count > 0 ? null : unit, errors.Count > 0 ? null : memberId, errors);
    }
}

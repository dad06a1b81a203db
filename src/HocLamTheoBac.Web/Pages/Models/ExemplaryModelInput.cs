using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Models;

public sealed class ExemplaryModelInput
{
    [Required(ErrorMessage = "Vui lòng chọn loại.")]
    [EnumDataType(typeof(ExemplaryModelKind), ErrorMessage = "Loại không hợp lệ.")]
    public ExemplaryModelKind Kind { get; set; } = ExemplaryModelKind.Collective;

    [Required(ErrorMessage = "Vui lòng nhập tên mô hình, điển hình.")]
    [StringLength(500, ErrorMessage = "Tên tối đa 500 ký tự.")]
    public string Title { get; set; } = "";

    [StringLength(200, ErrorMessage = "Lĩnh vực tối đa 200 ký tự.")]
    public string? Field { get; set; }

    [StringLength(4000, ErrorMessage = "Mô tả tối đa 4.000 ký tự.")]
    public string? Description { get; set; }

    [Display(Name = "Ngày bắt đầu")] public DateOnly? StartDate { get; set; }

    /// <summary>The member an exemplar (điển hình cá nhân) is about.</summary>
    public int? MemberId { get; set; }

    [EnumDataType(typeof(ExemplaryModelStatus), ErrorMessage = "Trạng thái không hợp lệ.")]
    public ExemplaryModelStatus Status { get; set; } = ExemplaryModelStatus.Registered;

    [StringLength(4000, ErrorMessage = "Minh chứng tối đa 4.000 ký tự.")]
    public string? Evidence { get; set; }

    public uint Version { get; set; }
}

public sealed record MemberChoice(int Id, string FullName, string BranchName);

/// <summary>What the shared form partial needs.</summary>
public sealed record ExemplaryModelForm(ExemplaryModelInput Input, IReadOnlyList<MemberChoice> Members, bool ShowStatus);

internal static class ExemplaryModelFormRules
{
    /// <summary>Members of the unit's subtree the user may see, for the exemplar picker.</summary>
    public static async Task<List<MemberChoice>> MembersAsync(AppDbContext db, AccessService access, OrgUnit unit, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        var under = AccessService.InSubtree<Member>(m => m.Branch.Path, [unit.Path]);
        return await access.Members(scope, Permission.ViewMembers).Where(under).AsNoTracking()
            .Where(m => m.Status == MemberStatus.Active)
            .OrderBy(m => m.Branch.Path).ThenByName(m => m.FullName)
            .Take(2000)
            .Select(m => new MemberChoice(m.Id, m.FullName, m.Branch.Name)).ToListAsync(ct);
    }

    /// <summary>An exemplar names a member of the unit; a collective model names none; a model of a year starts in it or before
    /// (the walk of session 19: a 2026 model was saved with a start date of 01/01/2099).</summary>
    public static void Check(ExemplaryModelInput input, IReadOnlyList<MemberChoice> members, int year, ModelStateDictionary state)
    {
        if (input.StartDate is { } start && start.Year > year)
            state.AddModelError("Input.StartDate", $"Ngày bắt đầu {Vn.Date(start)} sau năm {year} của mô hình, điển hình: hãy nhập ngày trong năm {year} hoặc trước đó.");
        if (input.Kind == ExemplaryModelKind.Exemplar)
        {
            if (input.MemberId is null) state.AddModelError("Input.MemberId", "Điển hình cá nhân phải gắn với một đảng viên của đơn vị.");
            else if (members.All(m => m.Id != input.MemberId)) state.AddModelError("Input.MemberId", "Đảng viên đã chọn không thuộc đơn vị này.");
        }
        else input.MemberId = null;
        input.Title = input.Title?.Trim() ?? "";
    }
}

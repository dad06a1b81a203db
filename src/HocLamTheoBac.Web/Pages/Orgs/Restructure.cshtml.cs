using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using HocLamTheoBac.Web.Pages.Members;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Orgs;

/// <summary>Move a subtree, merge a unit into another, or close a unit. History stays answerable (placements).</summary>
public sealed class RestructureModel(AppDbContext db, AccessService access) : PageModel
{
    [BindProperty] public InputModel Input { get; set; } = new();
    public OrgUnit Unit { get; private set; } = null!;

    public sealed class InputModel
    {
        [StringLength(40)] public string? TargetCode { get; set; }
        [Required(ErrorMessage = "Vui lòng chọn ngày hiệu lực.")] public DateOnly? EffectiveOn { get; set; } = DateOnly.FromDateTime(DateTime.Today);
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostMoveAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var target = await TargetAsync(ct);
        if (target is not null && OrgPaths.IsWithin(target.Path, Unit.Path))
            ModelState.AddModelError("Input.TargetCode", "Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.");
        if (target is not null && target.Kind.IsBranch)
            ModelState.AddModelError("Input.TargetCode", "Chi bộ không có đơn vị trực thuộc; hãy chọn một đảng bộ.");
        if (Unit.ParentId is null) ModelState.AddModelError(string.Empty, "Không thể chuyển đơn vị cấp cao nhất.");
        if (!ModelState.IsValid || target is null) return Page();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var oldParent = Unit.ParentId;
        await db.MoveAsync(Unit, target, Input.EffectiveOn!.Value, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        TempData["StatusMessage"] = $"Đã chuyển {Unit.Name} về trực thuộc {target.Name} từ ngày {Vn.D(Input.EffectiveOn)}.";
        return RedirectToPage("Details", new { id });
    }

    public async Task<IActionResult> OnPostMergeAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var survivor = await TargetAsync(ct);
        if (survivor is not null && (survivor.Id == Unit.Id || OrgPaths.IsWithin(survivor.Path, Unit.Path)))
            ModelState.AddModelError("Input.TargetCode", "Đơn vị tiếp nhận phải nằm ngoài đơn vị bị hợp nhất.");
        if (survivor is not null && Unit.Kind.IsBranch && !survivor.Kind.IsBranch)
            ModelState.AddModelError("Input.TargetCode", "Chi bộ chỉ hợp nhất được vào một chi bộ khác.");
        if (!ModelState.IsValid || survivor is null) return Page();
        var on = Input.EffectiveOn!.Value;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await OrgRestructuring.MergeAsync(db, Unit, survivor, on, ct);
        await tx.CommitAsync(ct);
        TempData["StatusMessage"] = $"Đã hợp nhất {Unit.Name} vào {survivor.Name} từ ngày {Vn.D(on)}.";
        return RedirectToPage("Details", new { id = survivor.Id });
    }

    public async Task<IActionResult> OnPostCloseAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var path = Unit.Path;
        if (await db.Members.AnyAsync(m => m.Status == MemberStatus.Active && m.Branch.Path.IsDescendantOf(path), ct))
            ModelState.AddModelError(string.Empty, "Đơn vị còn đảng viên đang sinh hoạt: hãy chuyển sinh hoạt hoặc hợp nhất trước khi giải thể.");
        if (Unit.ParentId is null) ModelState.AddModelError(string.Empty, "Không thể giải thể đơn vị cấp cao nhất.");
        if (!ModelState.IsValid) return Page();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.CloseAsync(Unit, Input.EffectiveOn!.Value, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        TempData["StatusMessage"] = $"Đã giải thể {Unit.Name} từ ngày {Vn.D(Input.EffectiveOn)}.";
        return RedirectToPage("Details", new { id });
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var unit = await access.FindUnitAsync(id, Permission.ManageOrgs, ct);
        if (unit is null || unit.ClosedOn is not null) return false;
        Unit = unit;
        return true;
    }

    /// <summary>The target unit by code, only within the administrator's own subtree.</summary>
    private async Task<OrgUnit?> TargetAsync(CancellationToken ct)
    {
        var code = Input.TargetCode?.Trim();
        if (string.IsNullOrEmpty(code))
        {
            ModelState.AddModelError("Input.TargetCode", "Vui lòng nhập mã đơn vị đích.");
            return null;
        }
        var scope = await access.ScopeAsync(ct);
        var target = await access.Units(scope, Permission.ManageOrgs).Include(u => u.Kind).FirstOrDefaultAsync(u => u.Code == code && u.ClosedOn == null, ct);
        if (target is null) ModelState.AddModelError("Input.TargetCode", $"Không tìm thấy đơn vị đang hoạt động có mã {code} trong phạm vi quản lý của bạn.");
        return target;
    }
}

public static class OrgRestructuring
{
    /// <summary>
    /// Merges <paramref name="source"/> into <paramref name="survivor"/>: child units move under the survivor,
    /// active members transfer (history kept), this year's open pledges follow them; the source closes.
    /// Past years still count records where they were registered.
    /// </summary>
    public static async Task MergeAsync(AppDbContext db, OrgUnit source, OrgUnit survivor, DateOnly on, CancellationToken ct)
    {
        var children = await db.OrgUnits.Where(u => u.ParentId == source.Id && u.ClosedOn == null).ToListAsync(ct);
        foreach (var child in children) await db.MoveAsync(child, survivor, on, ct);
        var members = await db.Members.Where(m => m.BranchId == source.Id && m.Status == MemberStatus.Active).ToListAsync(ct);
        foreach (var m in members) await MemberTransfers.TransferAsync(db, m, survivor.Id, on, ct);
        var open = new[] { PledgeStatus.Draft, PledgeStatus.Submitted, PledgeStatus.Approved, PledgeStatus.Returned, PledgeStatus.InProgress, PledgeStatus.ReportedDone };
        await db.Pledges.Where(p => p.BranchId == source.Id && p.Year == on.Year && open.Contains(p.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.BranchId, survivor.Id), ct);
        source.MergedIntoId = survivor.Id;
        await db.CloseAsync(source, on, ct);
        await db.SaveChangesAsync(ct);
    }
}

using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Orgs;

/// <summary>Move a subtree, merge a unit into another, or close a unit (rules: <see cref="Restructuring"/>). History stays answerable (placements).</summary>
public sealed class RestructureModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    /// <summary>The form that was posted and refused ("Move", "Merge", "Close"): it shows the code as typed and its message.</summary>
    public string? Posted { get; private set; }
    public OrgUnit Unit { get; private set; } = null!;

    public sealed class InputModel
    {
        [StringLength(40)] public string? TargetCode { get; set; }
        [Required(ErrorMessage = "Vui lòng chọn ngày hiệu lực."), Display(Name = "Ngày hiệu lực")] public DateOnly? EffectiveOn { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Input.EffectiveOn ??= db.Clock.Today;
        return Page();
    }

    public async Task<IActionResult> OnPostMoveAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Posted = "Move";
        var target = await TargetAsync(ct);
        if (!ModelState.IsValid || target is null) return Page();
        var on = Input.EffectiveOn!.Value;
        if (await Restructuring.InTransactionAsync(db, () => Restructuring.MoveAsync(db, Unit, target, on, ct), ct) is { } refusal) return Refuse(refusal);
        StatusMessage = $"Đã chuyển {Unit.Name} về trực thuộc {target.Name} từ ngày {Vn.Date(on)}.";
        return RedirectToPage("Details", new { id });
    }

    public async Task<IActionResult> OnPostMergeAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Posted = "Merge";
        var survivor = await TargetAsync(ct);
        if (!ModelState.IsValid || survivor is null) return Page();
        var on = Input.EffectiveOn!.Value;
        if (await Restructuring.InTransactionAsync(db, () => Restructuring.MergeAsync(db, Unit, survivor, on, ct), ct) is { } refusal) return Refuse(refusal);
        StatusMessage = $"Đã hợp nhất {Unit.Name} vào {survivor.Name} từ ngày {Vn.Date(on)}.";
        return RedirectToPage("Details", new { id = survivor.Id });
    }

    public async Task<IActionResult> OnPostCloseAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Posted = "Close";
        var successor = string.IsNullOrWhiteSpace(Input.TargetCode) ? null : await TargetAsync(ct);
        if (!ModelState.IsValid) return Page();
        var on = Input.EffectiveOn!.Value;
        if (await Restructuring.InTransactionAsync(db, () => Restructuring.CloseAsync(db, Unit, on, successor, ct), ct) is { } refusal) return Refuse(refusal);
        StatusMessage = $"Đã giải thể {Unit.Name} từ ngày {Vn.Date(on)}.";
        return RedirectToPage("Details", new { id });
    }

    private PageResult Refuse(string message)
    {
        db.ChangeTracker.Clear();
        ModelState.AddModelError(string.Empty, message);
        return Page();
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

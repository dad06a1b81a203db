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
    public DateOnly Today => db.Clock.Today;
    /// <summary>Units offered in each form's list (the walk of session 12: the target had to be known by its code).</summary>
    public IReadOnlyList<Choice> MoveTargets { get; private set; } = [];
    public IReadOnlyList<Choice> MergeTargets { get; private set; } = [];

    public sealed record Choice(string Code, string Name);

    /// <summary>How many units each list offers at most; any other unit of the subtree can still be typed by its code.</summary>
    public const int ChoicesShown = 300;

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
        await LoadChoicesAsync(ct);
        return true;
    }

    /// <summary>
    /// The likely targets, nearest first (siblings, then the parent's siblings, then the rest by their place in the tree):
    /// the active units under the unit's grandparent (or parent) within the viewer's subtree, outside the unit itself. A move
    /// offers those that may hold units (not branches, not today's parent); a merge or a closing those of the unit's own level
    /// in the tree (a branch into a branch, a ward into a ward) — the rules <see cref="Restructuring"/> checks again on
    /// posting, where any other code of the subtree may be typed. Filtered in SQL before the limit (the attack walk of session
    /// 13: 1.500 branches of another ward filled the list and left out the unit's own siblings).
    /// </summary>
    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        var (path, parentId) = (Unit.Path, Unit.ParentId);
        var grandparentId = parentId is int parent ? await db.OrgUnits.Where(u => u.Id == parent).Select(u => u.ParentId).FirstAsync(ct) : null;
        var anchorId = grandparentId ?? parentId ?? Unit.Id;
        var anchor = await db.OrgUnits.Where(u => u.Id == anchorId).Select(u => u.Path).FirstAsync(ct);
        var scope = await access.ScopeAsync(ct);
        var near = access.Units(scope, Permission.ManageOrgs)
            .Where(u => u.ClosedOn == null && u.Path.IsDescendantOf(anchor) && !u.Path.IsDescendantOf(path))
            .OrderBy(u => u.ParentId == parentId ? 0 : u.ParentId == grandparentId || u.Id == grandparentId ? 1 : 2).ThenBy(u => u.Path);
        MoveTargets = await near.Where(u => !u.Kind.IsBranch && u.Id != parentId)
            .Select(u => new Choice(u.Code, u.Name)).Take(ChoicesShown).ToListAsync(ct);
        var level = path.ToString().Split('.').Length;
        MergeTargets = await near.Where(u => u.Kind.IsBranch == Unit.Kind.IsBranch && u.Path.NLevel == level)
            .Select(u => new Choice(u.Code, u.Name)).Take(ChoicesShown).ToListAsync(ct);
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

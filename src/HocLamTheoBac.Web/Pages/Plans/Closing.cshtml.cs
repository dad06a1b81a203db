using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace HocLamTheoBac.Web.Pages.Plans;

/// <summary>Closes a unit's plan year for its subtree, or reopens it with a reason that goes into the audit log.</summary>
public sealed class ClosingModel(AppDbContext db, AccessService access) : PlanYearPage(db, access)
{
    [BindProperty] public ReopenInput Reopen { get; set; } = new();
    /// <summary>The closing form's "Tôi xác nhận …" box: one click of the button no longer closes a whole subtree's year
    /// (the walk of session 20).</summary>
    [BindProperty] public bool Confirm { get; set; }

    public sealed class ReopenInput
    {
        [Required(ErrorMessage = "Vui lòng ghi lý do mở lại."), StringLength(2000, ErrorMessage = "Lý do tối đa 2000 ký tự.")]
        public string? Reason { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, toPlan: true, ct)) return NotFound();
        if (Own is null) Errors.Add(YearClosed ? ClosedReason! : NotOpened);
        return Page();
    }

    public async Task<IActionResult> OnPostCloseAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, toPlan: true, ct)) return NotFound();
        ModelState.Clear();
        if (Own is null) { Errors.Add(YearClosed ? ClosedReason! : NotOpened); return Page(); }
        if (Own.ClosedAt is not null) { Errors.Add("Năm kế hoạch đã khóa sổ."); return Page(); }
        if (!Confirm) { Errors.Add($"Chưa khóa sổ: hãy đánh dấu ô “Tôi xác nhận khóa sổ năm {Year}…” rồi bấm lại nút khóa sổ."); return Page(); }
        Own.ClosedAt = Db.Clock.Now;
        await Db.SaveChangesAsync(ct);
        return ToPlan($"Đã khóa sổ năm {Year} cho {Unit.Name} và các đơn vị trực thuộc.");
    }

    public async Task<IActionResult> OnPostReopenAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, toPlan: true, ct)) return NotFound();
        if (!ModelState.IsValid) return Page();
        if (Own?.ClosedAt is null) { Errors.Add("Năm kế hoạch chưa khóa sổ."); return Page(); }
        Own.ClosedAt = null;
        Own.NoteForAudit(Reopen.Reason!.Trim());
        await Db.SaveChangesAsync(ct);
        return ToPlan($"Đã mở lại năm {Year}. Lý do đã được ghi vào nhật ký.");
    }

    private const string NotOpened = "Cấp này chưa mở năm kế hoạch nên không thể khóa sổ.";
}

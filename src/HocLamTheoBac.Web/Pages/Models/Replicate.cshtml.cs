using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Models;

/// <summary>A unit records that it applies (nhân rộng) a model of another unit the user can see.</summary>
public sealed class ReplicateModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public List<Candidate> Candidates { get; private set; } = [];
    public bool YearClosed { get; private set; }

    public sealed record Candidate(int Id, string Title, string UnitName, int Year);

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Vui lòng chọn mô hình được nhân rộng.")]
        public int? ModelId { get; set; }

        [Required(ErrorMessage = "Vui lòng nhập ngày bắt đầu áp dụng.")]
        [Display(Name = "Ngày bắt đầu áp dụng")] public DateOnly? ReplicatedOn { get; set; }

        [StringLength(2000, ErrorMessage = "Ghi chú tối đa 2.000 ký tự.")]
        public string? Note { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, ct)) return NotFound();
        Input.ReplicatedOn = db.Clock.Today;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, ct)) return NotFound();
        if (YearClosed) { ModelState.AddModelError(string.Empty, YearClosure.Refusal(Unit, Year)); return Page(); }
        if (Input.ModelId is int mid && Candidates.All(c => c.Id != mid))
            ModelState.AddModelError("Input.ModelId", "Mô hình đã chọn không có trong danh sách được nhân rộng.");
        else if (Input.ModelId is int m2 && await db.ModelReplications.AnyAsync(r => r.ModelId == m2 && r.OrgUnitId == Unit.Id, ct))
            ModelState.AddModelError("Input.ModelId", "Đơn vị đã ghi nhận nhân rộng mô hình này rồi.");
        if (VietnameseDates.AfterToday("Ngày bắt đầu áp dụng", Input.ReplicatedOn, db.Clock.Today) is { } later) ModelState.AddModelError("Input.ReplicatedOn", later);
        if (!ModelState.IsValid) return Page();
        db.ModelReplications.Add(new ModelReplication
        {
            ModelId = Input.ModelId!.Value, OrgUnitId = Unit.Id, Year = Year,
            ReplicatedOn = Input.ReplicatedOn!.Value, Note = string.IsNullOrWhiteSpace(Input.Note) ? null : Input.Note.Trim(),
        });
        await db.SaveChangesAsync(ct);
        StatusMessage = "Đã ghi nhận nhân rộng mô hình.";
        return RedirectToPage("Index", new { unitId = Unit.Id, year = Year });
    }

    private async Task<bool> LoadAsync(int unitId, int? year, CancellationToken ct)
    {
        var unit = await access.FindUnitAsync(unitId, Permission.ManageYearRecords, ct);
        if (unit is null) return false;
        Unit = unit;
        Year = UnitChoices.SaneYear(year, db.Clock);
        YearClosed = await YearGuard.IsReadOnlyAsync(db, unit, Year, ct);
        var scope = await access.ScopeAsync(ct);
        Candidates = await (
            from m in db.Models.AsNoTracking()
            join u in access.Units(scope, Permission.ViewUnit) on m.OrgUnitId equals u.Id
            where m.OrgUnitId != unit.Id && m.Kind == ExemplaryModelKind.Collective && m.Status != ExemplaryModelStatus.NotAchieved && m.Year <= Year
            orderby m.Year descending, m.Title
            select new Candidate(m.Id, m.Title, u.Name, m.Year)).Take(500).ToListAsync(ct);
        return true;
    }
}

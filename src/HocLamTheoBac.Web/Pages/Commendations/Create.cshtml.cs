using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Models;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Commendations;

/// <summary>Records a praise, certificate or merit to a unit or a member of the recording unit's subtree.</summary>
public sealed class CreateModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public List<UnitChoice> RecipientUnits { get; private set; } = [];
    public List<MemberChoice> Members { get; private set; } = [];
    public List<(int Id, string Title)> ModelChoices { get; private set; } = [];

    public sealed class InputModel
    {
        [EnumDataType(typeof(CommendationLevel), ErrorMessage = "Hình thức không hợp lệ.")]
        public CommendationLevel Level { get; set; } = CommendationLevel.Praise;

        public int? RecipientOrgUnitId { get; set; }
        public int? RecipientMemberId { get; set; }

        [Required(ErrorMessage = "Vui lòng nhập cơ quan ban hành.")]
        [StringLength(300, ErrorMessage = "Cơ quan ban hành tối đa 300 ký tự.")]
        public string IssuingBody { get; set; } = "";

        [StringLength(60, ErrorMessage = "Số quyết định tối đa 60 ký tự.")]
        public string? DecisionNumber { get; set; }

        [Display(Name = "Ngày quyết định")] public DateOnly? DecisionDate { get; set; }

        public int? ModelId { get; set; }

        [StringLength(2000, ErrorMessage = "Lý do tối đa 2.000 ký tự.")]
        public string? Reason { get; set; }
    }

    /// <summary>The year is closed for the unit: the form says so before typing and offers no button (the guard refuses too).</summary>
    public bool YearClosed { get; private set; }

    public async Task<IActionResult> OnGetAsync(int unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, ct)) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, ct)) return NotFound();
        if ((Input.RecipientOrgUnitId is null) == (Input.RecipientMemberId is null))
            ModelState.AddModelError("Input.RecipientOrgUnitId", "Chọn một tập thể hoặc một cá nhân được khen thưởng (không chọn cả hai).");
        else if (Input.RecipientOrgUnitId is int u && RecipientUnits.All(x => x.Id != u))
            ModelState.AddModelError("Input.RecipientOrgUnitId", "Tập thể đã chọn không thuộc đơn vị này.");
        else if (Input.RecipientMemberId is int m && Members.All(x => x.Id != m))
            ModelState.AddModelError("Input.RecipientMemberId", "Đảng viên đã chọn không thuộc đơn vị này.");
        if (VietnameseDates.AfterToday("Ngày quyết định", Input.DecisionDate, db.Clock.Today) is { } later) ModelState.AddModelError("Input.DecisionDate", later);
        if (Input.ModelId is int mid && ModelChoices.All(x => x.Id != mid))
            ModelState.AddModelError("Input.ModelId", "Mô hình đã chọn không thuộc đơn vị này.");
        if (!ModelState.IsValid) return Page();
        db.Commendations.Add(new Commendation
        {
            OrgUnitId = Unit.Id, Year = Year, Level = Input.Level, RecipientOrgUnitId = Input.RecipientOrgUnitId, RecipientMemberId = Input.RecipientMemberId,
            IssuingBody = Input.IssuingBody.Trim(), DecisionNumber = Input.DecisionNumber?.Trim(), DecisionDate = Input.DecisionDate,
            ModelId = Input.ModelId, Reason = Input.Reason?.Trim(),
        });
        await db.SaveChangesAsync(ct);
        StatusMessage = $"Đã ghi nhận {Input.Level.Label().ToLowerInvariant()}.";
        return RedirectToPage("Index", new { unitId = Unit.Id, year = Year });
    }

    private async Task<bool> LoadAsync(int unitId, int? year, CancellationToken ct)
    {
        var unit = await access.FindUnitAsync(unitId, Permission.ManageYearRecords, ct);
        if (unit is null) return false;
        Unit = unit;
        Year = UnitChoices.SaneYear(year, db.Clock);
        YearClosed = await YearGuard.IsReadOnlyAsync(db, unit, Year, ct);
        var under = AccessService.InSubtree<OrgUnit>(x => x.Path, [unit.Path]);
        var rows = await db.OrgUnits.AsNoTracking().Where(under).Where(x => x.ClosedOn == null).OrderBy(x => x.Path)
            .Select(x => new { x.Id, x.Code, x.Name, Level = x.Path.NLevel }).Take(1000).ToListAsync(ct);
        var top = rows.Count == 0 ? 0 : rows.Min(r => r.Level);
        RecipientUnits = rows.Select(r => new UnitChoice(r.Id, r.Code, r.Name, r.Level - top)).ToList();
        Members = await ExemplaryModelFormRules.MembersAsync(db, access, unit, ct);
        var modelUnits = db.OrgUnits.Where(under).Select(x => x.Id);
        ModelChoices = (await db.Models.AsNoTracking().Where(m => modelUnits.Contains(m.OrgUnitId) && m.Year <= Year)
            .OrderByDescending(m => m.Year).ThenBy(m => m.Title).Take(500).Select(m => new { m.Id, m.Title }).ToListAsync(ct))
            .Select(m => (m.Id, m.Title)).ToList();
        return true;
    }
}

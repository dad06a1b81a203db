using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HocLamTheoBac.Web.Pages.Models;

public sealed class CreateModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public ExemplaryModelInput Input { get; set; } = new();
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    /// <summary>The year is closed for the unit: said before anyone types, no button (the walk of session 16).</summary>
    public bool YearClosed { get; private set; }
    public List<MemberChoice> Members { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, ct)) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, ct)) return NotFound();
        ExemplaryModelFormRules.Check(Input, Members, Year, ModelState);
        if (!ModelState.IsValid) return Page();
        var model = new ExemplaryModel
        {
            OrgUnitId = Unit.Id, Year = Year, Kind = Input.Kind, Title = Input.Title, MemberId = Input.MemberId,
            Field = Input.Field?.Trim(), Description = Input.Description?.Trim(), StartDate = Input.StartDate,
            Status = ExemplaryModelStatus.Registered, Evidence = Input.Evidence?.Trim(),
        };
        db.Models.Add(model);
        await db.SaveChangesAsync(ct);
        StatusMessage = $"Đã đăng ký “{model.Title}”.";
        return RedirectToPage("Index", new { unitId = Unit.Id, year = Year });
    }

    private async Task<bool> LoadAsync(int unitId, int? year, CancellationToken ct)
    {
        var unit = await access.FindUnitAsync(unitId, Permission.ManageYearRecords, ct);
        if (unit is null) return false;
        Unit = unit;
        Year = UnitChoices.SaneYear(year, db.Clock);
        YearClosed = await YearGuard.IsReadOnlyAsync(db, unit, Year, ct);
        Members = await ExemplaryModelFormRules.MembersAsync(db, access, unit, ct);
        return true;
    }
}

using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Commendations;

public sealed class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public bool CanManage { get; private set; }
    /// <summary>The year is closed for the unit: no add or delete buttons (the guard refuses too).</summary>
    public bool YearClosed { get; private set; }
    public List<UnitChoice> Units { get; private set; } = [];
    public List<Row> Items { get; private set; } = [];

    public sealed record Row(int Id, CommendationLevel Level, string? UnitName, string? MemberName, string IssuingBody, string? DecisionNumber, DateOnly? DecisionDate, string? ModelTitle, string? Reason);

    public async Task<IActionResult> OnGetAsync(int? unitId, int? year, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, year, Permission.ViewUnit, ct)) return NotFound();
        Units = await access.VisibleAsync(Permission.ViewUnit, Year, ct);
        Items = await db.Commendations.AsNoTracking().Where(c => c.OrgUnitId == Unit.Id && c.Year == Year)
            .OrderBy(c => c.DecisionDate).ThenBy(c => c.Id)
            .Select(c => new Row(c.Id, c.Level,
                db.OrgUnits.Where(u => u.Id == c.RecipientOrgUnitId).Select(u => u.Name).FirstOrDefault(),
                db.Members.Where(m => m.Id == c.RecipientMemberId).Select(m => m.FullName).FirstOrDefault(),
                c.IssuingBody, c.DecisionNumber, c.DecisionDate,
                db.Models.Where(m => m.Id == c.ModelId).Select(m => m.Title).FirstOrDefault(), c.Reason))
            .ToListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        var item = await db.Commendations.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (item is null || !await LoadAsync(item.OrgUnitId, item.Year, Permission.ManageYearRecords, ct)) return NotFound();
        item.DeletedAt = db.Clock.Now;
        await db.SaveChangesAsync(ct);
        StatusMessage = "Đã xóa khen thưởng.";
        return RedirectToPage(new { unitId = Unit.Id, year = Year });
    }

    private async Task<bool> LoadAsync(int? unitId, int? year, Permission p, CancellationToken ct)
    {
        if (await access.FindUnitYearAsync(unitId, year, p, db.Clock, ct) is not (var unit, var y)) return false;
        (Unit, Year) = (unit, y);
        CanManage = await access.CanAsync(Permission.ManageYearRecords, unit.Id, ct);
        YearClosed = CanManage && await YearGuard.IsReadOnlyAsync(db, unit, Year, ct);
        return true;
    }
}

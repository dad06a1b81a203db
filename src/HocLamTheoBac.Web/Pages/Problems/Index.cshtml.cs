using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Problems;

public sealed class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public bool CanManage { get; private set; }
    /// <summary>The year is closed for the unit: its records are read only, so no add button (the forms refuse too).</summary>
    public bool YearClosed { get; private set; }
    public List<UnitChoice> Units { get; private set; } = [];
    public List<Row> Problems { get; private set; } = [];

    public sealed record Row(int Id, string Title, string? Owner, DateOnly? Deadline, ProblemOutcome Outcome, DateOnly? ResolvedOn, bool Overdue);

    public async Task<IActionResult> OnGetAsync(int? unitId, int? year, CancellationToken ct)
    {
        if (await access.FindUnitYearAsync(unitId, year, Permission.ViewUnit, db.Clock, ct) is not (var unit, var y)) return NotFound();
        (Unit, Year) = (unit, y);
        CanManage = await access.CanAsync(Permission.ManageYearRecords, unit.Id, ct);
        YearClosed = CanManage && await YearGuard.IsReadOnlyAsync(db, unit, Year, ct);
        Units = await access.VisibleAsync(Permission.ViewUnit, Year, ct);
        var today = db.Clock.Today;
        var rows = await db.PressingProblems.AsNoTracking().Where(p => p.OrgUnitId == unit.Id && p.Year == Year)
            .OrderBy(p => p.Deadline).ThenBy(p => p.Title)
            .Select(p => new { p.Id, p.Title, p.Owner, p.Deadline, p.Outcome, p.ResolvedOn }).ToListAsync(ct);
        Problems = rows.Select(p => new Row(p.Id, p.Title, p.Owner, p.Deadline, p.Outcome, p.ResolvedOn, ProblemRules.IsOverdue(p.Deadline, p.Outcome, today))).ToList();
        return Page();
    }
}

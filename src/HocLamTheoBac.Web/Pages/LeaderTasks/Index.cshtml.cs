using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.LeaderTasks;

public sealed class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public bool CanManage { get; private set; }
    /// <summary>The year is closed for the unit: its records are read only, so no add button (the forms refuse too).</summary>
    public bool YearClosed { get; private set; }
    public List<UnitChoice> Units { get; private set; } = [];
    public List<Row> Tasks { get; private set; } = [];
    public int Leaders => Tasks.Select(t => t.LeaderName.Trim().ToUpperInvariant()).Distinct().Count();

    public sealed record Row(int Id, string LeaderName, string? LeaderPosition, string Title, DateOnly? Deadline, LeaderTaskStatus Status, string? Outcome, bool Overdue);

    public async Task<IActionResult> OnGetAsync(int? unitId, int? year, CancellationToken ct)
    {
        if (await access.FindUnitYearAsync(unitId, year, Permission.ViewUnit, db.Clock, ct) is not (var unit, var y)) return NotFound();
        (Unit, Year) = (unit, y);
        CanManage = await access.CanAsync(Permission.ManageYearRecords, unit.Id, ct);
        YearClosed = CanManage && await YearGuard.IsReadOnlyAsync(db, unit, Year, ct);
        Units = await access.VisibleAsync(Permission.ViewUnit, Year, ct);
        var today = db.Clock.Today;
        var rows = await db.LeaderTasks.AsNoTracking().Where(t => t.OrgUnitId == unit.Id && t.Year == Year)
            .OrderBy(t => t.LeaderName).ThenBy(t => t.Title)
            .Select(t => new { t.Id, t.LeaderName, t.LeaderPosition, t.Title, t.Deadline, t.Status, t.Outcome }).ToListAsync(ct);
        Tasks = rows.Select(t => new Row(t.Id, t.LeaderName, t.LeaderPosition, t.Title, t.Deadline, t.Status, t.Outcome, ProblemRules.IsOverdue(t.Deadline, t.Status, today))).ToList();
        return Page();
    }
}

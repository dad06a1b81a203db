using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.StudySessions;

public sealed class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public bool CanManage { get; private set; }
    /// <summary>The year is closed for the unit (by it or above): the list says so and offers no add or edit.</summary>
    public bool YearClosed { get; private set; }
    /// <summary>May open the attendance page (read only in a closed year: the marks behind each line's figures).</summary>
    public bool CanSeeMarks { get; private set; }
    public List<UnitChoice> Units { get; private set; } = [];
    public List<Row> Sessions { get; private set; } = [];
    public AttendanceRules.Tally Total { get; private set; }

    public sealed record Row(int Id, DateOnly HeldOn, string Theme, SessionFormat Format, AttendanceRules.Tally Tally);

    public async Task<IActionResult> OnGetAsync(int? unitId, int? year, CancellationToken ct)
    {
        if (await access.FindUnitYearAsync(unitId, year, Permission.ViewUnit, db.Clock, ct) is not (var unit, var y)) return NotFound();
        (Unit, Year) = (unit, y);
        // A closed year's sessions are read only: no "add" button that the form would refuse (the walk of session 12).
        CanSeeMarks = await access.CanAsync(Permission.ManageYearRecords, unit.Id, ct);
        YearClosed = await YearGuard.IsReadOnlyAsync(db, unit, Year, ct);
        CanManage = CanSeeMarks && !YearClosed;
        Units = await access.VisibleAsync(Permission.ViewUnit, Year, ct);

        var sessions = db.StudySessions.Where(s => s.OrgUnitId == unit.Id && s.Year == Year);
        var list = await sessions.AsNoTracking().OrderBy(s => s.HeldOn).ToListAsync(ct);
        var tallies = SessionQueries.Tallies(await SessionQueries.ExpectedAsync(db, sessions, ct));
        Sessions = list.Select(s => new Row(s.Id, s.HeldOn, s.Theme, s.Format, tallies.GetValueOrDefault(s.Id))).ToList();
        Total = Sessions.Aggregate(default(AttendanceRules.Tally), (a, r) => a + r.Tally);
        return Page();
    }
}

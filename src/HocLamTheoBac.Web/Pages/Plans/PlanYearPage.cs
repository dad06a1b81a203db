using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Plans;

/// <summary>
/// What every page of a unit's plan year loads: the unit (404 outside the user's subtree), whether the user may plan
/// its year, and its own plan year (tracked, so a form page can change it). The plan page (<see cref="UnitModel"/>)
/// shows the year; each form on it posts to its own page (<see cref="ThemeModel"/>, <see cref="TopicsModel"/>,
/// <see cref="ClosingModel"/>), which shows the form alone again when it has to say what is wrong.
/// </summary>
public abstract class PlanYearPage(AppDbContext db, AccessService access) : PageModel
{
    protected AppDbContext Db => db;
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty(SupportsGet = true)] public int Year { get; set; } = db.Clock.Year;
    public OrgUnit Unit { get; private set; } = null!;
    public bool CanPlan { get; private set; }
    public PlanYear? Own { get; private set; }
    /// <summary>
    /// Nothing of the unit's plan may be opened, changed or added this year: the year is closed for it, by itself or by a
    /// unit above, or the unit was merged or dissolved in or before it (<see cref="YearGuard.IsReadOnlyAsync"/>).
    /// </summary>
    public bool YearClosed { get; private set; }
    /// <summary>The unit was merged or dissolved in or before the year (<see cref="YearClosure.TakesNoRecords"/>).</summary>
    public bool UnitClosed => YearClosure.TakesNoRecords(Unit.ClosedOn, Year);
    /// <summary>
    /// Why nothing of the plan may be opened, changed or added this year, or null: closed at this level (reopen first) or by
    /// a unit above. The form pages say it as soon as they are shown and offer no form (the walk of session 18: opened by
    /// their address, they showed empty forms and refused only what was typed).
    /// </summary>
    public string? ClosedReason => UnitClosed ? YearClosure.UnitClosedMessage(Unit.Name, Unit.ClosedOn!.Value, Year)
        : Own?.ClosedAt is not null ? $"Năm {Year} đã khóa sổ ở cấp này; hãy mở lại (ghi lý do) trước khi sửa."
        : YearClosed ? $"Năm {Year} đã được cấp trên khóa sổ: không thể mở hoặc sửa kế hoạch năm của cấp này." : null;
    /// <summary>Refusals that belong to no field (shown above the form with the fields' errors).</summary>
    public List<string> Errors { get; } = [];

    /// <summary>False when the unit is unknown or outside the user's subtree, or when <paramref name="toPlan"/> and the user may not plan its year.</summary>
    protected async Task<bool> LoadAsync(int unitId, bool toPlan, CancellationToken ct)
    {
        var unit = await access.FindUnitAsync(unitId, Permission.ViewUnit, ct);
        if (unit is null) return false;
        Unit = unit;
        CanPlan = await access.CanAsync(Permission.PlanYear, unitId, ct);
        if (toPlan && !CanPlan) return false;
        var year = Year;
        Own = await db.PlanYears.FirstOrDefaultAsync(p => p.OrgUnitId == unitId && p.Year == year, ct);
        YearClosed = await YearGuard.IsReadOnlyAsync(db, unit, year, ct);
        return true;
    }

    /// <summary>Back to the plan page of the unit's year.</summary>
    protected IActionResult ToPlan(string message)
    {
        StatusMessage = message;
        return RedirectToPage("Unit", new { unitId = Unit.Id, Year });
    }
}

using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Plans;

/// <summary>
/// A unit's plan year: its own theme and plan document (or the nearest ancestor's), the topics and ethical
/// standards it sees (its own and every ancestor's), and the forms to set the plan, add topics and close or
/// reopen the year (each posts to its own page).
/// </summary>
public sealed class UnitModel(AppDbContext db, AccessService access) : PlanYearPage(db, access)
{
    public sealed record TopicRow(int Id, TopicKind Kind, string Title, string? Description, string UnitName, bool Own);
    public sealed record PlanRow(string UnitName, string Theme, string? PlanNumber, DateOnly? PlanDate, DateOnly? RegistrationDeadline, DateTimeOffset? ClosedAt, bool Own);

    public PlanRow? Effective { get; private set; }
    public bool ClosedAbove { get; private set; }
    public List<TopicRow> Topics { get; private set; } = [];
    /// <summary>The forms as they start (the plan form with the unit's own plan).</summary>
    public ThemeModel.PlanInput Plan { get; private set; } = new();
    public TopicsModel.TopicInput Topic { get; } = new();
    public ClosingModel.ReopenInput Reopen { get; } = new();

    public async Task<IActionResult> OnGetAsync(int unitId, CancellationToken ct)
    {
        if (!await LoadAsync(unitId, toPlan: false, ct)) return NotFound();
        if (Own is not null) Plan = ThemeModel.PlanInput.From(Own);
        var ids = OrgPaths.Ids(Unit.Path).ToList();
        var year = Year;
        var plans = await Db.PlanYears.AsNoTracking().Where(p => p.Year == year && ids.Contains(p.OrgUnitId))
            .Select(p => new { p.OrgUnitId, p.OrgUnit.Name, p.Theme, p.PlanNumber, p.PlanDate, p.RegistrationDeadline, p.ClosedAt, Depth = p.OrgUnit.Path.NLevel })
            .ToListAsync(ct);
        Effective = plans.OrderByDescending(p => p.Depth).Select(p => new PlanRow(p.Name, p.Theme, p.PlanNumber, p.PlanDate, p.RegistrationDeadline, p.ClosedAt, p.OrgUnitId == unitId)).FirstOrDefault();
        ClosedAbove = plans.Any(p => p.ClosedAt != null && p.OrgUnitId != unitId);
        Topics = (await Db.Topics.AsNoTracking().Where(t => t.Year == year && ids.Contains(t.OrgUnitId))
            .Select(t => new { t.Id, t.Kind, t.Title, t.Description, t.OrgUnitId, UnitName = Db.OrgUnits.Where(u => u.Id == t.OrgUnitId).Select(u => u.Name).First(), Depth = Db.OrgUnits.Where(u => u.Id == t.OrgUnitId).Select(u => u.Path.NLevel).First() })
            .ToListAsync(ct))
            .OrderBy(t => t.Depth).ThenBy(t => t.Id)
            .Select(t => new TopicRow(t.Id, t.Kind, t.Title, t.Description, t.UnitName, t.OrgUnitId == unitId)).ToList();
        return Page();
    }
}

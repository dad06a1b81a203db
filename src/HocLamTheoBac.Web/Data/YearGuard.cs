using System.Linq.Expressions;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Data;

/// <summary>
/// The one year-closure guard (Domain/YearClosure.cs), run before every save by Data/SaveChangesGuard.cs: any yearly record
/// added, changed or deleted, or moved out of a unit's year, in a year closed for that unit (by it or an ancestor)
/// refuses the whole save. Attendance marks belong to their session's year. Pages, imports, restructuring and the
/// command line all save through here, so none can bypass it whatever year a form posts.
/// </summary>
public static class YearGuard
{
    public static async Task CheckAsync(AppDbContext db, CancellationToken ct)
    {
        var keys = new HashSet<(int Unit, int Year)>();
        // The units and years records are written to (added or changed, not those they leave), with the day a study session
        // is held: a unit that was merged or dissolved takes none of the years from its closing on, whose records went to
        // the unit that received them (a session it held before that day stays with it, Data/Restructuring.cs).
        var written = new HashSet<(int Unit, int Year, DateOnly? HeldOn)>();
        var sessions = new HashSet<int>();
        foreach (var e in db.ChangeTracker.Entries())
        {
            if (e.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            switch (e.Entity)
            {
                case IYearly y:
                    keys.Add((y.YearUnitId, y.Year));
                    if (e.State != EntityState.Deleted) written.Add((y.YearUnitId, y.Year, (y as StudySession)?.HeldOn));
                    if (e.State != EntityState.Added)
                    {
                        var unitProperty = e.Entity switch { Pledge => nameof(Pledge.BranchId), MemberGrade => nameof(MemberGrade.BranchId), ModelQuota => nameof(ModelQuota.SetByOrgUnitId), _ => "OrgUnitId" };
                        keys.Add(((int)e.OriginalValues[unitProperty]!, (int)e.OriginalValues[nameof(IYearly.Year)]!));
                    }
                    break;
                case Attendance a:
                    sessions.Add(a.SessionId);
                    break;
                // A year's plan opened for a unit: the same rule for a merged or dissolved unit (the walk of session 18: a
                // merged ward could still open its closing year's plan). Closing and changing a plan stay the year's own rule.
                case PlanYear p when e.State == EntityState.Added:
                    written.Add((p.OrgUnitId, p.Year, null));
                    break;
            }
        }
        if (sessions.Count > 0)
            foreach (var s in await db.StudySessions.IgnoreQueryFilters().AsNoTracking().Where(s => sessions.Contains(s.Id)).Select(s => new { s.OrgUnitId, s.Year }).ToListAsync(ct))
                keys.Add((s.OrgUnitId, s.Year));
        await CheckOpenUnitsAsync(db, written, ct);
        if (keys.Count == 0) return;

        var years = keys.Select(k => k.Year).Distinct().ToList();
        var closed = await db.PlanYears.AsNoTracking().Where(p => years.Contains(p.Year) && p.ClosedAt != null).Select(p => new { p.OrgUnitId, p.Year }).ToListAsync(ct);
        if (closed.Count == 0) return;
        var unitIds = keys.Select(k => k.Unit).Distinct().ToList();
        var paths = await db.OrgUnits.AsNoTracking().Where(u => unitIds.Contains(u.Id)).Select(u => new { u.Id, u.Path }).ToDictionaryAsync(u => u.Id, u => u.Path, ct);
        foreach (var (unit, year) in keys.OrderBy(k => k.Year))
        {
            var line = paths.TryGetValue(unit, out var path) ? OrgPaths.Ids(path).ToHashSet() : [unit];
            if (closed.Any(c => c.Year == year && line.Contains(c.OrgUnitId))) throw new YearClosedException(year);
        }
    }

    /// <summary>
    /// A unit merged or dissolved on a day takes no record of that day's year or a later one: a merger moves the year's
    /// records to the receiving unit and the reports count the tree of the year's end, where the closed unit no longer
    /// stands (the walk of session 18: a problem and an indicator added to a ward after its merger were saved and counted
    /// nowhere). Its earlier years stay as they were (changeable while open), and so do the study sessions it held before
    /// that day, with their attendance.
    /// </summary>
    private static async Task CheckOpenUnitsAsync(AppDbContext db, HashSet<(int Unit, int Year, DateOnly? HeldOn)> written, CancellationToken ct)
    {
        if (written.Count == 0) return;
        var unitIds = written.Select(k => k.Unit).Distinct().ToList();
        var closed = await db.OrgUnits.AsNoTracking().Where(u => unitIds.Contains(u.Id) && u.ClosedOn != null)
            .Select(u => new { u.Id, u.Name, ClosedOn = u.ClosedOn!.Value }).ToListAsync(ct);
        foreach (var u in closed)
            if (written.Where(k => k.Unit == u.Id && YearClosure.TakesNoRecords(u.ClosedOn, k.Year, k.HeldOn)).Select(k => (int?)k.Year).Min() is int year)
                throw new UnitClosedException(u.Name, u.ClosedOn, year);
    }

    /// <summary>The years closed for a unit (by it or an ancestor).</summary>
    public static async Task<HashSet<int>> ClosedYearsAsync(AppDbContext db, LTree unitPath, CancellationToken ct)
    {
        var ids = OrgPaths.Ids(unitPath).ToList();
        return [.. await db.PlanYears.AsNoTracking().Where(y => y.ClosedAt != null && ids.Contains(y.OrgUnitId)).Select(y => y.Year).Distinct().ToListAsync(ct)];
    }

    /// <summary>The years closed for each unit of a subtree (by it or an ancestor), in one statement; units with none left out.</summary>
    public static async Task<Dictionary<int, HashSet<int>>> ClosedYearsBelowAsync(AppDbContext db, LTree rootPath, CancellationToken ct)
    {
        var rows = await db.OrgUnits.AsNoTracking().Where(u => u.Path.IsDescendantOf(rootPath))
            .SelectMany(u => db.PlanYears.Where(y => y.ClosedAt != null && u.Path.IsDescendantOf(y.OrgUnit.Path)).Select(y => new { u.Id, y.Year }))
            .Distinct().ToListAsync(ct);
        return rows.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => g.Select(r => r.Year).ToHashSet());
    }

    /// <summary>
    /// Whether a page shows a unit's records of a year read-only: the unit takes none of that year (merged or dissolved:
    /// <see cref="YearClosure.TakesNoRecords"/>, a session held before that day aside) or the year is closed for it. Its
    /// banner and refusal: <see cref="YearClosure.ReadOnlyBanner(OrgUnit, int, string, DateOnly?)"/>, <see cref="YearClosure.Refusal"/>.
    /// </summary>
    public static async Task<bool> IsReadOnlyAsync(AppDbContext db, OrgUnit unit, int year, CancellationToken ct, DateOnly? heldOn = null) =>
        YearClosure.TakesNoRecords(unit.ClosedOn, year, heldOn) || await IsClosedAsync(db, unit.Path, year, ct);

    /// <summary>Whether a unit's year is closed (by the unit or an ancestor): for pages that show a year read-only.</summary>
    public static Task<bool> IsClosedAsync(AppDbContext db, LTree unitPath, int year, CancellationToken ct)
    {
        var ids = OrgPaths.Ids(unitPath).ToList();
        return db.PlanYears.AnyAsync(y => y.Year == year && y.ClosedAt != null && ids.Contains(y.OrgUnitId), ct);
    }

    /// <summary>
    /// The same test for a unit the query reaches itself (e.g. a member's branch), in one round trip: a closed plan year
    /// of the unit or of an ancestor — a unit whose path contains the unit's.
    /// </summary>
    public static Task<bool> IsClosedAsync(AppDbContext db, IQueryable<OrgUnit> unit, int year, CancellationToken ct) =>
        unit.AnyAsync(Closed(db, year), ct);

    /// <summary>The test above as a predicate on the unit: a closed plan year of the unit or of an ancestor.</summary>
    public static Expression<Func<OrgUnit, bool>> Closed(AppDbContext db, int year) =>
        u => db.PlanYears.Any(y => y.Year == year && y.ClosedAt != null && u.Path.IsDescendantOf(y.OrgUnit.Path));

    /// <summary>The same test for a pledge in its own year and branch, negated: the pledges whose year is still open for their
    /// branch (the reminders of what is overdue or due soon leave a closed year's pledges out: nothing can be done about them).</summary>
    public static Expression<Func<Pledge, bool>> InOpenYear(AppDbContext db) =>
        p => !db.PlanYears.Any(y => y.Year == p.Year && y.ClosedAt != null && db.OrgUnits.Any(b => b.Id == p.BranchId && b.Path.IsDescendantOf(y.OrgUnit.Path)));

    /// <summary>The units with their kind and whether <paramref name="year"/> is closed for them, in the same statement
    /// (a page that reads its unit anyway saves the closure's round trip: docs/performance.md, branch grid).</summary>
    public static IQueryable<UnitAndClosure> WithClosure(this IQueryable<OrgUnit> units, AppDbContext db, int year)
    {
        var closed = Closed(db, year);
        var u = closed.Parameters[0];
        var body = Expression.MemberInit(Expression.New(typeof(UnitAndClosure)),
            Expression.Bind(typeof(UnitAndClosure).GetProperty(nameof(UnitAndClosure.Unit))!, u),
            Expression.Bind(typeof(UnitAndClosure).GetProperty(nameof(UnitAndClosure.Kind))!, Expression.Property(u, nameof(OrgUnit.Kind))),
            Expression.Bind(typeof(UnitAndClosure).GetProperty(nameof(UnitAndClosure.Closed))!, closed.Body));
        return units.Select(Expression.Lambda<Func<OrgUnit, UnitAndClosure>>(body, u));
    }
}

/// <summary>A unit, its kind and whether a year is closed for it (<see cref="YearGuard.WithClosure"/>).</summary>
public sealed class UnitAndClosure
{
    public OrgUnit Unit { get; set; } = null!;
    public OrgKind Kind { get; set; } = null!;
    public bool Closed { get; set; }
}

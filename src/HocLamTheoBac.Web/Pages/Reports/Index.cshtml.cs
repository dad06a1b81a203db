using System.Text.Json;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Orgs;
using HocLamTheoBac.Web.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Reports;

/// <summary>Dashboard of a unit for a year: headline figures, completion by child unit, drill-down to branch and member.</summary>
public sealed class IndexModel(AppDbContext db, AccessService access, DashboardRollups rollups, Npgsql.NpgsqlDataSource dataSource) : PageModel
{
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public RollupHead Rollup { get; private set; } = null!;
    public DateTimeOffset ComputedAt { get; private set; }
    public DateTimeOffset? ReplicaAsOf { get; private set; }
    /// <summary>The unit's ancestors the user may open, from the top, the unit last: in the tree of the year's as-of day
    /// (a unit moved since shows where it stood then, as its figures count).</summary>
    public List<(int Id, string Name)> Trail { get; } = [];
    /// <summary>For a past year when the unit has moved since: where it stands today ("thuộc" its parent), shown under the trail.</summary>
    public string? NowUnder { get; private set; }
    /// <summary>Said under the title of a unit closed or merged (Orgs/_ClosedNote).</summary>
    public Pages.Orgs.ClosedNote? Closed { get; private set; }
    public List<MemberRow> MemberRows { get; private set; } = [];
    public List<IssuedRow> Issued { get; } = [];
    public bool CanIssue { get; private set; }
    public string ChartJson { get; private set; } = "{}";
    public YearTrend Trend { get; private set; } = null!;
    /// <summary>Children of a past year's tree that have since left the user's subtree: their row stays, without a link (it would answer 404).</summary>
    public HashSet<int> Unopenable { get; } = [];

    /// <summary>An issued report of the page's year; <paramref name="ReplacedBy"/>: the number of the issued report that
    /// replaced it (it is no longer in force: YearEndReports.LatestIssuedIdAsync, and it is not corrected again).</summary>
    public sealed record IssuedRow(int Number, string? Symbol, DateOnly? IssuedOn, int? Replaces, string? Sha, int? FirstYear, int? ReplacedBy)
    {
        public string Query(string prefix) => FirstYear is int f ? $"{prefix}from={f}" : "";
    }

    /// <summary>The period review asked for (?from=2021&amp;to=2025), and why it cannot be made when it cannot.</summary>
    public int? PeriodFrom { get; private set; }
    public int? PeriodTo { get; private set; }
    public string? PeriodError { get; private set; }
    /// <summary>The years as typed in the period form (kept in the boxes when the period is refused); null when none was asked.</summary>
    public (int? From, int? To)? PeriodTyped { get; private set; }

    /// <summary>The issued reports of a unit and year, their replacements' numbers: the one home of the list's rules.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<AppDbContext, int, int, IQueryable<IssuedRow>>> IssuedQuery =
        (AppDbContext db, int unitId, int year) => db.Reports.AsNoTracking().Where(r => r.OrgUnitId == unitId && r.Year == year && r.Status == ReportStatus.Issued)
            .OrderBy(r => r.Number).Select(r => new IssuedRow(r.Number!.Value, r.Symbol, r.IssuedOn, db.Reports.Where(o => o.Id == r.ReplacesReportId).Select(o => o.Number).FirstOrDefault(), r.PdfSha256, r.FirstYear,
                db.Reports.Where(o => o.ReplacesReportId == r.Id && o.Status == ReportStatus.Issued).Select(o => o.Number).FirstOrDefault()));

    // Compiled once: the dashboard's view from a standby runs it on every view.
    private static readonly Func<AppDbContext, int, int, IAsyncEnumerable<IssuedRow>> IssuedOf = EF.CompileAsyncQuery(IssuedQuery);

    /// <summary>
    /// <see cref="IssuedQuery"/>'s SQL as EF generates it (the reports' query filter from the model), generated once per
    /// context options (the site's are one for the process) and run in the roll-up's first round trip on the view's
    /// connection, read by position (<see cref="ReadIssuedAsync"/>): the view does not touch EF's context (DASH17).
    /// </summary>
    internal sealed class IssuedCommand
    {
        private const int SampleUnit = 987654321, SampleYear = 987654, Columns = 7;
        private readonly KeptStatement _statement;

        private IssuedCommand(KeptStatement statement) => _statement = statement;

        public static IssuedCommand For(AppDbContext db) =>
            new(KeptStatement.For(db, "dashboard-issued", static db => KeptStatement.Of(IssuedQuery.Compile()(db, SampleUnit, SampleYear), Columns, SampleUnit, SampleYear)));

        public Npgsql.NpgsqlBatchCommand Create(int unitId, int year) => _statement.CreateBatchCommand(unitId, year);

        /// <summary>The rows of the statement (the reader on its result), in the projection's order.</summary>
        public static async Task ReadIssuedAsync(Npgsql.NpgsqlDataReader r, List<IssuedRow> rows, CancellationToken ct)
        {
            if (r.FieldCount != Columns) throw new InvalidOperationException($"The issued reports' statement has {r.FieldCount} columns, its reader reads {Columns}.");
            while (await r.ReadAsync(ct))
                rows.Add(new IssuedRow(r.GetInt32(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateOnly>(2),
                    r.IsDBNull(3) ? null : r.GetInt32(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetInt32(5), r.IsDBNull(6) ? null : r.GetInt32(6)));
        }
    }

    /// <summary>The issued reports through EF's context (the view from a standby; tests compare <see cref="IssuedCommand"/> with it).</summary>
    internal static async Task<List<IssuedRow>> IssuedAsync(AppDbContext db, int unitId, int year, CancellationToken ct)
    {
        var rows = new List<IssuedRow>();
        await foreach (var r in IssuedOf(db, unitId, year).WithCancellation(ct)) rows.Add(r);
        return rows;
    }

    public async Task<IActionResult> OnGetAsync(int? unitId, int? year, int? from, int? to, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        unitId ??= scope.Bindings.Where(b => AccessService.Grants(b.Role, Permission.ViewReports)).OrderBy(b => b.Path.ToString().Split('.').Length).Select(b => (int?)b.OrgUnitId).FirstOrDefault();
        if (unitId is null) return NotFound();
        if (year is not null && !PlanYearRange.Contains(year)) return NotFound();
        Year = year ?? db.Clock.Year;
        List<OrgUnit> path;
        DashboardRollups.Entry computed;
        if (DashboardRollups.ReadsStandby(HttpContext.RequestServices))
        {
            // The unit and the trail's units in one query (those of its ancestors the user may view reports of).
            path = await access.UnitWithAncestorsAsync(unitId.Value, Permission.ViewReports, ct);
            if (path.Find(u => u.Id == unitId) is null) return NotFound();
            // The head and the four years of the trend before it, in one snapshot.
            computed = await rollups.GetAsync(HttpContext.RequestServices, unitId.Value, Year, YearTrend.Earlier(Year), ct);
            Issued.AddRange(await IssuedAsync(db, unitId.Value, Year, ct));
        }
        else
        {
            // On the primary: one connection of the data source, without EF's context (docs/performance.md, DASH17). The unit
            // with the trail's units and the issued reports go in the roll-up's first round trip; a unit the user may not
            // see reads nothing more. The connection goes back to the pool before the page is written.
            var found = new List<OrgUnit>();
            var issued = IssuedCommand.For(db);
            DashboardRollups.Entry? read;
            await using (var conn = await dataSource.OpenConnectionAsync(ct))
                read = await rollups.GetAsync(HttpContext.RequestServices, conn, db.Clock, unitId.Value, Year, YearTrend.Earlier(Year),
                    [AccessService.UnitAndAncestorsCommand(db, unitId.Value), issued.Create(unitId.Value, Year)],
                    async (r, c) =>
                    {
                        found = await AccessService.ReadUnitAndAncestorsAsync(r, scope, Permission.ViewReports, c);
                        if (found.Find(u => u.Id == unitId) is null) return false;
                        await r.NextResultAsync(c);
                        await IssuedCommand.ReadIssuedAsync(r, Issued, c);
                        return true;
                    }, ct);
            if (read is null) return NotFound();
            (computed, path) = (read, found);
        }
        var unit = Unit = path.Find(u => u.Id == unitId)!;
        (Rollup, ComputedAt, ReplicaAsOf) = (computed.Result, computed.ComputedAt, computed.ReplicaAsOf);
        Trend = YearTrend.Of(Year, Rollup.Totals, computed.Trend);
        // The unit's path was read above: the permission is decided from it (AccessService.CanAsync asked the database).
        CanIssue = AccessService.Can(scope, Permission.IssueReports, unit.Path);
        if (from is not null || to is not null)
        {
            PeriodTyped = (from, to);
            PeriodError = from is int f && to is int t ? YearEndReports.CheckPeriod(f, t) : "Vui lòng nhập năm bắt đầu và năm kết thúc.";
            if (PeriodError is null) (PeriodFrom, PeriodTo) = (from, to);
        }

        if (!scope.IsOperator && Rollup.AsOf < db.Clock.Today && Rollup.Children.Count > 0)
        {
            var ids = Rollup.Children.Select(c => c.UnitId).ToList();
            await foreach (var c in db.OrgUnits.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.Path }).AsAsyncEnumerable().WithCancellation(ct))
                if (!AccessService.Can(scope, Permission.ViewReports, c.Path)) Unopenable.Add(c.Id);
        }

        await TrailAsync(scope, unit, path, ct);
        Closed = await db.ClosedNoteAsync(unit, scope, Permission.ViewReports, ct);

        if (unit.Kind.IsBranch)
        {
            MemberRows = await DrillDown.MembersAsync(db, access.Members(scope, Permission.ViewMembers), unit.Id, Year, Rollup.AsOf, ct);
        }
        ChartJson = JsonSerializer.Serialize(new
        {
            labels = Rollup.Children.Select(c => c.Name),
            values = Rollup.Children.Select(c => c.Figures.PledgeRate.Percent),
            label = "Tỷ lệ việc làm theo hoàn thành (%)",
        });
        return Page();
    }

    /// <summary>The trail of the units above <paramref name="unit"/>: today's (<paramref name="today"/>, read with the unit)
    /// for the open year; for a past year the placement of its as-of day, when the unit stood elsewhere then
    /// (OrgTree.PlacementsOn: the tree the roll-up counts by). Each unit of it the user may open, by its path today.</summary>
    private async Task TrailAsync(UserScope scope, OrgUnit unit, List<OrgUnit> today, CancellationToken ct)
    {
        if (Rollup.AsOf < db.Clock.Today
            // Wrapped: LTree is a struct, and a unit not in the tree that day (founded later, closed before) has no placement.
            && await db.PlacementsOn(Rollup.AsOf).Where(p => p.OrgUnitId == unit.Id).Select(p => new { p.Path }).FirstOrDefaultAsync(ct) is { } placed
            && (string)placed.Path != (string)unit.Path)
        {
            var ids = OrgPaths.Ids(placed.Path).ToList();
            var units = await db.OrgUnits.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.Name, u.Path }).ToListAsync(ct);
            Trail.AddRange(ids.Select(i => units.Find(u => u.Id == i)).Where(u => u is not null && AccessService.Can(scope, Permission.ViewReports, u.Path)).Select(u => (u!.Id, u.Name)));
            // Today's parent by name when the user may see it (the trail read with the unit holds exactly those).
            var parentIds = OrgPaths.Ids(unit.Path).ToList();
            NowUnder = parentIds.Count < 2 ? "là đơn vị cấp cao nhất" : "thuộc " + (today.Find(u => u.Id == parentIds[^2])?.Name ?? "một đơn vị ngoài phạm vi của bạn");
            return;
        }
        Trail.AddRange(OrgPaths.Ids(unit.Path).Select(i => today.Find(n => n.Id == i)).Where(n => n is not null).Select(n => (n!.Id, n.Name)));
    }
}

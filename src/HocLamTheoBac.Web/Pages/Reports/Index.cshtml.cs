using System.Text.Json;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Reports;

/// <summary>Dashboard of a unit for a year: headline figures, completion by child unit, drill-down to branch and member.</summary>
public sealed class IndexModel(AppDbContext db, AccessService access, DashboardRollups rollups) : PageModel
{
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public RollupHead Rollup { get; private set; } = null!;
    public DateTimeOffset ComputedAt { get; private set; }
    public DateTimeOffset? ReplicaAsOf { get; private set; }
    public List<(int Id, string Name)> Trail { get; } = [];
    public List<MemberRow> MemberRows { get; private set; } = [];
    public List<IssuedRow> Issued { get; private set; } = [];
    public bool CanIssue { get; private set; }
    public string ChartJson { get; private set; } = "{}";
    public YearTrend Trend { get; private set; } = null!;

    public sealed record IssuedRow(int Number, string? Symbol, DateOnly? IssuedOn, int? Replaces, string? Sha, int? FirstYear)
    {
        public string Query(string prefix) => FirstYear is int f ? $"{prefix}from={f}" : "";
    }

    /// <summary>The period review asked for (?from=2021&amp;to=2025), and why it cannot be made when it cannot.</summary>
    public int? PeriodFrom { get; private set; }
    public int? PeriodTo { get; private set; }
    public string? PeriodError { get; private set; }
    /// <summary>The years as typed in the period form (kept in the boxes when the period is refused); null when none was asked.</summary>
    public (int? From, int? To)? PeriodTyped { get; private set; }

    public async Task<IActionResult> OnGetAsync(int? unitId, int? year, int? from, int? to, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        unitId ??= scope.Bindings.Where(b => AccessService.Grants(b.Role, Permission.ViewReports)).OrderBy(b => b.Path.ToString().Split('.').Length).Select(b => (int?)b.OrgUnitId).FirstOrDefault();
        if (unitId is null || await access.FindUnitAsync(unitId.Value, Permission.ViewReports, ct) is not { } unit) return NotFound();
        Unit = unit;
        if (year is not null && !PlanYearRange.Contains(year)) return NotFound();
        Year = year ?? db.Clock.Year;
        var computed = await rollups.GetAsync(unit.Id, Year, ct);
        (Rollup, ComputedAt, ReplicaAsOf) = (computed.Result, computed.ComputedAt, computed.ReplicaAsOf);
        Trend = await YearTrend.LoadAsync(rollups, unit.Id, Year, Rollup.Totals, ct);
        CanIssue = await access.CanAsync(Permission.IssueReports, unit.Id, ct);
        if (from is not null || to is not null)
        {
            PeriodTyped = (from, to);
            PeriodError = from is int f && to is int t ? YearEndReports.CheckPeriod(f, t) : "Vui lòng nhập năm bắt đầu và năm kết thúc.";
            if (PeriodError is null) (PeriodFrom, PeriodTo) = (from, to);
        }

        var ids = OrgPaths.Ids(unit.Path).ToList();
        var names = await access.Units(scope, Permission.ViewReports).AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        Trail.AddRange(ids.Select(i => names.FirstOrDefault(n => n.Id == i)).Where(n => n is not null).Select(n => (n!.Id, n.Name)));

        if (unit.Kind.IsBranch)
        {
            MemberRows = await DrillDown.MembersAsync(db, access.Members(scope, Permission.ViewMembers), unit.Id, Year, Rollup.AsOf, ct);
        }
        Issued = await db.Reports.AsNoTracking().Where(r => r.OrgUnitId == unit.Id && r.Year == Year && r.Status == ReportStatus.Issued)
            .OrderBy(r => r.Number).Select(r => new IssuedRow(r.Number!.Value, r.Symbol, r.IssuedOn, db.Reports.Where(o => o.Id == r.ReplacesReportId).Select(o => o.Number).FirstOrDefault(), r.PdfSha256, r.FirstYear))
            .ToListAsync(ct);
        ChartJson = JsonSerializer.Serialize(new
        {
            labels = Rollup.Children.Select(c => c.Name),
            values = Rollup.Children.Select(c => c.Figures.PledgeRate.Percent),
            label = "Tỷ lệ việc làm theo hoàn thành (%)",
        });
        return Page();
    }
}

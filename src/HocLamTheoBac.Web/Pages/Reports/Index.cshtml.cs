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
public sealed class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public RollupResult Rollup { get; private set; } = null!;
    public DateTimeOffset ComputedAt { get; private set; }
    public List<(int Id, string Name)> Trail { get; } = [];
    public List<MemberRow> MemberRows { get; private set; } = [];
    public List<IssuedRow> Issued { get; private set; } = [];
    public bool CanIssue { get; private set; }
    public string ChartJson { get; private set; } = "{}";

    public sealed record MemberRow(int Id, string FullName, string? Position, int Registered, int Done);
    public sealed record IssuedRow(int Number, string? Symbol, DateOnly? IssuedOn, int? Replaces, string? Sha);

    public async Task<IActionResult> OnGetAsync(int? unitId, int? year, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        unitId ??= scope.Bindings.Where(b => AccessService.Grants(b.Role, Permission.ViewReports)).OrderBy(b => b.Path.ToString().Split('.').Length).Select(b => (int?)b.OrgUnitId).FirstOrDefault();
        if (unitId is null || await access.FindUnitAsync(unitId.Value, Permission.ViewReports, ct) is not { } unit) return NotFound();
        Unit = unit;
        Year = year is >= 2000 and <= 2100 ? year.Value : db.Clock.Year;
        // Always as of this request (ADR 0011): the roll-up reads the aggregates the triggers keep exact.
        Rollup = await HocLamTheoBac.Web.Reports.Rollup.ComputeAsync(db, unit.Id, Year, ct);
        ComputedAt = db.Clock.Now;
        CanIssue = await access.CanAsync(Permission.IssueReports, unit.Id, ct);

        var ids = OrgPaths.Ids(unit.Path).ToList();
        var names = await access.Units(scope, Permission.ViewReports).AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.Name }).ToListAsync(ct);
        Trail.AddRange(ids.Select(i => names.FirstOrDefault(n => n.Id == i)).Where(n => n is not null).Select(n => (n!.Id, n.Name)));

        if (unit.Kind.IsBranch)
        {
            var asOf = Rollup.AsOf;
            var y = Year;
            var registered = PledgeSets.Registered;
            var done = PledgeSets.Done;
            MemberRows = await access.Members(scope, Permission.ViewMembers).AsNoTracking()
                .Where(m => db.MemberBranchPeriods.Where(Membership.CoversDate(asOf)).Any(p => p.MemberId == m.Id && p.BranchId == unit.Id))
                .OrderBy(m => m.FullName)
                .Select(m => new MemberRow(m.Id, m.FullName, m.Position,
                    // a member standing here has all their registered pledges of the year counted here (ADR 0006)
                    db.Pledges.Count(p => p.MemberId == m.Id && p.Year == y && registered.Contains(p.Status)),
                    db.Pledges.Count(p => p.MemberId == m.Id && p.Year == y && done.Contains(p.Status))))
                .ToListAsync(ct);
        }
        Issued = await db.Reports.AsNoTracking().Where(r => r.OrgUnitId == unit.Id && r.Year == Year && r.Status == ReportStatus.Issued)
            .OrderBy(r => r.Number).Select(r => new IssuedRow(r.Number!.Value, r.Symbol, r.IssuedOn, db.Reports.Where(o => o.Id == r.ReplacesReportId).Select(o => o.Number).FirstOrDefault(), r.PdfSha256))
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

using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Quotas;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Models;

public sealed class IndexModel(AppDbContext db, AccessService access) : PageModel
{
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    public bool CanManage { get; private set; }
    /// <summary>The year is closed for the unit: no register or replication buttons (their forms refuse too).</summary>
    public bool YearClosed { get; private set; }
    public List<UnitChoice> Units { get; private set; } = [];
    public List<Row> Models { get; private set; } = [];
    public List<ReplicationRow> Replications { get; private set; } = [];
    public QuotaStatusRow? Quota { get; private set; }
    public int ShortBelow { get; private set; }

    public sealed record Row(int Id, ExemplaryModelKind Kind, string Title, string? Field, string? MemberName, ExemplaryModelStatus Status, DateOnly? StartDate, int Replications);
    public sealed record ReplicationRow(int ModelId, string ModelTitle, string FromUnit, DateOnly On, string? Note);

    public async Task<IActionResult> OnGetAsync(int? unitId, int? year, CancellationToken ct)
    {
        if (await access.FindUnitYearAsync(unitId, year, Permission.ViewUnit, db.Clock, ct) is not (var unit, var y)) return NotFound();
        (Unit, Year) = (unit, y);
        CanManage = await access.CanAsync(Permission.ManageYearRecords, unit.Id, ct);
        YearClosed = CanManage && await YearGuard.IsReadOnlyAsync(db, unit, Year, ct);
        Units = await access.VisibleAsync(Permission.ViewUnit, Year, ct);

        Models = await db.Models.AsNoTracking()
            .Where(m => m.OrgUnitId == unit.Id && m.Year == Year)
            .OrderBy(m => m.Kind).ThenBy(m => m.Title)
            .Select(m => new Row(m.Id, m.Kind, m.Title, m.Field,
                db.Members.Where(x => x.Id == m.MemberId).Select(x => x.FullName).FirstOrDefault(),
                m.Status, m.StartDate,
                db.ModelReplications.Count(r => r.ModelId == m.Id)))
            .ToListAsync(ct);

        Replications = await (
            from r in db.ModelReplications.AsNoTracking()
            join m in db.Models on r.ModelId equals m.Id
            join u in db.OrgUnits on m.OrgUnitId equals u.Id
            where r.OrgUnitId == unit.Id && r.Year == Year
            orderby r.ReplicatedOn
            select new ReplicationRow(m.Id, m.Title, u.Name, r.ReplicatedOn, r.Note)).ToListAsync(ct);

        var status = await QuotaStatusQuery.RunAsync(db, unit.Path, Year, ct);
        Quota = status.FirstOrDefault(s => s.UnitId == unit.Id);
        ShortBelow = status.Count(s => s.UnitId != unit.Id && s.IsShort);
        return Page();
    }
}

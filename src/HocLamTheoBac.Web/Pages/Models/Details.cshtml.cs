using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Models;

public sealed class DetailsModel(AppDbContext db, AccessService access) : PageModel
{
    public ExemplaryModel Item { get; private set; } = null!;
    public OrgUnit Unit { get; private set; } = null!;
    public string? MemberName { get; private set; }
    public bool CanManage { get; private set; }
    public int ReplicationCount { get; private set; }
    public List<Row> Replications { get; private set; } = [];

    public sealed record Row(string UnitName, int Year, DateOnly On, string? Note);

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var item = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (item is null) return NotFound();
        var unit = await access.FindUnitAsync(item.OrgUnitId, Permission.ViewUnit, ct);
        if (unit is null) return NotFound();
        Item = item;
        Unit = unit;
        CanManage = await access.CanAsync(Permission.ManageYearRecords, unit.Id, ct);
        MemberName = item.MemberId is int mid ? await db.Members.Where(m => m.Id == mid).Select(m => m.FullName).FirstOrDefaultAsync(ct) : null;
        ReplicationCount = await db.ModelReplications.CountAsync(r => r.ModelId == id, ct);
        // Names only of replicating units the user may see; the count covers all.
        var scope = await access.ScopeAsync(ct);
        Replications = await (
            from r in db.ModelReplications.AsNoTracking()
            join u in access.Units(scope, Permission.ViewUnit) on r.OrgUnitId equals u.Id
            where r.ModelId == id
            orderby r.ReplicatedOn
            select new Row(u.Name, r.Year, r.ReplicatedOn, r.Note)).ToListAsync(ct);
        return Page();
    }
}

using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Reports.Paper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Reviews;

/// <summary>
/// One member's review sheet (PDF) for a year: the member, their branch and its ancestors may print it (by today's
/// subtree, as every page); others get 404. The sheet is of the branch the member stood in on the year's as-of day (the
/// branch's review page and PDF list them there; the attack walk of session 14: after a merger the sheet was headed by
/// today's branch with its summary, and disagreed with the branch's PDF). The branch's summary is printed when that branch
/// is the member's branch today (as before) or the viewer may see it (a member who came from another ward does not bring its figures along).
/// </summary>
public sealed class SheetModel(AppDbContext db, AccessService access) : PageModel
{
    public async Task<IActionResult> OnGetAsync(int memberId, int year, CancellationToken ct)
    {
        if (!PlanYearRange.Contains(year)) return NotFound();
        var scope = await access.ScopeAsync(ct);
        var todays = await access.Members(scope, Permission.ViewMembers).Where(m => m.Id == memberId).Select(m => (int?)m.BranchId).FirstOrDefaultAsync(ct);
        if (todays is null) return NotFound();
        var then = await db.MemberBranchPeriods.AsNoTracking().Where(Membership.CoversDate(db.Clock.AsOf(year))).Where(p => p.MemberId == memberId)
            .Select(p => (int?)p.BranchId).FirstOrDefaultAsync(ct);
        var branch = await db.OrgUnits.AsNoTracking().Include(u => u.Kind).SingleAsync(u => u.Id == (then ?? todays), ct);
        var model = await ReviewSheets.LoadAsync(db, branch, year, [memberId], ct);
        return File(ReviewSheets.Render(model, withSummary: branch.Id == todays || AccessService.Can(scope, Permission.ViewMembers, branch.Path)), "application/pdf", $"phieu-tong-hop-kiem-diem-{year}-{memberId}.pdf");
    }
}

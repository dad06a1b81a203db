using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Reports.Paper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Reviews;

/// <summary>One member's review sheet (PDF) for their current branch: the member, the branch and its ancestors may print it; others get 404.</summary>
public sealed class SheetModel(AppDbContext db, AccessService access) : PageModel
{
    public async Task<IActionResult> OnGetAsync(int memberId, int year, CancellationToken ct)
    {
        if (!PlanYearRange.Contains(year)) return NotFound();
        var scope = await access.ScopeAsync(ct);
        var branchId = await access.Members(scope, Permission.ViewMembers).Where(m => m.Id == memberId).Select(m => (int?)m.BranchId).FirstOrDefaultAsync(ct);
        if (branchId is null) return NotFound();
        var branch = await db.OrgUnits.AsNoTracking().Include(u => u.Kind).SingleAsync(u => u.Id == branchId, ct);
        var model = await ReviewSheets.LoadAsync(db, branch, year, [memberId], ct);
        return File(ReviewSheets.Render(model), "application/pdf", $"phieu-tong-hop-kiem-diem-{year}-{memberId}.pdf");
    }
}

using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Reports.Paper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HocLamTheoBac.Web.Pages.Pledges.Sheets;

/// <summary>
/// A branch's printable sheets for its meeting: "dang-ky" (registration, blank lines) or "ket-qua" (results, tick boxes).
/// Whoever may see the branch's members (its secretary, staff and admins of ancestors) may print; others get 404.
/// </summary>
public sealed class IndexModel(AppDbContext db, AccessService access, IConfiguration config) : PageModel
{
    public async Task<IActionResult> OnGetAsync(int unitId, int year, string kind, CancellationToken ct)
    {
        SheetKind? sheet = kind switch { "dang-ky" => SheetKind.Registration, "ket-qua" => SheetKind.Results, _ => null };
        if (sheet is null || !PlanYearRange.Contains(year)) return NotFound();
        var unit = await access.FindUnitAsync(unitId, Permission.ViewMembers, ct);
        if (unit is null || !unit.Kind.IsBranch) return NotFound();
        var site = PublicAddress.Of(Request, config);
        var model = await BranchSheetModel.LoadAsync(db, unit, year, id => $"{site}/Pledges/Member/{id}/{year}", ct);
        return File(BranchSheets.Render(sheet.Value, model), "application/pdf", BranchSheets.FileName(sheet.Value, model));
    }
}

using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HocLamTheoBac.Web.Pages.Reports;

/// <summary>A report file: the issued one (frozen bytes) with ?number=N, otherwise the draft from current figures.</summary>
public sealed class DownloadModel(AppDbContext db, AccessService access) : PageModel
{
    public async Task<IActionResult> OnGetAsync(int unitId, int year, string format, int? number, CancellationToken ct)
    {
        if (await access.FindUnitAsync(unitId, Permission.ViewReports, ct) is not { } unit) return NotFound();
        if (YearEndReports.ParseFormat(format) is not { } f || year is < 2000 or > 2100) return NotFound();
        Web.Domain.Report? issued = null;
        if (number is int n && (issued = await YearEndReports.IssuedAsync(db, unit.Id, year, n, ct)) is null) return NotFound();
        var file = await YearEndReports.ExportAsync(db, unit, year, f, issued, ct);
        return File(file.Bytes, file.ContentType, file.FileName);
    }
}

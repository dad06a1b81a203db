using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HocLamTheoBac.Web.Pages.Reports;

/// <summary>
/// A report file: the issued one (frozen bytes) with ?number=N, otherwise the draft from current
/// figures; with ?from=2021 the period review from that year to {year}.
/// </summary>
public sealed class DownloadModel(AppDbContext db, [FromKeyedServices(StandbyReads.Key)] AppDbContext reads, AccessService access, DashboardRollups rollups) : PageModel
{
    public async Task<IActionResult> OnGetAsync(int unitId, int year, string format, int? number, int? from, CancellationToken ct)
    {
        if (await access.FindUnitAsync(unitId, Permission.ViewReports, ct) is not { } unit) return NotFound();
        if (YearEndReports.ParseFormat(format) is not { } f || !PlanYearRange.Contains(year)) return NotFound();
        if (from is int first && YearEndReports.CheckPeriod(first, year) is { } why)
            return AddressNumbersFilter.Refuse(HttpContext, $"Không lập được báo cáo giai đoạn {first}–{year}: {why}");
        Web.Domain.Report? issued = null;
        // A report issued a moment ago may not have reached the standby yet: then the primary serves it.
        if (number is int n && (issued = await YearEndReports.IssuedAsync(reads, unit.Id, year, n, ct, from) ?? await YearEndReports.IssuedAsync(db, unit.Id, year, n, ct, from)) is null) return NotFound();
        var source = ReferenceEquals(reads, db) ? db : reads;
        var file = await YearEndReports.ExportAsync(source, unit, year, f, issued, ct, firstYear: from, memo: rollups.Memo);
        if (await StandbyReads.AsOfAsync(source, ct) is { } asOf) Response.Headers["X-Data-As-Of"] = asOf.ToString("O");
        return File(file.Bytes, file.ContentType, file.FileName);
    }
}

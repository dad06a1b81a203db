using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Reports;

/// <summary>The register of issued reports across the user's subtree: number, unit, year, date, SHA-256, with search.</summary>
[YearTypedInForm]
public sealed class RegisterModel(AppDbContext db, AccessService access) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    /// <summary>What the year box sent when it was no year ("2025.0"): shown back in the box.</summary>
    public string? YearTyped { get; private set; }
    /// <summary>Why the year typed in the year box cannot be searched (ADR 0021: the page again, 200, the box marked).</summary>
    public string? YearError { get; private set; }
    public List<Row> Rows { get; private set; } = [];
    public bool Truncated { get; private set; }
    private const int MaxRows = 500;

    /// <summary>An issued report; <paramref name="ReplacedBy"/>: the number of the issued report that replaced it (no longer in force).</summary>
    public sealed record Row(int UnitId, string UnitName, string UnitCode, int Year, int? FirstYear, int Number, string? Symbol, DateOnly? IssuedOn, string? Sha, int? Replaces, int? ReplacedBy)
    {
        /// <summary>The download's query: a period report is found by its first year too (without it the link answered 404).</summary>
        public string Query => $"number={Number}" + (FirstYear is int f ? $"&from={f}" : "");
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        if (!scope.IsOperator && !scope.RootsFor(Permission.ViewReports).Any()) return NotFound();
        var units = access.Units(scope, Permission.ViewReports).AsNoTracking();
        var query = from r in db.Reports.AsNoTracking()
                    join u in units on r.OrgUnitId equals u.Id
                    where r.Status == ReportStatus.Issued
                    select new { r, u };
        // The box sends what was typed: "2025.0" or "abc" is said here, as a year outside the system's (the attack walk of session 15).
        if (ModelState.TryGetValue(nameof(Year), out var box) && box.ValidationState == Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid)
        {
            YearTyped = box.AttemptedValue;
            YearError = $"Năm “{box.AttemptedValue}” không phải là một năm: hãy nhập năm từ {PlanYearRange.First} đến {PlanYearRange.Last}, ví dụ {PlanYearRange.First + 25}.";
            return Page();
        }
        if (Year is int typed && !PlanYearRange.Contains(typed))
        {
            // Once every year was listed instead, as if no year had been typed.
            YearError = $"Năm {typed} nằm ngoài các năm của hệ thống: năm phải từ {PlanYearRange.First} đến {PlanYearRange.Last}.";
            return Page();
        }
        // A year inside a period finds the period's report too (the walk of session 14: 2023 missed the 2021–2025 review).
        if (Year is int year) query = query.Where(x => x.r.Year == year || (x.r.FirstYear != null && x.r.FirstYear <= year && x.r.Year >= year));
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            // "Số 2-BC/TU" as the list shows it finds report 2 of symbol BC/TU (the attack walk: only "2-BC/TU" did).
            if (q.StartsWith("số ", StringComparison.OrdinalIgnoreCase)) q = q[3..].Trim();
            // % and _ are letters here, not wildcards (the attack walk: "_" matched every report).
            var like = "%" + q.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            var parts = q.Split('-', 2);
            var number = int.TryParse(parts[0], out var n) ? n : (int?)null;
            var symbol = number is not null && parts.Length == 2 ? parts[1].Trim() : null;
            var folded = VietnameseText.Contains(q);
            query = query.Where(x => EF.Functions.Like(VietnameseText.Fold(x.u.Name), folded) || EF.Functions.ILike(x.u.Code, like)
                                     || (x.r.Symbol != null && EF.Functions.ILike(x.r.Symbol, like))
                                     || (x.r.PdfSha256 != null && x.r.PdfSha256.StartsWith(q.ToLower()))
                                     || (number != null && x.r.Number == number && (symbol == null || symbol == "" || x.r.Symbol == symbol)));
        }
        var rows = await query.OrderByDescending(x => x.r.IssuedOn).ThenBy(x => x.u.Name).ThenBy(x => x.r.Number).Take(MaxRows + 1)
            .Select(x => new Row(x.u.Id, x.u.Name, x.u.Code, x.r.Year, x.r.FirstYear, x.r.Number!.Value, x.r.Symbol, x.r.IssuedOn, x.r.PdfSha256,
                db.Reports.Where(o => o.Id == x.r.ReplacesReportId).Select(o => o.Number).FirstOrDefault(),
                db.Reports.Where(o => o.ReplacesReportId == x.r.Id && o.Status == ReportStatus.Issued).Select(o => o.Number).FirstOrDefault()))
            .ToListAsync(ct);
        Truncated = rows.Count > MaxRows;
        Rows = rows.Take(MaxRows).ToList();
        return Page();
    }
}

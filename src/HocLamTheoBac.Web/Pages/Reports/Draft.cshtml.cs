using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Reports;

/// <summary>
/// The draft of a year-end report, or with ?from=2021 of the period review from that year to {year}:
/// figures from the roll-up, written sections, recipients, signer; issuing freezes it.
/// </summary>
public sealed class DraftModel(AppDbContext db, AccessService access, DashboardRollups rollups) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    public OrgUnit Unit { get; private set; } = null!;
    public int Year { get; private set; }
    /// <summary>The first year of a period review; null for a year-end report.</summary>
    [BindProperty(SupportsGet = true, Name = "from")] public int? From { get; set; }
    public string PeriodLabel => From is int f ? $"giai đoạn {f}–{Year}" : $"năm {Year}";
    public string Query => From is int f ? $"?from={f}" : "";
    public ReportModel Preview { get; private set; } = null!;
    public int? ReplacesNumber { get; private set; }

    [BindProperty] public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        /// <summary>A long box of the report (about five printed pages): the walk of session 19 sent 320.000 characters
        /// into the PDF.</summary>
        public const int LongText = 20_000;
        [StringLength(200, ErrorMessage = "Địa danh tối đa 200 ký tự.")]
        [Display(Name = "Địa danh")] public string? Place { get; set; }
        [StringLength(LongText, ErrorMessage = "Nhận xét phần I (lãnh đạo, chỉ đạo): tối đa 20.000 ký tự.")]
        [Display(Name = "Nhận xét phần I (lãnh đạo, chỉ đạo)")] public string? LeadershipText { get; set; }
        [StringLength(LongText, ErrorMessage = "Nhận xét phần II (kết quả): tối đa 20.000 ký tự.")]
        [Display(Name = "Nhận xét phần II (kết quả)")] public string? ResultsText { get; set; }
        [StringLength(LongText, ErrorMessage = "Ưu điểm: tối đa 20.000 ký tự.")]
        [Display(Name = "Ưu điểm")] public string? Strengths { get; set; }
        [StringLength(LongText, ErrorMessage = "Hạn chế: tối đa 20.000 ký tự.")]
        [Display(Name = "Hạn chế")] public string? Limitations { get; set; }
        [StringLength(LongText, ErrorMessage = "Phương hướng năm tới: tối đa 20.000 ký tự.")]
        [Display(Name = "Phương hướng năm tới")] public string? Direction { get; set; }
        [StringLength(2000, ErrorMessage = "Nơi nhận: tối đa 2.000 ký tự.")]
        [Display(Name = "Nơi nhận (mỗi dòng một nơi)")] public string? Recipients { get; set; }
        [StringLength(200, ErrorMessage = "Tối đa 200 ký tự.")]
        [Display(Name = "Thay mặt")] public string? SignerOnBehalf { get; set; }
        [StringLength(200, ErrorMessage = "Tối đa 200 ký tự.")]
        [Display(Name = "Chức vụ người ký")] public string? SignerTitle { get; set; }
        [Required(ErrorMessage = "Vui lòng nhập họ tên người ký.")]
        [StringLength(200, ErrorMessage = "Tối đa 200 ký tự.")]
        [Display(Name = "Họ tên người ký")] public string? SignerName { get; set; }
        public uint Version { get; set; }
        /// <summary>How many reports of this unit and period were issued when the form was opened: a report issued since
        /// (from another tab or by a colleague) refuses this form's issuing (the attack walk of session 13: a second tab
        /// issued a second report, replacing nothing).</summary>
        public int IssuedSeen { get; set; }
    }

    /// <summary>After a refused save: the texts saved elsewhere that differ from what this form holds (label, saved text;
    /// "" when that part was emptied) — the walk of session 14: the message pointed to a preview that shows no texts, and
    /// saving again silently undid the other tab's edit.</summary>
    public List<(string Label, string Saved)> SavedElsewhere { get; } = [];

    /// <summary>A merged or closed unit says so under the title, as its dashboard does (the walk of session 13).</summary>
    public Orgs.ClosedNote? Closed { get; private set; }

    /// <summary>Null when the page can be shown; else 404 (not the user's unit) or 400 with why the period cannot be made.</summary>
    private async Task<IActionResult?> LoadAsync(int unitId, int year, CancellationToken ct)
    {
        if (!PlanYearRange.Contains(year) || await access.FindUnitAsync(unitId, Permission.IssueReports, ct) is not { } unit) return NotFound();
        if (From is int first && YearEndReports.CheckPeriod(first, year) is { } why)
            return AddressNumbersFilter.Refuse(HttpContext, $"Không lập được báo cáo giai đoạn {first}–{year}: {why}");
        Unit = unit;
        Year = year;
        Closed = await Orgs.OrgQueries.ClosedNoteAsync(db, unit, await access.ScopeAsync(ct), Permission.IssueReports, ct);
        return null;
    }

    private Task<Report?> CurrentDraftAsync(CancellationToken ct) => YearEndReports.CurrentDraft(db, Unit.Id, Year, From).FirstOrDefaultAsync(ct);

    private Task<int> IssuedCountAsync(CancellationToken ct) =>
        db.Reports.CountAsync(r => r.OrgUnitId == Unit.Id && r.Year == Year && r.FirstYear == From && r.Status == ReportStatus.Issued, ct);

    /// <summary>The form is older than the page's state: its draft was issued or removed, or a report was issued since it opened.</summary>
    private const string Stale = "Dự thảo này vừa được ban hành hoặc thay đổi ở nơi khác (một thẻ khác hay một đồng chí khác). Những gì bạn vừa nhập vẫn ở trong các ô; nội dung đã lưu khác với các ô (nếu có) được liệt kê ngay dưới đây — vui lòng xem lại trước khi lưu hoặc ban hành.";

    private Task<IActionResult> StaleAsync(CancellationToken ct) => ReloadAsync(Stale, ct);

    /// <summary>The page again with the message, the preview and hidden fields of the draft as it is now, the typed text kept.</summary>
    private async Task<IActionResult> ReloadAsync(string message, CancellationToken ct)
    {
        ModelState.AddModelError("", message);
        db.ChangeTracker.Clear();
        var current = await CurrentDraftAsync(ct);
        await PreviewAsync(current, ct);
        Input.Version = current?.Version ?? 0;
        Input.IssuedSeen = await IssuedCountAsync(ct);
        if (current is not null)
            // Each text named by its box's label (InputModel's [Display]: one home for the words).
            foreach (var (label, saved, typed) in new (string, string?, string?)[]
                     {
                         (Label(nameof(InputModel.Place)), current.Place, Input.Place), (Label(nameof(InputModel.LeadershipText)), current.LeadershipText, Input.LeadershipText),
                         (Label(nameof(InputModel.ResultsText)), current.ResultsText, Input.ResultsText), (Label(nameof(InputModel.Strengths)), current.Strengths, Input.Strengths),
                         (Label(nameof(InputModel.Limitations)), current.Limitations, Input.Limitations), (Label(nameof(InputModel.Direction)), current.Direction, Input.Direction),
                         (Label(nameof(InputModel.Recipients)), current.Recipients, Input.Recipients), (Label(nameof(InputModel.SignerOnBehalf)), current.SignerOnBehalf, Input.SignerOnBehalf),
                         (Label(nameof(InputModel.SignerTitle)), current.SignerTitle, Input.SignerTitle), (Label(nameof(InputModel.SignerName)), current.SignerName, Input.SignerName),
                     })
                if ((saved ?? "") != (Clean(typed) ?? "")) SavedElsewhere.Add((label, saved ?? ""));
        // The hidden fields show these, not the posted values (a tag helper prefers what was posted).
        ModelState.Remove("Input.Version");
        ModelState.Remove("Input.IssuedSeen");
        return Page();
    }

    private async Task PreviewAsync(Report? draft, CancellationToken ct)
    {
        var r = draft ?? new Report { OrgUnitId = Unit.Id, Year = Year, FirstYear = From, ReplacesReportId = await YearEndReports.LatestIssuedIdAsync(db, Unit.Id, Year, From, ct) };
        Preview = await YearEndReports.ModelAsync(db, Unit, r, db.Clock.Today, ct, rollups.Memo);
        if (r.ReplacesReportId is int old) ReplacesNumber = await db.Reports.Where(o => o.Id == old).Select(o => o.Number).FirstOrDefaultAsync(ct);
    }

    public async Task<IActionResult> OnGetAsync(int unitId, int year, CancellationToken ct)
    {
        if (await LoadAsync(unitId, year, ct) is { } stop) return stop;
        var d = await CurrentDraftAsync(ct);
        await PreviewAsync(d, ct);
        Input = new InputModel
        {
            Place = d?.Place ?? Preview.PlaceAndDate.Split(',')[0], LeadershipText = d?.LeadershipText, ResultsText = d?.ResultsText,
            Strengths = d?.Strengths, Limitations = d?.Limitations, Direction = d?.Direction,
            Recipients = d?.Recipients ?? string.Join("\n", Preview.Recipients), SignerOnBehalf = d?.SignerOnBehalf ?? Preview.SignerOnBehalf,
            SignerTitle = d?.SignerTitle ?? Preview.SignerTitle, SignerName = d?.SignerName, Version = d?.Version ?? 0,
            IssuedSeen = await IssuedCountAsync(ct),
        };
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(int unitId, int year, CancellationToken ct) => SaveAsync(unitId, year, issue: false, ct);

    public Task<IActionResult> OnPostIssueAsync(int unitId, int year, CancellationToken ct) => SaveAsync(unitId, year, issue: true, ct);

    private async Task<IActionResult> SaveAsync(int unitId, int year, bool issue, CancellationToken ct)
    {
        if (await LoadAsync(unitId, year, ct) is { } stop) return stop;
        var draft = await CurrentDraftAsync(ct);
        if (issue && YearEndReports.IssueRefusal(Input.Strengths, Input.Limitations, Input.Direction) is { } unwritten) ModelState.AddModelError("", unwritten);
        if (issue && await YearEndReports.UnitYearRefusalAsync(db, Unit, Year, From, ct) is { } notThisYear) ModelState.AddModelError("", notThisYear);
        if (!ModelState.IsValid)
        {
            await PreviewAsync(draft, ct);
            return Page();
        }
        // A form of a draft that is gone (issued meanwhile), or an issuing after another report was issued: said, not done.
        if ((draft is null && Input.Version != 0) || (issue && await IssuedCountAsync(ct) != Input.IssuedSeen)) return await StaleAsync(ct);
        if (draft is null)
        {
            // Two first saves at the same instant: one draft a period (ux_reports_one_draft); the second is told.
            try { draft = await YearEndReports.DraftAsync(db, Unit, Year, ct, From); }
            catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation }) { return await StaleAsync(ct); }
        }
        else
        {
            db.Entry(draft).Property(x => x.Version).OriginalValue = Input.Version;
        }
        draft.Place = Clean(Input.Place);
        draft.LeadershipText = Clean(Input.LeadershipText);
        draft.ResultsText = Clean(Input.ResultsText);
        draft.Strengths = Clean(Input.Strengths);
        draft.Limitations = Clean(Input.Limitations);
        draft.Direction = Clean(Input.Direction);
        draft.Recipients = Clean(Input.Recipients);
        draft.SignerOnBehalf = Clean(Input.SignerOnBehalf);
        draft.SignerTitle = Clean(Input.SignerTitle);
        draft.SignerName = Clean(Input.SignerName);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return await ReloadAsync("Dự thảo vừa được sửa ở nơi khác nên chưa lưu nội dung của bạn. Nội dung bạn vừa nhập vẫn còn trong các ô; những phần đã lưu ở nơi khác khác với các ô được liệt kê ngay dưới đây — vui lòng đối chiếu rồi lưu lần nữa (khi lưu, nội dung trong các ô sẽ thay cho bản đã lưu).", ct);
        }
        if (issue)
        {
            Report issued;
            // Two issuings of the same draft at the same moment: the second finds it changed (its version) and is told so.
            try { issued = await YearEndReports.IssueAsync(db, Unit, draft, db.Clock.Today, ct); }
            catch (DbUpdateConcurrencyException) { return await StaleAsync(ct); }
            StatusMessage = $"Đã ban hành Báo cáo số {issued.Number}-{issued.Symbol} ngày {Vn.Date(issued.IssuedOn)}.";
            // A period report is listed in the period's section (the attack walk: the address lost ?from=).
            return RedirectToPage("Index", new { unitId = Unit.Id, year = Year, from = From, to = From is null ? (int?)null : Year });
        }
        StatusMessage = "Đã lưu dự thảo.";
        return RedirectToPage(new { unitId = Unit.Id, year = Year, from = From });
    }

    /// <summary>Opens a new draft that replaces an issued report; the issued one stays as it was.</summary>
    public async Task<IActionResult> OnPostCorrectAsync(int unitId, int year, int number, CancellationToken ct)
    {
        if (await LoadAsync(unitId, year, ct) is { } stop) return stop;
        var issued = await db.Reports.FirstOrDefaultAsync(r => r.OrgUnitId == Unit.Id && r.Year == Year && r.FirstYear == From && r.Number == number && r.Status == ReportStatus.Issued, ct);
        if (issued is null) return NotFound();
        // A period has one report in force: a report already replaced is not corrected again (a second report would stand
        // beside the one in force); the correction replaces the one in force, from its texts.
        if (await YearEndReports.LatestIssuedIdAsync(db, Unit.Id, Year, From, ct) is int inForce && inForce != issued.Id)
            issued = await db.Reports.SingleAsync(r => r.Id == inForce, ct);
        if (await CurrentDraftAsync(ct) is null) await YearEndReports.CorrectAsync(db, issued, ct);
        StatusMessage = issued.Number == number ? $"Đã mở dự thảo thay thế Báo cáo số {number}."
            : $"Báo cáo số {number} đã được thay thế bởi Báo cáo số {issued.Number}; đã mở dự thảo thay thế Báo cáo số {issued.Number} (báo cáo đang có hiệu lực).";
        return RedirectToPage(new { unitId = Unit.Id, year = Year, from = From });
    }

    /// <summary>The label of an <see cref="InputModel"/> box, from its [Display] attribute.</summary>
    private static string Label(string property) =>
        System.Reflection.CustomAttributeExtensions.GetCustomAttribute<DisplayAttribute>(typeof(InputModel).GetProperty(property)!)!.Name!;

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim().Normalize(System.Text.NormalizationForm.FormC);
}

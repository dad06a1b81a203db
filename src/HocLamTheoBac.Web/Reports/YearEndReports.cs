using System.Security.Cryptography;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports.Pdf;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Reports;

public enum ExportFormat { Pdf, Xlsx, Csv }

public sealed record ExportFile(byte[] Bytes, string ContentType, string FileName);

/// <summary>
/// Drafts, issuance and exports of year-end reports. Callers have already checked access
/// (AccessService) for <paramref name="unit"/>: these methods trust the unit they are given.
/// </summary>
public static class YearEndReports
{

    public static ExportFormat? ParseFormat(string? s) => s?.Trim().ToLowerInvariant() switch
    {
        "pdf" => ExportFormat.Pdf, "xlsx" => ExportFormat.Xlsx, "csv" => ExportFormat.Csv, _ => null,
    };

    /// <summary>The longest period a review covers (ten years), and the check of a range of years.</summary>
    public const int MaxPeriodYears = 10;

    /// <summary>Null when the range is valid, otherwise the Vietnamese message saying why not.</summary>
    public static string? CheckPeriod(int first, int last) =>
        !PlanYearRange.Contains(first) || !PlanYearRange.Contains(last) ? PlanYearRange.Message
        : first >= last ? "Năm bắt đầu phải trước năm kết thúc (ví dụ 2021–2025)."
        : last - first + 1 > MaxPeriodYears ? $"Một kỳ sơ kết, tổng kết dài tối đa {MaxPeriodYears} năm."
        : null;

    /// <summary>
    /// The sections the committee writes itself (III.1, III.2, IV), by their headings in the report. A draft prints an
    /// empty one as still to be written (Pdf/Components/Sections.cs); a report is not issued while one is empty.
    /// </summary>
    public static IReadOnlyList<string> UnwrittenSections(string? strengths, string? limitations, string? direction) =>
        new (string Heading, string? Text)[] { ("1. Ưu điểm", strengths), ("2. Hạn chế", limitations), ("IV. Phương hướng, nhiệm vụ", direction) }
            .Where(s => string.IsNullOrWhiteSpace(s.Text)).Select(s => s.Heading).ToList();

    /// <summary>Null when the written sections are all there, otherwise the Vietnamese message naming the empty ones.</summary>
    public static string? IssueRefusal(string? strengths, string? limitations, string? direction) =>
        UnwrittenSections(strengths, limitations, direction) is { Count: > 0 } empty
            ? $"Chưa thể ban hành báo cáo: còn trống phần {string.Join(", ", empty.Select(h => $"“{h}”"))}. Vui lòng viết các phần này trước khi ban hành."
            : null;

    /// <summary>
    /// Null when the unit may issue the report of the year (or of the period firstYear–year); otherwise why not: a year not
    /// yet begun, a unit closed or merged (it issues nothing new), a year before the unit was founded (the attack walk of
    /// session 14 issued, and so froze for good, reports of 2030, of 2001 and of a merged branch).
    /// </summary>
    public static async Task<string?> UnitYearRefusalAsync(AppDbContext db, OrgUnit unit, int year, int? firstYear, CancellationToken ct)
    {
        var what = firstYear is int fy ? $"báo cáo giai đoạn {fy}–{year}" : $"báo cáo năm {year}";
        if (year > db.Clock.Year) return $"Chưa thể ban hành {what}: năm {year} chưa bắt đầu.";
        if (unit.ClosedOn is DateOnly closed) return $"Không ban hành {what}: {unit.Name} đã giải thể hoặc hợp nhất từ ngày {Vn.Date(closed)}.";
        var founded = await db.OrgPlacements.Where(p => p.OrgUnitId == unit.Id).MinAsync(p => (DateOnly?)p.ValidFrom, ct);
        if (founded is DateOnly f && f.Year > year) return $"Không ban hành {what}: {unit.Name} được thành lập từ ngày {Vn.Date(f)}.";
        return null;
    }

    /// <summary>"2021-2025" in a --years argument or a URL: (2021, 2025); null when it is not a range.</summary>
    public static (int First, int Last)? ParseYears(string? s)
    {
        var parts = (s ?? "").Replace('–', '-').Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2 && int.TryParse(parts[0], out var a) && int.TryParse(parts[1], out var b) ? (a, b) : null;
    }

    /// <summary>The current draft of a year-end report (or of the period firstYear–year), created (and saved) when there is none.</summary>
    public static async Task<Report> DraftAsync(AppDbContext db, OrgUnit unit, int year, CancellationToken ct, int? firstYear = null)
    {
        var draft = await CurrentDraft(db, unit.Id, year, firstYear).FirstOrDefaultAsync(ct);
        if (draft is not null) return draft;
        draft = new Report
        {
            OrgUnitId = unit.Id, Year = year, FirstYear = firstYear, Status = ReportStatus.Draft, Place = await PlaceAsync(db, unit, ct),
            ReplacesReportId = await LatestIssuedIdAsync(db, unit.Id, year, firstYear, ct),
        };
        db.Reports.Add(draft);
        await db.SaveChangesAsync(ct);
        return draft;
    }

    /// <summary>
    /// The issued report a new draft of the period replaces: the latest issued (highest number), or null when none was. A
    /// period has one report in force: a new draft after an issued one is its correction, whether opened by "Đính chính"
    /// or not (the walk of session 13: a second tab, told its draft was issued meanwhile, issued again a report replacing
    /// nothing).
    /// </summary>
    public static Task<int?> LatestIssuedIdAsync(AppDbContext db, int unitId, int year, int? firstYear, CancellationToken ct) =>
        db.Reports.Where(r => r.OrgUnitId == unitId && r.Year == year && r.FirstYear == firstYear && r.Status == ReportStatus.Issued)
            .OrderByDescending(r => r.Number).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);

    /// <summary>The latest draft of the unit for the year (firstYear null) or the period firstYear–year.</summary>
    public static IQueryable<Report> CurrentDraft(AppDbContext db, int unitId, int year, int? firstYear) =>
        db.Reports.Where(r => r.OrgUnitId == unitId && r.Year == year && r.FirstYear == firstYear && r.Status == ReportStatus.Draft).OrderByDescending(r => r.Id);

    /// <summary>The place of the date line: the province's proper name ("Tuyên Quang" of "Tỉnh ủy Tuyên Quang").</summary>
    private static async Task<string> PlaceAsync(AppDbContext db, OrgUnit unit, CancellationToken ct)
    {
        var rootId = OrgPaths.Ids(unit.Path).First();
        var name = await db.OrgUnits.Where(u => u.Id == rootId).Select(u => u.Name).SingleAsync(ct);
        return PlaceOf(name);
    }

    /// <summary>"Tỉnh ủy Tuyên Quang" → "Tuyên Quang"; "Tỉnh ủy tỉnh mẫu (dữ liệu tổng hợp)" → "Mẫu".</summary>
    public static string PlaceOf(string rootName)
    {
        var proper = PartyDocuments.SplitName(rootName).Proper;
        var paren = proper.IndexOf(" (", StringComparison.Ordinal);
        if (paren > 0) proper = proper[..paren];
        foreach (var prefix in new[] { "tỉnh ", "thành phố ", "huyện ", "quận ", "thị xã " })
            if (proper.StartsWith(prefix, StringComparison.Ordinal)) proper = proper[prefix.Length..];
        return proper.Length == 0 ? rootName : char.ToUpper(proper[0], Infrastructure.ServiceSetup.Vietnamese) + proper[1..];
    }

    public static async Task<ReportModel> ModelAsync(AppDbContext db, OrgUnit unit, Report report, DateOnly date, CancellationToken ct, RollupMemo? memo = null)
    {
        // One roll-up per year (each year's tree as it stood then); a period sums them (ADR 0012).
        var years = new List<RollupResult>();
        for (var y = report.FirstYear ?? report.Year; y <= report.Year; y++) years.Add(await Rollup.ComputeAsync(db, unit.Id, y, ct, memo));
        var rollup = years[^1];
        var parentId = rollup.Root?.ParentId ?? unit.ParentId;
        var parentName = parentId is int pid ? await db.OrgUnits.Where(u => u.Id == pid).Select(u => u.Name).SingleAsync(ct) : null;
        var kind = await db.OrgKinds.AsNoTracking().SingleAsync(k => k.Id == unit.KindId, ct);
        string? replaces = null;
        if (report.ReplacesReportId is int oldId)
        {
            var o = await db.Reports.AsNoTracking().Where(r => r.Id == oldId).Select(r => new { r.Number, r.Symbol, r.IssuedOn }).SingleAsync(ct);
            replaces = $"số {o.Number}-{o.Symbol} ngày {Vn.Date(o.IssuedOn)}";
        }
        return ReportModel.BuildPeriod(years, report, new ReportModel.IssuingUnit(unit.Name, parentName, kind.Symbol, kind.IsBranch), date, replaces);
    }

    /// <summary>
    /// Issues a draft: the next number of the issuing unit for the year, the date, and a frozen
    /// snapshot (model JSON, PDF bytes and their SHA-256). A reprint returns these bytes as they are.
    /// </summary>
    public static async Task<Report> IssueAsync(AppDbContext db, OrgUnit unit, Report draft, DateOnly issuedOn, CancellationToken ct)
    {
        if (draft.Status != ReportStatus.Draft) throw new InvalidOperationException("report already issued");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(6, {unit.Id})", ct);
        var last = await db.Reports.IgnoreQueryFilters().Where(r => r.OrgUnitId == unit.Id && r.Year == draft.Year && r.Number != null).MaxAsync(r => r.Number, ct);
        var kind = await db.OrgKinds.AsNoTracking().SingleAsync(k => k.Id == unit.KindId, ct);
        // The report it replaces is the one in force now, under the unit's lock (a draft made before another was issued
        // would otherwise stand beside it: the attack walk of session 14).
        draft.ReplacesReportId = await LatestIssuedIdAsync(db, unit.Id, draft.Year, draft.FirstYear, ct);
        draft.Number = (last ?? 0) + 1;
        draft.Symbol = $"BC/{PartyDocuments.Symbol(unit.Name, kind.IsBranch, kind.Symbol)}";
        draft.IssuedOn = issuedOn;
        draft.Status = ReportStatus.Issued;
        var model = await ModelAsync(db, unit, draft, issuedOn, ct);
        draft.SnapshotJson = model.ToJson();
        draft.Pdf = ReportDocument.Render(model);
        draft.PdfSha256 = Convert.ToHexStringLower(SHA256.HashData(draft.Pdf));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return draft;
    }

    /// <summary>A new draft that will replace an issued report; it gets its own number when issued.</summary>
    public static async Task<Report> CorrectAsync(AppDbContext db, Report issued, CancellationToken ct)
    {
        var draft = new Report
        {
            OrgUnitId = issued.OrgUnitId, Year = issued.Year, FirstYear = issued.FirstYear, Status = ReportStatus.Draft, Place = issued.Place,
            LeadershipText = issued.LeadershipText, ResultsText = issued.ResultsText, Strengths = issued.Strengths,
            Limitations = issued.Limitations, Direction = issued.Direction, Recipients = issued.Recipients,
            SignerName = issued.SignerName, SignerTitle = issued.SignerTitle, SignerOnBehalf = issued.SignerOnBehalf,
            ReplacesReportId = issued.Id,
        };
        db.Reports.Add(draft);
        await db.SaveChangesAsync(ct);
        return draft;
    }

    /// <summary>The issued report number N of the unit for the year (firstYear null) or the period firstYear–year.</summary>
    public static Task<Report?> IssuedAsync(AppDbContext db, int unitId, int year, int number, CancellationToken ct, int? firstYear = null) =>
        db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.OrgUnitId == unitId && r.Year == year && r.FirstYear == firstYear && r.Number == number && r.Status == ReportStatus.Issued, ct);

    /// <summary>The file of an issued report (frozen) or of the current figures with the draft's texts.</summary>
    public static async Task<ExportFile> ExportAsync(AppDbContext db, OrgUnit unit, int year, ExportFormat format, Report? issued, CancellationToken ct, IProgress<string>? progress = null, int? firstYear = null, RollupMemo? memo = null)
    {
        ReportModel model;
        var label = firstYear is int f ? $"{f}-{year}" : year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (issued is not null)
        {
            if (format == ExportFormat.Pdf) return new(issued.Pdf!, "application/pdf", FileName(unit, label, issued.Number, format));
            model = ReportModel.FromJson(issued.SnapshotJson!);
        }
        else
        {
            progress?.Report(firstYear is null ? "Tổng hợp số liệu toàn bộ cây tổ chức…" : $"Tổng hợp số liệu từng năm {firstYear}–{year}…");
            var draft = await CurrentDraft(db, unit.Id, year, firstYear).AsNoTracking().FirstOrDefaultAsync(ct)
                ?? new Report { OrgUnitId = unit.Id, Year = year, FirstYear = firstYear, Place = await PlaceAsync(db, unit, ct) };
            model = await ModelAsync(db, unit, draft, db.Clock.Today, ct, memo);
        }
        progress?.Report($"Tạo tệp {format.ToString().ToLowerInvariant()} ({model.Annex.Count} đơn vị trong phụ lục)…");
        return format switch
        {
            ExportFormat.Pdf => new(ReportDocument.Render(model), "application/pdf", FileName(unit, label, issued?.Number, format)),
            ExportFormat.Xlsx => new(ReportExports.Xlsx(model), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FileName(unit, label, issued?.Number, format)),
            _ => new(ReportExports.Csv(model), "text/csv; charset=utf-8", FileName(unit, label, issued?.Number, format)),
        };
    }

    public static string FileName(OrgUnit unit, string period, int? number, ExportFormat f) =>
        $"bao-cao-{unit.Code}-{period}{(number is int n ? "-so-" + n : "-du-thao")}.{f.ToString().ToLowerInvariant()}";
}

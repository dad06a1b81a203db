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

    /// <summary>The unit's current draft for the year, created (and saved) when there is none.</summary>
    public static async Task<Report> DraftAsync(AppDbContext db, OrgUnit unit, int year, CancellationToken ct)
    {
        var draft = await db.Reports.Where(r => r.OrgUnitId == unit.Id && r.Year == year && r.Status == ReportStatus.Draft)
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        if (draft is not null) return draft;
        draft = new Report { OrgUnitId = unit.Id, Year = year, Status = ReportStatus.Draft, Place = await PlaceAsync(db, unit, ct) };
        db.Reports.Add(draft);
        await db.SaveChangesAsync(ct);
        return draft;
    }

    /// <summary>The place of the date line: the province's name ("Tuyên Quang").</summary>
    private static async Task<string> PlaceAsync(AppDbContext db, OrgUnit unit, CancellationToken ct)
    {
        var rootId = OrgPaths.Ids(unit.Path).First();
        var name = await db.OrgUnits.Where(u => u.Id == rootId).Select(u => u.Name).SingleAsync(ct);
        foreach (var prefix in new[] { "Tỉnh ủy ", "Thành ủy ", "Đảng bộ tỉnh ", "Đảng bộ " })
            if (name.StartsWith(prefix, StringComparison.Ordinal)) return name[prefix.Length..];
        return name;
    }

    public static async Task<ReportModel> ModelAsync(AppDbContext db, OrgUnit unit, Report report, DateOnly date, CancellationToken ct)
    {
        var rollup = await Rollup.ComputeAsync(db, unit.Id, report.Year, ct);
        var parentId = rollup.Root?.ParentId ?? unit.ParentId;
        var parentName = parentId is int pid ? await db.OrgUnits.Where(u => u.Id == pid).Select(u => u.Name).SingleAsync(ct) : null;
        var kind = await db.OrgKinds.AsNoTracking().SingleAsync(k => k.Id == unit.KindId, ct);
        string? replaces = null;
        if (report.ReplacesReportId is int oldId)
        {
            var o = await db.Reports.AsNoTracking().Where(r => r.Id == oldId).Select(r => new { r.Number, r.Symbol, r.IssuedOn }).SingleAsync(ct);
            replaces = $"Số {o.Number}-{o.Symbol} ngày {Infrastructure.Vn.D(o.IssuedOn)}";
        }
        return ReportModel.Build(rollup, report, parentName, unit.Name, kind.Symbol, kind.IsBranch, date, replaces);
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
        draft.Number = (last ?? 0) + 1;
        draft.Symbol = $"BC/{kind.Symbol}";
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
            OrgUnitId = issued.OrgUnitId, Year = issued.Year, Status = ReportStatus.Draft, Place = issued.Place,
            LeadershipText = issued.LeadershipText, ResultsText = issued.ResultsText, Strengths = issued.Strengths,
            Limitations = issued.Limitations, Direction = issued.Direction, Recipients = issued.Recipients,
            SignerName = issued.SignerName, SignerTitle = issued.SignerTitle, SignerOnBehalf = issued.SignerOnBehalf,
            ReplacesReportId = issued.Id,
        };
        db.Reports.Add(draft);
        await db.SaveChangesAsync(ct);
        return draft;
    }

    public static Task<Report?> IssuedAsync(AppDbContext db, int unitId, int year, int number, CancellationToken ct) =>
        db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.OrgUnitId == unitId && r.Year == year && r.Number == number && r.Status == ReportStatus.Issued, ct);

    /// <summary>The file of an issued report (frozen) or of the current figures with the draft's texts.</summary>
    public static async Task<ExportFile> ExportAsync(AppDbContext db, OrgUnit unit, int year, ExportFormat format, Report? issued, CancellationToken ct, IProgress<string>? progress = null)
    {
        ReportModel model;
        if (issued is not null)
        {
            if (format == ExportFormat.Pdf) return new(issued.Pdf!, "application/pdf", FileName(unit, year, issued.Number, format));
            model = ReportModel.FromJson(issued.SnapshotJson!);
        }
        else
        {
            progress?.Report("Tổng hợp số liệu toàn bộ cây tổ chức…");
            var draft = await db.Reports.AsNoTracking().Where(r => r.OrgUnitId == unit.Id && r.Year == year && r.Status == ReportStatus.Draft)
                .OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct)
                ?? new Report { OrgUnitId = unit.Id, Year = year, Place = await PlaceAsync(db, unit, ct) };
            model = await ModelAsync(db, unit, draft, db.Clock.Today, ct);
        }
        progress?.Report($"Tạo tệp {format.ToString().ToLowerInvariant()} ({model.Annex.Count} đơn vị trong phụ lục)…");
        return format switch
        {
            ExportFormat.Pdf => new(ReportDocument.Render(model), "application/pdf", FileName(unit, year, issued?.Number, format)),
            ExportFormat.Xlsx => new(ReportExports.Xlsx(model), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", FileName(unit, year, issued?.Number, format)),
            _ => new(ReportExports.Csv(model), "text/csv; charset=utf-8", FileName(unit, year, issued?.Number, format)),
        };
    }

    public static string FileName(OrgUnit unit, int year, int? number, ExportFormat f) =>
        $"bao-cao-{unit.Code}-{year}{(number is int n ? "-so-" + n : "-du-thao")}.{f.ToString().ToLowerInvariant()}";
}

using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Reports;

public sealed class ReportIssuanceTests(ReportAppFactory app) : IClassFixture<ReportAppFactory>
{
    [Fact]
    public async Task An_issued_report_is_numbered_and_its_bytes_do_not_change_after_a_data_correction_while_a_correction_gets_a_new_number()
    {
        var ct = CancellationToken.None;
        var issued = await app.DbAsync(async db =>
        {
            var unit = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP");
            var draft = await YearEndReports.DraftAsync(db, unit, ReportData.Year, ct);
            draft.SignerName = "Trần Thị Hà";
            return await YearEndReports.IssueAsync(db, unit, draft, new DateOnly(2025, 12, 22), ct);
        });
        Assert.Equal((1, "BC/TU", ReportStatus.Issued), (issued.Number, issued.Symbol, issued.Status));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(issued.Pdf!)), issued.PdfSha256);
        var before = await IndependentCount.ForAsync(app.ConnectionString, "TQ-TP");
        Assert.Contains($"Số 1-BC/TU", await PdfText.ExtractAsync(issued.Pdf!));

        // A data correction after issuance: a pending pledge is verified as done.
        await app.DbAsync(async db =>
        {
            var unitPath = await db.OrgUnits.Where(u => u.Code == "TQ-TP").Select(u => u.Path).SingleAsync();
            var p = await db.Pledges.FirstAsync(x => x.Year == ReportData.Year && x.Status == PledgeStatus.InProgress && x.BranchId == db.OrgUnits.Single(u => u.Code == "TQ-TP-PT-TDP1").Id);
            p.Status = PledgeStatus.Done;
            await db.SaveChangesAsync();
        });

        var (reprint, csv, draftCsv) = await app.DbAsync(async db =>
        {
            var unit = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP");
            var stored = await YearEndReports.IssuedAsync(db, unit.Id, ReportData.Year, 1, ct);
            var pdf = await YearEndReports.ExportAsync(db, unit, ReportData.Year, ExportFormat.Pdf, stored, ct);
            var csv = await YearEndReports.ExportAsync(db, unit, ReportData.Year, ExportFormat.Csv, stored, ct);
            var draftCsv = await YearEndReports.ExportAsync(db, unit, ReportData.Year, ExportFormat.Csv, null, ct);
            return (pdf.Bytes, System.Text.Encoding.UTF8.GetString(csv.Bytes), System.Text.Encoding.UTF8.GetString(draftCsv.Bytes));
        });
        Assert.Equal(issued.Pdf, reprint);
        Assert.Equal(before["pledges_done"].ToString(), CsvTable.Parse(csv).Value("Việc làm theo hoàn thành", ("Mã", "TQ-TP"), ("Cấp", "0")));
        Assert.Equal((before["pledges_done"] + 1).ToString(), CsvTable.Parse(draftCsv).Value("Việc làm theo hoàn thành", ("Mã", "TQ-TP"), ("Cấp", "0")));

        var corrected = await app.DbAsync(async db =>
        {
            var unit = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP");
            var old = await db.Reports.SingleAsync(r => r.Id == issued.Id);
            var draft = await YearEndReports.CorrectAsync(db, old, ct);
            return await YearEndReports.IssueAsync(db, unit, draft, new DateOnly(2025, 12, 29), ct);
        });
        Assert.Equal((2, issued.Id), (corrected.Number, corrected.ReplacesReportId));
        var text = await PdfText.ExtractAsync(corrected.Pdf!);
        Assert.Contains("thay thế Báo cáo số 1-BC/TU ngày 22/12/2025", System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " "));
        var firstAgain = await app.DbAsync(db => db.Reports.Where(r => r.Id == issued.Id).Select(r => r.Pdf).SingleAsync());
        Assert.Equal(issued.Pdf, firstAgain);
    }
}

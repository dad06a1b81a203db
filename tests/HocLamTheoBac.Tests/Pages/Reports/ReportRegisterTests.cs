using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Tests.Pages.Reports;

public sealed class ReportRegisterTests(AppFactory app) : IClassFixture<AppFactory>
{
    private async Task IssueAsync(string code, int number, string sha) => await app.DbAsync(async db =>
    {
        db.Reports.Add(new Report
        {
            OrgUnitId = await app.OrgIdAsync(code), Year = 2025, Status = ReportStatus.Issued, Number = number, Symbol = "BC/ĐU",
            IssuedOn = new DateOnly(2025, 12, 15), PdfSha256 = sha,
        });
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task The_register_lists_issued_reports_of_the_users_subtree_only_and_searches_by_number_unit_and_hash()
    {
        await IssueAsync("TQ-TP-PT", 41, "aa11" + new string('0', 60));
        await IssueAsync("TQ-YS", 42, "bb22" + new string('0', 60));
        var city = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var html = WebUtility.HtmlDecode(await city.HtmlAsync("/Reports/Register"));
        Assert.Contains("Số 41-BC/ĐU", html);
        Assert.Contains("15/12/2025", html);
        Assert.Contains("aa11" + new string('0', 60), html);
        Assert.DoesNotContain("Số 42-BC/ĐU", html);

        var province = await app.SignedInAsync("tuyengiao@hlb.local");
        Assert.Contains("Số 42-BC/ĐU", WebUtility.HtmlDecode(await province.HtmlAsync("/Reports/Register")));
        var byHash = WebUtility.HtmlDecode(await province.HtmlAsync("/Reports/Register?q=bb22"));
        Assert.Contains("Số 42-BC/ĐU", byHash);
        Assert.DoesNotContain("Số 41-BC/ĐU", byHash);
        Assert.Contains("Số 41-BC/ĐU", WebUtility.HtmlDecode(await province.HtmlAsync("/Reports/Register?q=41")));
        Assert.Contains("Số 41-BC/ĐU", WebUtility.HtmlDecode(await province.HtmlAsync("/Reports/Register?q=Phan")));

        var member = await app.SignedInAsync("dangvien@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync("/Reports/Register")).StatusCode);
    }
}

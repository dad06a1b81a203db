using AngleSharp.Html.Parser;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Reports;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Tests.Pages.Reports;

/// <summary>The dashboard's second chart: five years of rates, drawn on the server, with the figures in a table.</summary>
public sealed class YearTrendTests(ReportAppFactory app) : IClassFixture<ReportAppFactory>
{
    [Fact]
    public async Task The_dashboard_shows_each_of_the_last_five_years_rates_as_an_svg_with_a_table_that_matches_an_independent_count()
    {
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var tq = await app.OrgIdAsync("TQ");
        var doc = new HtmlParser().ParseDocument(await client.HtmlAsync($"/Reports/{tq}/2025"));
        var svg = doc.QuerySelector(".trend-chart svg[role=img]")!;
        Assert.Equal("trend-title trend-desc", svg.GetAttribute("aria-labelledby"));
        Assert.Equal("Biểu đồ cột: tỷ lệ qua các năm 2021–2025", doc.GetElementById("trend-title")!.TextContent);
        var rows = doc.QuerySelectorAll("#trend-table tbody tr").ToList();
        Assert.Equal(["2021", "2022", "2023", "2024", "2025"], doc.QuerySelectorAll("#trend-table thead th").Skip(1).Select(th => th.TextContent));

        var c = await IndependentCount.ForAsync(app.ConnectionString, "TQ", 2025);
        var pledgeRow = rows.Single(r => r.QuerySelector("th")!.TextContent == "Việc làm theo hoàn thành");
        Assert.Equal(new Rate(c["pledges_done"], c["pledges_registered"]).ToString(), pledgeRow.QuerySelector("[data-trend='2025']")!.TextContent);
        var planRow = rows.Single(r => r.QuerySelector("th")!.TextContent == "Đảng viên có kế hoạch cá nhân");
        Assert.Equal(new Rate(c["with_plan"], c["members"]).ToString(), planRow.QuerySelector("[data-trend='2025']")!.TextContent);
        // A year without pledges has no bar and a dash in the table.
        Assert.Equal(Rate.None, pledgeRow.QuerySelector("[data-trend='2021']")!.TextContent);
        // A year with nothing recorded reads "—" in every row, the plan rate too (its members alone made it "0,0 %").
        Assert.All(rows, r => Assert.Equal(Rate.None, r.QuerySelector("[data-trend='2021']")!.TextContent));
        Assert.Contains("Năm 2021: Đảng viên có kế hoạch cá nhân —", doc.GetElementById("trend-desc")!.TextContent);
        Assert.Contains($"Năm 2025: Đảng viên có kế hoạch cá nhân {new Rate(c["with_plan"], c["members"])}", doc.GetElementById("trend-desc")!.TextContent);
        var bars = svg.QuerySelectorAll("rect.trend-pledges").Select(r => r.QuerySelector("title")!.TextContent).ToList();
        Assert.Contains(bars, b => b == $"Việc làm theo hoàn thành năm 2025: {new Rate(c["pledges_done"], c["pledges_registered"])}");
        Assert.DoesNotContain(bars, b => b.Contains("năm 2021"));
    }

    [Fact]
    public async Task The_dashboards_member_list_is_in_vietnamese_name_order()
    {
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var doc = new HtmlParser().ParseDocument(await client.HtmlAsync($"/Reports/{tdp1}/2025"));
        var names = doc.QuerySelectorAll("a[href^='/Members/Edit/']").Select(a => a.TextContent.Trim()).ToList();
        Assert.True(names.Count > 5);
        Assert.Equal(names.Order(VietnameseText.NameComparer).ToList(), names);
    }
}

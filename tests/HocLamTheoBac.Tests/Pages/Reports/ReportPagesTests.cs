using System.Net;
using AngleSharp.Html.Parser;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Reports;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Reports;

public sealed class ReportPagesTests(ReportAppFactory app) : IClassFixture<ReportAppFactory>
{
    [Fact]
    public async Task The_dashboard_shows_the_same_figures_as_an_independent_count_and_links_down_to_the_branches()
    {
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var tq = await app.OrgIdAsync("TQ");
        var doc = new HtmlParser().ParseDocument(await client.HtmlAsync($"/Reports/{tq}/2025"));
        var c = await IndependentCount.ForAsync(app.ConnectionString, "TQ");
        string Figure(string name) => doc.QuerySelector($"[data-figure={name}]")!.TextContent.Trim();
        Assert.Equal(new Rate(c["pledges_done"], c["pledges_registered"]).WithFraction(), Figure("pledges"));
        Assert.Equal(new Rate(c["with_plan"], c["members"]).WithFraction(), Figure("plan"));
        Assert.Equal(new Rate(c["collective_done"], c["collective_registered"]).WithFraction(), Figure("collective"));
        Assert.NotNull(doc.QuerySelector("canvas[data-chart]"));
        Assert.Contains(doc.QuerySelectorAll("a"), a => a.TextContent == "Thành ủy Tuyên Quang");

        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var branch = await client.HtmlAsync($"/Reports/{tdp1}/2025");
        Assert.Contains("Đảng viên của chi bộ", branch);
        Assert.Contains("/Members/Edit/", branch);
    }

    [Fact]
    public async Task A_year_outside_the_years_the_system_keeps_is_refused_instead_of_showing_another_year()
    {
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var tq = await app.OrgIdAsync("TQ");
        // The report pages say why (ReportAddressFilter, ADR 0021: a refused address answers 400 with the reason).
        await AssertRefusedAsync(client, $"/Reports/{tq}/1900", "Năm 1900 nằm ngoài các năm của hệ thống: năm phải từ 2000 đến 2100.");
        await AssertRefusedAsync(client, "/Reports?year=3000", "Năm 3000 nằm ngoài các năm của hệ thống: năm phải từ 2000 đến 2100.");
        await AssertRefusedAsync(client, $"/Reports/Draft/{tq}/2101", "Năm 2101 nằm ngoài các năm của hệ thống");
        await AssertRefusedAsync(client, $"/Reports/Download/{tq}/1999/csv", "Năm 1999 nằm ngoài các năm của hệ thống");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/Reports/{tq}/2025")).StatusCode);

        // The secretary's grid and the member's page keep to the same years: no forms for the year 3000, and the reason said.
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        foreach (var year in new[] { PlanYearRange.First - 1, PlanYearRange.Last + 1, 3000 })
            await AssertRefusedAsync(secretary, $"/Pledges/Branch/{tdp1}?year={year}", $"Năm {year} nằm ngoài các năm của hệ thống");
        Assert.Equal(HttpStatusCode.OK, (await secretary.GetAsync($"/Pledges/Branch/{tdp1}?year={PlanYearRange.Last}")).StatusCode);
    }

    [Fact]
    public async Task A_draft_says_which_written_sections_are_still_to_be_written_section_IV_included()
    {
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var tq = await app.OrgIdAsync("TQ");
        var pdf = await client.GetByteArrayAsync($"/Reports/Download/{tq}/2025/pdf");
        var text = await PdfText.ExtractAsync(pdf);
        var iv = text.IndexOf("IV. PHƯƠNG HƯỚNG", StringComparison.Ordinal);
        Assert.True(iv > 0, "section IV is printed");
        Assert.Contains("(Nội dung do cấp ủy bổ sung trước khi ban hành.)", text[iv..]);
    }

    [Fact]
    public async Task A_user_cannot_see_or_download_a_report_outside_their_subtree()
    {
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var ys = await app.OrgIdAsync("TQ-YS");
        var tp = await app.OrgIdAsync("TQ-TP");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Reports/{ys}/2025")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Reports/Download/{ys}/2025/pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Reports/Draft/{ys}/2025")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/Reports/{tp}/2025")).StatusCode);

        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        Assert.Equal(HttpStatusCode.OK, (await secretary.GetAsync($"/Reports/{tdp1}/2025")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await secretary.GetAsync($"/Reports/Draft/{tdp1}/2025")).StatusCode); // may view, not issue
        Assert.Equal(HttpStatusCode.NotFound, (await secretary.GetAsync($"/Reports/Download/{tp}/2025/csv")).StatusCode);
    }

    [Fact]
    public async Task The_dashboards_trail_starts_at_the_users_own_unit_and_only_those_who_may_issue_see_the_issue_link()
    {
        var (tq, tp, pt, tdp1) = (await app.OrgIdAsync("TQ"), await app.OrgIdAsync("TQ-TP"), await app.OrgIdAsync("TQ-TP-PT"), await app.OrgIdAsync("TQ-TP-PT-TDP1"));
        var names = await app.DbAsync(db => db.OrgUnits.Where(u => u.Id == tq || u.Id == tp || u.Id == pt || u.Id == tdp1).ToDictionaryAsync(u => u.Id, u => u.Name));
        async Task AssertViewAsync(string email, int[] trail, bool issue)
        {
            var client = await app.SignedInAsync(email);
            var doc = new HtmlParser().ParseDocument(await client.HtmlAsync($"/Reports/{tdp1}/2025"));
            Assert.Equal(trail.Select(i => ($"/Reports/{i}/2025", names[i])), doc.QuerySelectorAll("ol.breadcrumb a").Select(a => (a.GetAttribute("href")!, a.TextContent)));
            Assert.Equal(issue, doc.QuerySelectorAll("a").Any(a => a.TextContent == "Soạn và ban hành báo cáo"));
        }

        // The province's staff: from the province down, may issue.
        await AssertViewAsync("tuyengiao@hlb.local", [tq, tp, pt, tdp1], true);
        // The city's staff: from the city down (the province is outside their subtree), may issue.
        await AssertViewAsync("tuyengiao.tp@hlb.local", [tp, pt, tdp1], true);
        // The branch's secretary: the branch alone, may view but not issue.
        await AssertViewAsync("bithu@hlb.local", [tdp1], false);
    }

    [Fact]
    public async Task Staff_issue_the_report_through_the_form_and_download_the_frozen_PDF()
    {
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var tp = await app.OrgIdAsync("TQ-TP");
        var missingSigner = await client.PostFormAsync($"/Reports/Draft/{tp}/2025?handler=Issue", new() { ["Input.SignerName"] = "" }, $"/Reports/Draft/{tp}/2025");
        Assert.Equal(HttpStatusCode.OK, missingSigner.StatusCode);
        Assert.Contains("Vui lòng nhập họ tên người ký.", await missingSigner.Content.ReadAsStringAsync());
        // The walk of session 19: 320.000 characters of "Ưu điểm" went into the draft and the PDF.
        var huge = await client.PostFormAsync($"/Reports/Draft/{tp}/2025?handler=Issue", new()
        {
            ["Input.SignerName"] = "Trần Thị Hà", ["Input.Strengths"] = new string('a', 20_001), ["Input.Limitations"] = "Còn chậm.", ["Input.Direction"] = "Tiếp tục.", ["Input.Version"] = "0",
        }, $"/Reports/Draft/{tp}/2025");
        Assert.Equal(HttpStatusCode.OK, huge.StatusCode);
        Assert.Contains("Ưu điểm: tối đa 20.000 ký tự.", WebUtility.HtmlDecode(await huge.Content.ReadAsStringAsync()));
        Assert.Contains("Còn chậm.", WebUtility.HtmlDecode(await huge.Content.ReadAsStringAsync()));
        Assert.False(await app.DbAsync(db => db.Reports.AnyAsync(x => x.OrgUnitId == tp && x.Status == ReportStatus.Issued)));

        var r = await client.PostFormAsync($"/Reports/Draft/{tp}/2025?handler=Issue", new()
        {
            ["Input.SignerName"] = "Trần Thị Hà", ["Input.Strengths"] = "Cấp ủy quan tâm.", ["Input.Place"] = "Tuyên Quang", ["Input.Version"] = "0",
        }, $"/Reports/Draft/{tp}/2025");
        // "2. Hạn chế" and "IV. Phương hướng" still empty: not issued, the page says which parts to write and keeps the text.
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var refused = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains("Chưa thể ban hành báo cáo: còn trống phần “2. Hạn chế”, “IV. Phương hướng, nhiệm vụ”.", refused);
        Assert.DoesNotContain("“1. Ưu điểm”", refused);
        Assert.Contains("Cấp ủy quan tâm.", refused);
        Assert.False(await app.DbAsync(db => db.Reports.AnyAsync(x => x.OrgUnitId == tp && x.Status == ReportStatus.Issued)));

        r = await client.PostFormAsync($"/Reports/Draft/{tp}/2025?handler=Issue", new()
        {
            ["Input.SignerName"] = "Trần Thị Hà", ["Input.Strengths"] = "Cấp ủy quan tâm.", ["Input.Limitations"] = "Một số chi bộ chậm cập nhật.",
            ["Input.Direction"] = "Tiếp tục đẩy mạnh việc làm theo.", ["Input.Place"] = "Tuyên Quang", ["Input.Version"] = "0",
        }, $"/Reports/Draft/{tp}/2025");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var page = await client.HtmlAsync($"/Reports/{tp}/2025");
        Assert.Contains("Số 1-BC/TU", page);
        var pdf = await client.GetAsync($"/Reports/Download/{tp}/2025/pdf?number=1");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        var stored = await app.DbAsync(db => db.Reports.Where(x => x.OrgUnitId == tp && x.Number == 1).Select(x => x.Pdf).SingleAsync());
        Assert.Equal(stored, bytes);
        Assert.Contains("Trần Thị Hà", await PdfText.ExtractAsync(bytes));
    }

    [Fact]
    public async Task A_refused_period_keeps_the_typed_years_in_the_boxes_marked_invalid()
    {
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var tp = await app.OrgIdAsync("TQ-TP-PT");
        foreach (var (from, to, message) in new[] { (2026, 2022, "Năm bắt đầu phải trước năm kết thúc"), (2015, 2026, "tối đa 10 năm") })
        {
            var doc = new HtmlParser().ParseDocument(await client.HtmlAsync($"/Reports/{tp}/2025?from={from}&to={to}"));
            Assert.Contains(message, doc.QuerySelector("[role=alert]")!.TextContent);
            Assert.Equal(from.ToString(), doc.QuerySelector("#from")!.GetAttribute("value"));
            Assert.Equal(to.ToString(), doc.QuerySelector("#to")!.GetAttribute("value"));
            Assert.Equal("true", doc.QuerySelector("#from")!.GetAttribute("aria-invalid"));
            Assert.Contains("is-invalid", doc.QuerySelector("#to")!.ClassName);
        }
    }

    [Fact]
    public async Task Staff_pick_a_period_issue_its_review_with_its_own_number_and_cannot_for_a_unit_outside_their_subtree()
    {
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var tp = await app.OrgIdAsync("TQ-TP-PT"); // a ward: the year-end tests number the city's reports
        var ys = await app.OrgIdAsync("TQ-YS");
        Assert.Contains("Năm bắt đầu phải trước năm kết thúc", await client.HtmlAsync($"/Reports/{tp}/2025?from=2025&to=2021"));
        Assert.Contains("tối đa 10 năm", await client.HtmlAsync($"/Reports/{tp}/2025?from=2001&to=2025"));
        var page = await client.HtmlAsync($"/Reports/{tp}/2025?from=2021&to=2025");
        Assert.Contains($"/Reports/Draft/{tp}/2025?from=2021", page);
        Assert.Contains($"/Reports/Download/{tp}/2025/csv?from=2021", page);

        var draftPage = await client.HtmlAsync($"/Reports/Draft/{tp}/2025?from=2021");
        Assert.Contains("giai đoạn 2021–2025", draftPage);
        var r = await client.PostFormAsync($"/Reports/Draft/{tp}/2025?handler=Issue", new()
        {
            ["Input.SignerName"] = "Trần Thị Hà", ["Input.Version"] = "0", ["from"] = "2021",
            ["Input.Strengths"] = "Cấp ủy quan tâm.", ["Input.Limitations"] = "Còn chậm.", ["Input.Direction"] = "Tiếp tục.",
        }, $"/Reports/Draft/{tp}/2025?from=2021");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var stored = await app.DbAsync(db => db.Reports.Where(x => x.OrgUnitId == tp && x.FirstYear == 2021 && x.Status == ReportStatus.Issued).SingleAsync());
        Assert.Equal(2025, stored.Year);
        var pdf = await client.GetAsync($"/Reports/Download/{tp}/2025/pdf?number={stored.Number}&from=2021");
        Assert.Equal(stored.Pdf, await pdf.Content.ReadAsByteArrayAsync());
        Assert.Contains("Giai đoạn 2021–2025", System.Text.RegularExpressions.Regex.Replace(await PdfText.ExtractAsync(stored.Pdf!), @"\s+", " "));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Reports/Download/{tp}/2025/pdf?number={stored.Number}")).StatusCode); // not a year-end report

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Reports/Download/{ys}/2025/pdf?from=2021")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Reports/Draft/{ys}/2025?from=2021")).StatusCode);
        await AssertRefusedAsync(client, $"/Reports/Download/{tp}/2025/pdf?from=2010", "Không lập được báo cáo giai đoạn 2010–2025: Một kỳ sơ kết, tổng kết dài tối đa 10 năm.");
        await AssertRefusedAsync(client, $"/Reports/Draft/{tp}/2025?from=2025", "Không lập được báo cáo giai đoạn 2025–2025: Năm bắt đầu phải trước năm kết thúc");
    }

    /// <summary>
    /// Found by the walks of sessions 8–9: "year=abc" showed the current year's dashboard, "from=abc" the year-end draft
    /// and its downloads, "number=abc" the draft instead of an issued report — each a page the user did not ask for,
    /// with nothing said. The app never writes such an address: it is refused, 400, with which value is wrong.
    /// </summary>
    [Fact]
    public async Task A_year_or_number_in_a_report_address_that_is_not_a_number_is_refused_with_a_Vietnamese_reason()
    {
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var tq = await app.OrgIdAsync("TQ");
        await AssertRefusedAsync(client, $"/Reports/{tq}?year=abc", "Năm “abc” trong địa chỉ không phải là số. Năm phải từ 2000 đến 2100, ví dụ 2025.");
        await AssertRefusedAsync(client, "/Reports?year=2025x", "Năm “2025x” trong địa chỉ không phải là số");
        await AssertRefusedAsync(client, $"/Reports/{tq}/2025?from=abc&to=2025", "Năm bắt đầu giai đoạn “abc” trong địa chỉ không phải là số");
        await AssertRefusedAsync(client, $"/Reports/{tq}/2025?from=2021&to=abc", "Năm kết thúc giai đoạn “abc” trong địa chỉ không phải là số");
        await AssertRefusedAsync(client, $"/Reports/Draft/{tq}/2025?from=abc", "Năm bắt đầu giai đoạn “abc” trong địa chỉ không phải là số");
        await AssertRefusedAsync(client, $"/Reports/Download/{tq}/2025/xlsx?from=abc", "Năm bắt đầu giai đoạn “abc” trong địa chỉ không phải là số");
        await AssertRefusedAsync(client, $"/Reports/Download/{tq}/2025/pdf?number=abc", "Số báo cáo “abc” trong địa chỉ không phải là số.");
        // What the app's own links and forms send still answers.
        foreach (var url in new[] { $"/Reports/{tq}/2025?from=2021&to=2025", $"/Reports/Draft/{tq}/2025?from=2021", $"/Reports/Download/{tq}/2025/csv?from=2021", "/Reports/Register?q=&year=", $"/Reports/{tq}?from=&to=" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);
    }

    /// <summary>The register's year is a box of its form: a year outside the system's is said on the page (200, the box marked), not dropped.</summary>
    [Fact]
    public async Task A_year_typed_in_the_register_outside_the_systems_years_is_said_on_the_page_not_ignored()
    {
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var r = await client.GetAsync("/Reports/Register?q=&year=1990");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var doc = new HtmlParser().ParseDocument(await r.Content.ReadAsStringAsync());
        Assert.Equal("Năm 1990 nằm ngoài các năm của hệ thống: năm phải từ 2000 đến 2100.", doc.QuerySelector("#year-error")!.TextContent);
        var box = doc.QuerySelector("input#year")!;
        Assert.Equal(("1990", "true"), (box.GetAttribute("value"), box.GetAttribute("aria-invalid")));
        Assert.Contains("is-invalid", box.ClassName);
        Assert.Null(doc.QuerySelector("#register")); // not every year's reports, as if no year had been typed
    }

    internal static async Task AssertRefusedAsync(HttpClient client, string url, string reason)
    {
        var r = await client.GetAsync(url);
        var html = System.Net.WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.True(r.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)r.StatusCode}");
        Assert.Contains("Địa chỉ không hợp lệ", html);
        Assert.Contains(reason, html);
    }
    /// <summary>The attack walk of session 13: a second tab's form issued a second report, replacing nothing, after the first
    /// tab had issued the draft (also after a correction). Now the stale form is told so and nothing more is issued.</summary>
    [Fact]
    public async Task A_second_tab_cannot_issue_again_what_the_first_tab_issued()
    {
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var ys = await app.OrgIdAsync("TQ-YS");
        var url = $"/Reports/Draft/{ys}/2024";
        Task<int> IssuedAsync() => app.DbAsync(db => db.Reports.CountAsync(x => x.OrgUnitId == ys && x.Year == 2024 && x.FirstYear == null && x.Status == ReportStatus.Issued));
        async Task<Dictionary<string, string>> FormAsync()
        {
            var doc = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.HtmlAsync(url));
            return new()
            {
                ["Input.SignerName"] = "Trần Thị Hà", ["Input.Strengths"] = "Ưu điểm do thẻ này viết.", ["Input.Limitations"] = "Còn chậm.",
                ["Input.Direction"] = "Tiếp tục.", ["Input.Place"] = "Yên Sơn",
                ["Input.Version"] = doc.QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!,
                ["Input.IssuedSeen"] = doc.QuerySelector("input[name='Input.IssuedSeen']")!.GetAttribute("value")!,
            };
        }
        var before = await IssuedAsync();
        var (tabA, tabB) = (await FormAsync(), await FormAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"{url}?handler=Issue", tabA, url)).StatusCode);
        Assert.Equal(before + 1, await IssuedAsync());
        var stale = await client.PostFormAsync($"{url}?handler=Issue", tabB, url);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        var html = WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync());
        Assert.Contains("Dự thảo này vừa được ban hành hoặc thay đổi ở nơi khác", html);
        Assert.Contains("Ưu điểm do thẻ này viết.", html);
        Assert.Equal(before + 1, await IssuedAsync());

        // A correction opened, then issued from one tab: the other tab's form of that draft is refused too.
        var number = await app.DbAsync(db => db.Reports.Where(x => x.OrgUnitId == ys && x.Year == 2024 && x.FirstYear == null && x.Status == ReportStatus.Issued).MaxAsync(x => x.Number));
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"{url}?handler=Correct&number={number}", new(), $"/Reports/{ys}/2024")).StatusCode);
        (tabA, tabB) = (await FormAsync(), await FormAsync());
        Assert.NotEqual("0", tabA["Input.Version"]);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"{url}?handler=Issue", tabA, url)).StatusCode);
        Assert.Equal(before + 2, await IssuedAsync());
        stale = await client.PostFormAsync($"{url}?handler=Issue", tabB, url);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("Dự thảo này vừa được ban hành hoặc thay đổi ở nơi khác", WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync()));
        Assert.Equal(before + 2, await IssuedAsync());
        Assert.False(await app.DbAsync(db => db.Reports.AnyAsync(x => x.OrgUnitId == ys && x.Year == 2024 && x.FirstYear == null && x.Status == ReportStatus.Draft)));

        // Issued again from there, on purpose: a correction of the report in force, never a second one beside it (the second walk).
        var latest = await app.DbAsync(db => db.Reports.Where(x => x.OrgUnitId == ys && x.Year == 2024 && x.FirstYear == null && x.Status == ReportStatus.Issued).OrderByDescending(x => x.Number).Select(x => new { x.Id, x.Number }).FirstAsync());
        var again = await FormAsync();
        Assert.Contains($"Dự thảo này thay thế Báo cáo số {latest.Number}", WebUtility.HtmlDecode(await client.HtmlAsync(url)));
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"{url}?handler=Issue", again, url)).StatusCode);
        Assert.Equal(latest.Id, await app.DbAsync(db => db.Reports.Where(x => x.OrgUnitId == ys && x.Year == 2024 && x.FirstYear == null && x.Status == ReportStatus.Issued).OrderByDescending(x => x.Number).Select(x => x.ReplacesReportId).FirstAsync()));
    }

    /// <summary>The second walk of session 13: an issued report replaced by a newer one was listed as if in force and still
    /// offered "Đính chính" (which made a second report beside the one in force); the register's link to a period report
    /// left out its first year and answered 404.</summary>
    [Fact]
    public async Task A_replaced_report_is_marked_so_and_its_correction_replaces_the_report_in_force()
    {
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var ys = await app.OrgIdAsync("TQ-YS");
        async Task<(int Id, int Number)> IssueAsync(string url)
        {
            var doc = new HtmlParser().ParseDocument(await client.HtmlAsync(url));
            var form = new Dictionary<string, string>
            {
                ["Input.SignerName"] = "Trần Thị Hà", ["Input.Strengths"] = "Ưu điểm.", ["Input.Limitations"] = "Còn chậm.",
                ["Input.Direction"] = "Tiếp tục.", ["Input.Place"] = "Yên Sơn",
                ["Input.Version"] = doc.QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!,
                ["Input.IssuedSeen"] = doc.QuerySelector("input[name='Input.IssuedSeen']")!.GetAttribute("value")!,
            };
            Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(url.Replace("?", "?handler=Issue&") + (url.Contains('?') ? "" : "?handler=Issue"), form, url)).StatusCode);
            return await app.DbAsync(db => db.Reports.Where(x => x.OrgUnitId == ys && x.Status == ReportStatus.Issued).OrderByDescending(x => x.Id).Select(x => new ValueTuple<int, int>(x.Id, x.Number!.Value)).FirstAsync());
        }
        var first = await IssueAsync($"/Reports/Draft/{ys}/2023");
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/Reports/Draft/{ys}/2023?handler=Correct&number={first.Number}", new(), $"/Reports/{ys}/2023")).StatusCode);
        var second = await IssueAsync($"/Reports/Draft/{ys}/2023");

        var list = new HtmlParser().ParseDocument(await client.HtmlAsync($"/Reports/{ys}/2023"));
        var items = list.QuerySelectorAll("li").Where(li => li.QuerySelector("a[href*='/pdf?number=']") is not null).ToList();
        var old = items.Single(li => li.QuerySelector("a")!.TextContent.StartsWith($"Số {first.Number}-", StringComparison.Ordinal));
        var inForce = items.Single(li => li.QuerySelector("a")!.TextContent.StartsWith($"Số {second.Number}-", StringComparison.Ordinal));
        Assert.Contains($"(đã được thay thế bởi số {second.Number}, không còn hiệu lực)", old.TextContent);
        Assert.Null(old.QuerySelector("form"));
        Assert.DoesNotContain("thay thế bởi", inForce.TextContent);
        Assert.Contains("Đính chính (số mới)", inForce.QuerySelector("form")!.TextContent);

        // The old form, posted anyway (a page open since before): the correction replaces the report in force, said so.
        var posted = await client.PostFormAsync($"/Reports/Draft/{ys}/2023?handler=Correct&number={first.Number}", new(), $"/Reports/{ys}/2023");
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var draftPage = WebUtility.HtmlDecode(await client.HtmlAsync($"/Reports/Draft/{ys}/2023"));
        Assert.Contains($"Báo cáo số {first.Number} đã được thay thế bởi Báo cáo số {second.Number}", draftPage);
        Assert.Equal(second.Id, await app.DbAsync(db => db.Reports.Where(x => x.OrgUnitId == ys && x.Year == 2023 && x.Status == ReportStatus.Draft).Select(x => x.ReplacesReportId).SingleAsync()));

        // The register: the replaced one marked, and every download link answers, a period report's too.
        var period = await IssueAsync($"/Reports/Draft/{ys}/2025?from=2021");
        var register = new HtmlParser().ParseDocument(await client.HtmlAsync("/Reports/Register?q=TQ-YS&year="));
        var rows = register.QuerySelectorAll("#register tbody tr").ToList();
        Assert.Contains(rows, r => r.TextContent.Contains($"Số {first.Number}-") && r.TextContent.Contains($"(đã được thay thế bởi số {second.Number})"));
        Assert.Contains(rows, r => r.TextContent.Contains("2021–2025"));
        foreach (var href in rows.Select(r => r.QuerySelector("a")!.GetAttribute("href")!))
        {
            var r = await client.GetAsync(href);
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"{href}: {(int)r.StatusCode}");
            Assert.Equal("application/pdf", r.Content.Headers.ContentType?.MediaType);
        }
        Assert.Contains(rows, r => r.QuerySelector("a")!.GetAttribute("href")!.EndsWith($"number={period.Number}&from=2021", StringComparison.Ordinal));

        // The register's search (the walks of session 14): a label as the list shows it, a year inside a period, and % / _
        // as letters, not wildcards.
        var label = rows.Select(r => r.QuerySelector("a")!.TextContent.Trim()).First(t => t.StartsWith($"Số {second.Number}-", StringComparison.Ordinal));
        var byLabel = new HtmlParser().ParseDocument(await client.HtmlAsync($"/Reports/Register?q={Uri.EscapeDataString(label)}&year=2023")).QuerySelectorAll("#register tbody tr > td:first-child > a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Contains(label, byLabel);
        Assert.All(byLabel, t => Assert.StartsWith($"Số {second.Number}-", t));
        var inPeriod = new HtmlParser().ParseDocument(await client.HtmlAsync("/Reports/Register?q=TQ-YS&year=2023")).QuerySelector("#register")!.TextContent;
        Assert.Contains("2021–2025", inPeriod);
        foreach (var wildcard in new[] { "_", "%" })
            Assert.Null(new HtmlParser().ParseDocument(await client.HtmlAsync($"/Reports/Register?q={Uri.EscapeDataString(wildcard)}&year=")).QuerySelector("#register tbody tr"));
    }

    /// <summary>Two tabs editing one draft: the second save is told, keeps what it typed and overwrites nothing; saved again
    /// (the form now carries the draft's current version) it goes through.</summary>
    [Fact]
    public async Task A_draft_edited_in_two_tabs_keeps_both_texts_and_overwrites_nothing()
    {
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var tp = await app.OrgIdAsync("TQ-TP");
        var url = $"/Reports/Draft/{tp}/2024";
        async Task<Dictionary<string, string>> FormAsync(string strengths)
        {
            var doc = new HtmlParser().ParseDocument(await client.HtmlAsync(url));
            return new()
            {
                ["Input.Strengths"] = strengths, ["Input.Place"] = "Tuyên Quang", ["Input.SignerName"] = "Nguyễn Văn Bình",
                ["Input.Version"] = doc.QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!,
                ["Input.IssuedSeen"] = doc.QuerySelector("input[name='Input.IssuedSeen']")!.GetAttribute("value")!,
            };
        }
        Task<string?> SavedAsync() => app.DbAsync(db => db.Reports.Where(x => x.OrgUnitId == tp && x.Year == 2024 && x.Status == ReportStatus.Draft).Select(x => x.Strengths).SingleOrDefaultAsync());
        // A draft to edit.
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"{url}?handler=Save", await FormAsync("Bản đầu."), url)).StatusCode);
        var (tabA, tabB) = (await FormAsync("Ưu điểm của thẻ A."), await FormAsync("Ưu điểm của thẻ B."));
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"{url}?handler=Save", tabA, url)).StatusCode);
        var stale = await client.PostFormAsync($"{url}?handler=Save", tabB, url);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        var doc = new HtmlParser().ParseDocument(await stale.Content.ReadAsStringAsync());
        Assert.Contains("Dự thảo vừa được sửa ở nơi khác nên chưa lưu nội dung của bạn", doc.Body!.TextContent);
        Assert.Equal("Ưu điểm của thẻ B.", doc.QuerySelector("textarea[name='Input.Strengths']")!.TextContent.Trim());
        Assert.Equal("Ưu điểm của thẻ A.", await SavedAsync());
        // What the other tab saved is shown beside the kept text (the walk of session 14: only the figures were).
        var elsewhere = doc.QuerySelector("#saved-elsewhere")!.TextContent;
        Assert.Contains("Ưu điểm", elsewhere);
        Assert.Contains("Ưu điểm của thẻ A.", elsewhere);
        Assert.DoesNotContain("Họ tên người ký", elsewhere);
        // Saved again from the page it was given: the draft's version now, so it goes through.
        tabB["Input.Version"] = doc.QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!;
        Assert.NotEqual(tabA["Input.Version"], tabB["Input.Version"]);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"{url}?handler=Save", tabB, url)).StatusCode);
        Assert.Equal("Ưu điểm của thẻ B.", await SavedAsync());
    }

    /// <summary>The attack walk of session 14: first saves sent at the same instant made two drafts, and the older one came
    /// back after the newer was issued and was issued beside it; reports were issued for 2030, for a year before the unit
    /// was founded and for a merged branch.</summary>
    [Fact]
    public async Task Concurrent_first_saves_make_one_draft_and_no_report_is_issued_for_a_year_not_begun()
    {
        var client = await app.SignedInAsync("tuyengiao@hlb.local");
        var tp = await app.OrgIdAsync("TQ-TP");
        var url = $"/Reports/Draft/{tp}/2022";
        Dictionary<string, string> Form(int i) => new()
        {
            ["Input.SignerName"] = $"Người {i}", ["Input.Strengths"] = "Ưu điểm.", ["Input.Limitations"] = "Hạn chế.", ["Input.Direction"] = "Tiếp tục.",
            ["Input.Version"] = "0", ["Input.IssuedSeen"] = "0",
        };
        var saves = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.PostFormAsync($"{url}?handler=Save", Form(i), url)));
        Assert.All(saves, r => Assert.True(r.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"{(int)r.StatusCode}"));
        Assert.Equal(1, await app.DbAsync(db => db.Reports.CountAsync(x => x.OrgUnitId == tp && x.Year == 2022 && x.Status == ReportStatus.Draft)));
        foreach (var r in saves.Where(r => r.StatusCode == HttpStatusCode.OK))
            Assert.Matches("Dự thảo (này vừa được ban hành hoặc thay đổi|vừa được sửa) ở nơi khác", WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));

        // A year not begun: said, nothing issued.
        var future = $"/Reports/Draft/{tp}/{TestClock.Today.Year + 1}";
        var refused = await client.PostFormAsync($"{future}?handler=Issue", Form(9), future);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains($"Chưa thể ban hành báo cáo năm {TestClock.Today.Year + 1}: năm {TestClock.Today.Year + 1} chưa bắt đầu.", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.False(await app.DbAsync(db => db.Reports.AnyAsync(x => x.OrgUnitId == tp && x.Year > TestClock.Today.Year && x.Status == ReportStatus.Issued)));
        // A year before the unit was founded.
        var founded = await app.DbAsync(db => db.OrgPlacements.Where(p => p.OrgUnitId == tp).MinAsync(p => p.ValidFrom));
        var before = $"/Reports/Draft/{tp}/{founded.Year - 1}";
        refused = await client.PostFormAsync($"{before}?handler=Issue", Form(9), before);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains($"được thành lập từ ngày {founded:dd/MM/yyyy}", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        Assert.False(await app.DbAsync(db => db.Reports.AnyAsync(x => x.OrgUnitId == tp && x.Year < founded.Year && x.Status == ReportStatus.Issued)));
    }
}

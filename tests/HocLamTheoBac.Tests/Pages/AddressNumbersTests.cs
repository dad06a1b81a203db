using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Reports;
using HocLamTheoBac.Tests.Reports;

namespace HocLamTheoBac.Tests.Pages;

/// <summary>
/// The walk of session 14: the grid's "?year=abc" showed the current year's grid with nothing said, the review page's
/// year 1999 answered the generic 404 and the problems' list silently showed today's year. A year in any page's
/// address that is not one, or that lies outside the system's years, is refused with the reason (ADR 0021).
/// </summary>
public sealed class AddressNumbersTests(ReportAppFactory app) : IClassFixture<ReportAppFactory>
{
    [Fact]
    public async Task A_year_in_any_pages_address_that_is_not_one_or_outside_the_systems_years_is_refused_with_the_reason()
    {
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        await ReportPagesTests.AssertRefusedAsync(secretary, $"/Pledges/Branch/{tdp1}?year=abc", "Năm “abc” trong địa chỉ không phải là số. Năm phải từ 2000 đến 2100, ví dụ 2025.");
        await ReportPagesTests.AssertRefusedAsync(secretary, $"/Pledges/Branch/{tdp1}?year=1999", "Năm 1999 nằm ngoài các năm của hệ thống: năm phải từ 2000 đến 2100.");
        await ReportPagesTests.AssertRefusedAsync(secretary, $"/Reviews/Branch/{tdp1}/1999", "Năm 1999 nằm ngoài các năm của hệ thống");
        await ReportPagesTests.AssertRefusedAsync(secretary, "/Pledges/Mine?year=2101", "Năm 2101 nằm ngoài các năm của hệ thống");
        await ReportPagesTests.AssertRefusedAsync(secretary, $"/Pledges/Branch/{tdp1}?year=99999999999", "Năm 99999999999 nằm ngoài các năm của hệ thống: năm phải từ 2000 đến 2100.");

        // In the path too (the walks of session 15: a route constraint answered the generic 404), and a forged form field is
        // not said to be "in the address".
        await ReportPagesTests.AssertRefusedAsync(secretary, $"/Reviews/Branch/{tdp1}/abc", "Năm “abc” trong địa chỉ không phải là số");
        await ReportPagesTests.AssertRefusedAsync(secretary, $"/Reviews/Branch/{tdp1}/99999999999", "Năm 99999999999 nằm ngoài các năm của hệ thống");
        var forged = await secretary.PostFormAsync($"/Pledges/Branch/{tdp1}?handler=Save", new() { ["Year"] = "abc" });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("Năm “abc” gửi lên không phải là số", WebUtility.HtmlDecode(await forged.Content.ReadAsStringAsync()));

        var board = await app.SignedInAsync("tuyengiao@hlb.local");
        var tq0 = await app.OrgIdAsync("TQ");
        await ReportPagesTests.AssertRefusedAsync(board, $"/Reports/{tq0}/abc", "Năm “abc” trong địa chỉ không phải là số");
        // The register's year is a number box of its form: what it sends is said on the page and kept in the box (200).
        foreach (var typed in new[] { "2025.0", "abc" })
        {
            var r = await board.GetAsync($"/Reports/Register?year={typed}");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
            Assert.Contains($"Năm “{typed}” không phải là một năm: hãy nhập năm từ 2000 đến 2100", html);
            Assert.Contains($"value=\"{typed}\"", html);
        }
        var tq = await app.OrgIdAsync("TQ");
        await ReportPagesTests.AssertRefusedAsync(board, $"/Problems?unitId={tq}&year=1999", "Năm 1999 nằm ngoài các năm của hệ thống");
        await ReportPagesTests.AssertRefusedAsync(board, $"/StudySessions?unitId={tq}&year=x", "Năm “x” trong địa chỉ không phải là số");

        // The years the app's own links carry still answer, and the register's year box says its own message (200).
        foreach (var (client, url) in new[] { (secretary, $"/Pledges/Branch/{tdp1}?year=2025"), (secretary, $"/Reviews/Branch/{tdp1}/2025"),
                     (board, $"/Problems?unitId={tq}&year=2025"), (board, $"/StudySessions?unitId={tq}"), (board, "/Reports/Register?year=1999") })
            Assert.True((await client.GetAsync(url)).StatusCode == HttpStatusCode.OK, url);
    }

    /// <summary>
    /// The walk of session 20: "year=" with nothing after it answered 400 on the grid and the plan page but the current
    /// year on the sessions, models and indicators. A year not given is the current year everywhere.
    /// </summary>
    [Fact]
    public async Task An_empty_year_in_the_address_is_the_current_year_on_every_page()
    {
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        static string Tokenless(string html) => System.Text.RegularExpressions.Regex.Replace(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]*\"", "");
        foreach (var page in new[] { $"/Pledges/Branch/{tdp1}", $"/Plans/Unit/{tdp1}", "/Pledges/Mine", $"/StudySessions?unitId={tdp1}", $"/Collective/Unit/{tdp1}" })
        {
            var join = page.Contains('?') ? "&" : "?";
            var empty = await secretary.GetAsync($"{page}{join}year=");
            Assert.True(empty.StatusCode == HttpStatusCode.OK, $"{page}{join}year= answered {(int)empty.StatusCode}");
            var current = await secretary.GetAsync($"{page}{join}year={TestClock.Year}");
            Assert.Equal(Tokenless(await current.Content.ReadAsStringAsync()), Tokenless(await empty.Content.ReadAsStringAsync()));
        }
    }

    /// <summary>The walk of session 21: "year=&amp;year=2025" bound the empty first value and was refused with a sentence about 2025.
    /// The app never writes a key twice: the refusal says so, in either order.</summary>
    [Fact]
    public async Task A_year_given_twice_in_the_address_is_refused_with_both_values_named()
    {
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        await ReportPagesTests.AssertRefusedAsync(secretary, $"/Pledges/Branch/{tdp1}?year=&year=2025", "Địa chỉ ghi năm 2 lần (“”, “2025”): mỗi giá trị chỉ được ghi một lần.");
        await ReportPagesTests.AssertRefusedAsync(secretary, $"/Pledges/Branch/{tdp1}?year=2025&year=", "Địa chỉ ghi năm 2 lần (“2025”, “”): mỗi giá trị chỉ được ghi một lần.");
        await ReportPagesTests.AssertRefusedAsync(secretary, $"/Pledges/Mine?Year=2025&year=2026", "Địa chỉ ghi năm 2 lần");
        Assert.Equal(HttpStatusCode.OK, (await secretary.GetAsync($"/Pledges/Branch/{tdp1}?year=2025")).StatusCode);
    }

    /// <summary>The attack of session 15: "p=abc" showed the first page with nothing said.</summary>
    [Fact]
    public async Task A_page_number_that_is_not_one_is_refused_and_one_out_of_the_lists_pages_shows_its_first_or_last_page()
    {
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        await ReportPagesTests.AssertRefusedAsync(secretary, $"/Pledges/Branch/{tdp1}?pg=abc", "Số trang “abc” trong địa chỉ không phải là số.");
        await ReportPagesTests.AssertRefusedAsync(secretary, $"/Members?org={tdp1}&p=1x", "Số trang “1x” trong địa chỉ không phải là số.");
        await ReportPagesTests.AssertRefusedAsync(secretary, $"/Members?org={tdp1}&p=99999999999", "Số trang 99999999999 quá lớn.");
        foreach (var url in new[] { $"/Pledges/Branch/{tdp1}?pg=-5", $"/Members?org={tdp1}&p=-5", $"/Members?org={tdp1}&p=999" })
            Assert.True((await secretary.GetAsync(url)).StatusCode == HttpStatusCode.OK, url);
    }
}

using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.E2E;

/// <summary>Pages as they print (the print stylesheet, in Chromium): figures and rows, no links to other pages' work, no empty headings.</summary>
[Collection("browser")]
public sealed class PrintTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_printed_grid_has_no_links_to_the_plan_or_the_import_and_the_printed_dashboard_no_empty_heading()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var page = await app.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "bithu@hlb.local");
        await page.GotoAsync($"/Pledges/Branch/{tdp1}?year={PledgeData.Year}");
        var planLink = page.GetByRole(AriaRole.Link, new() { Name = "Kế hoạch năm và nội dung đột phá" });
        var importLink = page.GetByRole(AriaRole.Link, new() { Name = "Nhập từ tệp" });
        await Assertions.Expect(planLink).ToBeVisibleAsync();
        await Assertions.Expect(importLink).ToBeVisibleAsync();

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(planLink).ToBeHiddenAsync();
        await Assertions.Expect(importLink).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".pledge-grid")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Việc làm theo năm {PledgeData.Year}" })).ToBeVisibleAsync();

        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await page.GotoAsync($"/Reports/{tdp1}/{PledgeData.Year}");
        var period = page.GetByRole(AriaRole.Heading, new() { Name = "Báo cáo sơ kết, tổng kết nhiều năm" });
        await Assertions.Expect(period).ToBeVisibleAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(period).ToBeHiddenAsync();
        // Every heading that prints has something printed after it before the next heading.
        var empty = await page.EvaluateAsync<string[]>("""
            (() => {
                const visible = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
                const all = Array.from(document.querySelectorAll('main *')).filter(visible);
                const headings = all.filter(e => /^H[1-6]$/.test(e.tagName));
                return headings.filter(h => {
                    const next = headings[headings.indexOf(h) + 1];
                    return !all.some(e => !/^H[1-6]$/.test(e.tagName) && !h.contains(e) && e.textContent.trim().length > 0 && e.children.length === 0
                        && (h.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING)
                        && (!next || (next.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING)));
                }).map(h => h.textContent.trim());
            })()
            """);
        Assert.Empty(empty);
    }
}

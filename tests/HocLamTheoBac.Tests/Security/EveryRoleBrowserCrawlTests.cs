using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using HocLamTheoBac.Tests.Infrastructure;
using Microsoft.Playwright;

namespace HocLamTheoBac.Tests.Security;

/// <summary>The demo plus the crawl's extra records, in a real Chromium.</summary>
public sealed class BrowserCrawlFixture : BrowserFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CrawlFactory.SeedExtrasAsync(this);
    }

    /// <summary>Page shapes axe has already checked (under any role): a shape looks the same to every role, so it is checked once.</summary>
    public HashSet<string> AxeChecked { get; } = [];
}

/// <summary>
/// Every role of the demo walks every link it is shown, in Chromium: no 4xx or 5xx, no console error (script
/// errors, CSP refusals, failed loads), and axe-core (served from the Deque.AxeCore package, never a CDN) finds
/// no violation of any impact on any page reached. Pages of the same shape are checked once per role.
/// </summary>
[Collection("browser")]
public sealed class EveryRoleBrowserCrawlTests(BrowserCrawlFixture app) : IClassFixture<BrowserCrawlFixture>
{
    [Theory]
    [MemberData(nameof(EveryRoleLinkTests.Roles), MemberType = typeof(EveryRoleLinkTests))]
    public async Task Every_page_a_role_reaches_has_no_error_no_console_error_and_no_axe_violation(string email)
    {
        var page = await app.NewPageAsync();
        page.Context.SetDefaultTimeout(60_000);
        var console = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") console.Add($"{page.Url}: {m.Text}"); };
        page.PageError += (_, e) => console.Add($"{page.Url}: {e}");
        await BrowserFixture.SignInAsync(page, email);

        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var shapes = new HashSet<string>();
        var queue = new Queue<string>(["/"]);
        var visited = 0;
        while (queue.Count > 0 && visited < 250)
        {
            var url = queue.Dequeue();
            if (!seen.Add(url) || !shapes.Add(SiteCrawler.Pattern(url))) continue;
            visited++;
            var before = console.Count;
            IResponse? response;
            try
            {
                response = await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Load });
            }
            catch (PlaywrightException e) when (e.Message.Contains("Download is starting", StringComparison.Ordinal))
            {
                var file = await page.Context.APIRequest.GetAsync(app.BaseUrl + url);
                if (file.Status >= 400) problems.Add($"{url} → {file.Status}");
                continue;
            }
            if (response is null || response.Status >= 400) { problems.Add($"{url} → {response?.Status}"); continue; }
            if (!(response.Headers.TryGetValue("content-type", out var type) && type.StartsWith("text/html", StringComparison.Ordinal))) continue;

            if (app.AxeChecked.Add(SiteCrawler.Pattern(url)))
            {
                var axe = await page.RunAxe(new AxeRunOptions { ResultTypes = [ResultType.Violations] });
                foreach (var v in axe.Violations)
                    problems.Add($"{url}: axe {v.Id} ({v.Impact}) {v.Help} – {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}");
            }
            if (console.Count > before) problems.AddRange(console.Skip(before));

            var links = await page.EvalOnSelectorAllAsync<string[]>("a[href]", "as => as.map(a => a.getAttribute('href'))");
            foreach (var href in links)
            {
                if (href is null || href.StartsWith('#') || href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)) continue;
                if (!Uri.TryCreate(new Uri(page.Url), href, out var target) || target.Authority != new Uri(app.BaseUrl).Authority) continue;
                var local = target.PathAndQuery;
                if (SiteCrawler.NotCrawled.Any(p => local.StartsWith(p, StringComparison.OrdinalIgnoreCase)) || IsStatic(local)) continue;
                queue.Enqueue(local);
            }
        }
        Assert.True(visited >= 5, $"only {visited} pages reached as {email}");
        Assert.True(problems.Count == 0, $"as {email}, {visited} pages:\n" + string.Join("\n", problems.Distinct()));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_checks_of_the_crawl_see_what_they_look_for()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        // An image without text and a failed load: axe and the console listener must both notice.
        var error = await page.RunAndWaitForConsoleMessageAsync(
            () => page.EvaluateAsync("() => { const i = document.createElement('img'); i.src = '/lib/missing.png'; document.querySelector('main').append(i); }"),
            new() { Predicate = m => m.Type == "error" });
        Assert.Contains("404", error.Text);
        var axe = await page.RunAxe(new AxeRunOptions { ResultTypes = [ResultType.Violations] });
        Assert.Contains(axe.Violations, v => v.Id == "image-alt");
        await page.Context.CloseAsync();
    }

    private static bool IsStatic(string path) =>
        path.StartsWith("/lib/", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/css/", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/js/", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("/favicon", StringComparison.OrdinalIgnoreCase);
}

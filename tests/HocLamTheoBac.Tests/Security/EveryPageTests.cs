using System.Net;
using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;

namespace HocLamTheoBac.Tests.Security;

/// <summary>Headers and antiforgery on every page and form the administrator can reach (discovered, not listed).</summary>
public sealed class EveryPageTests(CrawlFactory app) : IClassFixture<CrawlFactory>
{
    public const string Admin = "admin@hlb.local";
    // /Pledges/Import is for a branch's secretary only: the administrator is not shown the link (EveryRoleLinkTests reaches it as bithu).
    public static readonly string[] Exempt = ["/Account/Logout", "/Account/LoginWith2fa", "/Error", "/Pledges/Import"];

    private async Task<(HttpClient Client, List<PageVisit> Visits)> CrawlAsync()
    {
        var client = await app.SignedInAsync(Admin);
        var visits = await SiteCrawler.CrawlAsync(client, await SiteCrawler.SeedUrlsAsync(app, Admin));
        return (client, visits);
    }

    [Fact]
    public async Task The_crawl_reaches_every_page_of_the_site()
    {
        var (_, visits) = await CrawlAsync();
        var unreached = SiteCrawler.Unreached(app, visits, Exempt);
        Assert.True(unreached.Count == 0, "pages no crawl reached: " + string.Join(", ", unreached));
        Assert.True(visits.Count(v => v.IsHtml && v.Status == HttpStatusCode.OK) >= 25, $"only {visits.Count} pages answered");
    }

    [Fact]
    public async Task Every_page_answers_without_a_server_error()
    {
        var (_, visits) = await CrawlAsync();
        var failures = visits.Where(v => (int)v.Status >= 500).Select(v => $"{v.Url} → {(int)v.Status}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_page_carries_the_security_headers_and_no_inline_script_or_style()
    {
        var (client, visits) = await CrawlAsync();
        visits.Add(await SiteCrawler.GetAsync(app.NewClient(), "/Account/Login"));
        visits.Add(await SiteCrawler.GetAsync(client, "/khong-ton-tai"));
        Assert.True(visits.Count >= 25, $"only {visits.Count} pages checked");
        var failures = new List<string>();
        foreach (var v in visits)
        {
            var csp = v.Headers.GetValueOrDefault("Content-Security-Policy") ?? "";
            if (!csp.Contains("script-src 'self'") || csp.Contains("unsafe-inline") || !csp.Contains("frame-ancestors 'none'"))
                failures.Add($"{v.Url}: CSP '{csp}'");
            if (v.Headers.GetValueOrDefault("X-Content-Type-Options") != "nosniff") failures.Add($"{v.Url}: no nosniff");
            if (string.IsNullOrEmpty(v.Headers.GetValueOrDefault("Referrer-Policy"))) failures.Add($"{v.Url}: no Referrer-Policy");
            if (!v.IsHtml) continue;
            if (v.Url != "/Account/Login" && !(v.Headers.GetValueOrDefault("Cache-Control") ?? "").Contains("no-store")) failures.Add($"{v.Url}: cacheable");
            if (Regex.IsMatch(v.Body, @"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)) failures.Add($"{v.Url}: inline <script>");
            if (Regex.IsMatch(v.Body, @"<[a-z][^>]*\s(style|on[a-z]+)\s*=", RegexOptions.IgnoreCase)) failures.Add($"{v.Url}: inline style or event handler");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Distinct()));
    }

    [Fact]
    public async Task Every_form_refuses_a_post_without_its_antiforgery_token_with_the_Vietnamese_400_page()
    {
        var (client, visits) = await CrawlAsync();
        visits.Add(await SiteCrawler.GetAsync(app.NewClient(), "/Account/Login"));
        var forms = SiteCrawler.UniqueForms(visits);
        Assert.True(forms.Count >= 25, $"only {forms.Count} forms found");
        var failures = new List<string>();
        foreach (var form in forms)
        {
            Assert.True(form.Token.Length > 0 || form.IsLogout, $"{form.Action} on {form.PageUrl} renders no antiforgery token");
            using var r = await SiteCrawler.PostAsync(client, form, form.ValidValues(), withToken: false);
            var body = await r.Content.ReadAsStringAsync();
            if (r.StatusCode != HttpStatusCode.BadRequest || !body.Contains("Yêu cầu không hợp lệ"))
                failures.Add($"{form.Action} (from {form.PageUrl}) answered {(int)r.StatusCode}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Manage")).StatusCode);
    }
}

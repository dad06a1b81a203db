using System.Net;
using HocLamTheoBac.Tests.Infrastructure;

namespace HocLamTheoBac.Tests.Security;

/// <summary>Every link a user is shown leads somewhere: crawled from the home page as each role of the demo.</summary>
public sealed class EveryRoleLinkTests(CrawlFactory app) : IClassFixture<CrawlFactory>
{
    public static readonly TheoryData<string> Roles = new()
    {
        "admin@hlb.local", "tuyengiao@hlb.local", "tuyengiao.tp@hlb.local", "bithu@hlb.local", "bithu2@hlb.local", "dangvien@hlb.local",
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Every_link_shown_to_a_role_opens_without_a_4xx_or_5xx(string email)
    {
        var client = await app.SignedInAsync(email);
        var visits = await SiteCrawler.CrawlAsync(client, ["/"], perPattern: 2, maxPages: 300);
        Assert.True(visits.Count >= 5, $"only {visits.Count} pages reached as {email}");
        var failures = visits.Where(v => (int)v.Status >= 400).Select(v => $"{v.Url} → {(int)v.Status}").ToList();
        Assert.True(failures.Count == 0, $"as {email}:\n" + string.Join("\n", failures));
        if (email == "bithu@hlb.local") Assert.Contains(visits, v => v.Url.StartsWith("/Pledges/Import/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_favicon_is_served()
    {
        var r = await app.NewClient().GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.NewClient().GetAsync("/favicon.svg")).StatusCode);
    }
}

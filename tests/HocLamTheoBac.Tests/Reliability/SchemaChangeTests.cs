using System.Collections.Concurrent;
using System.Net;
using HocLamTheoBac.Tests.Infrastructure;

namespace HocLamTheoBac.Tests.Reliability;

/// <summary>
/// A migration that changes a column's type while the site runs (`hlb migrate` beside a running site): the statements
/// the site's pooled connections prepared no longer fit (PostgreSQL: "cached plan must not change result type"). Found
/// by the attack walk of session 10: pages answered 500 for minutes. The site now drops its pooled connections at the
/// first such error; that request gets the Vietnamese "try again" page and the next ones work.
/// </summary>
public sealed class SchemaChangeTests(SchemaChangeTests.Site app) : IClassFixture<SchemaChangeTests.Site>
{
    /// <summary>A database of its own: the test changes its schema.</summary>
    public sealed class Site : AppFactory;

    [Fact]
    public async Task A_column_type_changed_under_the_running_site_costs_at_most_a_try_again_page_and_never_a_500()
    {
        var admin = await app.SignedInAsync("admin@hlb.local");
        var url = $"/Members?org={await app.OrgIdAsync("TQ-TP-PT-TDP2")}";
        async Task<List<(HttpStatusCode Status, string Body)>> RoundAsync(int n)
        {
            var answers = new ConcurrentBag<(HttpStatusCode, string)>();
            await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
            {
                var r = await admin.GetAsync(url, ct);
                answers.Add((r.StatusCode, WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync(ct))));
            });
            return [.. answers];
        }

        // Every pooled connection has run (and prepared) the page's statements.
        foreach (var _ in Enumerable.Range(0, 4)) Assert.All(await RoundAsync(24), a => Assert.Equal(HttpStatusCode.OK, a.Status));

        await TestDatabase.ExecAsync("ALTER TABLE members ALTER COLUMN full_name TYPE varchar(250)", app.ConnectionString);

        var after = await RoundAsync(48);
        Assert.All(after, a => Assert.True(a.Status == HttpStatusCode.OK
            || a.Status == HttpStatusCode.ServiceUnavailable && a.Body.Contains("vui lòng thử lại"), $"{(int)a.Status}: {a.Body[..Math.Min(300, a.Body.Length)]}"));
        Assert.True(after.Count(a => a.Status != HttpStatusCode.OK) <= 8, $"{after.Count(a => a.Status != HttpStatusCode.OK)} refused");
        Assert.All(await RoundAsync(24), a => Assert.Equal(HttpStatusCode.OK, a.Status));
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Tests.Infrastructure;

/// <summary>
/// The fixed cost every signed-in page pays (issue 16): the cookie check reads the account once — stamp, temporary
/// password, scope — and the rest of the request reuses it; Identity's claims refresh runs only when the cookie's name or
/// e-mail is stale. The session-ending and temporary-password rules themselves are tested in Security/SessionEndTests and
/// Pages/Account/TemporaryPasswordTests.
/// </summary>
public sealed class SignedInRequestTests(SignedInRequestTests.Site app) : IClassFixture<SignedInRequestTests.Site>
{
    /// <summary>Identity's claims check due on every request, so a skipped refresh is seen at once.</summary>
    public sealed class Site : AppFactory
    {
        protected override void ConfigureSettings(IWebHostBuilder builder) => builder.UseSetting("Auth:StampCheckSeconds", "0");
    }

    /// <summary>The statements this factory's database receives while <paramref name="work"/> runs (Npgsql's activities).</summary>
    private async Task<List<string>> StatementsAsync(Func<Task> work)
    {
        var database = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database;
        var seen = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.GetTagItem("db.namespace") as string == database && a.GetTagItem("db.query.text") is string sql) seen.Enqueue(sql);
            },
        };
        ActivitySource.AddActivityListener(listener);
        await work();
        return [.. seen];
    }

    private static bool ReadsUsers(string sql) => sql.Contains("FROM users", StringComparison.Ordinal);

    [Fact]
    public async Task The_member_page_reads_the_account_once_and_makes_two_round_trips_in_all()
    {
        var client = await app.SignedInAsync("dangvien@hlb.local");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Pledges/Mine")).StatusCode);   // first view: hints computed and kept

        var statements = await StatementsAsync(async () => Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Pledges/Mine")).StatusCode));

        // The account (stamp, temporary password, scope), then the page's batch: the year's closure, the pledges, the hints' stamp.
        Assert.Single(statements, ReadsUsers);
        Assert.True(statements.Count == 2, string.Join("\n---\n", statements));
    }

    [Fact]
    public async Task A_signed_in_page_with_no_query_of_its_own_costs_one_round_trip()
    {
        var client = await app.SignedInAsync("bithu@hlb.local");
        var statements = await StatementsAsync(async () => Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Logout")).StatusCode));
        Assert.Single(statements);
        Assert.True(ReadsUsers(statements[0]));
    }

    /// <summary>The branch grid's view: the account's statement goes in one batch with the unit's and the roster's (ADR 0038),
    /// one round trip for the whole view of a branch that fits on a page; a post, or a view with another year's spelling,
    /// reads the account alone as every page does and shows the same grid.</summary>
    [Fact]
    public async Task The_grid_view_reads_the_account_the_unit_and_the_roster_in_one_round_trip()
    {
        var client = await app.SignedInAsync("bithu@hlb.local");
        var branch = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var url = $"/Pledges/Branch/{branch}?year=2026";
        var first = await client.HtmlAsync(url);   // first view: hints computed and kept

        string html = "";
        var statements = await StatementsAsync(async () => html = await client.HtmlAsync(url));
        Assert.True(statements.Count == 1, string.Join("\n---\n", statements));
        Assert.True(ReadsUsers(statements[0]) && statements[0].Contains("FROM org_units", StringComparison.Ordinal)
            && statements[0].Contains("FROM members", StringComparison.Ordinal), statements[0]);
        Assert.Contains("id=\"m-", html);

        // Without the year in the address the page reads the current year itself, after the account: the same grid.
        string alone = "";
        var separate = await StatementsAsync(async () => alone = await client.HtmlAsync($"/Pledges/Branch/{branch}"));
        Assert.True(separate.Count == 2, string.Join("\n---\n", separate));
        Assert.True(ReadsUsers(separate[0]) && !separate[0].Contains("FROM org_units", StringComparison.Ordinal), separate[0]);
        Assert.Equal(Tokenless(html), Tokenless(alone));
    }

    private static string Tokenless(string html) =>
        System.Text.RegularExpressions.Regex.Replace(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]*\"", "");

    [Fact]
    public async Task A_client_that_keeps_its_first_cookie_is_not_sent_a_new_one_while_the_account_is_unchanged()
    {
        var signIn = app.NewClient();
        var login = await signIn.PostFormAsync("/Account/Login", new() { ["Input.Email"] = "tuyengiao@hlb.local", ["Input.Password"] = HocLamTheoBac.Web.Data.DemoSeeder.DemoPassword });
        var cookie = login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("hlb.auth=", StringComparison.Ordinal));
        var script = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        script.DefaultRequestHeaders.Add("Cookie", cookie);

        for (var i = 0; i < 2; i++)
        {
            var r = await script.GetAsync("/Orgs");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.DoesNotContain(r.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("hlb.auth=", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task An_e_mail_changed_under_a_session_reaches_its_cookie_on_the_next_request_and_the_session_goes_on()
    {
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        Assert.Contains("tuyengiao.tp@hlb.local", await client.HtmlAsync("/Orgs"));
        await app.DbAsync(db => db.Users.Where(u => u.Email == "tuyengiao.tp@hlb.local").ExecuteUpdateAsync(s => s
            .SetProperty(u => u.Email, "bantuyengiao.tp@hlb.local").SetProperty(u => u.NormalizedEmail, "BANTUYENGIAO.TP@HLB.LOCAL")
            .SetProperty(u => u.UserName, "bantuyengiao.tp@hlb.local").SetProperty(u => u.NormalizedUserName, "BANTUYENGIAO.TP@HLB.LOCAL")));

        var refreshed = await client.GetAsync("/Orgs");
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Contains(refreshed.Headers.GetValues("Set-Cookie"), c => c.StartsWith("hlb.auth=", StringComparison.Ordinal));
        var html = await client.HtmlAsync("/Orgs");
        Assert.Contains("bantuyengiao.tp@hlb.local", html);
        Assert.DoesNotContain(">tuyengiao.tp@hlb.local<", html);
    }

    [Theory]
    [InlineData("Host=db;Username=hlb", ServiceSetup.WarmConnections, 100)]
    [InlineData("Host=db;Username=hlb;Maximum Pool Size=20", 20, 20)]
    [InlineData("Host=db;Username=hlb;Minimum Pool Size=0", 0, 100)]
    [InlineData("Host=db;Username=hlb;MinPoolSize=5;MaxPoolSize=50", 5, 50)]
    public void The_pool_keeps_its_warm_connections_unless_the_connection_string_says_otherwise(string cs, int min, int max)
    {
        var b = new NpgsqlConnectionStringBuilder(ServiceSetup.WithAutoPrepare(cs));
        Assert.Equal(min, b.MinPoolSize);
        Assert.Equal(max, b.MaxPoolSize);
    }

    [Theory]
    [InlineData("Host=db;Username=hlb", ServiceSetup.AutoPrepared, 2, true)]
    [InlineData("Host=db;Username=hlb;Max Auto Prepare=0", 0, 2, true)]
    [InlineData("Host=db;Username=hlb;max auto prepare=10;Auto Prepare Min Usages=5", 10, 5, true)]
    [InlineData("Host=db;Username=hlb;No Reset On Close=false", ServiceSetup.AutoPrepared, 2, false)]
    public void Statements_are_prepared_automatically_and_connections_not_reset_unless_the_connection_string_says_otherwise(string cs, int max, int minUsages, bool noReset)
    {
        var b = new NpgsqlConnectionStringBuilder(ServiceSetup.WithAutoPrepare(cs));
        Assert.Equal(max, b.MaxAutoPrepare);
        Assert.Equal(minUsages, b.AutoPrepareMinUsages);
        Assert.Equal(noReset, b.NoResetOnClose);
        Assert.Equal("db", b.Host);
    }
}

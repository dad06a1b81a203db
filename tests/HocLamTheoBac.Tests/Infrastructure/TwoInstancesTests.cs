using System.Net;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace HocLamTheoBac.Tests.Infrastructure;

/// <summary>Two site instances on one database, as behind a load balancer: one browser (cookie jar) talks to both.</summary>
public sealed class TwoInstancesTests(AppFactory a) : IClassFixture<AppFactory>
{
    private sealed class Instance(string cs) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Default", cs);
            builder.UseSetting("Logging:File", "");
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        }
    }

    private static HttpClient Browser(WebApplicationFactory<Program> site, CookieContainer jar) =>
        site.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(jar));

    [Fact]
    public async Task Signing_in_on_one_instance_lets_the_user_continue_and_post_forms_on_the_other()
    {
        await using var b = new Instance(a.ConnectionString);
        var jar = new CookieContainer();
        var onA = Browser(a, jar);
        var onB = Browser(b, jar);

        var login = await onA.PostFormAsync("/Account/Login", new() { ["Input.Email"] = "bithu@hlb.local", ["Input.Password"] = DemoSeeder.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        var home = await onB.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Chi bộ Tổ dân phố 1", await home.Content.ReadAsStringAsync());

        // The antiforgery token comes from a page rendered by A; B accepts the post.
        var logout = await onB.PostFormAsync("/Account/Logout", [], getUrl: "/");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Contains("/Account/Login", logout.Headers.Location!.ToString());

        Assert.True(await a.DbAsync(db => Task.FromResult(db.DataProtectionKeys.Any())), "the key ring lives in PostgreSQL");
    }

    [Fact]
    public async Task A_secretary_registers_pledges_through_both_instances_with_the_branch_grid_and_none_is_lost()
    {
        await using var b = new Instance(a.ConnectionString);
        var jar = new CookieContainer();
        var onA = Browser(a, jar);
        var onB = Browser(b, jar);
        Assert.Equal(HttpStatusCode.Redirect, (await onA.PostFormAsync("/Account/Login", new() { ["Input.Email"] = "bithu@hlb.local", ["Input.Password"] = DemoSeeder.DemoPassword })).StatusCode);
        var tdp1 = await a.OrgIdAsync("TQ-TP-PT-TDP1");
        var members = await a.MembersAsync("TQ-TP-PT-TDP1");
        var year = PledgeData.Year;
        var grid = $"/Pledges/Branch/{tdp1}?year={year}";

        // Each save uses a grid rendered by the OTHER instance (its antiforgery token), as a load balancer would.
        var first = await SaveAsync(formFrom: onB, postTo: onA, grid, members[0].Id, "Đăng ký qua máy chủ A");
        var second = await SaveAsync(formFrom: onA, postTo: onB, grid, members[1].Id, "Đăng ký qua máy chủ B");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);

        var page = await (await onA.GetAsync(grid)).Content.ReadAsStringAsync();
        Assert.Contains("Đăng ký qua máy chủ A", page);
        Assert.Contains("Đăng ký qua máy chủ B", page);
        var saved = await a.DbAsync(db => Task.FromResult(db.Pledges.Where(p => p.BranchId == tdp1 && p.Content.StartsWith("Đăng ký qua máy chủ")).Select(p => p.MemberId).OrderBy(id => id).ToList()));
        Assert.Equal([members[0].Id, members[1].Id], saved);
    }

    private static async Task<HttpResponseMessage> SaveAsync(HttpClient formFrom, HttpClient postTo, string grid, int memberId, string content)
    {
        var html = await (await formFrom.GetAsync(grid)).Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        Assert.True(token.Success, "the grid carries an antiforgery token");
        return await postTo.PostAsync(grid + "&handler=Save", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["Input.New[0].MemberId"] = memberId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.New[0].Content"] = content,
        }));
    }

    [Fact]
    public async Task An_instance_on_another_database_does_not_accept_the_cookie()
    {
        var other = await TestDatabase.CreateAsync();
        try
        {
            await using var c = new Instance(other);
            var jar = new CookieContainer();
            var login = await Browser(a, jar).PostFormAsync("/Account/Login", new() { ["Input.Email"] = "bithu@hlb.local", ["Input.Password"] = DemoSeeder.DemoPassword });
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

            var home = await Browser(c, jar).GetAsync("/");
            Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
            Assert.Contains("/Account/Login", home.Headers.Location!.ToString());
        }
        finally { await TestDatabase.DropAsync(other); }
    }
}

using System.Net;
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

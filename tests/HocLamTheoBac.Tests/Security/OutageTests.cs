using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Security;

/// <summary>
/// Issue 13, medium finding: during an outage, users whose cookie was older than the security-stamp
/// interval got an empty 500 (the re-check hit the stopped database, and so did the error page).
/// </summary>
public sealed class OutageTests
{
    /// <summary>The site's clock, moved on by the test: the sign-in cookie is an hour old when the database stops.</summary>
    private sealed class MovableClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    private sealed class Site(string cs, TimeProvider clock) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Default", cs);
            builder.UseSetting("Logging:File", "");
            builder.UseSetting("Serilog:MinimumLevel:Default", "Error");
            builder.UseSetting("Security:LoginPerAddress", "100000");
            builder.ConfigureServices(services => services.AddSingleton(clock));
        }
    }

    [Fact]
    public async Task With_the_database_stopped_a_signed_in_user_with_an_hour_old_cookie_gets_the_503_page_with_Retry_After_on_every_request()
    {
        await using var cluster = await PrivateCluster.CreateAsync();
        var cs = await cluster.CreateDatabaseAsync("hlb") + ";Timeout=2";
        await using (var db = TestDatabase.NewContext(cs + ";Pooling=false")) await db.MigrateAsync();
        var clock = new MovableClock();
        await using var site = new Site(cs, clock);
        await using (var scope = site.Services.CreateAsyncScope())
            await DemoSeeder.SeedIfEmptyAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope.ServiceProvider, CancellationToken.None);
        var client = site.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signIn = await client.PostFormAsync("/Account/Login", new() { ["Input.Email"] = "admin@hlb.local", ["Input.Password"] = DemoSeeder.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        clock.Offset = TimeSpan.FromHours(1);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        await cluster.StopAsync();
        foreach (var request in new Func<Task<HttpResponseMessage>>[]
                 {
                     () => client.GetAsync("/"),
                     () => client.GetAsync("/Members"),
                     () => client.GetAsync("/Audit"),
                     () => client.PostAsync("/Members/Edit", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.FullName"] = "x" })),
                 })
        {
            using var r = await request();
            var body = await r.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(30), r.Headers.RetryAfter?.Delta);
            Assert.Contains("Hệ thống tạm thời gián đoạn", body);
        }

        await cluster.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }
}

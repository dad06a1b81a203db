using System.Diagnostics;
using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Infrastructure;

public sealed class HealthTests
{
    private sealed class Site(string cs) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Default", cs);
            builder.UseSetting("Logging:File", "");
            builder.UseSetting("Serilog:MinimumLevel:Default", "Error");
        }
    }

    [Fact]
    public async Task Readyz_turns_not_ready_when_the_database_stops_and_ready_again_when_it_returns()
    {
        await using var cluster = await PrivateCluster.CreateAsync();
        var cs = await cluster.CreateDatabaseAsync("hlb");
        await using (var db = TestDatabase.NewContext(cs)) await db.MigrateAsync();
        await using var site = new Site(cs);
        var client = site.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        await cluster.StopAsync();
        var down = await client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("not ready", await down.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        await cluster.StartAsync();
        var deadline = Stopwatch.StartNew();
        HttpStatusCode status;
        do status = (await client.GetAsync("/readyz")).StatusCode;
        while (status != HttpStatusCode.OK && deadline.Elapsed < TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Readyz_is_not_ready_while_migrations_are_missing()
    {
        var cs = await TestDatabase.CreateAsync(migrated: false);
        try
        {
            await using var site = new Site(cs);
            var r = await site.CreateClient().GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        }
        finally { await TestDatabase.DropAsync(cs); }
    }
}

public sealed class StartupTests
{
    private static async Task<(int Code, string Output)> RunSiteAsync(string connectionString)
    {
        var dll = typeof(Program).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(dll);
        psi.Environment["ConnectionStrings__Default"] = connectionString;
        psi.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        psi.Environment["Logging__File"] = "";
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var outp = p.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, (await outp) + (await err));
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port=1;Database=x;Username=postgres;Timeout=2")]
    [InlineData("Host=127.0.0.1;Port=notaport;Database=x")]
    [InlineData("this is not a connection string")]
    public async Task A_bad_connection_string_stops_start_up_with_one_clear_line(string cs)
    {
        var (code, output) = await RunSiteAsync(cs);
        Assert.NotEqual(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Single(lines);
        Assert.StartsWith("Lỗi:", lines[0]);
        Assert.DoesNotContain("Exception", lines[0]);
    }
}

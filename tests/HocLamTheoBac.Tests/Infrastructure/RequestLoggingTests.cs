using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace HocLamTheoBac.Tests.Infrastructure;

/// <summary>Keeps every event of its own host (a sink in the host's services, picked up by ReadFrom.Services).</summary>
public sealed class CollectingSink : ILogEventSink
{
    public ConcurrentQueue<LogEvent> Events { get; } = new();
    public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);
}

public sealed class LoggingAppFactory : AppFactory
{
    public CollectingSink Sink { get; } = new();
    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("Serilog:MinimumLevel:Default", "Information");
        builder.ConfigureServices(s => s.AddSingleton<ILogEventSink>(Sink));
    }
}

public sealed class RequestLoggingTests(LoggingAppFactory app) : IClassFixture<LoggingAppFactory>
{
    private List<LogEvent> RequestLines(string path) =>
        app.Sink.Events.Where(e => e.MessageTemplate.Text == HocLamTheoBac.Web.Infrastructure.AppLogging.RequestTemplate
            && e.Properties.TryGetValue("RequestPath", out var p) && p is ScalarValue { Value: string s } && s == path).ToList();

    private async Task<List<LogEvent>> WaitForLinesAsync(string path, int atLeast = 1)
    {
        var clock = Stopwatch.StartNew();
        while (RequestLines(path).Count < atLeast && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
        return RequestLines(path);
    }

    [Fact]
    public async Task A_request_logs_one_line_with_method_path_status_elapsed_user_and_unit()
    {
        var client = await app.SignedInAsync("bithu@hlb.local");
        var org = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var userId = await app.DbAsync(db => db.Users.Where(u => u.Email == "bithu@hlb.local").Select(u => u.Id).SingleAsync());

        var r = await client.GetAsync($"/Members?org={org}&q=token-in-query");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);

        var lines = await WaitForLinesAsync("/Members");
        var line = Assert.Single(lines);
        var text = line.RenderMessage();
        Assert.Matches($@"^HTTP ""GET"" ""/Members"" 200 \d+\.\d ms user=""{userId}"" unit=""{org}"" route=""Members""$", text);
        Assert.DoesNotContain("token-in-query", text);
        Assert.Equal(LogEventLevel.Information, line.Level);
    }

    [Fact]
    public async Task A_page_addressed_by_its_unit_in_the_route_names_that_unit()
    {
        var client = await app.SignedInAsync("bithu@hlb.local");
        var org = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var path = $"/Pledges/Branch/{org}";
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);

        var line = Assert.Single(await WaitForLinesAsync(path));
        Assert.Equal(org.ToString(System.Globalization.CultureInfo.InvariantCulture), ((ScalarValue)line.Properties["Unit"]).Value);
    }

    [Fact]
    public async Task A_missing_page_re_executed_as_the_error_page_still_logs_once_with_its_own_path_and_404()
    {
        var client = app.NewClient();
        var r = await client.GetAsync("/Khong-co-trang-nay");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);

        var line = Assert.Single(await WaitForLinesAsync("/Khong-co-trang-nay"));
        Assert.Equal(404, ((ScalarValue)line.Properties["StatusCode"]).Value);
        Assert.Equal("-", ((ScalarValue)line.Properties["User"]).Value);
        Assert.Empty(RequestLines("/Error"));
    }

    [Fact]
    public async Task A_form_post_names_the_unit_it_was_posted_for()
    {
        var client = await app.SignedInAsync("bithu@hlb.local");
        var org = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var r = await client.PostFormAsync("/Members/Edit", new()
        {
            ["Org"] = org.ToString(), ["Input.Version"] = "0", ["Input.FullName"] = "",
        }, getUrl: $"/Members/Edit?org={org}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode); // redisplayed with a validation message

        var post = Assert.Single(await WaitForLinesAsync("/Members/Edit", atLeast: 2), e => ((ScalarValue)e.Properties["RequestMethod"]).Value as string == "POST");
        Assert.Equal(org.ToString(), ((ScalarValue)post.Properties["Unit"]).Value);
    }
}

using System.Collections.Concurrent;
using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HocLamTheoBac.Tests.Reliability;

/// <summary>The site on a PostgreSQL cluster of the test's own, which the test stops and starts while requests flow.</summary>
public sealed class DatabaseOutageTests
{
    private sealed class Site(string cs) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Default", cs);
            builder.UseSetting("Logging:File", "");
            builder.UseSetting("Serilog:MinimumLevel:Default", "Error");
            builder.UseSetting("Security:LoginPerAddress", "100000");
        }
    }

    private sealed record Answer(string Phase, string What, HttpStatusCode Status, string Body);

    [Fact]
    public async Task While_the_database_is_stopped_pages_answer_the_Vietnamese_503_and_afterwards_every_acknowledged_write_is_there()
    {
        await using var cluster = await PrivateCluster.CreateAsync();
        var cs = await cluster.CreateDatabaseAsync("hlb");
        await using (var db = TestDatabase.NewContext(cs + ";Pooling=false")) await db.MigrateAsync();
        await using var site = new Site(cs);
        await using (var scope = site.Services.CreateAsyncScope())
            await DemoSeeder.SeedIfEmptyAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope.ServiceProvider, CancellationToken.None);
        int org;
        await using (var db = TestDatabase.NewContext(cs + ";Pooling=false")) org = await db.OrgUnits.Where(u => u.Code == "TQ-TP-PT-TDP2").Select(u => u.Id).SingleAsync();

        var client = site.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var signIn = await client.PostFormAsync("/Account/Login", new() { ["Input.Email"] = "admin@hlb.local", ["Input.Password"] = DemoSeeder.DemoPassword });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var formHtml = await client.HtmlAsync($"/Members/Edit?org={org}");
        var token = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(formHtml, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);

        var phase = "before";
        var answers = new ConcurrentQueue<Answer>();
        var acknowledged = new ConcurrentQueue<string>();
        var stop = new CancellationTokenSource();
        var counts = new ConcurrentDictionary<string, int>();
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var milestones = new ConcurrentDictionary<string, TaskCompletionSource>();
        Task Reached(string p) => milestones.GetOrAdd(p, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        void Count(string p)
        {
            if (counts.AddOrUpdate(p, 1, (_, n) => n + 1) >= 15)
                milestones.GetOrAdd(p, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        async Task Record(string what, Task<HttpResponseMessage> request)
        {
            using var r = await request;
            var body = await r.Content.ReadAsStringAsync();
            var p = phase;
            answers.Enqueue(new Answer(p, what, r.StatusCode, body));
            Count(p);
            if (p == "after" && what == "write" && r.StatusCode == HttpStatusCode.Redirect) recovered.TrySetResult();
        }

        // Traffic: a page, a write through the real form, the readiness probe; bounded in count.
        var traffic = Task.Run(async () =>
        {
            for (var i = 0; i < 3000 && !stop.IsCancellationRequested; i++)
            {
                await Record("page", client.GetAsync($"/Members?org={org}"));
                var name = $"Đảng viên thử {i:D4}";
                var fields = new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token, ["Org"] = org.ToString(), ["Input.Version"] = "0", ["Input.FullName"] = name,
                    ["Input.Gender"] = "Male", ["Input.BirthDate"] = "1980-05-01", ["Input.Status"] = "Active",
                };
                using var w = await client.PostAsync($"/Members/Edit?org={org}", new FormUrlEncodedContent(fields));
                var p = phase;
                answers.Enqueue(new Answer(p, "write", w.StatusCode, await w.Content.ReadAsStringAsync()));
                Count(p);
                if (w.StatusCode == HttpStatusCode.Redirect)
                {
                    acknowledged.Enqueue(name);
                    if (p == "after") recovered.TrySetResult();
                }
                await Record("readyz", client.GetAsync("/readyz"));
            }
        });

        async Task WaitFor(string p, int n) => await Task.WhenAny(Reached(p), traffic);

        await WaitFor("before", 15);
        phase = "stopping";
        await cluster.StopAsync();
        phase = "down";
        await WaitFor("down", 15);
        phase = "starting";
        await cluster.StartAsync();
        phase = "after";
        await Task.WhenAny(recovered.Task, traffic);
        await WaitFor("after", 15);
        stop.Cancel();
        await traffic;

        var all = answers.ToList();
        var serverErrors = all.Where(a => (int)a.Status >= 500 && a.Status != HttpStatusCode.ServiceUnavailable).ToList();
        Assert.True(serverErrors.Count == 0, string.Join("\n", serverErrors.Select(a => $"{a.Phase} {a.What}: {(int)a.Status}")));
        Assert.DoesNotContain(all, a => a.Body.Contains("Exception") || a.Body.Contains("   at "));

        var down = all.Where(a => a.Phase == "down").ToList();
        var summary = string.Join(", ", all.GroupBy(a => $"{a.Phase} {a.What} {(int)a.Status}").Select(g => $"{g.Key} ×{g.Count()}"));
        Assert.Contains(down, a => a.What == "page" && a.Status == HttpStatusCode.ServiceUnavailable && a.Body.Contains("Hệ thống tạm thời gián đoạn"));
        Assert.True(down.Any(a => a.What == "write" && a.Status == HttpStatusCode.ServiceUnavailable && a.Body.Contains("Hệ thống tạm thời gián đoạn")), summary);
        Assert.All(down.Where(a => a.What == "readyz"), a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status));
        Assert.DoesNotContain(down, a => a.What == "write" && a.Status == HttpStatusCode.Redirect);

        Assert.True(recovered.Task.IsCompleted, "no write succeeded after the database returned");
        var after = all.Where(a => a.Phase == "after").ToList();
        Assert.Contains(after, a => a.What == "page" && a.Status == HttpStatusCode.OK);
        Assert.Contains(after, a => a.What == "readyz" && a.Status == HttpStatusCode.OK);

        var names = acknowledged.ToList();
        Assert.True(names.Count >= 6, $"only {names.Count} writes were acknowledged");
        await using (var db = TestDatabase.NewContext(cs + ";Pooling=false"))
        {
            var stored = await db.Members.Where(m => m.FullName.StartsWith("Đảng viên thử")).Select(m => m.FullName).ToListAsync();
            Assert.Empty(names.Except(stored));
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Pages.Members;
using Npgsql;

namespace HocLamTheoBac.Tests.Reliability;

/// <summary>The compiled site runs as a child process; the test kills it (SIGKILL) in the middle of a large import.</summary>
public sealed class CrashDuringImportTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const int Rows = 20_000;

    [Fact]
    public async Task A_site_killed_in_the_middle_of_a_20000_row_import_leaves_none_or_all_of_it()
    {
        var (site, client) = await StartSignedInAsync(app.ConnectionString);
        using var _site = site;
        using var _client = client;
        try
        {
            Assert.False((await client.GetAsync("/healthz")).Headers.Contains("Server"), "the server names itself");

            // A year with pledges, so the imported members' branch periods change kept aggregates (ADR 0018).
            await TestDatabase.ExecAsync($"""
                INSERT INTO pledges (member_id, branch_id, year, content, status)
                SELECT m.id, m.branch_id, {TestClock.Year}, 'Trước khi nhập', 7 FROM members m ORDER BY m.id LIMIT 30
                """, app.ConnectionString);
            var keptBefore = await KeptFiguresAsync();
            var ward = await app.OrgIdAsync("TQ-TP-PT");
            var page = await client.HtmlAsync($"/Members/Import?org={ward}");
            var token = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
            var csv = new StringBuilder(string.Join(',', MemberImport.Columns)).Append('\n');
            for (var i = 1; i <= Rows; i++)
                csv.Append($"Đảng viên Sập {i},15/03/1980,{(i % 2 == 0 ? "Nữ" : "Nam")},88{i:000000},19/05/2010,19/05/2011,Đảng viên,{(i % 2 == 0 ? "TQ-TP-PT-TDP1" : "TQ-TP-PT-TDP2")},,\n");
            var content = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString())), "Upload", "sap.csv" },
            };

            var import = client.PostAsync($"/Members/Import?org={ward}", content);
            var sawOpenImport = false;
            for (var i = 0; i < 200_000 && !import.IsCompleted && !sawOpenImport; i++)
                sawOpenImport = await ImportTransactionOpenAsync();
            site.Kill(entireProcessTree: true);
            await site.WaitForExitAsync();
            Assert.True(sawOpenImport, "the import finished before the test saw its transaction: no crash was injected");
            await Assert.ThrowsAnyAsync<Exception>(() => import);

            // PostgreSQL notices the dropped connection and rolls back; wait until the site's sessions are gone.
            for (var i = 0; i < 10_000 && await SiteSessionsAsync() > 0; i++) await Task.Yield();
            var members = await TestDatabase.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM members WHERE card_number LIKE '88%'");
            var periods = await TestDatabase.ScalarAsync<long>(app.ConnectionString,
                "SELECT count(*) FROM member_branch_periods p JOIN members m ON m.id = p.member_id WHERE m.card_number LIKE '88%'");
            var audits = await TestDatabase.ScalarAsync<long>(app.ConnectionString,
                "SELECT count(*) FROM audit_entries a WHERE a.entity_type = 'Member' AND a.entity_id IN (SELECT id::text FROM members WHERE card_number LIKE '88%')");
            Assert.Contains(members, new long[] { 0, Rows });
            Assert.Equal(members, periods);
            Assert.True(members == 0 || audits >= Rows, $"{members} members but {audits} audit rows");
            // The aggregates are exact either way, and unchanged when the import was rolled back.
            Assert.Empty(await Reports.ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
            if (members == 0) Assert.Equal(keptBefore, await KeptFiguresAsync());
        }
        finally
        {
            if (!site.HasExited) site.Kill(entireProcessTree: true);
        }
    }

    private Task<string> KeptFiguresAsync() => MergeCrash.KeptFiguresAsync(app.ConnectionString);

    private async Task<bool> ImportTransactionOpenAsync()
    {
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND (state = 'idle in transaction' OR (state = 'active' AND query ILIKE 'COPY %'))
            """, conn);
        return (long)(await cmd.ExecuteScalarAsync())! > 0;
    }

    private async Task<long> SiteSessionsAsync()
    {
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>The compiled site started as a child process on a free port of 127.0.0.1, and a client signed in to it as the
    /// demo's administrator (cookies kept, redirects not followed).</summary>
    internal static async Task<(Process Site, HttpClient Client)> StartSignedInAsync(string connectionString)
    {
        var port = FreePort();
        var dll = typeof(Program).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(dll);
        psi.Environment["ConnectionStrings__Default"] = connectionString;
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["Logging__File"] = "";
        psi.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        var site = Process.Start(psi)!;
        _ = site.StandardOutput.ReadToEndAsync();
        _ = site.StandardError.ReadToEndAsync();
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
            { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            await WaitUntilUpAsync(client, site);
            var signIn = await client.PostFormAsync("/Account/Login", new() { ["Input.Email"] = "admin@hlb.local", ["Input.Password"] = DemoSeeder.DemoPassword });
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            return (site, client);
        }
        catch
        {
            if (!site.HasExited) site.Kill(entireProcessTree: true);
            site.Dispose();
            client.Dispose();
            throw;
        }
    }

    internal static async Task WaitUntilUpAsync(HttpClient client, Process site)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(site.HasExited, "the site exited during start-up");
            try
            {
                if ((await client.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { await Task.Delay(100); }
        }
        throw new TimeoutException("the site did not start");
    }

    internal static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}

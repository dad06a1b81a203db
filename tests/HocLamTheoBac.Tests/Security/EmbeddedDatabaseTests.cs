using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace HocLamTheoBac.Tests.Security;

/// <summary>
/// Issue 13, critical finding: the embedded cluster trusted every connection and the site ran as a superuser.
/// Here the cluster is created by the very functions scripts/run.sh uses (scripts/lib/embedded.sh).
/// </summary>
public sealed class EmbeddedDatabaseTests(EmbeddedDatabaseTests.Cluster cluster) : IClassFixture<EmbeddedDatabaseTests.Cluster>
{
    private string _home => cluster.Home;
    private int _port => cluster.Port;
    private string _site => cluster.Site;
    private string _owner => cluster.Owner;
    private Task<string> Bash(string script) => cluster.Bash(script);

    /// <summary>A cluster made by scripts/lib/embedded.sh, as scripts/run.sh makes it.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
    public string Home { get; } = Path.Combine(Path.GetTempPath(), "hlb-sec-embedded-" + Guid.NewGuid().ToString("N")[..8]);
    public int Port { get; } = FreePort();
    public string Site { get; private set; } = "";
    public string Owner { get; private set; } = "";
    private string _home => Home;
    private int _port => Port;

    public async Task InitializeAsync()
    {
        var output = await Bash($"source scripts/lib/common.sh; source scripts/lib/embedded.sh; use_embedded_database >&2; " +
                                "printf '%s\\n%s\\n' \"$ConnectionStrings__Default\" \"$ConnectionStrings__Owner\"");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Site = lines[^2] + ";Pooling=false;Timeout=5";
        Owner = lines[^1] + ";Pooling=false;Timeout=5";
    }

    public async Task DisposeAsync()
    {
        await Bash("source scripts/lib/common.sh; stop_cluster \"$HLB_HOME/pg\"");
        Directory.Delete(_home, recursive: true);
    }

    public async Task<string> Bash(string script)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot() };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.Environment["HLB_HOME"] = _home;
        psi.Environment["HLB_PG_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment.Remove("ConnectionStrings__Default");
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{script}: {await err}");
        return output;
    }
    }

    [Fact]
    public async Task Connecting_without_the_password_is_refused_even_as_postgres_from_localhost()
    {
        foreach (var user in new[] { "postgres", "hlb_owner", "hlb_site" })
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => Open($"Host=127.0.0.1;Port={_port};Username={user};Database=hoclamtheobac;Pooling=false;Timeout=5"));
            Assert.True(ex is NpgsqlException or InvalidOperationException, ex.ToString());
        }
        var hba = await Bash("cat \"$HLB_HOME/pg/data/pg_hba.conf\"");
        Assert.DoesNotContain(hba.Split('\n'), l => !l.TrimStart().StartsWith('#') && l.Contains("trust", StringComparison.Ordinal));
        Assert.Contains("scram-sha-256", hba);
    }

    [Fact]
    public void Passwords_are_generated_into_private_files_under_HLB_HOME()
    {
        foreach (var f in new[] { "postgres.password", "hlb_owner.password", "hlb_site.password", "pgpass" })
        {
            var path = Path.Combine(_home, "secrets", f);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.True(new FileInfo(path).Length >= 32, f);
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_home, "secrets")));
        Assert.DoesNotContain("Password=", _site, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_owner_migrates_and_the_site_role_reads_and_writes_rows_but_cannot_create_run_programs_or_read_password_hashes()
    {
        await using (var db = TestDatabase.NewContext(_owner)) await db.MigrateAsync();
        await using (var db = TestDatabase.NewContext(_site))
        {
            db.OrgKinds.Add(new HocLamTheoBac.Web.Domain.OrgKind { Code = "thu", Name = "Thử", Symbol = "T", IsBranch = false, SortOrder = 99 });
            await db.SaveChangesAsync();
            Assert.Equal(1, await db.OrgKinds.CountAsync(k => k.Code == "thu"));
        }

        await using var conn = await Open(_site);
        Assert.False(await Scalar<bool>(conn, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        Assert.False(await Scalar<bool>(conn, "SELECT has_schema_privilege('public', 'CREATE')"));
        Assert.False(await Scalar<bool>(conn, "SELECT has_database_privilege(current_database(), 'CREATE')"));
        Assert.Equal(0L, await Scalar<long>(conn, "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"));
        foreach (var sql in new[]
                 {
                     "CREATE TABLE stolen (x text)",
                     "CREATE SCHEMA mine",
                     "COPY (SELECT 1) TO PROGRAM 'id'",
                     "SELECT rolpassword FROM pg_authid",
                     "DROP TABLE members",
                     "ALTER TABLE members ADD COLUMN x int",
                     "CREATE ROLE other LOGIN",
                 })
        {
            var ex = await Assert.ThrowsAsync<PostgresException>(() => Exec(conn, sql));
            Assert.True(ex.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {ex.SqlState} {ex.MessageText}");
        }
    }

    /// <summary>
    /// Nothing is lost: the site's role writes audit rows (every change it makes) but cannot change or remove them, also
    /// after the start script granted it UPDATE and DELETE on every table again (ADR 0031); the owner still can.
    /// </summary>
    [Fact]
    public async Task The_site_role_adds_audit_rows_but_cannot_change_or_delete_them()
    {
        await using (var db = TestDatabase.NewContext(_owner)) await db.MigrateAsync();
        await Bash("source scripts/lib/common.sh; source scripts/lib/embedded.sh; use_embedded_database >&2");
        await using var site = await Open(_site);
        Assert.True(await Scalar<bool>(site, "SELECT has_table_privilege('audit_entries', 'UPDATE') AND has_table_privilege('audit_entries', 'DELETE')"));
        var id = await Scalar<long>(site, "INSERT INTO audit_entries (at, actor, action, entity_type, entity_id) VALUES (now(), 'Bí thư', 'Sửa', 'Pledge', '1') RETURNING id");
        foreach (var sql in new[]
                 {
                     $"UPDATE audit_entries SET actor = 'Người khác' WHERE id = {id}",
                     $"DELETE FROM audit_entries WHERE id = {id}",
                     "DELETE FROM audit_entries",
                     "TRUNCATE audit_entries",
                     "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only",
                 })
        {
            var ex = await Assert.ThrowsAsync<PostgresException>(() => Exec(site, sql));
            Assert.True(ex.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {ex.SqlState} {ex.MessageText}");
        }
        // The attack walk of session 13: a temporary table named pg_class, naming the site's role the owner (or empty),
        // came before the catalog on the trigger's search path and let every change through.
        foreach (var shadow in new[]
                 {
                     "CREATE TEMP TABLE pg_class AS SELECT 'audit_entries'::regclass::oid AS oid, (SELECT oid FROM pg_roles WHERE rolname = current_user) AS relowner",
                     "CREATE TEMP TABLE pg_class (oid oid, relowner oid)",
                 })
        {
            await Exec(site, "DROP TABLE IF EXISTS pg_temp.pg_class");
            await Exec(site, shadow);
            foreach (var sql in new[] { $"UPDATE audit_entries SET actor = 'Người khác' WHERE id = {id}", $"DELETE FROM audit_entries WHERE id = {id}" })
            {
                var ex = await Assert.ThrowsAsync<PostgresException>(() => Exec(site, sql));
                Assert.True(ex.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{shadow}; {sql}: {ex.SqlState} {ex.MessageText}");
            }
        }
        await Exec(site, "DROP TABLE IF EXISTS pg_temp.pg_class");
        Assert.Equal("Bí thư", await Scalar<string>(site, $"SELECT actor FROM audit_entries WHERE id = {id}"));
        await using var owner = await Open(_owner);
        await Exec(owner, $"DELETE FROM audit_entries WHERE id = {id}");
        Assert.Equal(0L, await Scalar<long>(site, $"SELECT count(*) FROM audit_entries WHERE id = {id}"));
    }

    /// <summary>An issued report is frozen in the schema too: the site's role edits and issues a draft, never an issued one (ADR 0031).</summary>
    [Fact]
    public async Task The_site_role_edits_and_issues_a_draft_but_cannot_change_or_delete_an_issued_report()
    {
        await using (var db = TestDatabase.NewContext(_owner)) await db.MigrateAsync();
        await using var site = await Open(_site);
        var kind = await Scalar<int>(site, "INSERT INTO org_kinds (code, name, symbol, is_branch, sort_order) VALUES ('thu-bc', 'Thử báo cáo', 'T', false, 98) RETURNING id");
        var unit = await Scalar<int>(site, $"INSERT INTO org_units (code, name, kind_id, path, founded_year) VALUES ('THU-BC', 'Đơn vị thử', {kind}, '9901', 2020) RETURNING id");
        var report = await Scalar<int>(site, $"INSERT INTO reports (org_unit_id, year, status, strengths) VALUES ({unit}, 2026, 1, 'Dự thảo') RETURNING id");
        await Exec(site, $"UPDATE reports SET strengths = 'Dự thảo đã sửa' WHERE id = {report}");
        await Exec(site, $"UPDATE reports SET status = 2, number = 1, issued_on = '2026-12-15' WHERE id = {report}");
        foreach (var sql in new[]
                 {
                     $"UPDATE reports SET strengths = 'Sửa sau khi ban hành' WHERE id = {report}",
                     $"UPDATE reports SET deleted_at = now() WHERE id = {report}",
                     $"UPDATE reports SET status = 1 WHERE id = {report}",
                     $"DELETE FROM reports WHERE id = {report}",
                 })
        {
            var ex = await Assert.ThrowsAsync<PostgresException>(() => Exec(site, sql));
            Assert.True(ex.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {ex.SqlState} {ex.MessageText}");
        }
        await Exec(site, "CREATE TEMP TABLE pg_class AS SELECT 'reports'::regclass::oid AS oid, (SELECT oid FROM pg_roles WHERE rolname = current_user) AS relowner");
        var shadowed = await Assert.ThrowsAsync<PostgresException>(() => Exec(site, $"UPDATE reports SET strengths = 'Qua bảng tạm' WHERE id = {report}"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, shadowed.SqlState);
        await Exec(site, "DROP TABLE pg_temp.pg_class");
        Assert.Equal("Dự thảo đã sửa", await Scalar<string>(site, $"SELECT strengths FROM reports WHERE id = {report} AND status = 2 AND deleted_at IS NULL"));
    }

    /// <summary>
    /// Found by the attack walk: the member import stages its rows in a temporary table, which the site role could not
    /// create on a cluster made by scripts/run.sh (every other test connects as a superuser), so every import failed.
    /// </summary>
    [Fact]
    public async Task The_site_role_imports_members_from_a_file_through_the_command_line()
    {
        await using (var db = TestDatabase.NewContext(_owner)) await db.MigrateAsync();
        await using (var db = TestDatabase.NewContext(_site))
        {
            var province = await db.OrgKinds.Where(k => k.Code == "tinh-uy").Select(k => k.Id).SingleAsync();
            var branch = await db.OrgKinds.Where(k => k.Code == "chi-bo-co-so").Select(k => k.Id).SingleAsync();
            var root = await db.AddUnitAsync(null, province, "EMB", "Tỉnh ủy thử", new DateOnly(2020, 1, 1), default);
            await db.SaveChangesAsync();
            await db.AddUnitAsync(root, branch, "EMB-CB", "Chi bộ thử", new DateOnly(2020, 1, 1), default);
            await db.SaveChangesAsync();
        }
        var file = Path.Combine(_home, "dang-vien.csv");
        await File.WriteAllTextAsync(file, "Mã chi bộ,Họ và tên,Số thẻ đảng viên,Ngày vào Đảng\nEMB-CB,Nguyễn Văn Thử,08000001,15/03/2010\nEMB-CB,Trần Thị Thử,08000002,20/05/2012\n");
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = _site }).Build();
        var output = new StringWriter();
        var code = await HocLamTheoBac.Web.Cli.CommandLine.RunAsync(["import", "members", file, "--org", "EMB-CB"], output, config);
        Assert.True(code == 0, output.ToString());
        await using var conn = await Open(_site);
        Assert.Equal(2L, await Scalar<long>(conn, "SELECT count(*) FROM members m JOIN org_units u ON u.id = m.branch_id WHERE u.code = 'EMB-CB'"));
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "scripts", "lib", "embedded.sh"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static async Task<NpgsqlConnection> Open(string cs)
    {
        var c = new NpgsqlConnection(cs);
        await c.OpenAsync();
        return c;
    }

    private static async Task Exec(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}

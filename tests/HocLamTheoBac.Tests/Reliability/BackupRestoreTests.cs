using System.Security.Cryptography;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Cli;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Pledges;
using HocLamTheoBac.Web.Reports;
using HocLamTheoBac.Tests.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HocLamTheoBac.Tests.Reliability;

public sealed class BackupRestoreTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static IConfiguration Config(string cs, string? uploads = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = cs, ["Storage:Uploads"] = uploads }).Build();

    private static Task<(int Code, string Out)> Hlb(string cs, params string[] args) => HlbWith(cs, null, args);

    private static async Task<(int Code, string Out)> HlbWith(string cs, string? uploads, params string[] args)
    {
        var sw = new StringWriter();
        var code = await CommandLine.RunAsync(args, sw, Config(cs, uploads));
        return (code, sw.ToString());
    }

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Issue 13: the backup left the evidence files out (a restored site had rows without files) and was world-readable.</summary>
    [Fact]
    public async Task Backup_carries_the_evidence_files_and_a_restored_site_has_its_evidence_rows_with_their_files_all_0600()
    {
        var store = app.Services.GetRequiredService<EvidenceStore>();
        var bytes = new byte[300_000];
        new Random(13).NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        var relative = Path.Combine("2026", $"{Guid.NewGuid():N}.pdf");
        await using (var content = new MemoryStream(bytes)) await store.WriteAsync(relative, content, CancellationToken.None);
        await app.DbAsync(async db =>
        {
            var member = await db.Members.OrderBy(m => m.Id).FirstAsync();
            var pledge = new Pledge { MemberId = member.Id, BranchId = member.BranchId, Year = 2026, Content = "Việc có minh chứng sao lưu", Status = PledgeStatus.ReportedDone };
            db.Pledges.Add(pledge);
            await db.SaveChangesAsync();
            db.PledgeEvidence.Add(new PledgeEvidence { PledgeId = pledge.Id, FileName = "bien-ban.pdf", ContentType = "application/pdf", Size = bytes.Length, StoragePath = relative, UploadedAt = TestClock.Calendar.Now });
            await db.SaveChangesAsync();
        });
        var file = Path.Combine(Path.GetTempPath(), $"hlb-backup-{Guid.NewGuid():N}.dump");
        var restoredUploads = Path.Combine(Path.GetTempPath(), $"hlb-restored-{Guid.NewGuid():N}");
        var target = await TestDatabase.CreateAsync(migrated: false);
        try
        {
            var (code, output) = await HlbWith(app.ConnectionString, store.Root, "backup", "--out", file);
            Assert.True(code == 0, output);
            Assert.Equal(Private, File.GetUnixFileMode(file));
            Assert.Contains("tệp minh chứng", output);

            (code, output) = await HlbWith(target, restoredUploads, "restore", file);
            Assert.True(code == 0, output);
            await using var db = TestDatabase.NewContext(target);
            var rows = await db.PledgeEvidence.AsNoTracking().ToListAsync();
            Assert.Equal(await app.DbAsync(d => d.PledgeEvidence.CountAsync()), rows.Count);
            var restoredStore = new EvidenceStore(Config(target, restoredUploads));
            foreach (var row in rows)
            {
                var path = restoredStore.FullPath(row.StoragePath);
                Assert.True(File.Exists(path), $"{row.StoragePath} missing after restore");
                Assert.Equal(Private, File.GetUnixFileMode(path));
                Assert.Equal(await File.ReadAllBytesAsync(store.FullPath(row.StoragePath)), await File.ReadAllBytesAsync(path));
            }
            Assert.Contains(rows, r => r.StoragePath == relative);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(restoredStore.FullPath(relative)));
        }
        finally
        {
            File.Delete(file);
            if (Directory.Exists(restoredUploads)) Directory.Delete(restoredUploads, recursive: true);
            await TestDatabase.DropAsync(target);
        }
    }

    [Fact]
    public async Task A_backup_made_by_an_earlier_version_a_plain_pg_dump_still_restores()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hlb-plain-{Guid.NewGuid():N}.dump");
        var target = await TestDatabase.CreateAsync(migrated: false);
        try
        {
            var cs = new NpgsqlConnectionStringBuilder(app.ConnectionString);
            var psi = new System.Diagnostics.ProcessStartInfo(BackupVerb.FindBinary("pg_dump"), ["--format=custom", "--no-owner", "--file", file, "--host", cs.Host!, "--port", cs.Port.ToString(), "--username", cs.Username!, "--dbname", cs.Database!]);
            using (var p = System.Diagnostics.Process.Start(psi)!) { await p.WaitForExitAsync(); Assert.Equal(0, p.ExitCode); }
            var (code, output) = await Hlb(target, "restore", file);
            Assert.True(code == 0, output);
            Assert.Equal(await TestDatabase.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM members"),
                await TestDatabase.ScalarAsync<long>(target, "SELECT count(*) FROM members"));
        }
        finally
        {
            File.Delete(file);
            await TestDatabase.DropAsync(target);
        }
    }


    private static async Task<Dictionary<string, long>> RowCountsAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        var tables = new List<string>();
        await using (var cmd = new NpgsqlCommand("SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog','information_schema') ORDER BY 1", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) tables.Add(r.GetString(0));
        var counts = new Dictionary<string, long>();
        foreach (var t in tables)
        {
            await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {t}", conn);
            counts[t] = (long)(await cmd.ExecuteScalarAsync())!;
        }
        return counts;
    }

    private static async Task<Dictionary<int, string>> PdfHashesAsync(string cs)
    {
        await using var db = TestDatabase.NewContext(cs);
        return await db.Reports.IgnoreQueryFilters().Where(r => r.Pdf != null).ToDictionaryAsync(r => r.Id, r => Convert.ToHexString(SHA256.HashData(r.Pdf!)));
    }

    [Fact]
    public async Task Backup_then_restore_into_an_empty_database_gives_the_same_rows_and_the_same_report_bytes()
    {
        var pdf = new byte[200_000];
        new Random(8).NextBytes(pdf);
        "%PDF-1.7\n"u8.CopyTo(pdf);
        await app.DbAsync(async db =>
        {
            var unit = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP-PT");
            db.Reports.Add(new Report { OrgUnitId = unit.Id, Year = 2025, Status = ReportStatus.Issued, Number = 12, Symbol = "BC/ĐU", Pdf = pdf, PdfSha256 = Convert.ToHexString(SHA256.HashData(pdf)) });
            await db.SaveChangesAsync();
        });
        // Pledges, so the aggregates (ADR 0018) hold rows the restore must bring back exactly once.
        await TestDatabase.ExecAsync("""
            INSERT INTO pledges (member_id, branch_id, year, content, status) SELECT id, branch_id, 2026, 'Sao lưu', 7 FROM members ORDER BY id LIMIT 12
            """, app.ConnectionString);
        var file = Path.Combine(Path.GetTempPath(), $"hlb-backup-{Guid.NewGuid():N}.dump");
        var target = await TestDatabase.CreateAsync(migrated: false);
        try
        {
            var (code, output) = await Hlb(app.ConnectionString, "backup", "--out", file);
            Assert.True(code == 0, output);
            Assert.True(new FileInfo(file).Length > 100_000);

            (code, output) = await Hlb(target, "restore", file);
            Assert.True(code == 0, output);

            var before = await RowCountsAsync(app.ConnectionString);
            var after = await RowCountsAsync(target);
            // The dashboards' change log (ADR 0027) holds the source cluster's transaction ids: not restored.
            Assert.True(before["public.rollup_changes"] > 0);
            Assert.Equal((0L, 0L), (after["public.rollup_changes"], after["public.rollup_changes_pruned"]));
            foreach (var t in new[] { "public.rollup_changes", "public.rollup_changes_pruned" }) { before.Remove(t); after.Remove(t); }
            Assert.True(before.Count >= 20, $"only {before.Count} tables");
            Assert.Equal(before, after);
            Assert.True(before["public.members"] > 0 && before["public.reports"] == 1);
            var hashes = await PdfHashesAsync(target);
            Assert.Equal(await PdfHashesAsync(app.ConnectionString), hashes);
            Assert.Contains(Convert.ToHexString(SHA256.HashData(pdf)), hashes.Values);

            // The restored aggregates are exact (triggers are created after the data, nothing counted twice) ...
            (code, output) = await Hlb(target, "agg", "check");
            Assert.True(code == 0 && output.Contains("agg_differences=0", StringComparison.Ordinal), output);
            // ... and the operator's check finds a tampered count, which a rebuild repairs.
            await TestDatabase.ExecAsync("UPDATE agg_unit_figures SET n = n + 1 WHERE ctid = (SELECT ctid FROM agg_unit_figures WHERE n > 0 LIMIT 1)", target);
            (code, output) = await Hlb(target, "agg", "check");
            Assert.True(code == 1 && output.Contains("agg_differences=1", StringComparison.Ordinal), output);
            Assert.Equal(0, (await Hlb(target, "agg", "rebuild")).Code);
            Assert.Equal(0, (await Hlb(target, "agg", "check")).Code);
        }
        finally
        {
            File.Delete(file);
            await TestDatabase.DropAsync(target);
        }
    }

    [Fact]
    public async Task A_dashboard_kept_before_a_restore_shows_the_restored_figures_after_it()
    {
        // pg_restore writes the rows before any trigger exists: the change log cannot name them, the log's table created
        // again by the restore tells the kept roll-up to read everything (ADR 0027).
        var file = Path.Combine(Path.GetTempPath(), $"hlb-backup-{Guid.NewGuid():N}.dump");
        var target = await TestDatabase.CreateAsync(migrated: false);
        try
        {
            Assert.Equal(0, (await Hlb(app.ConnectionString, "backup", "--out", file)).Code);
            Assert.Equal(0, (await Hlb(target, "restore", file)).Code);
            await TestDatabase.ExecAsync("INSERT INTO pledges (member_id, branch_id, year, content, status) SELECT id, branch_id, 2026, 'Trước khi phục hồi', 7 FROM members ORDER BY id LIMIT 5", target);
            var memo = new RollupMemo();
            await using var db = TestDatabase.NewContext(target, clock: TestClock.Calendar);
            var root = await db.OrgUnits.Where(u => u.ParentId == null).Select(u => u.Id).SingleAsync();
            var before = await Rollup.ChildrenAsync(db, root, 2026, default, memo);

            var (code, output) = await Hlb(target, "restore", file, "--force");
            Assert.True(code == 0, output);
            var kept = await Rollup.ChildrenAsync(db, root, 2026, default, memo);
            var plain = await Rollup.ChildrenAsync(db, root, 2026, default);
            Assert.Equal(before.Totals.PledgesDone - 5, plain.Totals.PledgesDone);
            Assert.Equal(ScratchRollup.Values(plain.Totals), ScratchRollup.Values(kept.Totals));
        }
        finally
        {
            File.Delete(file);
            NpgsqlConnection.ClearAllPools();
            await TestDatabase.DropAsync(target);
        }
    }

    [Fact]
    public async Task Restore_refuses_a_database_that_already_has_tables_unless_forced()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hlb-backup-{Guid.NewGuid():N}.dump");
        var target = await TestDatabase.CreateAsync(migrated: true);
        try
        {
            Assert.Equal(0, (await Hlb(app.ConnectionString, "backup", "--out", file)).Code);
            Assert.Equal(1, (await Hlb(target, "restore", file)).Code);
            Assert.Equal(0, await TestDatabase.ScalarAsync<long>(target, "SELECT count(*) FROM members"));

            var (code, output) = await Hlb(target, "restore", file, "--force");
            Assert.True(code == 0, output);
            Assert.Equal(await TestDatabase.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM members"),
                await TestDatabase.ScalarAsync<long>(target, "SELECT count(*) FROM members"));
        }
        finally
        {
            File.Delete(file);
            await TestDatabase.DropAsync(target);
        }
    }

    /// <summary>The walk of session 19: "hlb backup --out /tmp" made the whole dump, then crashed with a stack trace ("Is a
    /// directory", exit 134).</summary>
    [Fact]
    public async Task Backup_to_a_folder_or_into_a_missing_folder_is_refused_in_Vietnamese_before_the_dump_with_exit_1()
    {
        var folder = Directory.CreateTempSubdirectory("hlb-backup-out-").FullName;
        try
        {
            var errors = new StringWriter();
            Assert.Equal(1, await CommandLine.RunAsync(["backup", "--out", folder], new StringWriter(), Config(app.ConnectionString), errors: errors));
            Assert.Equal($"Lỗi: {folder} là một thư mục: --out cần tên tệp, ví dụ {Path.Combine(folder, "hlb.backup")}.", errors.ToString().Trim());
            Assert.Empty(Directory.GetFileSystemEntries(folder));
            // Nor into a folder that does not exist: it was created, anywhere, as whoever ran the backup.
            var missing = Path.Combine(folder, "khong-co", "hlb.backup");
            errors = new StringWriter();
            Assert.Equal(1, await CommandLine.RunAsync(["backup", "--out", missing], new StringWriter(), Config(app.ConnectionString), errors: errors));
            Assert.Equal($"Lỗi: không ghi được tệp {missing}: thư mục {Path.Combine(folder, "khong-co")} không tồn tại.", errors.ToString().Trim());
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public async Task Backup_and_restore_are_for_the_operator_only()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hlb-backup-{Guid.NewGuid():N}.dump");
        Assert.Equal(1, (await Hlb(app.ConnectionString, "backup", "--out", file, "--as", "admin@hlb.local")).Code);
        Assert.False(File.Exists(file));
        Assert.Equal(1, (await Hlb(app.ConnectionString, "restore", file, "--as", "admin@hlb.local")).Code);
        Assert.Equal(2, (await Hlb(app.ConnectionString, "backup")).Code);
        Assert.Equal(1, (await Hlb(app.ConnectionString, "agg", "check", "--as", "admin@hlb.local")).Code);
        Assert.Equal(1, (await Hlb(app.ConnectionString, "agg", "rebuild", "--as", "admin@hlb.local")).Code);
    }
}

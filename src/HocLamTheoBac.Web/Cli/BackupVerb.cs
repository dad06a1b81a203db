using HocLamTheoBac.Web.Data;
using System.Diagnostics;
using System.Formats.Tar;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Pledges;
using Npgsql;

namespace HocLamTheoBac.Web.Cli;

/// <summary>
/// hlb backup --out FILE / hlb restore FILE [--force]: one file (0600) holding the database (pg_dump, custom format)
/// and every evidence file its rows name, as a tar archive (<c>database.dump</c>, <c>evidence/…</c>); a restored site
/// has its evidence rows with their files. A plain pg_dump file made by earlier versions still restores (rows only).
/// Operator only: the whole database is beyond any account's scope.
/// </summary>
internal static class BackupVerb
{
    private const string DatabaseEntry = "database.dump";
    private const string EvidencePrefix = "evidence/";

    public static async Task<int> BackupAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        RefuseAccount(a);
        if (a.Words.Count != 0) throw new UsageException("Cách dùng: hlb backup --out FILE.");
        var file = OutputFile.Check(a.Required("out"), "hlb.backup");
        var cs = Connection(host);
        var store = host.Services.GetRequiredService<EvidenceStore>();
        // Work beside the output (the dump may be large): a 0700 folder removed at the end.
        var work = new DirectoryInfo(file + ".partial.d");
        if (work.Exists) work.Delete(recursive: true);
        PrivateFiles.EnsureDirectory(work.FullName);
        var temp = file + ".partial";
        try
        {
            // The dump holds password hashes and every member's data: every file on its way is 0600 from the start.
            var dump = Path.Combine(work.FullName, DatabaseEntry);
            await using (PrivateFiles.CreateNew(dump)) { }
            await RunAsync("pg_dump", cs, ["--format=custom", "--no-owner", "--file", dump, "--dbname", cs.Database!], ct);
            var evidence = await EvidencePathsAsync(cs, ct);
            var missing = 0;
            File.Delete(temp);
            await using (var output = PrivateFiles.CreateNew(temp))
            await using (var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: false))
            {
                await tar.WriteEntryAsync(dump, DatabaseEntry, ct);
                foreach (var relative in evidence)
                {
                    var full = store.FullPath(relative);
                    if (!File.Exists(full)) { missing++; continue; }
                    await tar.WriteEntryAsync(full, EvidencePrefix + relative.Replace(Path.DirectorySeparatorChar, '/'), ct);
                }
            }
            PrivateFiles.Restrict(temp);
            try { File.Move(temp, file, overwrite: true); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { throw OutputFile.Failure(file, ex); }
            await o.WriteLineAsync($"Đã sao lưu cơ sở dữ liệu {cs.Database} và {Vn.Number(evidence.Count - missing)} tệp minh chứng vào {file} ({Vn.Number(new FileInfo(file).Length)} byte).");
            if (missing > 0) await o.WriteLineAsync($"Cảnh báo: {Vn.Number(missing)} tệp minh chứng có trong cơ sở dữ liệu nhưng không còn trong {store.Root}.");
            return 0;
        }
        finally
        {
            File.Delete(temp);
            work.Delete(recursive: true);
        }
    }

    public static async Task<int> RestoreAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        RefuseAccount(a);
        if (a.Words.Count != 1) throw new UsageException("Cách dùng: hlb restore FILE [--force].");
        var file = Path.GetFullPath(a.Words[0]);
        if (!File.Exists(file)) throw new CliFailure($"không có tệp {file}.");
        var cs = Connection(host);
        var tables = await CountTablesAsync(cs, ct);
        if (tables > 0 && !a.Has("force"))
            throw new CliFailure($"cơ sở dữ liệu {cs.Database} đã có {tables} bảng; phục hồi sẽ ghi đè toàn bộ. Thêm --force nếu chắc chắn.");
        var store = host.Services.GetRequiredService<EvidenceStore>();
        var work = Directory.CreateTempSubdirectory("hlb-restore-");
        try
        {
            var archive = IsPgDump(file) ? null : file;
            var dump = file;
            if (archive is not null)
            {
                dump = Path.Combine(work.FullName, DatabaseEntry);
                if (!await ExtractDatabaseAsync(archive, dump, ct)) throw new CliFailure($"{file} không phải tệp sao lưu của hệ thống (thiếu {DatabaseEntry}).");
            }
            await RestoreDatabaseAsync(cs, dump, work.FullName, ct);
            var files = archive is null ? 0 : await RestoreEvidenceAsync(archive, store, ct);
            await o.WriteLineAsync($"Đã phục hồi cơ sở dữ liệu {cs.Database} và {Vn.Number(files)} tệp minh chứng (vào {store.Root}) từ {file}.");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static bool IsPgDump(string file)
    {
        Span<byte> head = stackalloc byte[5];
        using var f = File.OpenRead(file);
        return f.ReadAtLeast(head, 5, throwOnEndOfStream: false) == 5 && head.SequenceEqual("PGDMP"u8);
    }

    private static async Task<bool> ExtractDatabaseAsync(string archive, string target, CancellationToken ct)
    {
        await using var input = File.OpenRead(archive);
        TarReader reader;
        try { reader = new TarReader(input); }
        catch (Exception ex) when (ex is InvalidDataException or FormatException) { return false; }
        await using (reader)
        {
            try
            {
                while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.Name != DatabaseEntry || entry.DataStream is null) continue;
                    await using var output = PrivateFiles.CreateNew(target);
                    await entry.DataStream.CopyToAsync(output, ct);
                    return true;
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new CliFailure($"tệp sao lưu {archive} bị hỏng: {ex.Message}");
            }
        }
        return false;
    }

    /// <summary>Writes the archive's evidence files under the evidence folder (0600), each path kept inside it.</summary>
    private static async Task<int> RestoreEvidenceAsync(string archive, EvidenceStore store, CancellationToken ct)
    {
        var count = 0;
        await using var input = File.OpenRead(archive);
        await using var reader = new TarReader(input);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null
                || !entry.Name.StartsWith(EvidencePrefix, StringComparison.Ordinal)) continue;
            var relative = entry.Name[EvidencePrefix.Length..].Replace('/', Path.DirectorySeparatorChar);
            try { store.FullPath(relative); }
            catch (InvalidOperationException) { throw new CliFailure($"tệp sao lưu có đường dẫn không hợp lệ: {entry.Name}."); }
            await store.WriteAsync(relative, entry.DataStream, ct);
            count++;
        }
        return count;
    }

    private static async Task<List<string>> EvidencePathsAsync(NpgsqlConnectionStringBuilder cs, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(cs.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT storage_path FROM pledge_evidence ORDER BY id", conn);
        var paths = new List<string>();
        try
        {
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) paths.Add(r.GetString(0));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // A database not migrated yet has no evidence.
        }
        return paths;
    }

    private static async Task RestoreDatabaseAsync(NpgsqlConnectionStringBuilder cs, string file, string work, CancellationToken ct)
    {
        // Extensions (ltree, unaccent, pg_trgm) stay as they are: they belong to whoever created them, not necessarily to
        // the schema's owner, so the dump's own DROP/CREATE EXTENSION is left out and an empty database gets each extension
        // the dump names here (all of them trusted: the database owner may create them).
        var list = Path.Combine(work, "restore.list");
        var toc = await RunAsync("pg_restore", cs, ["--list", file], ct, connect: false);
        var extensions = toc.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Match(l, @" EXTENSION - ([a-z_0-9]+)"))
            .Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().ToList();
        await using (var conn = new NpgsqlConnection(cs.ConnectionString))
        {
            await conn.OpenAsync(ct);
            foreach (var ext in extensions)
            {
                await using var cmd = new NpgsqlCommand($"CREATE EXTENSION IF NOT EXISTS \"{ext}\"", conn);
                await cmd.ExecuteNonQueryAsync(ct);
            }
        }
        // The dashboards' change log holds transaction ids of the cluster that wrote it: its rows are left out (ADR 0027).
        var notRestored = RollupChangesSql.NotRestored.Select(t => $" TABLE DATA public {t} ").ToList();
        await File.WriteAllLinesAsync(list, toc.Split('\n').Where(l => !l.Contains(" EXTENSION ", StringComparison.Ordinal)
            && !notRestored.Any(t => l.Contains(t, StringComparison.Ordinal))), ct);
        await RunAsync("pg_restore", cs, ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--use-list", list, "--dbname", cs.Database!, file], ct);
        NpgsqlConnection.ClearAllPools();
    }

    private static void RefuseAccount(CliArgs a)
    {
        a.Allow("out", "force");
        if (a.Has("as")) throw new CliFailure("sao lưu và phục hồi chỉ dành cho người vận hành máy chủ, không dùng với --as.");
    }

    private static NpgsqlConnectionStringBuilder Connection(CliHost host)
    {
        // The schema's owner: the site's own role may not drop and recreate tables.
        var raw = ServiceSetup.OwnerConnectionString(host.Services.GetRequiredService<IConfiguration>());
        var cs = new NpgsqlConnectionStringBuilder(raw);
        if (string.IsNullOrEmpty(cs.Database)) throw new CliFailure("chuỗi kết nối không có tên cơ sở dữ liệu (Database=…).");
        return cs;
    }

    private static async Task<long> CountTablesAsync(NpgsqlConnectionStringBuilder cs, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(cs.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')", conn);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The PostgreSQL client binary: HLB_PG_BIN, then PATH, then the newest /usr/lib/postgresql/*/bin.</summary>
    internal static string FindBinary(string name)
    {
        var dirs = new List<string>();
        if (Environment.GetEnvironmentVariable("HLB_PG_BIN") is { Length: > 0 } pgBin) dirs.Add(pgBin);
        dirs.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        if (Directory.Exists("/usr/lib/postgresql"))
            dirs.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).Select(d => Path.Combine(d, "bin")));
        return dirs.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists)
               ?? throw new CliFailure($"không tìm thấy {name} (cài gói postgresql-client hoặc thêm thư mục bin của PostgreSQL vào PATH).");
    }

    private static async Task<string> RunAsync(string tool, NpgsqlConnectionStringBuilder cs, IEnumerable<string> args, CancellationToken ct, bool connect = true)
    {
        var psi = new ProcessStartInfo(FindBinary(tool)) { RedirectStandardError = true, RedirectStandardOutput = true };
        if (connect)
        {
            psi.ArgumentList.Add("--host"); psi.ArgumentList.Add(cs.Host ?? "127.0.0.1");
            psi.ArgumentList.Add("--port"); psi.ArgumentList.Add(cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!string.IsNullOrEmpty(cs.Username)) { psi.ArgumentList.Add("--username"); psi.ArgumentList.Add(cs.Username); }
            psi.ArgumentList.Add("--no-password");
        }
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        // The password goes through the environment, never the command line (visible to every user in ps).
        if (!string.IsNullOrEmpty(cs.Password)) psi.Environment["PGPASSWORD"] = cs.Password;
        if (!string.IsNullOrEmpty(cs.Passfile)) psi.Environment["PGPASSFILE"] = cs.Passfile;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync(ct);
        var outp = p.StandardOutput.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
        {
            var message = (await err).Trim().Split('\n').FirstOrDefault(l => l.Length > 0) ?? $"mã thoát {p.ExitCode}";
            throw new CliFailure($"{tool} thất bại: {message}");
        }
        return await outp;
    }
}

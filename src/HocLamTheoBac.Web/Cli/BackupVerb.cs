using System.Diagnostics;
using HocLamTheoBac.Web.Infrastructure;
using Npgsql;

namespace HocLamTheoBac.Web.Cli;

/// <summary>
/// hlb backup --out FILE / hlb restore FILE [--force]: pg_dump (custom format) and pg_restore of the database
/// the site uses (ConnectionStrings:Default). Operator only: the whole database is beyond any account's scope.
/// </summary>
internal static class BackupVerb
{
    public static async Task<int> BackupAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        RefuseAccount(a);
        if (a.Words.Count != 0) throw new UsageException("Cách dùng: hlb backup --out FILE.");
        var file = Path.GetFullPath(a.Required("out"));
        var cs = Connection(host);
        var temp = file + ".partial";
        // Created 0600 before pg_dump writes into it: the dump holds password hashes and every member's data.
        File.Delete(temp);
        await using (PrivateFiles.CreateNew(temp)) { }
        await RunAsync("pg_dump", cs, ["--format=custom", "--no-owner", "--file", temp, "--dbname", cs.Database!], ct);
        PrivateFiles.Restrict(temp);
        File.Move(temp, file, overwrite: true);
        await o.WriteLineAsync($"Đã sao lưu cơ sở dữ liệu {cs.Database} vào {file} ({new FileInfo(file).Length:N0} byte).");
        return 0;
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
        // Extensions (ltree, unaccent, pg_trgm) stay as they are: they belong to whoever created them, not necessarily to
        // the schema's owner, so the dump's own DROP/CREATE EXTENSION is left out and an empty database gets each extension
        // the dump names here (all of them trusted: the database owner may create them).
        var list = file + ".list";
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
        await File.WriteAllLinesAsync(list, toc.Split('\n').Where(l => !l.Contains(" EXTENSION ", StringComparison.Ordinal)), ct);
        try
        {
            await RunAsync("pg_restore", cs, ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--use-list", list, "--dbname", cs.Database!, file], ct);
        }
        finally
        {
            File.Delete(list);
        }
        NpgsqlConnection.ClearAllPools();
        await o.WriteLineAsync($"Đã phục hồi cơ sở dữ liệu {cs.Database} từ {file}.");
        return 0;
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

using System.Diagnostics;
using System.Globalization;
using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Web.Cli;

/// <summary>
/// <c>hlb agg check</c>: compares the kept aggregates (ADR 0018) with a count from scratch of every unit and year and
/// prints the number of differences (the first few listed); exit code 0 when exact, 1 otherwise (scripts/bench.sh
/// fails on it). <c>hlb agg rebuild</c>: counts every aggregate again in one transaction. Operator only.
/// </summary>
internal static class AggVerb
{
    public static async Task<int> CheckAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        OperatorOnly(a);
        await using var scope = host.Services.CreateAsyncScope();
        await using var conn = await scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
        var sw = Stopwatch.StartNew();
        await using var cmd = new NpgsqlCommand("SELECT what, unit_id, year, detail, kept, counted FROM agg_differences() ORDER BY 1, 2, 3, 4", conn) { CommandTimeout = 0 };
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var n = 0;
        while (await r.ReadAsync(ct))
        {
            if (n++ < 20)
                await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {r.GetString(0)} đơn vị {(r.IsDBNull(1) ? "-" : r.GetInt32(1))} năm {r.GetInt32(2)} [{r.GetString(3)}]: lưu {r.GetInt64(4)}, đếm lại {r.GetInt64(5)}"));
        }
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"agg_differences={n} check_ms={sw.Elapsed.TotalMilliseconds:F0}"));
        await o.WriteLineAsync(n == 0 ? "Số liệu tổng hợp khớp với số đếm lại từ đầu." : $"Có {n} chênh lệch: chạy 'hlb agg rebuild' để đếm lại.");
        return n == 0 ? 0 : 1;
    }

    public static async Task<int> RebuildAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        OperatorOnly(a);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
        var sw = Stopwatch.StartNew();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SELECT agg_rebuild()", ct);
        await tx.CommitAsync(ct);
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Đã đếm lại số liệu tổng hợp trong {sw.Elapsed.TotalSeconds:F1} giây."));
        return 0;
    }

    private static void OperatorOnly(CliArgs a)
    {
        if (a.Has("as")) throw new CliFailure("kiểm tra và đếm lại số liệu tổng hợp chỉ dành cho người vận hành máy chủ, không dùng với --as.");
    }
}

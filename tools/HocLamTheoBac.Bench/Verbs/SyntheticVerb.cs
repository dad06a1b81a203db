using System.Globalization;
using HocLamTheoBac.Web.Data.Synthetic;
using HocLamTheoBac.Web.Domain;
using Npgsql;
using Spectre.Console;

namespace HocLamTheoBac.Web.Cli;

/// <summary>
/// <c>hlb seed synthetic --members N --years Y --seed S [--to YEAR] [--open] [--code SYN]</c>: a synthetic province
/// beside the existing data (empty or demo). <c>--open</c> leaves the last year open (the current year's shape: no admission or transfer after today). Prints one summary line that scripts/bench.sh reads.
/// </summary>
internal static class SyntheticVerb
{
    public static async Task<int> RunAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        var members = a.RequiredInt("members");
        var years = a.OptionalInt("years") ?? 1;
        var seed = a.OptionalInt("seed") ?? 1;
        var to = a.OptionalInt("to") ?? VietnamCalendar.System.Year - 1;
        var code = a.Get("code") ?? "SYN";
        if (members is < 50 or > 10_000_000) throw new UsageException("--members phải từ 50 đến 10.000.000.");
        if (years is < 1 or > 10) throw new UsageException("--years phải từ 1 đến 10.");
        if (code.Length is 0 or > 12 || !code.All(c => char.IsAsciiLetterOrDigit(c))) throw new UsageException("--code chỉ gồm chữ và số (tối đa 12 ký tự).");
        var options = new SyntheticOptions(members, years, seed, to, code, a.Has("open"), VietnamCalendar.System.Today);
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        LoadResult result;
        try
        {
            if (ReferenceEquals(o, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
            {
                result = await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async ctx => await SyntheticLoader.RunAsync(dataSource, options, new SpectreProgress(ctx), ct));
            }
            else result = await SyntheticLoader.RunAsync(dataSource, options, null, ct);
        }
        catch (SyntheticException ex) { throw new CliFailure(ex.Message); }

        var inv = CultureInfo.InvariantCulture;
        await o.WriteLineAsync($"Đã tạo tỉnh tổng hợp {code}: {Vn.Number(result.Units)} tổ chức, {Vn.Number(result.Members)} đảng viên, {Vn.Number(result.Pledges)} việc làm theo ({years} năm đến {to}).");
        await o.WriteLineAsync(string.Create(inv, $"synthetic rows={result.Rows} units={result.Units} members={result.Members} pledges={result.Pledges} build_ms={result.Build.TotalMilliseconds:F0} load_ms={result.Load.TotalMilliseconds:F0} agg_ms={result.Aggregates.TotalMilliseconds:F0} analyze_ms={result.Analyze.TotalMilliseconds:F0}"));
        return 0;
    }

    private sealed class SpectreProgress(ProgressContext ctx) : ILoadProgress
    {
        private ProgressTask? _task;

        public void Table(string name, long rows)
        {
            _task?.StopTask();
            _task = ctx.AddTask(name, maxValue: Math.Max(1, rows));
        }

        public void Advance(long rows) => _task?.Increment(rows);
    }
}

using System.Globalization;
using HocLamTheoBac.Web.Cli;
using HocLamTheoBac.Web.Infrastructure;

namespace HocLamTheoBac.Bench;

// The benchmark's verbs, with the same host and argument rules as `hlb` (src/HocLamTheoBac.Web/Cli):
//   seed synthetic --members N [--years Y] [--seed S] [--to YEAR] [--open] [--code SYN]
//   bench-rollup --org CODE --year Y [--runs N] [--explain=1 [--trend=1]] [--cpu=1 | --profile=1 [--kept=1: through the memo]]
//   bench-report --org CODE --branch CODE --year Y [--runs N] [--save DIR]
//   bench-render --model FILE.json [--runs N] [--out FILE.pdf]   (the render alone, from a model saved by bench-report --save)
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = ServiceSetup.Vietnamese;
        const string usage = "Cách dùng: HocLamTheoBac.Bench seed synthetic --members N [--years Y] [--seed S] [--to NĂM] [--open] [--code MÃ] | bench-rollup --org MÃ --year NĂM [--runs N] | bench-report --org MÃ --branch MÃ --year NĂM [--runs N]";
        if (args.Length == 0) { Console.Error.WriteLine(usage); return 2; }
        try
        {
            var a = CliArgs.Parse(args.Skip(1), new HashSet<string> { "open" });
            await using var host = CliHost.Create(null);
            var o = Console.Out;
            var ct = CancellationToken.None;
            switch (args[0], a.Words.FirstOrDefault())
            {
                case ("seed", "synthetic"):
                    a.Allow("members", "years", "seed", "to", "code", "open");
                    return await SyntheticVerb.RunAsync(host, a, o, ct);
                case ("bench-rollup", null):
                    a.Allow("org", "year", "runs", "explain", "trend", "profile", "cpu", "kept");
                    return await BenchRollupVerb.RunAsync(host, a, o, ct);
                case ("bench-report", null):
                    a.Allow("org", "branch", "year", "runs", "save");
                    return await BenchReportVerb.RunAsync(host, a, o, ct);
                case ("bench-render", null):
                    a.Allow("model", "runs", "out", "each");
                    return await BenchReportVerb.RenderAsync(a, o);
                default:
                    throw new UsageException($"Lệnh không hợp lệ: {string.Join(' ', args)}.");
            }
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(usage);
            return 2;
        }
        catch (CliFailure ex)
        {
            Console.Error.WriteLine($"Lỗi: {ex.Message}");
            return 1;
        }
    }
}

using HocLamTheoBac.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Cli;

internal static class OrgsVerb
{
    public static async Task<int> PrintAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        var (scope, _, access, user) = await host.ActAsync(a, ct);
        await using var _s = scope;
        var rows = await access.Units(user, Permission.ViewUnit).AsNoTracking()
            .OrderBy(u => u.Path)
            .Select(u => new { u.Code, Kind = u.Kind.Name, u.Name, Depth = u.Path.NLevel, u.ClosedOn })
            .ToListAsync(ct);
        if (rows.Count == 0) { await o.WriteLineAsync("(không có tổ chức nào trong phạm vi)"); return 0; }
        var top = rows.Min(r => r.Depth);
        foreach (var r in rows)
            await o.WriteLineAsync($"{new string(' ', 2 * (r.Depth - top))}{r.Code}\t{r.Kind}\t{r.Name}{(r.ClosedOn is { } c ? $" (đã giải thể {Vn.D(c)})" : "")}");
        return 0;
    }
}

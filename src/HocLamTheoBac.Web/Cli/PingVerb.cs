using HocLamTheoBac.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Cli;

/// <summary>
/// <c>hlb ping</c>: what every verb pays before its own work, and nothing more — the command line's services built,
/// the operator's (or --as account's) scope, the data model of the database context, one connection and one round trip
/// (<c>SELECT version()</c>). An operator's check that the server is reachable, and the start-up baseline of the member
/// import's bench row (ADR "CLI start-up": the import cannot start faster than this).
/// </summary>
internal static class PingVerb
{
    public static async Task<int> RunAsync(CliHost host, CliArgs a, TextWriter o, CancellationToken ct)
    {
        var (scope, db, _, user) = await host.ActAsync(a, ct);
        await using var _s = scope;
        _ = db.Model;   // the context's model, as the first query of any verb builds it
        var version = await db.Database.SqlQueryRaw<string>("SELECT current_setting('server_version') AS \"Value\"").SingleAsync(ct);
        var database = db.Database.GetDbConnection().Database;
        await o.WriteLineAsync($"Kết nối được cơ sở dữ liệu {database} (PostgreSQL {version}){(user.IsOperator ? "" : " với quyền của " + a.Get("as"))}.");
        return 0;
    }
}

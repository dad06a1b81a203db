using HocLamTheoBac.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// Reads that may go to a hot standby when the operator allows it (Database:ReadFromStandby = true and a
/// multi-host connection string): the dashboard's figures and report downloads, issued or draft. Pages take
/// them as <c>[FromKeyedServices(StandbyReads.Key)] AppDbContext</c>; otherwise (the default) that is the
/// ordinary context on the primary. Writes never go here. See docs/adr/0005-scaling-plan.md.
/// </summary>
public static class StandbyReads
{
    public const string Key = "standby-reads";

    public static IServiceCollection AddStandbyReads(this IServiceCollection services)
    {
        services.AddKeyedScoped<AppDbContext>(Key, (sp, _) =>
        {
            var config = sp.GetRequiredService<IConfiguration>();
            if (!config.GetValue("Database:ReadFromStandby", false) || sp.GetRequiredService<NpgsqlDataSource>() is not NpgsqlMultiHostDataSource hosts)
                return sp.GetRequiredService<AppDbContext>();
            var options = new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(PreferStandby(sp, hosts)).Options;
            return new AppDbContext(options, sp.GetService<ICurrentActor>());
        });
        return services;
    }

    // One wrapper for the process: it shares the host pools of the primary data source.
    private static NpgsqlDataSource PreferStandby(IServiceProvider sp, NpgsqlMultiHostDataSource hosts) =>
        sp.GetRequiredService<Holder>().Get(hosts);

    internal sealed class Holder
    {
        private NpgsqlDataSource? _source;
        public NpgsqlDataSource Get(NpgsqlMultiHostDataSource hosts) =>
            LazyInitializer.EnsureInitialized(ref _source, () => hosts.WithTargetSession(TargetSessionAttributes.PreferStandby));
    }

    /// <summary>Whether <paramref name="db"/>, the keyed context of this scope, reads from a standby (otherwise it is the
    /// scope's ordinary context on the primary, whose data is current by definition: no need to ask).</summary>
    public static bool MayReadStandby(IServiceProvider scope, AppDbContext db) => !ReferenceEquals(db, scope.GetRequiredService<AppDbContext>());

    /// <summary>How fresh a standby's data is: null on the primary (current by definition); on a standby, now when
    /// it has replayed everything it received (with synchronous replication that is every acknowledged commit),
    /// else the commit time of the last transaction it replayed.</summary>
    public static async Task<DateTimeOffset?> AsOfAsync(AppDbContext db, CancellationToken ct)
    {
        var asOf = await db.Database.SqlQueryRaw<DateTime?>("""
            SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL
                        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN now()
                        ELSE pg_last_xact_replay_timestamp() END AS "Value"
            """).SingleAsync(ct);
        return asOf is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
    }
}

using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>Checks that the kept aggregates (ADR 0011) equal a count from scratch.</summary>
public static class AggregateCheck
{
    /// <summary>Every difference between the aggregate tables and the rows counted again (agg_differences()).</summary>
    public static async Task<List<string>> DifferencesAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT what, unit_id, year, detail, kept, counted FROM agg_differences() ORDER BY 1, 2, 3, 4", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var diffs = new List<string>();
        while (await r.ReadAsync())
            diffs.Add($"{r.GetString(0)} unit {(r.IsDBNull(1) ? "-" : r.GetInt32(1))} year {r.GetInt32(2)} [{r.GetString(3)}]: kept {r.GetInt64(4)}, counted {r.GetInt64(5)}");
        return diffs;
    }

    /// <summary>
    /// The roll-up of every top-level unit read from the aggregates and counted from scratch, for each year and
    /// as-of day given: every unit's every figure must agree. Returns the disagreements.
    /// </summary>
    public static async Task<List<string>> RollupDisagreementsAsync(AppDbContext db, IEnumerable<(int Year, DateOnly AsOf)> when)
    {
        var roots = await db.OrgUnits.Where(u => u.ParentId == null).Select(u => u.Id).ToListAsync();
        var bad = new List<string>();
        foreach (var (year, asOf) in when)
            foreach (var root in roots)
            {
                var kept = await Rollup.ComputeAsync(db, root, year, asOf, Rollup.Source.Aggregates, CancellationToken.None);
                var scratch = await Rollup.ComputeAsync(db, root, year, asOf, Rollup.Source.Scratch, CancellationToken.None);
                var s = scratch.All.ToDictionary(u => u.UnitId);
                if (kept.All.Count != scratch.All.Count) bad.Add($"{year} {asOf}: {kept.All.Count} units vs {scratch.All.Count}");
                foreach (var u in kept.All)
                    if (!s.TryGetValue(u.UnitId, out var other) || other.Figures != u.Figures)
                        bad.Add($"{year} as of {asOf:dd/MM/yyyy} {u.Code}: aggregates {u.Figures} vs scratch {other?.Figures}");
                if (!kept.Indicators.SequenceEqual(scratch.Indicators)) bad.Add($"{year} {asOf}: indicators differ");
            }
        return bad;
    }
}

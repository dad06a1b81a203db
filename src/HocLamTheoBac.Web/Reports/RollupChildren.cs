using HocLamTheoBac.Web.Data;

namespace HocLamTheoBac.Web.Reports;

/// <summary>
/// What the dashboard shows of a roll-up: the unit's totals and its direct children's (<see cref="Rollup.ChildrenAsync"/>).
/// </summary>
public sealed record RollupHead(int Year, DateOnly AsOf, UnitFigures? Root, IReadOnlyList<UnitFigures> Children)
{
    public Figures Totals => Root?.Figures ?? new Figures();
}

// The narrow form of the roll-up for the dashboard, beside Rollup.ComputeAsync (Reports/Rollup.cs, owned with the
// aggregates): the same read of each unit's own figures (ReadAsync: the aggregates' rows, added up by the counting rules
// of Domain/), then one sum per direct child instead of one per ancestor, without the indicators.
public static partial class Rollup
{
    /// <summary>
    /// The unit's totals and each direct child's, as of <see cref="AsOfFor"/>: the same figures as
    /// <see cref="ComputeAsync(AppDbContext, int, int, CancellationToken)"/>'s <see cref="RollupResult.Root"/> and
    /// <see cref="RollupResult.Children"/> (children in the same order), without the other units' figures or the
    /// indicators. The root's totals are the sum of its own row and its children's subtrees.
    /// </summary>
    public static async Task<RollupHead> ChildrenAsync(AppDbContext db, int unitId, int year, CancellationToken ct, RollupMemo? memo = null)
    {
        var asOf = db.Clock.AsOf(year);
        return await db.OnConnectionAsync(async conn =>
        {
            await using var reading = await OpenAsync(db, conn, unitId, [year], [asOf], ct, memo);
            if (reading.Roots.Years.Length == 0) return new RollupHead(year, asOf, null, []);
            var read = await reading.ReadAsync(conn, new ReadShape(Names: true, Ordered: false, Indicators: false, RecordedOnly: false), year, ct);
            var rows = read.Years[year];
            var depth = rows.ById.TryGetValue(unitId, out var self) ? self.Labels.Length : reading.Roots.Paths[0].Split('.').Length;
            // Each unit's own figures to the direct child of the root its path passes through (the root's own to the root).
            var sums = new Dictionary<int, int[]>();
            var total = new int[Columns.Length];
            foreach (var u in rows.Units)
            {
                var at = u.Labels.Length == depth ? u.Id : u.Labels[depth];
                if (!sums.TryGetValue(at, out var v)) sums[at] = v = new int[Columns.Length];
                for (var c = 0; c < v.Length; c++)
                {
                    v[c] = checked(v[c] + u.Own[c]);
                    total[c] = checked(total[c] + u.Own[c]);
                }
            }
            UnitFigures? root = null;
            var children = new List<UnitFigures>();
            foreach (var (id, v) in sums)
            {
                if (!rows.ById.TryGetValue(id, out var u)) continue;
                var k = read.Kinds[u.KindId];
                var row = new UnitFigures(u.Id, u.Parent, u.Code!, u.Name!, k.Name, k.Symbol, k.IsBranch, u.Labels.Length, ToFigures(id == unitId ? total : v));
                if (id == unitId) root = row;
                else children.Add(row);
            }
            return new RollupHead(year, asOf, root, [.. children.OrderBy(u => u.Code, StringComparer.Ordinal)]);
        }, ct);
    }
}

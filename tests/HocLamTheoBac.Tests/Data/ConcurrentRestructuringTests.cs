using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Data;

/// <summary>
/// Found by the attack walk of session 12: two restructurings posted at once each checked what it had read before the
/// other committed, and both went through — two units each the other's parent, two branches merged into each other (the
/// province's total lost their pledges). A restructuring given units that changed since they were read is refused
/// (<see cref="Restructuring.ChangedMeanwhile"/>), and restructurings run one at a time.
/// </summary>
public sealed class ConcurrentRestructuringTests(ConcurrentRestructuringTests.Site app) : IClassFixture<ConcurrentRestructuringTests.Site>
{
    /// <summary>A database of its own: the tests move and merge units.</summary>
    public sealed class Site : AppFactory;

    /// <summary>Two pages' views of the units (each its own context, read before either posts).</summary>
    private static async Task<(AppDbContext Db, OrgUnit A, OrgUnit B)> ReadAsync(string cs, string a, string b)
    {
        var db = TestDatabase.NewContext(cs);
        return (db, await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Code == a), await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Code == b));
    }

    [Fact]
    public async Task Two_moves_read_at_once_that_would_make_each_unit_the_other_s_parent_leave_one_refused_and_the_tree_whole()
    {
        var (first, ward, commune) = await ReadAsync(app.ConnectionString, "TQ-TP-PT", "TQ-TP-MX");
        var (second, commune2, ward2) = await ReadAsync(app.ConnectionString, "TQ-TP-MX", "TQ-TP-PT");
        await using (first) await using (second)
        {
            Assert.Null(await Restructuring.MoveAsync(first, ward, commune, first.Clock.Today, default));
            Assert.Equal(Restructuring.ChangedMeanwhile, await Restructuring.MoveAsync(second, commune2, ward2, second.Clock.Today, default));
        }
        // Every unit's path is its parent's path and its own id, from the top: no cycle, no two versions of a subtree.
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.ConnectionString, """
            SELECT count(*) FROM org_units u LEFT JOIN org_units p ON p.id = u.parent_id
            WHERE u.path <> CASE WHEN p.id IS NULL THEN u.id::text::ltree ELSE p.path || u.id::text END
            """));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM agg_differences()"));
    }

    [Fact]
    public async Task Two_branches_merged_into_each_other_at_once_leave_one_merge_and_every_pledge_counted()
    {
        var cs = app.ConnectionString;
        var province = await app.OrgIdAsync("TQ");
        Task<long> RolledUpAsync() => app.DbAsync(async db => (await HocLamTheoBac.Web.Reports.Rollup.ComputeAsync(db, province, 2026, default)).Totals.PledgeRate.Of);
        var before = await RolledUpAsync();
        var (first, a, b) = await ReadAsync(cs, "TQ-TP-PT-TDP1", "TQ-TP-PT-TDP2");
        var (second, b2, a2) = await ReadAsync(cs, "TQ-TP-PT-TDP2", "TQ-TP-PT-TDP1");
        await using (first) await using (second)
        {
            Assert.Null(await Restructuring.MergeAsync(first, a, b, first.Clock.Today, default));
            Assert.Equal(Restructuring.ChangedMeanwhile, await Restructuring.MergeAsync(second, b2, a2, second.Clock.Today, default));
        }
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM org_units WHERE code IN ('TQ-TP-PT-TDP1', 'TQ-TP-PT-TDP2') AND closed_on IS NULL"));
        // The province counts every registered pledge of the year once, as before and as an independent count does.
        Assert.Equal(before, await RolledUpAsync());
        Assert.Equal(before, await TestDatabase.ScalarAsync<long>(cs, $"""
            SELECT count(*) FROM pledges p JOIN org_units b ON b.id = p.branch_id
            WHERE p.deleted_at IS NULL AND p.year = 2026 AND p.status NOT IN ({(int)PledgeStatus.Draft}, {(int)PledgeStatus.Returned})
              AND b.path <@ (SELECT path FROM org_units WHERE code = 'TQ')
            """));
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM agg_differences()"));
    }
}

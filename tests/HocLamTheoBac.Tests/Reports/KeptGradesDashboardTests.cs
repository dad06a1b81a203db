using System.Text.RegularExpressions;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports;
using HocLamTheoBac.Web.Reports.Paper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>
/// The dashboard's grade counts are figures of its kept roll-up (ADR 0027; issue 16, session 16): a grade given, changed
/// or removed is seen on the very next view, the memo reading again only the branch that graded (not the whole subtree),
/// and a move and a merge of branches leave the province's counts as they were; every count equals a count from
/// <c>member_grades</c> by the tree of the as-of day, made apart from the kept rows and the roll-up.
/// </summary>
public sealed partial class KeptGradesDashboardTests(KeptGradesDashboardTests.Site app) : IClassFixture<KeptGradesDashboardTests.Site>
{
    /// <summary>A database and a site (its memo) of their own: the test grades, merges and moves branches.</summary>
    public sealed class Site : AppFactory;

    private const int Y = 2026;

    private async Task<int[]> IndependentAsync(int unit)
    {
        var asOf = await app.DbAsync(db => Task.FromResult(db.Clock.AsOf(Y)));
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(KeptGradeCountsTests.Independent, conn);
        cmd.Parameters.AddWithValue("unit", unit);
        cmd.Parameters.AddWithValue("d", asOf);
        cmd.Parameters.AddWithValue("y", Y);
        var counts = new int[4];
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) counts[r.GetInt32(0) - 1] = r.GetInt32(1);
        return counts;
    }

    [GeneratedRegex("data-grade-count=\"(\\w+)\">([0-9.]+) ")]
    private static partial Regex GradeCount();

    /// <summary>The four counts the dashboard page shows, in the order of <see cref="GradeLevel"/>.</summary>
    private static async Task<int[]> PageAsync(HttpClient client, int unit)
    {
        var html = await client.HtmlAsync($"/Reports/{unit}/{Y}");
        var shown = GradeCount().Matches(html).ToDictionary(m => Enum.Parse<GradeLevel>(m.Groups[1].Value), m => int.Parse(m.Groups[2].Value.Replace(".", ""), System.Globalization.CultureInfo.InvariantCulture));
        return [.. Enum.GetValues<GradeLevel>().Select(l => shown[l])];
    }

    private static int[] Of(Figures f) => [.. Enum.GetValues<GradeLevel>().Select(l => f.Grades()[l])];

    [Fact]
    public async Task A_grade_change_is_on_the_next_dashboard_view_through_the_memo_and_a_move_and_merge_keep_the_provinces_counts()
    {
        var memo = app.Services.GetRequiredService<DashboardRollups>().Memo;
        var views = memo.Whole + memo.Partial + memo.AsKept;
        var client = await app.SignedInAsync("admin@hlb.local");
        var tq = await app.OrgIdAsync("TQ");
        var levels = Enum.GetValues<GradeLevel>();
        // The year is one the aggregates keep (a pledge of it, as every year with activity): a year not kept is read from
        // its records at each view, not through the kept rows (ADR 0027), and the test database has no pledge of it yet.
        await app.DbAsync(async db =>
        {
            var m = await db.Members.Where(x => x.Status == MemberStatus.Active).OrderBy(x => x.Id).FirstAsync();
            db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = m.BranchId, Year = Y, Content = "Việc làm theo của năm", Status = PledgeStatus.Approved });
            await db.SaveChangesAsync();
        });
        Assert.True(await TestDatabase.ScalarAsync<bool>(app.ConnectionString, $"SELECT EXISTS (SELECT 1 FROM agg_years WHERE year = {Y})"));
        var graded = await KeptGradeCountsTests.GradeThreeBranchesAsync(app, Y);
        Assert.True(graded.Count >= 8, $"{graded.Count} grades");

        // Two views: the memo's first read of the subtree, and the read after the first view's prune of the change log
        // (a kept read older than the prune's mark is read again whole). From then on a change is read for its units only.
        var expected = await IndependentAsync(tq);
        Assert.True(expected.Sum() > 0);
        Assert.Equal(expected, await PageAsync(client, tq));
        Assert.Equal(expected, await PageAsync(client, tq));
        Assert.True(memo.Whole + memo.Partial + memo.AsKept > views, "the page read through the site's memo");

        // Each change is on the very next view, through the memo: no whole read of the subtree, the graded branch read again.
        var changes = new (string What, Func<AppDbContext, Task> Change)[]
        {
            ("regraded", async db =>
            {
                var one = await db.MemberGrades.SingleAsync(g => g.Id == graded[0]);
                one.Level = one.Level == GradeLevel.NotCompleted ? GradeLevel.Excellent : GradeLevel.NotCompleted;
                await db.SaveChangesAsync();
            }),
            ("removed", db => db.MemberGrades.Where(g => g.Id == graded[1]).ExecuteUpdateAsync(s => s.SetProperty(g => g.DeletedAt, DateTimeOffset.UtcNow))),
            ("given again", db => db.MemberGrades.IgnoreQueryFilters().Where(g => g.Id == graded[1]).ExecuteUpdateAsync(s => s.SetProperty(g => g.DeletedAt, (DateTimeOffset?)null).SetProperty(g => g.Level, GradeLevel.Completed))),
            ("many in one statement", db => db.MemberGrades.Where(g => graded.Skip(2).Take(5).Contains(g.Id)).ExecuteUpdateAsync(s => s.SetProperty(g => g.Level, GradeLevel.Good))),
        };
        // The site's memo is also read again whole after its own prune of the change log (every 30 minutes, at a time of
        // its own): the counters are asserted on a memo of the test's, read the dashboard's way (Rollup.DashboardAsync).
        await app.StartupPruneDoneAsync();
        var own = new RollupMemo();
        for (var i = 0; i < 2; i++) await app.DbAsync(db => Rollup.DashboardAsync(db, tq, Y, [Y - 1], CancellationToken.None, own));
        foreach (var (what, change) in changes)
        {
            var before = expected;
            var (whole, partial) = (own.Whole, own.Partial);
            await app.DbAsync(change);
            expected = await IndependentAsync(tq);
            Assert.NotEqual(before, expected);
            Assert.Equal(expected, await PageAsync(client, tq));
            var (viewed, _) = await app.DbAsync(db => Rollup.DashboardAsync(db, tq, Y, [Y - 1], CancellationToken.None, own));
            Assert.Equal(expected, Of(viewed.Totals));
            Assert.True(own.Whole == whole, $"{what}: the subtree was read again whole");
            Assert.True(own.Partial > partial, $"{what}: no unit was read again");
        }

        // The report's roll-up and the review sheet's count (GradeCounts: the roll-up without the memo) say the same.
        Assert.Equal(expected, Of((await app.DbAsync(db => Rollup.ComputeAsync(db, tq, Y, CancellationToken.None))).Totals));
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var branchCounts = await app.DbAsync(db => GradeCounts.ForUnitAsync(db, tdp1, Y, db.Clock.AsOf(Y), CancellationToken.None));
        Assert.Equal(await IndependentAsync(tdp1), levels.Select(l => branchCounts[l]).ToArray());

        // A move and a merge today: the grades stay with the branches that recorded them (a merged branch's in the branch
        // it was merged into), so the province counts the same; every direct child's counts equal the count by the tree.
        var province = expected;
        await app.DbAsync(async db =>
        {
            var pt = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Code == "TQ-TP-PT");
            var tdp5 = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Code == "TQ-TP-MX-TDP5");
            Assert.Null(await Restructuring.MoveAsync(db, tdp5, pt, db.Clock.Today, default));
        });
        Assert.Equal(province, await PageAsync(client, tq));
        await app.DbAsync(async db =>
        {
            var source = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Code == "TQ-TP-PT-TDP2");
            var into = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Code == "TQ-TP-PT-TDP1");
            Assert.Null(await Restructuring.MergeAsync(db, source, into, db.Clock.Today, default));
        });
        Assert.Equal(province, await PageAsync(client, tq));
        Assert.Equal(province, await IndependentAsync(tq));
        var head = await app.DbAsync(db => Rollup.ChildrenAsync(db, tq, Y, CancellationToken.None, memo));
        Assert.Equal(province, Of(head.Totals));
        foreach (var child in head.Children) Assert.Equal(await IndependentAsync(child.UnitId), Of(child.Figures));

        // A grade of the merged branch changed after the merge: counted in the branch it was merged into, on the next view.
        var tdp2Grade = await app.DbAsync(db => db.MemberGrades.Where(g => g.BranchId == db.OrgUnits.Single(u => u.Code == "TQ-TP-PT-TDP2").Id && g.Year == Y).Select(g => g.Id).FirstAsync());
        await app.DbAsync(db => db.MemberGrades.Where(g => g.Id == tdp2Grade).ExecuteUpdateAsync(s => s.SetProperty(g => g.DeletedAt, DateTimeOffset.UtcNow)));
        expected = await IndependentAsync(tq);
        Assert.Equal(province.Sum() - 1, expected.Sum());
        Assert.Equal(expected, await PageAsync(client, tq));
        Assert.Equal(await IndependentAsync(tdp1), Of((await app.DbAsync(db => Rollup.ComputeAsync(db, tdp1, Y, CancellationToken.None))).Totals));
    }
}

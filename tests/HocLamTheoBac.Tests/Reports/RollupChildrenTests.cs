using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>
/// The dashboard's narrow roll-up (<see cref="Rollup.ChildrenAsync"/>: the unit's totals and its direct children's) gives
/// the same figures as the full roll-up, as the count from scratch and as an independent count, for a closed year (the
/// year-end rows) and the open year as of today (the as-of windows).
/// </summary>
public sealed class RollupChildrenTests(ReportAppFactory app) : IClassFixture<ReportAppFactory>
{
    [Fact]
    public async Task The_totals_and_each_direct_child_equal_the_full_roll_up_the_count_from_scratch_and_an_independent_count()
    {
        var current = TestClock.Calendar.Year;
        await app.DbAsync(async db =>
        {
            // the open year: a done, an overdue and a draft pledge in two branches of different districts
            var tdp1 = await db.Members.Where(m => m.Branch.Code == "TQ-TP-PT-TDP1").OrderBy(m => m.Id).Take(2).ToListAsync();
            var ys = await db.Members.Where(m => m.Branch.Code.StartsWith("TQ-YS")).OrderBy(m => m.Id).FirstAsync();
            db.Pledges.Add(new Pledge { MemberId = tdp1[0].Id, BranchId = tdp1[0].BranchId, Year = current, Content = "Việc năm nay đã xong", Status = PledgeStatus.Done });
            db.Pledges.Add(new Pledge { MemberId = tdp1[1].Id, BranchId = tdp1[1].BranchId, Year = current, Content = "Việc năm nay quá hạn", Status = PledgeStatus.InProgress, Deadline = new DateOnly(current, 1, 15) });
            db.Pledges.Add(new Pledge { MemberId = ys.Id, BranchId = ys.BranchId, Year = current, Content = "Việc năm nay đang làm", Status = PledgeStatus.Approved });
            await db.SaveChangesAsync();
        });
        foreach (var year in new[] { ReportData.Year, current })
        {
            foreach (var code in new[] { "TQ", "TQ-TP", "TQ-TP-PT", "TQ-TP-PT-TDP1", "TQ-YS" })
            {
                var unit = await app.OrgIdAsync(code);
                var head = await app.DbAsync(db => Rollup.ChildrenAsync(db, unit, year, CancellationToken.None));
                var full = await app.DbAsync(db => Rollup.ComputeAsync(db, unit, year, CancellationToken.None));
                var asOf = Rollup.AsOfFor(year, TestClock.Calendar);
                var scratch = await app.DbAsync(db => ScratchRollup.ComputeAsync(db, unit, year, asOf));

                Assert.Equal(asOf, head.AsOf);
                Assert.Equal((full.Root!.UnitId, full.Root.Code, full.Root.Name), (head.Root!.UnitId, head.Root.Code, head.Root.Name));
                Assert.Equal(ScratchRollup.Values(full.Totals), ScratchRollup.Values(head.Totals));
                Assert.Equal(scratch[unit], ScratchRollup.Values(head.Totals));
                Assert.Equal(full.Children.Select(c => (c.UnitId, c.Code, c.Name, c.IsBranch)), head.Children.Select(c => (c.UnitId, c.Code, c.Name, c.IsBranch)));
                foreach (var (mine, theirs) in head.Children.Zip(full.Children))
                {
                    Assert.Equal(ScratchRollup.Values(theirs.Figures), ScratchRollup.Values(mine.Figures));
                    Assert.Equal(scratch[mine.UnitId], ScratchRollup.Values(mine.Figures));
                }
                if (year == ReportData.Year)
                {
                    Assert.Equal(await IndependentCount.ForAsync(app.ConnectionString, code, year), IndependentCount.Of(head.Totals));
                    foreach (var c in head.Children)
                        Assert.Equal(await IndependentCount.ForAsync(app.ConnectionString, c.Code, year), IndependentCount.Of(c.Figures));
                }
            }
        }
        var tq = await app.OrgIdAsync("TQ");
        var now = await app.DbAsync(db => Rollup.ChildrenAsync(db, tq, current, CancellationToken.None));
        Assert.Equal(["TQ-TP", "TQ-YS"], now.Children.Select(c => c.Code));
        Assert.True(now.Totals.PledgesRegistered >= 3 && now.Totals.PledgesDone >= 1);
        Assert.Equal(now.Totals.PledgesRegistered, now.Children.Sum(c => c.Figures.PledgesRegistered));   // the province registers none itself
    }

    [Fact]
    public async Task A_unit_that_did_not_stand_in_the_tree_that_year_has_no_figures()
    {
        var tq = await app.OrgIdAsync("TQ");
        var head = await app.DbAsync(db => Rollup.ChildrenAsync(db, tq, 2019, CancellationToken.None));
        var full = await app.DbAsync(db => Rollup.ComputeAsync(db, tq, 2019, CancellationToken.None));
        Assert.Equal(full.Root is null, head.Root is null);
        Assert.Equal(full.Children.Count, head.Children.Count);
        Assert.Equal(ScratchRollup.Values(full.Totals), ScratchRollup.Values(head.Totals));
    }
}

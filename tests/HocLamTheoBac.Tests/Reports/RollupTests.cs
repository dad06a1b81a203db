using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Reports;

public sealed class RollupTests(ReportAppFactory app) : IClassFixture<ReportAppFactory>
{
    private Task<RollupResult> RollupAsync(string code) =>
        app.DbAsync(async db => await Rollup.ComputeAsync(db, await db.OrgUnits.Where(u => u.Code == code).Select(u => u.Id).SingleAsync(), ReportData.Year, CancellationToken.None));

    [Theory]
    [InlineData("TQ")]
    [InlineData("TQ-TP")]
    [InlineData("TQ-TP-PT")]
    [InlineData("TQ-TP-PT-TDP1")]
    [InlineData("TQ-YS")]
    public async Task The_totals_of_a_unit_equal_an_independent_count_over_its_subtree(string code)
    {
        var r = await RollupAsync(code);
        Assert.Equal(code, r.Root!.Code);
        Assert.Equal(await IndependentCount.ForAsync(app.ConnectionString, code), IndependentCount.Of(r.Totals));
        Assert.True(r.Totals.PledgesRegistered > r.Totals.PledgesDone && r.Totals.PledgesDone > 0);
    }

    [Fact]
    public async Task Each_direct_child_row_equals_an_independent_count_and_the_children_add_up_to_the_province()
    {
        var r = await RollupAsync("TQ");
        Assert.Equal(["TQ-TP", "TQ-YS"], r.Children.Select(c => c.Code));
        foreach (var c in r.Children)
            Assert.Equal(await IndependentCount.ForAsync(app.ConnectionString, c.Code), IndependentCount.Of(c.Figures));
        Assert.Equal(r.Totals.Members, r.Children.Sum(c => c.Figures.Members));
        Assert.Equal(11, r.All.Count);
    }

    [Fact]
    public async Task A_quota_comes_from_the_nearest_ancestor_that_set_one_for_the_kind_of_unit()
    {
        var r = await RollupAsync("TQ");
        var city = r.Children.Single(c => c.Code == "TQ-TP").Figures;
        var district = r.Children.Single(c => c.Code == "TQ-YS").Figures;
        // Thành ủy sets 2 + 3 for its three "chi bộ trực thuộc"; the province's 1 + 2 reaches the one in Yên Sơn; a "chi bộ cơ sở" has none.
        Assert.Equal((6, 9), (city.QuotaCollective, city.QuotaExemplar));
        Assert.Equal((1, 2), (district.QuotaCollective, district.QuotaExemplar));
        Assert.Equal((7, 11), (r.Totals.QuotaCollective, r.Totals.QuotaExemplar));
    }

    [Fact]
    public async Task Indicators_are_summed_by_name_over_the_subtree_and_replications_count_for_the_applying_unit()
    {
        var r = await RollupAsync("TQ");
        var reception = Assert.Single(r.Indicators);
        Assert.Equal(("Lượt tiếp công dân", 280m), (reception.Name, reception.Value));
        Assert.Equal(3, r.Totals.Replications);
        Assert.Equal(3, r.All.Single(u => u.Code == "TQ-YS-THCS").Figures.Replications);
        Assert.Equal((2, 1), (r.Totals.LeaderTasks, r.Totals.LeaderTasksDone));
    }

    [Fact]
    public async Task A_unit_with_nothing_registered_has_dash_rates_not_errors()
    {
        var r = await app.DbAsync(async db => await Rollup.ComputeAsync(db, await db.OrgUnits.Where(u => u.Code == "TQ").Select(u => u.Id).SingleAsync(), 2019, CancellationToken.None));
        Assert.Null(r.Root); // the tree did not exist yet in 2019
        Assert.Equal("—", r.Totals.PledgeRate.ToString());
        var empty = await app.DbAsync(async db => await Rollup.ComputeAsync(db, await db.OrgUnits.Where(u => u.Code == "TQ").Select(u => u.Id).SingleAsync(), 2023, CancellationToken.None));
        Assert.Equal("—", empty.Totals.CollectiveRate.ToString());
        Assert.True(empty.Totals.Members > 0);
    }
}

public sealed class RollupPastTreeTests(ReportAppFactory app) : IClassFixture<ReportAppFactory>
{
    [Fact]
    public async Task A_past_year_groups_by_the_tree_as_it_was_after_a_later_merge()
    {
        // In 2026 the ward Minh Xuân is merged into Phan Thiết: its branch moves, the ward closes.
        await app.DbAsync(async db =>
        {
            var pt = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP-PT");
            var mx = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP-MX");
            var tdp5 = await db.OrgUnits.SingleAsync(u => u.Code == "TQ-TP-MX-TDP5");
            var on = new DateOnly(2026, 7, 1);
            await db.MoveAsync(tdp5, pt, on, CancellationToken.None);
            await db.SaveChangesAsync(); // the moved unit's own row is saved (and audited) by EF
            await db.CloseAsync(mx, on, CancellationToken.None);
            await db.SaveChangesAsync();
        });
        var cityId = await app.OrgIdAsync("TQ-TP");

        var past = await app.DbAsync(db => Rollup.ComputeAsync(db, cityId, ReportData.Year, CancellationToken.None));
        Assert.Equal(["TQ-TP-MX", "TQ-TP-PT"], past.Children.Select(c => c.Code));
        var mxPast = past.Children.Single(c => c.Code == "TQ-TP-MX");
        Assert.Equal(await IndependentCount.ForAsync(app.ConnectionString, "TQ-TP-MX-TDP5"), IndependentCount.Of(past.All.Single(u => u.Code == "TQ-TP-MX-TDP5").Figures));
        Assert.Equal(past.All.Single(u => u.Code == "TQ-TP-MX-TDP5").Figures.PledgesDone + 0, mxPast.Figures.PledgesDone - OwnDone(past, "TQ-TP-MX"));

        var now = await app.DbAsync(db => Rollup.ComputeAsync(db, cityId, 2026, new DateOnly(2026, 12, 31), CancellationToken.None));
        Assert.Equal(["TQ-TP-PT"], now.Children.Select(c => c.Code));
        Assert.Contains(now.All, u => u.Code == "TQ-TP-MX-TDP5" && u.ParentId == now.Children[0].UnitId);
        Assert.Equal(past.Totals.Members, now.Totals.Members);
    }

    private static int OwnDone(RollupResult r, string code) =>
        r.All.Single(u => u.Code == code).Figures.PledgesDone - r.ChildrenOf(r.All.Single(u => u.Code == code).UnitId).Sum(c => c.Figures.PledgesDone);
}

/// <summary>
/// The dashboard's trend asks for the totals of the years before the one shown in one statement
/// (<see cref="Rollup.TotalsAsync"/>): each year's totals equal that year's roll-up (<see cref="Rollup.ComputeAsync(AppDbContext, int, int, CancellationToken)"/>),
/// the from-scratch oracle and, for past years, an independent count — for a year kept in the aggregates and read at
/// 31/12 (year-end rows), the current year (as-of windows), a year not kept but with a unit record (members counted on
/// the fly), a year with nothing recorded (null: the trend shows "—") and a year before the tree existed.
/// </summary>
public sealed class RollupTotalsTests(ReportAppFactory app) : IClassFixture<ReportAppFactory>
{
    [Fact]
    public async Task The_totals_of_several_years_in_one_statement_equal_each_years_roll_up_and_an_independent_count()
    {
        var current = TestClock.Calendar.Year;
        var tq = await app.OrgIdAsync("TQ");
        int[] years = [2019, 2022, 2023, 2024, 2025, current];
        var before = await app.DbAsync(db => Rollup.TotalsAsync(db, tq, years, CancellationToken.None));
        await app.DbAsync(async db =>
        {
            // 2024 and the current year get pledges, so both are kept; 2022 only a collective item (not kept, recorded);
            // 2023 stays a year with nothing recorded.
            var members = await db.Members.Where(m => m.Branch.Code == "TQ-TP-PT-TDP1").OrderBy(m => m.Id).Take(3).ToListAsync();
            db.Pledges.Add(new Pledge { MemberId = members[0].Id, BranchId = members[0].BranchId, Year = 2024, Content = "Việc năm 2024", Status = PledgeStatus.Done });
            db.Pledges.Add(new Pledge { MemberId = members[1].Id, BranchId = members[1].BranchId, Year = 2024, Content = "Việc năm 2024 đang làm", Status = PledgeStatus.InProgress, Deadline = new DateOnly(2024, 6, 30) });
            db.Pledges.Add(new Pledge { MemberId = members[2].Id, BranchId = members[2].BranchId, Year = current, Content = "Việc năm nay", Status = PledgeStatus.Approved });
            db.CollectivePledges.Add(new CollectivePledge { OrgUnitId = members[0].BranchId, Year = 2022, What = "Nội dung tập thể năm 2022", Status = CollectiveStatus.Done });
            await db.SaveChangesAsync();
        });
        foreach (var code in new[] { "TQ", "TQ-TP", "TQ-TP-PT-TDP1" })
        {
            var unit = await app.OrgIdAsync(code);
            var totals = await app.DbAsync(db => Rollup.TotalsAsync(db, unit, years, CancellationToken.None));
            Assert.Equal(years, totals.Keys.Order());
            foreach (var y in years.Where(y => y != 2023))
            {
                var t = totals[y]!;
                var rollup = await app.DbAsync(db => Rollup.ComputeAsync(db, unit, y, CancellationToken.None));
                Assert.Equal(ScratchRollup.Values(rollup.Totals), ScratchRollup.Values(t));
                var scratch = await app.DbAsync(db => ScratchRollup.ComputeAsync(db, unit, y, Rollup.AsOfFor(y, TestClock.Calendar)));
                Assert.Equal(scratch.TryGetValue(unit, out var s) ? s : ScratchRollup.Values(new Figures()), ScratchRollup.Values(t));
                if (y < current && y > 2019)
                    Assert.Equal(await IndependentCount.ForAsync(app.ConnectionString, code, y), IndependentCount.Of(t));
            }
            Assert.Equal(ScratchRollup.Values(new Figures()), ScratchRollup.Values(totals[2019]!)); // the tree did not exist yet
            Assert.Null(totals[2023]); // nothing recorded
            Assert.True(totals[2022]!.Members > 0 && totals[2022]!.PledgesRegistered == 0 && totals[2022]!.CollectiveDone == 1);
        }
        var after = await app.DbAsync(db => Rollup.TotalsAsync(db, tq, years, CancellationToken.None));
        Assert.Equal((before[2024]!.PledgesRegistered + 2, before[2024]!.PledgesDone + 1), (after[2024]!.PledgesRegistered, after[2024]!.PledgesDone));
        Assert.Equal((before[current] ?? new Figures()).PledgesRegistered + 1, after[current]!.PledgesRegistered);
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
    }
}

/// <summary>
/// The walk of session 16: a report read "Tỷ lệ hộ gia đình văn hóa: 187 %" (95 % + 92 %) and "Kinh phí vận động:
/// 2.000.015 triệu đồng" (15 triệu đồng + 2.000.000 đồng). Different units of measure are two lines; a rate is a mean.
/// </summary>
public sealed class IndicatorTotalsTests(ReportAppFactory app) : IClassFixture<ReportAppFactory>
{
    [Fact]
    public async Task Rates_are_averaged_and_values_in_different_units_of_measure_are_never_added()
    {
        var (tdp1, tdp2) = (await app.OrgIdAsync("TQ-TP-PT-TDP1"), await app.OrgIdAsync("TQ-TP-PT-TDP2"));
        await app.DbAsync(async db =>
        {
            db.IndicatorValues.AddRange(
                new IndicatorValue { OrgUnitId = tdp1, Year = ReportData.Year, Name = "Tỷ lệ hộ văn hóa", Value = 95, Unit = "%" },
                new IndicatorValue { OrgUnitId = tdp2, Year = ReportData.Year, Name = "Tỷ lệ hộ văn hóa", Value = 92, Unit = " % " },
                new IndicatorValue { OrgUnitId = tdp1, Year = ReportData.Year, Name = "Kinh phí vận động", Value = 15, Unit = "triệu đồng" },
                new IndicatorValue { OrgUnitId = tdp2, Year = ReportData.Year, Name = "Kinh phí vận động", Value = 2_000_000, Unit = "đồng" });
            await db.SaveChangesAsync();
        });
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        var r = await app.DbAsync(db => Rollup.ComputeAsync(db, pt, ReportData.Year, CancellationToken.None));
        var rate = Assert.Single(r.Indicators, i => i.Name == "Tỷ lệ hộ văn hóa");
        Assert.Equal((93.5m, 2, "Tỷ lệ hộ văn hóa (bình quân 2 đơn vị)"), (rate.Value, rate.Units, rate.Label));
        Assert.Equal([("triệu đồng", 15m), ("đồng", 2_000_000m)],
            r.Indicators.Where(i => i.Name == "Kinh phí vận động").Select(i => (i.Unit, i.Value)).OrderBy(x => x.Value));

        // A period: sums of the same unit of measure add up; a rate is the mean of every value of every year.
        var merged = IndicatorTotal.Merge([IndicatorTotal.Of("Tỷ lệ", "%", 95 + 92, 2), IndicatorTotal.Of("Tỷ lệ", "%", 80, 1),
            IndicatorTotal.Of("Lượt", "lượt", 10, 2), IndicatorTotal.Of("Lượt", "Lượt", 5, 1)]);
        Assert.Equal([("Lượt", 15m, 3), ("Tỷ lệ", 89m, 3)], merged.Select(i => (i.Name, i.Value, i.Units)));
    }
}

using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>
/// The dashboard's kept roll-up (<see cref="RollupMemo"/>, ADR 0027) shows the figures of the request's snapshot: after
/// every committed step of the figures' property test (registrations, status changes, deletions, transfers, members
/// leaving, moves, merges, closures, study sessions, time passing) and quota changes, the kept head and trend of several
/// units equal a read from scratch; a change committed by a transaction that was still running when the roll-up was
/// kept is seen; a change outside the subtree leaves it as kept. Own database: the steps are committed.
/// </summary>
public sealed class RollupKeptTests(RollupKeptTests.Factory app) : IClassFixture<RollupKeptTests.Factory>
{
    public sealed class Factory : AppFactory;

    private static async Task AssertSameAsync(AppDbContext db, RollupMemo memo, int unit, int year, string when, RollupMemo? dashboard = null, RollupMemo? reports = null)
    {
        if (reports is not null)
        {
            // The report's roll-up of every unit of the subtree (Rollup.ComputeAsync) through a memo of its own: the same
            // units in the same order, every figure, the children and the indicators, as a read without it.
            var keptAll = await Rollup.ComputeAsync(db, unit, year, default, reports);
            var plainAll = await Rollup.ComputeAsync(db, unit, year, default);
            Assert.Equal(plainAll.All.Select(u => (u.UnitId, u.ParentId, u.Code, u.Name, u.KindName, u.Depth)), keptAll.All.Select(u => (u.UnitId, u.ParentId, u.Code, u.Name, u.KindName, u.Depth)));
            foreach (var (a, b) in plainAll.All.Zip(keptAll.All))
                Assert.True(ScratchRollup.Values(a.Figures).SequenceEqual(ScratchRollup.Values(b.Figures)), $"{when}: report's unit {a.Code} of {unit} in {year} differs");
            Assert.Equal(plainAll.Root?.UnitId, keptAll.Root?.UnitId);
            Assert.Equal(plainAll.Children.Select(c => c.UnitId), keptAll.Children.Select(c => c.UnitId));
            Assert.Equal(plainAll.Indicators, keptAll.Indicators);
        }
        var kept = await Rollup.ChildrenAsync(db, unit, year, default, memo);
        var plain = await Rollup.ChildrenAsync(db, unit, year, default);
        Assert.True(plain.Root?.UnitId == kept.Root?.UnitId, $"{when}: root");
        Assert.True(ScratchRollup.Values(plain.Totals).SequenceEqual(ScratchRollup.Values(kept.Totals)), $"{when}: totals of {unit} in {year} differ");
        Assert.Equal(plain.Children.Select(c => (c.UnitId, c.Code, c.Name)), kept.Children.Select(c => (c.UnitId, c.Code, c.Name)));
        foreach (var (a, b) in plain.Children.Zip(kept.Children))
            Assert.True(ScratchRollup.Values(a.Figures).SequenceEqual(ScratchRollup.Values(b.Figures)), $"{when}: child {a.Code} of {unit} in {year} differs");
        var years = Enumerable.Range(year - 4, 4).ToArray();
        var keptTrend = await Rollup.TotalsAsync(db, unit, years, default, memo);
        var plainTrend = await Rollup.TotalsAsync(db, unit, years, default);
        foreach (var y in years)
            Assert.True((plainTrend[y] is null) == (keptTrend[y] is null)
                && (plainTrend[y] is null || ScratchRollup.Values(plainTrend[y]!).SequenceEqual(ScratchRollup.Values(keptTrend[y]!))), $"{when}: trend {y} of {unit} differs");
        if (dashboard is null) return;
        // The dashboard's head and trend read together in one snapshot, through a memo of their own: the same figures.
        var (head, trend) = await Rollup.DashboardAsync(db, unit, year, years, default, dashboard);
        Assert.True(plain.Root?.UnitId == head.Root?.UnitId, $"{when}: dashboard's root");
        Assert.True(ScratchRollup.Values(plain.Totals).SequenceEqual(ScratchRollup.Values(head.Totals)), $"{when}: dashboard's totals of {unit} in {year} differ");
        Assert.Equal(plain.Children.Select(c => (c.UnitId, c.Code, c.Name)), head.Children.Select(c => (c.UnitId, c.Code, c.Name)));
        foreach (var (a, b) in plain.Children.Zip(head.Children))
            Assert.True(ScratchRollup.Values(a.Figures).SequenceEqual(ScratchRollup.Values(b.Figures)), $"{when}: dashboard's child {a.Code} of {unit} in {year} differs");
        foreach (var y in years)
            Assert.True((plainTrend[y] is null) == (trend[y] is null)
                && (plainTrend[y] is null || ScratchRollup.Values(plainTrend[y]!).SequenceEqual(ScratchRollup.Values(trend[y]!))), $"{when}: dashboard's trend {y} of {unit} differs");
    }

    [Fact]
    public async Task After_every_committed_step_the_kept_roll_up_equals_a_read_from_scratch()
    {
        var rnd = new Random(20261201);
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 2, 10, 3, 0, 0, TimeSpan.Zero));
        var clock = new VietnamCalendar(time);
        var memo = new RollupMemo();
        var dashboard = new RollupMemo();
        var reports = new RollupMemo();
        var past = new Dictionary<int, Dictionary<int, Figures>>();
        await using var reader = TestDatabase.NewContext(app.ConnectionString, clock: clock);
        var province = await reader.OrgUnits.Where(u => u.ParentId == null).Select(u => u.Id).SingleAsync();
        for (var step = 0; step < 40; step++)
        {
            string what;
            await using (var db = TestDatabase.NewContext(app.ConnectionString, clock: clock))
            {
                if (rnd.Next(10) == 0)
                {
                    var kind = await db.OrgKinds.Where(k => k.IsBranch).Select(k => k.Id).FirstAsync();
                    var quota = await db.ModelQuotas.FirstOrDefaultAsync(q => q.Year == clock.Year && q.OrgKindId == kind && q.SetByOrgUnitId == province);
                    if (quota is null) db.ModelQuotas.Add(quota = new ModelQuota { Year = clock.Year, OrgKindId = kind, SetByOrgUnitId = province });
                    (quota.MinCollective, quota.MinExemplar) = (1 + rnd.Next(5), 1 + rnd.Next(3));
                    await db.SaveChangesAsync();
                    what = "quota";
                }
                else what = await FigureInvariantTests.StepAsync(db, clock, time, rnd, province, past);
            }
            reader.ChangeTracker.Clear();
            var units = await reader.OrgUnits.Where(u => u.ClosedOn == null).OrderBy(u => u.Id).Select(u => u.Id).ToListAsync();
            foreach (var unit in new[] { province, units[rnd.Next(units.Count)], units[rnd.Next(units.Count)] }.Distinct())
            {
                await AssertSameAsync(reader, memo, unit, clock.Year, $"step {step + 1} ({what})", dashboard, reports);
                await AssertSameAsync(reader, memo, unit, clock.Year, $"step {step + 1} ({what}), again", dashboard, reports);
            }
        }
        // Each way of serving was taken: whole reads, changed units read again, and as kept.
        Assert.True(memo.Whole > 0 && memo.Partial > 0 && memo.AsKept > 0, $"whole {memo.Whole}, partial {memo.Partial}, as kept {memo.AsKept}");
        Assert.True(reports.Whole > 0 && reports.Partial > 0 && reports.AsKept > 0, $"reports: whole {reports.Whole}, partial {reports.Partial}, as kept {reports.AsKept}");
        Assert.True(dashboard.Whole > 0 && dashboard.Partial > 0 && dashboard.AsKept > 0, $"dashboard: whole {dashboard.Whole}, partial {dashboard.Partial}, as kept {dashboard.AsKept}");
    }

    [Fact]
    public async Task A_change_committed_after_the_roll_up_was_kept_by_a_transaction_already_running_is_shown()
    {
        var memo = new RollupMemo();
        var tq = await app.OrgIdAsync("TQ");
        var year = TestClock.Calendar.Year;
        var member = await app.DbAsync(db => db.Members.Where(m => m.Status == MemberStatus.Active && m.Branch.Code.StartsWith("TQ-YS")).OrderBy(m => m.Id).FirstAsync());
        var pledge = await app.DbAsync(async db =>
        {
            var p = new Pledge { MemberId = member.Id, BranchId = member.BranchId, Year = year, Content = "Việc đang làm", Status = PledgeStatus.Approved };
            db.Pledges.Add(p);
            await db.SaveChangesAsync();
            return p.Id;
        });
        var before = await app.DbAsync(db => Rollup.ChildrenAsync(db, tq, year, default, memo));

        await using var writer = new NpgsqlConnection(app.ConnectionString);
        await writer.OpenAsync();
        await using var tx = await writer.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand($"UPDATE pledges SET status = {(int)PledgeStatus.Done} WHERE id = {pledge}", writer, tx))
            await cmd.ExecuteNonQueryAsync();
        // Kept while the writer runs: its change is not in this snapshot.
        var during = await app.DbAsync(db => Rollup.ChildrenAsync(db, tq, year, default, memo));
        Assert.Equal(before.Totals.PledgesDone, during.Totals.PledgesDone);
        await tx.CommitAsync();

        var partial = memo.Partial;
        var after = await app.DbAsync(db => Rollup.ChildrenAsync(db, tq, year, default, memo));
        var plain = await app.DbAsync(db => Rollup.ChildrenAsync(db, tq, year, default));
        Assert.Equal(before.Totals.PledgesDone + 1, after.Totals.PledgesDone);
        Assert.Equal(ScratchRollup.Values(plain.Totals), ScratchRollup.Values(after.Totals));
        Assert.Equal(partial + 1, memo.Partial);   // the one branch read again, not the whole province
    }

    [Fact]
    public async Task The_reports_kept_roll_up_shows_an_indicator_entered_since()
    {
        // The indicators are not in the change log: the report's kept roll-up reads them at each request.
        var memo = new RollupMemo();
        var tq = await app.OrgIdAsync("TQ");
        var ys = await app.OrgIdAsync("TQ-YS");
        var year = TestClock.Calendar.Year;
        var first = await app.DbAsync(db => Rollup.ComputeAsync(db, tq, year, default, memo));
        var name = "Chỉ tiêu kiểm tra " + Guid.NewGuid().ToString("N")[..8];
        await app.DbAsync(async db =>
        {
            db.IndicatorValues.Add(new IndicatorValue { OrgUnitId = ys, Year = year, Name = name, Value = 7 });
            await db.SaveChangesAsync();
        });
        var asKept = memo.AsKept;
        var again = await app.DbAsync(db => Rollup.ComputeAsync(db, tq, year, default, memo));
        var plain = await app.DbAsync(db => Rollup.ComputeAsync(db, tq, year, default));
        Assert.Equal(asKept + 1, memo.AsKept);
        Assert.DoesNotContain(first.Indicators, i => i.Name == name);
        Assert.Contains(again.Indicators, i => i.Name == name && i.Value == 7);
        Assert.Equal(plain.Indicators, again.Indicators);
        Assert.Same(first.All, again.All); // nothing else changed: the sums over the tree made once
    }

    [Fact]
    public async Task A_change_outside_the_subtree_leaves_the_kept_roll_up_as_it_is()
    {
        var memo = new RollupMemo();
        var ys = await app.OrgIdAsync("TQ-YS");
        var year = TestClock.Calendar.Year;
        var first = await app.DbAsync(db => Rollup.ChildrenAsync(db, ys, year, default, memo));
        var member = await app.DbAsync(db => db.Members.Where(m => m.Status == MemberStatus.Active && m.Branch.Code.StartsWith("TQ-TP")).OrderBy(m => m.Id).FirstAsync());
        await app.DbAsync(async db =>
        {
            db.Pledges.Add(new Pledge { MemberId = member.Id, BranchId = member.BranchId, Year = year, Content = "Việc ở nơi khác", Status = PledgeStatus.Done });
            await db.SaveChangesAsync();
        });
        var (whole, asKept) = (memo.Whole, memo.AsKept);
        var again = await app.DbAsync(db => Rollup.ChildrenAsync(db, ys, year, default, memo));
        Assert.Equal((whole, asKept + 1), (memo.Whole, memo.AsKept));
        Assert.Equal(ScratchRollup.Values(first.Totals), ScratchRollup.Values(again.Totals));
    }

    [Fact]
    public async Task The_site_prunes_the_change_log_without_any_dashboard_view()
    {
        // The site runs the pruning as a hosted service.
        Assert.Single(app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<RollupChangesPruning>());

        // A committed write leaves its rows in the log.
        await using (var db = TestDatabase.NewContext(app.ConnectionString))
        {
            var unit = await db.OrgUnits.OrderBy(u => u.Id).Select(u => u.Id).FirstAsync();
            await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO rollup_changes (year, unit_id) VALUES (2026, {unit})");
        }
        Assert.True(await TestDatabase.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM rollup_changes") > 0);

        // A fresh service prunes at its start (a site started after a long time prunes at once), with no view at all:
        // every row of a transaction older than every running one (the mark) is gone. Other test classes' transactions
        // on the cluster may hold the mark below the row just written, so the row itself is not asserted.
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        var rollups = new DashboardRollups(Microsoft.Extensions.Logging.Abstractions.NullLogger<DashboardRollups>.Instance);
        using var pruning = new RollupChangesPruning(rollups, scopes, Microsoft.Extensions.Logging.Abstractions.NullLogger<RollupChangesPruning>.Instance);
        await pruning.StartAsync(default);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (rollups.Prunes == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        await pruning.StopAsync(default);
        Assert.Equal(1, rollups.Prunes);
        Assert.Equal(0, await TestDatabase.ScalarAsync<long>(app.ConnectionString,
            "SELECT count(*) FROM rollup_changes WHERE xid < (SELECT w FROM rollup_changes_pruned WHERE id = 1)"));
        Assert.Equal(1, await TestDatabase.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM rollup_changes_pruned WHERE w > '0'::xid8"));
    }

    [Fact]
    public async Task Concurrent_views_after_a_change_show_it_and_read_it_again_at_most_once_per_snapshot()
    {
        await app.StartupPruneDoneAsync();
        var memo = new RollupMemo();
        var tq = await app.OrgIdAsync("TQ");
        var year = TestClock.Calendar.Year;
        var years = Enumerable.Range(year - 4, 4).ToArray();
        async Task<RollupHead> ViewAsync()
        {
            await using var db = TestDatabase.NewContext(app.ConnectionString);
            return (await Rollup.DashboardAsync(db, tq, year, years, default, memo)).Head;
        }
        var before = await ViewAsync();
        var perView = memo.Whole + memo.Partial + memo.AsKept + memo.Shared; // the head, and the trend when the unit stood then
        var member = await app.DbAsync(db => db.Members.Where(m => m.Status == MemberStatus.Active && m.Branch.Code.StartsWith("TQ-YS")).OrderBy(m => m.Id).FirstAsync());
        await app.DbAsync(async db =>
        {
            db.Pledges.Add(new Pledge { MemberId = member.Id, BranchId = member.BranchId, Year = year, Content = "Việc xem cùng lúc", Status = PledgeStatus.Done });
            await db.SaveChangesAsync();
        });
        var (whole, partial, asKept, shared) = (memo.Whole, memo.Partial, memo.AsKept, memo.Shared);
        var views = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(ViewAsync)));
        var plain = await app.DbAsync(db => Rollup.ChildrenAsync(db, tq, year, default));
        Assert.NotEqual(ScratchRollup.Values(before.Totals), ScratchRollup.Values(plain.Totals));
        foreach (var head in views)
        {
            Assert.Equal(ScratchRollup.Values(plain.Totals), ScratchRollup.Values(head.Totals));
            Assert.Equal(plain.Children.Select(c => $"{c.UnitId}: {string.Join(' ', ScratchRollup.Values(c.Figures))}"),
                head.Children.Select(c => $"{c.UnitId}: {string.Join(' ', ScratchRollup.Values(c.Figures))}"));
        }
        // No whole read: the changed branch read again by one view per snapshot, the others sharing it or finding it kept
        // (the trend's years did not change: as kept).
        Assert.Equal(whole, memo.Whole);
        Assert.True(memo.Partial - partial >= 1, $"partial {memo.Partial - partial}");
        Assert.Equal(8 * perView, memo.Partial - partial + memo.AsKept - asKept + memo.Shared - shared);
    }
}

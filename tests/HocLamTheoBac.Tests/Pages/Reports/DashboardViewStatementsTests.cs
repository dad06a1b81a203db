using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Reports;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Reports;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HocLamTheoBac.Tests.Pages.Reports;

/// <summary>
/// The dashboard's view reads on a connection of the data source without EF's context (docs/performance.md, DASH17): the
/// unit and its ancestors and the issued reports as plain statements in the roll-up's first round trip, the roll-up through
/// its memo on that connection. Each must read what the context reads: every unit of the demo with its ancestors (and the
/// same filter by the user's subtree), the issued reports (a replaced one, a replacement, a soft-deleted and a draft
/// left out), and the head and the trend the same as the context's roll-up, as a count from scratch and, for the closed
/// year, as an independent count — on a first view, a view served as kept and a view after a change (a partial read).
/// </summary>
public sealed class DashboardViewStatementsTests(ReportAppFactory app) : IClassFixture<ReportAppFactory>
{
    private static readonly string[] Codes = ["TQ", "TQ-TP", "TQ-TP-PT", "TQ-TP-PT-TDP1", "TQ-YS"];

    /// <summary>The roll-up on a data-source connection with the unit's statement beside it, as the view reads it.</summary>
    private static async Task<((RollupHead Head, IReadOnlyDictionary<int, Figures?> Trend)? Read, List<OrgUnit> Units)> ViewAsync(
        AppDbContext db, NpgsqlConnection conn, VietnamCalendar clock, RollupMemo memo, int unit, int year, UserScope scope)
    {
        var units = new List<OrgUnit>();
        var read = await Rollup.DashboardAsync(conn, clock, unit, year, YearTrend.Earlier(year), memo, [AccessService.UnitAndAncestorsCommand(db, unit)],
            async (r, ct) =>
            {
                units = await AccessService.ReadUnitAndAncestorsAsync(r, scope, Permission.ViewReports, ct);
                return units.Exists(u => u.Id == unit);
            }, default);
        return (read, units);
    }

    private static UserScope ScopeAt(int unit, LTree path) => new("test", "test@hlb.local", false, [new UserScope.Binding(AppRole.Admin, unit, path)], null);

    [Fact]
    public async Task The_views_statements_and_roll_up_on_the_data_source_read_what_the_context_reads()
    {
        var current = TestClock.Calendar.Year;
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var services = app.Services.CreateAsyncScope();
        var context = services.ServiceProvider.GetRequiredService<AppDbContext>();
        var clock = await app.DbAsync(db => Task.FromResult(db.Clock));
        await app.DbAsync(async db =>
        {
            var m = await db.Members.Where(x => x.Branch.Code == "TQ-TP-PT-TDP1" && x.Status == MemberStatus.Active).OrderBy(x => x.Id).FirstAsync();
            db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = m.BranchId, Year = current, Content = "Việc năm nay đã xong", Status = PledgeStatus.Done });
            await db.SaveChangesAsync();
        });

        // Every unit with its ancestors: the same units and columns as the compiled query's (the operator's scope: no filter),
        // and filtered by a district's subtree as AccessService.Can filters them.
        var district = await app.DbAsync(db => db.OrgUnits.AsNoTracking().SingleAsync(u => u.Code == "TQ-TP"));
        var operatorScope = new UserScope("op", "op", true, [], null);
        var districtScope = ScopeAt(district.Id, district.Path);
        var all = await app.DbAsync(db => db.OrgUnits.AsNoTracking().Include(u => u.Kind).OrderBy(u => u.Id).ToListAsync());
        foreach (var u in all)
        {
            var expected = all.Where(a => u.Path.ToString() == a.Path.ToString() || u.Path.ToString().StartsWith(a.Path.ToString() + ".", StringComparison.Ordinal)).OrderBy(a => a.Id).ToList();
            foreach (var scope in new[] { operatorScope, districtScope })
            {
                await using var batch = conn.CreateBatch();
                batch.BatchCommands.Add(AccessService.UnitAndAncestorsCommand(context, u.Id));
                await using var r = await batch.ExecuteReaderAsync();
                var read = (await AccessService.ReadUnitAndAncestorsAsync(r, scope, Permission.ViewReports, default)).OrderBy(a => a.Id).ToList();
                var want = expected.Where(a => scope.IsOperator || AccessService.Can(scope, Permission.ViewReports, a.Path)).ToList();
                Assert.Equal(want.Select(a => (a.Id, a.Code, a.Name, a.KindId, a.ParentId, a.Path.ToString(), a.FoundedYear, a.ClosedOn, a.MergedIntoId, a.Version)),
                    read.Select(a => (a.Id, a.Code, a.Name, a.KindId, a.ParentId, a.Path.ToString(), a.FoundedYear, a.ClosedOn, a.MergedIntoId, a.Version)));
                Assert.Equal(want.Select(a => (a.Kind.Id, a.Kind.Code, a.Kind.Name, a.Kind.Symbol, a.Kind.IsBranch, a.Kind.SortOrder)),
                    read.Select(a => (a.Kind.Id, a.Kind.Code, a.Kind.Name, a.Kind.Symbol, a.Kind.IsBranch, a.Kind.SortOrder)));
            }
        }
        {
            await using var batch = conn.CreateBatch();
            batch.BatchCommands.Add(AccessService.UnitAndAncestorsCommand(context, -1));
            await using var r = await batch.ExecuteReaderAsync();
            Assert.Empty(await AccessService.ReadUnitAndAncestorsAsync(r, operatorScope, Permission.ViewReports, default));
        }

        // The head and the trend: the view's read on the connection equals the context's read (no memo), the count from
        // scratch, and for the closed year the independent count; first read, as kept, and after a change.
        var memo = new RollupMemo();
        foreach (var round in new[] { "first", "kept", "changed" })
        {
            if (round == "changed")
                await app.DbAsync(async db =>
                {
                    // The pledge added above back to under way: its branch's figures change in the open year.
                    (await db.Pledges.SingleAsync(x => x.Year == current && x.Content == "Việc năm nay đã xong")).Status = PledgeStatus.InProgress;
                    await db.SaveChangesAsync();
                });
            var (whole, partial, kept) = (memo.Whole, memo.Partial, memo.AsKept);
            foreach (var year in new[] { ReportData.Year, current })
                foreach (var code in Codes)
                {
                    var unit = await app.OrgIdAsync(code);
                    var (view, units) = await ViewAsync(context, conn, clock, memo, unit, year, operatorScope);
                    Assert.NotNull(view);
                    Assert.Contains(units, u => u.Id == unit);
                    var (head, trend) = view.Value;
                    var byContext = await app.DbAsync(db => Rollup.DashboardAsync(db, unit, year, YearTrend.Earlier(year), CancellationToken.None));
                    var asOf = Rollup.AsOfFor(year, TestClock.Calendar);
                    var scratch = await app.DbAsync(db => ScratchRollup.ComputeAsync(db, unit, year, asOf));
                    Assert.Equal(byContext.Head.AsOf, head.AsOf);
                    Assert.Equal(ScratchRollup.Values(byContext.Head.Totals), ScratchRollup.Values(head.Totals));
                    Assert.Equal(scratch[unit], ScratchRollup.Values(head.Totals));
                    Assert.Equal(byContext.Head.Totals.Grades(), head.Totals.Grades());
                    Assert.Equal(byContext.Head.Children.Select(c => (c.UnitId, c.Code, c.Name, ScratchRollup.Values(c.Figures))),
                        head.Children.Select(c => (c.UnitId, c.Code, c.Name, ScratchRollup.Values(c.Figures))));
                    foreach (var c in head.Children) Assert.Equal(scratch[c.UnitId], ScratchRollup.Values(c.Figures));
                    Assert.Equal(byContext.Trend.OrderBy(t => t.Key).Select(t => (t.Key, t.Value is { } f ? ScratchRollup.Values(f) : null)),
                        trend.OrderBy(t => t.Key).Select(t => (t.Key, t.Value is { } f ? ScratchRollup.Values(f) : null)));
                    if (year == ReportData.Year)
                    {
                        Assert.Equal(await IndependentCount.ForAsync(app.ConnectionString, code, year), IndependentCount.Of(head.Totals));
                        foreach (var c in head.Children)
                            Assert.Equal(await IndependentCount.ForAsync(app.ConnectionString, c.Code, year), IndependentCount.Of(c.Figures));
                    }
                }
            if (round == "kept") Assert.True(memo.AsKept > kept && memo.Whole == whole, $"kept round: whole {memo.Whole - whole}, partial {memo.Partial - partial}");
            if (round == "changed") Assert.True(memo.Partial > partial, "the change is read again for its units");
        }

        // A unit outside the user's subtree: nothing is read but its statement, and no figures come back.
        var ys = await app.OrgIdAsync("TQ-YS");
        var (outside, seen) = await ViewAsync(context, conn, clock, memo, ys, current, districtScope);
        Assert.Null(outside);
        Assert.DoesNotContain(seen, u => u.Id == ys);
        // The connection is usable again (the view's transaction ended).
        await using (var check = new NpgsqlCommand("SELECT 1", conn)) Assert.Equal(1, await check.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_issued_reports_statement_reads_what_the_context_reads()
    {
        var tq = await app.OrgIdAsync("TQ");
        var tp = await app.OrgIdAsync("TQ-TP");
        var y = ReportData.Year;
        // Issued 1 (replaced by 2), 2, a period review 3, a draft and a soft-deleted issued report: 1, 2, 3 are listed, in order.
        await TestDatabase.ExecAsync($"""
            INSERT INTO reports (org_unit_id, year, status, number, symbol, issued_on, pdf_sha256) VALUES ({tq}, {y}, 2, 901, 'BC/TU', '{y}-12-20', 'aa');
            INSERT INTO reports (org_unit_id, year, status, number, symbol, issued_on, pdf_sha256, replaces_report_id)
                SELECT {tq}, {y}, 2, 902, 'BC/TU', '{y}-12-22', 'bb', id FROM reports WHERE org_unit_id = {tq} AND year = {y} AND number = 901;
            INSERT INTO reports (org_unit_id, year, status, number, symbol, issued_on, pdf_sha256, first_year) VALUES ({tq}, {y}, 2, 903, 'BC/TU', '{y}-12-23', 'cc', {y - 4});
            INSERT INTO reports (org_unit_id, year, status) VALUES ({tq}, {y}, 1);
            INSERT INTO reports (org_unit_id, year, status, number, symbol, issued_on, pdf_sha256, deleted_at) VALUES ({tq}, {y}, 2, 904, 'BC/TU', '{y}-12-24', 'dd', now());
            """, app.ConnectionString);
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using var conn = await dataSource.OpenConnectionAsync();
        foreach (var (unit, year) in new[] { (tq, y), (tp, y), (tq, y - 1), (-1, y) })
        {
            var byContext = await app.DbAsync(db => IndexModel.IssuedAsync(db, unit, year, CancellationToken.None));
            var command = await app.DbAsync(db => Task.FromResult(IndexModel.IssuedCommand.For(db)));
            await using var batch = conn.CreateBatch();
            batch.BatchCommands.Add(command.Create(unit, year));
            await using var r = await batch.ExecuteReaderAsync();
            var plain = new List<IndexModel.IssuedRow>();
            await IndexModel.IssuedCommand.ReadIssuedAsync(r, plain, default);
            Assert.Equal(byContext, plain);
            if (unit == tq && year == y)
            {
                Assert.Equal([901, 902, 903], plain.Select(p => p.Number));
                Assert.Equal(902, plain[0].ReplacedBy);
                Assert.Equal(901, plain[1].Replaces);
                Assert.Equal(y - 4, plain[2].FirstYear);
            }
        }
        // The dashboard page lists them (the view's path on the data source).
        var client = await app.SignedInAsync("admin@hlb.local");
        var html = await client.HtmlAsync($"/Reports/{tq}/{y}");
        Assert.Contains("Số 901-BC/TU", html);
        Assert.Contains("(đã được thay thế bởi số 902, không còn hiệu lực)", html);
        Assert.DoesNotContain("Số 904", html);
    }
}

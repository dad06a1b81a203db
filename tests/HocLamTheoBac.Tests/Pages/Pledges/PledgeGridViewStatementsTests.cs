using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Pledges;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HocLamTheoBac.Tests.Pages.Pledges;

/// <summary>
/// The grid's view reads its unit, roster and texts as plain SQL on the data source (docs/performance.md, GRIDFLOOR); its
/// posts read them through the context. Both must read the same: every unit of the demo in every year (closed and open,
/// the kind, the active count up to a page and one), every branch's roster with and without texts, and the texts of live
/// pledges only.
/// </summary>
public sealed class PledgeGridViewStatementsTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task The_view_s_plain_statements_read_what_the_context_reads()
    {
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using var conn = await dataSource.OpenConnectionAsync();
        // Pledges of the year on a branch's grid, one of them soft-deleted: its texts are read by neither.
        var member = (await app.MembersAsync("TQ-TP-PT-TDP1"))[3];
        await app.AddPledgeAsync(member.Id, PledgeStatus.Approved, "Việc làm theo còn trên bảng");
        var deletedId = await app.AddPledgeAsync(member.Id, PledgeStatus.Draft, "Việc làm theo đã xóa");
        await app.DbAsync(async db =>
        {
            var deleted = await db.Pledges.SingleAsync(p => p.Id == deletedId);
            deleted.DeletedAt = db.Clock.Now;
            await db.SaveChangesAsync();

            // Last year closed by the branch's parent for its subtree (a closed plan year of an ancestor), the year before open.
            var parent = await db.OrgUnits.Where(u => u.Code == "TQ-TP-PT-TDP1").Select(u => u.ParentId).SingleAsync();
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM plan_years WHERE org_unit_id = {parent} AND year = {PledgeData.Year - 1}");
            await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO plan_years (org_unit_id, year, theme, closed_at) VALUES ({parent}, {PledgeData.Year - 1}, 'Năm đã khóa', now())");
            var units = await db.OrgUnits.AsNoTracking().Include(u => u.Kind).OrderBy(u => u.Id).ToListAsync();
            var (closedSeen, openSeen, rostersSeen) = (0, 0, 0);
            foreach (var year in new[] { PledgeData.Year - 2, PledgeData.Year - 1, PledgeData.Year })
            {
                var byContext = await db.OrgUnits.WithClosure(db, year)
                    .Select(x => new { x.Unit.Id, x.Closed, Active = db.Members.Where(m => m.BranchId == x.Unit.Id && m.Status == MemberStatus.Active).Take(BranchModel.MembersPerPage + 1).Count() })
                    .ToDictionaryAsync(x => x.Id);
                foreach (var u in units)
                {
                    var read = await BranchModel.ReadUnitAsync(db, conn, u.Id, year, default);
                    Assert.NotNull(read);
                    Assert.Equal((u.Id, u.Code, u.Name, u.KindId, u.ParentId, u.Path.ToString(), u.FoundedYear, u.ClosedOn, u.MergedIntoId, u.Version),
                        (read.Unit.Id, read.Unit.Code, read.Unit.Name, read.Unit.KindId, read.Unit.ParentId, read.Unit.Path.ToString(), read.Unit.FoundedYear, read.Unit.ClosedOn, read.Unit.MergedIntoId, read.Unit.Version));
                    Assert.Equal((u.Kind.Id, u.Kind.Code, u.Kind.Name, u.Kind.Symbol, u.Kind.IsBranch, u.Kind.SortOrder),
                        (read.Kind.Id, read.Kind.Code, read.Kind.Name, read.Kind.Symbol, read.Kind.IsBranch, read.Kind.SortOrder));
                    Assert.Same(read.Kind, read.Unit.Kind);
                    Assert.Equal((byContext[u.Id].Closed, byContext[u.Id].Active), (read.Closed, read.Active));
                    if (read.Closed) closedSeen++; else openSeen++;

                    // The view's batch (the unit and the roster in one round trip) reads the same unit as the unit's statement
                    // alone, and the same roster as the roster's statement, with and without texts, for every unit.
                    foreach (var withTexts in new[] { false, true })
                    {
                        var (batched, roster) = await BranchModel.ReadUnitAndRosterAsync(db, conn, u.Id, year, withTexts, default);
                        Assert.NotNull(batched);
                        Assert.Equal((read.Unit.Id, read.Unit.Code, read.Unit.Name, read.Unit.KindId, read.Unit.ParentId, read.Unit.Path.ToString(), read.Unit.FoundedYear, read.Unit.ClosedOn, read.Unit.MergedIntoId, read.Unit.Version),
                            (batched.Unit.Id, batched.Unit.Code, batched.Unit.Name, batched.Unit.KindId, batched.Unit.ParentId, batched.Unit.Path.ToString(), batched.Unit.FoundedYear, batched.Unit.ClosedOn, batched.Unit.MergedIntoId, batched.Unit.Version));
                        Assert.Equal((read.Kind.Id, read.Kind.Code, read.Kind.Name, read.Kind.Symbol, read.Kind.IsBranch, read.Kind.SortOrder, read.Closed, read.Active),
                            (batched.Kind.Id, batched.Kind.Code, batched.Kind.Name, batched.Kind.Symbol, batched.Kind.IsBranch, batched.Kind.SortOrder, batched.Closed, batched.Active));
                        var alone = await BranchGridQuery.LoadAsync(db, conn, u.Id, year, default, withTexts);
                        Assert.Equal(alone.Members, roster.Members);
                        Assert.Equal(alone.StandsIn.OrderBy(x => x.Key), roster.StandsIn.OrderBy(x => x.Key));
                        Assert.Equal(alone.Pledges, roster.Pledges);
                        Assert.Equal(alone.Texts?.OrderBy(x => x.Key), roster.Texts?.OrderBy(x => x.Key));
                        Assert.Equal(withTexts, roster.Texts is not null);
                        if (roster.Pledges.Count > 0) rostersSeen++;
                    }

                    if (!u.Kind.IsBranch) continue;
                    foreach (var withTexts in new[] { false, true })
                    {
                        var a = await BranchGridQuery.LoadAsync(db, u.Id, year, default, withTexts);
                        var b = await BranchGridQuery.LoadAsync(db, conn, u.Id, year, default, withTexts);
                        Assert.Equal(a.Members, b.Members);
                        Assert.Equal(a.StandsIn.OrderBy(x => x.Key), b.StandsIn.OrderBy(x => x.Key));
                        Assert.Equal(a.Pledges, b.Pledges);
                        Assert.Equal(a.Texts?.OrderBy(x => x.Key), b.Texts?.OrderBy(x => x.Key));
                        if (withTexts) continue;
                        var ids = a.Pledges.Select(p => p.Id).Append(deleted.Id).Append(-1).ToList();
                        var ta = await BranchGridQuery.TextsAsync(db, ids, default);
                        var tb = await BranchGridQuery.TextsAsync(conn, ids, default);
                        Assert.Equal(ta.OrderBy(x => x.Key), tb.OrderBy(x => x.Key));
                        Assert.DoesNotContain(deleted.Id, tb.Keys);
                    }
                }
            }
            Assert.True(closedSeen > 0 && openSeen > 0, $"closed {closedSeen}, open {openSeen}: both should be read");
            Assert.True(rostersSeen > 0, "some batched roster should have pledges");
            Assert.Null(await BranchModel.ReadUnitAsync(db, conn, -1, PledgeData.Year, default));
            var (none, noRoster) = await BranchModel.ReadUnitAndRosterAsync(db, conn, -1, PledgeData.Year, true, default);
            Assert.Null(none);
            Assert.Empty(noRoster.Members);
            // The connection is usable after a batch (both results read to the end).
            Assert.NotNull(await BranchModel.ReadUnitAsync(db, conn, units[0].Id, PledgeData.Year, default));
            Assert.Empty(await BranchGridQuery.TextsAsync(conn, [], default));
        });
    }
}

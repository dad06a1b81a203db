using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Pledges;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HocLamTheoBac.Tests.Pages.Pledges;

/// <summary>
/// The member page's view runs its batch from SQL kept for the context's options, on the data source (docs/performance.md,
/// MEMBER17); EF generates the same statements afresh for every member and year (<see cref="MineModel.Statements"/>, where
/// the rules live). Both must be the same statements and read the same: every member of the demo in three years (one closed
/// for a subtree by a district), a soft-deleted pledge left out, members with and without pledges.
/// </summary>
public sealed class MinePageStatementsTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task The_view_s_kept_batch_is_the_context_s_and_reads_what_it_reads()
    {
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using var conn = await dataSource.OpenConnectionAsync();
        var member = (await app.MembersAsync("TQ-TP-PT-TDP1"))[2];
        await app.AddPledgeAsync(member.Id, PledgeStatus.Approved, "Việc làm theo của tôi còn đó");
        var deletedId = await app.AddPledgeAsync(member.Id, PledgeStatus.Draft, "Việc làm theo của tôi đã xóa");
        await app.AddPledgeAsync(member.Id, PledgeStatus.Submitted, "Việc làm theo năm trước", PledgeData.Year - 1);
        await app.DbAsync(async db =>
        {
            var deleted = await db.Pledges.SingleAsync(p => p.Id == deletedId);
            deleted.DeletedAt = db.Clock.Now;
            await db.SaveChangesAsync();
            // Last year closed by the branch's parent for its subtree (a closed plan year of an ancestor).
            var parent = await db.OrgUnits.Where(u => u.Code == "TQ-TP-PT-TDP1").Select(u => u.ParentId).SingleAsync();
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM plan_years WHERE org_unit_id = {parent} AND year = {PledgeData.Year - 1}");
            await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO plan_years (org_unit_id, year, theme, closed_at) VALUES ({parent}, {PledgeData.Year - 1}, 'Năm đã khóa', now())");

            var kept = MineModel.ViewBatch.For(db);
            var members = await db.Members.AsNoTracking().OrderBy(m => m.Id).Select(m => m.Id).ToListAsync();
            var (closedSeen, openSeen, withPledges, without) = (0, 0, 0, 0);
            foreach (var year in new[] { PledgeData.Year - 2, PledgeData.Year - 1, PledgeData.Year })
                foreach (var id in members)
                {
                    // EF's statements for this member and year, run as the page ran them before (a batch on the context's connection).
                    var fresh = MineModel.Statements(db, id, year);
                    var byContext = await db.OnConnectionAsync(async c =>
                    {
                        await using var batch = c.CreateBatch();
                        foreach (var s in fresh) batch.BatchCommands.Add(s);
                        return await MineModel.ViewBatch.ReadAsync(batch, default);
                    }, default);
                    var read = await kept.ReadAsync(conn, id, year, default);
                    Assert.Equal(byContext.Closed, read.Closed);
                    Assert.Equal(byContext.Pledges, read.Pledges);
                    Assert.Equal(byContext.Stamps, read.Stamps);
                    Assert.DoesNotContain(read.Pledges, p => p.Id == deletedId);
                    if (read.Closed) closedSeen++; else openSeen++;
                    if (read.Pledges.Count > 0) withPledges++; else without++;
                }
            Assert.True(closedSeen > 0 && openSeen > 0 && withPledges > 0 && without > 0,
                $"closed {closedSeen}, open {openSeen}, with pledges {withPledges}, without {without}: each should be read");

            // The same SQL text and parameters (names, types, values) as EF generates for a real member and year.
            var keptCommands = await KeptCommandsAsync(kept, conn, member.Id, PledgeData.Year);
            var efCommands = MineModel.Statements(db, member.Id, PledgeData.Year);
            Assert.Equal(efCommands.Length, keptCommands.Count);
            for (var i = 0; i < efCommands.Length; i++)
            {
                Assert.Equal(efCommands[i].CommandText, keptCommands[i].CommandText);
                Assert.Equal(efCommands[i].Parameters.Select(p => (p.ParameterName, p.NpgsqlDbType, p.Value)),
                    keptCommands[i].Parameters.Select(p => (p.ParameterName, p.NpgsqlDbType, p.Value)));
            }
        });
    }

    /// <summary>The commands the kept batch builds, read back from a batch run on <paramref name="conn"/>.</summary>
    private static async Task<List<NpgsqlBatchCommand>> KeptCommandsAsync(MineModel.ViewBatch kept, NpgsqlConnection conn, int memberId, int year)
    {
        var batch = kept.Create(conn, memberId, year);
        await using (batch) return [.. batch.BatchCommands.Cast<NpgsqlBatchCommand>()];
    }
}

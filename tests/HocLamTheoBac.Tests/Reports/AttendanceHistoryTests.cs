using HocLamTheoBac.Tests.Data;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.StudySessions;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>
/// The members expected at a study session are those of the tree of the session day (ADR 0028): a branch moved away
/// from the unit that held a past session, or moved under it, after the session, leaves that session's list, its rate
/// and the year's figures at every level as they were. On the demo that scripts/run.sh seeds (2025 lived through).
/// </summary>
public sealed class AttendanceHistoryTests(LivedInDemo app) : IClassFixture<LivedInDemo>
{
    [Fact]
    public async Task Moving_branches_today_leaves_the_attendance_of_last_year_s_sessions_as_it_was()
    {
        var clock = new VietnamCalendar(new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero)));
        await using var db = TestDatabase.NewContext(app.ConnectionString, clock: clock);
        await using var tx = await db.Database.BeginTransactionAsync();
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();

        // A 2025 session held by a committee, a branch under it whose members were expected that day, and a branch with
        // members outside the committee (counted from the tables here, independently of the code under test).
        var (session, holder, inside, outside, province) = await PickAsync(conn);

        async Task<(List<ExpectedMember> List, Dictionary<int, Figures> Year)> ReadAsync()
        {
            db.ChangeTracker.Clear();
            var list = await SessionQueries.ExpectedAsync(db, db.StudySessions.Where(s => s.Id == session), default);
            var year = (await Rollup.ComputeAsync(db, province, 2025, default)).All.ToDictionary(u => u.UnitId, u => u.Figures);
            return (list, year);
        }

        var before = await ReadAsync();
        var insideName = await db.OrgUnits.Where(u => u.Id == inside).Select(u => u.Name).SingleAsync();
        Assert.Contains(before.List, m => m.BranchName == insideName);
        Assert.True(before.Year[holder].AttendanceRecorded > 0);

        // Away from the holder (under the province), and another branch under it, both from today.
        var target = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == province);
        var holderUnit = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == holder);
        Assert.Null(await Restructuring.MoveAsync(db, await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == inside), target, clock.Today, default));
        Assert.Null(await Restructuring.MoveAsync(db, await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == outside), holderUnit, clock.Today, default));

        var after = await ReadAsync();
        Assert.Equal(before.List, after.List);
        Assert.Equal(before.Year.Keys.Order(), after.Year.Keys.Order());
        foreach (var (id, f) in before.Year) Assert.Equal(f, after.Year[id]);
        var diffs = await ScratchRollup.AggregateDifferencesAsync(conn);
        Assert.True(diffs.Count == 0, "aggregates differ from a recount:\n" + string.Join("\n", diffs.Take(20)));

        // A session held today counts the tree of today: the branch moved in is expected, the one moved out is not.
        var today = new StudySession { OrgUnitId = holder, Year = 2026, HeldOn = clock.Today, Theme = "Chuyên đề hôm nay" };
        db.StudySessions.Add(today);
        await db.SaveChangesAsync();
        var names = (await SessionQueries.ExpectedAsync(db, db.StudySessions.Where(s => s.Id == today.Id), default)).Select(m => m.BranchName).ToHashSet();
        var outsideName = await db.OrgUnits.Where(u => u.Id == outside).Select(u => u.Name).SingleAsync();
        Assert.Contains(outsideName, names);
        Assert.DoesNotContain(insideName, names);
        await tx.RollbackAsync();
    }

    private static async Task<(int Session, int Holder, int Inside, int Outside, int Province)> PickAsync(NpgsqlConnection conn)
    {
        const string sql = """
            WITH cand AS (
                SELECT s.id AS sid, s.org_unit_id AS holder, b.id AS inside, su.path AS hpath
                FROM study_sessions s JOIN org_units su ON su.id = s.org_unit_id JOIN org_kinds hk ON hk.id = su.kind_id AND NOT hk.is_branch
                JOIN org_units b ON b.path <@ su.path AND b.parent_id IS NOT NULL AND b.closed_on IS NULL
                WHERE s.year = 2025 AND s.deleted_at IS NULL AND su.parent_id IS NOT NULL AND su.closed_on IS NULL
                  AND EXISTS (SELECT 1 FROM member_branch_periods mp WHERE mp.branch_id = b.id
                              AND mp.valid_from <= s.held_on AND (mp.valid_to IS NULL OR mp.valid_to > s.held_on))
                  AND b.id <> s.org_unit_id
            )
            SELECT c.sid, c.holder, c.inside, o.id, ltree2text(subpath(c.hpath, 0, 1))::int
            FROM cand c JOIN org_units o ON NOT (o.path <@ c.hpath) AND o.path <@ subpath(c.hpath, 0, 1) AND o.closed_on IS NULL AND o.parent_id IS NOT NULL
            JOIN org_kinds ok ON ok.id = o.kind_id AND ok.is_branch
            WHERE EXISTS (SELECT 1 FROM member_branch_periods mp WHERE mp.branch_id = o.id AND mp.valid_to IS NULL)
            ORDER BY c.sid, c.inside, o.id LIMIT 1
            """;
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), "the demo has a 2025 session of a committee with members expected in one of its branches");
        return (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4));
    }
}

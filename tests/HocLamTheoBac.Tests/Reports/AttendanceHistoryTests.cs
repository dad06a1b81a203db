using HocLamTheoBac.Tests.Data;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.StudySessions;
using HocLamTheoBac.Web.Reports;
using HocLamTheoBac.Web.Reports.Paper;
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

    [Fact]
    public async Task Moving_and_merging_branches_today_leaves_last_year_s_members_grades_where_they_were()
    {
        // Found at session 10: a past year's grades on the dashboard followed the subtree of today, so a branch moved
        // after the year took its members' 2025 grades from its old ward to its new one.
        var clock = new VietnamCalendar(new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero)));
        await using var db = TestDatabase.NewContext(app.ConnectionString, clock: clock);
        await using var tx = await db.Database.BeginTransactionAsync();
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var (_, holder, inside, outside, province) = await PickAsync(conn);
        var endOf2025 = new DateOnly(2025, 12, 31);

        async Task<Dictionary<int, int[]>> ReadAsync()
        {
            db.ChangeTracker.Clear();
            var units = await db.PlacementsOn(endOf2025).Select(p => p.OrgUnitId).ToListAsync();
            var result = new Dictionary<int, int[]>();
            foreach (var u in units)
            {
                var g = await GradeCounts.ForUnitAsync(db, u, 2025, endOf2025, default);
                result[u] = Enum.GetValues<GradeLevel>().Select(l => g.GetValueOrDefault(l)).ToArray();
            }
            return result;
        }

        // Counted from the tables, apart from the code under test: a grade counts for every unit whose placement on
        // 31/12/2025 holds the placement of the grade's branch that day.
        async Task<Dictionary<int, long>> CountAsync()
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT u.org_unit_id, count(g.id) FROM org_placements u
                LEFT JOIN org_placements b ON b.path <@ u.path AND b.valid_from <= @d AND (b.valid_to IS NULL OR b.valid_to > @d)
                LEFT JOIN member_grades g ON g.branch_id = b.org_unit_id AND g.year = 2025 AND g.deleted_at IS NULL
                WHERE u.valid_from <= @d AND (u.valid_to IS NULL OR u.valid_to > @d)
                GROUP BY u.org_unit_id
                """, conn);
            cmd.Parameters.AddWithValue("d", endOf2025);
            var result = new Dictionary<int, long>();
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) result[r.GetInt32(0)] = r.GetInt64(1);
            return result;
        }

        var before = await ReadAsync();
        var counted = await CountAsync();
        Assert.Equal(counted.Keys.Order(), before.Keys.Order());
        foreach (var (u, n) in counted) Assert.True(n == before[u].Sum(), $"unit {u}: {before[u].Sum()} grades shown, {n} counted");
        Assert.True(before[holder].Sum() > 0 && before[province].Sum() > before[holder].Sum(), "the demo graded 2025's members");
        Assert.True(await db.MemberGrades.AnyAsync(g => g.Year == 2025 && (g.BranchId == inside || g.BranchId == outside)), "both branches graded 2025");

        // Today: one branch leaves the committee, the other comes under it, then merges into the first.
        var target = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == province);
        var holderUnit = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == holder);
        Assert.Null(await Restructuring.MoveAsync(db, await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == inside), target, clock.Today, default));
        Assert.Null(await Restructuring.MoveAsync(db, await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == outside), holderUnit, clock.Today, default));
        Assert.Null(await Restructuring.MergeAsync(db, await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == outside),
            await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == inside), clock.Today, default));

        var after = await ReadAsync();
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (u, g) in before) Assert.True(g.SequenceEqual(after[u]), $"unit {u}: {string.Join("/", g)} before, {string.Join("/", after[u])} after");

        // Today's tree: the survivor counts both branches' grades, the committee neither.
        var today = await GradeCounts.ForUnitAsync(db, inside, 2025, clock.Today, default);
        Assert.Equal(before[inside].Sum() + before[outside].Sum(), today.Values.Sum());
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task A_unit_cannot_be_moved_from_before_a_later_change_inside_it_or_of_where_it_goes()
    {
        // Found by the walk of ADR 0028: moving a ward from 01/06 after a branch joined it on 01/12 rewrote the branch's
        // placements into overlapping, inverted ones, and its sessions counted members before they arrived.
        var clock = new VietnamCalendar(new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero)));
        await using var db = TestDatabase.NewContext(app.ConnectionString, clock: clock);
        await using var tx = await db.Database.BeginTransactionAsync();
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var (_, holder, _, outside, _) = await PickAsync(conn);
        var ward = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == holder);
        var others = await db.OrgUnits.Include(u => u.Kind)
            .Where(u => !u.Kind.IsBranch && u.ClosedOn == null && u.ParentId != null && u.Id != ward.ParentId && !u.Path.IsDescendantOf(ward.Path) && !ward.Path.IsDescendantOf(u.Path))
            .OrderBy(u => u.Id).ToListAsync();
        Assert.True(others.Count >= 1, "the demo has a committee beside the ward");
        var branch = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == outside);
        var june = new DateOnly(2026, 6, 1);

        // A branch joins the ward today; the ward cannot then move from June (the branch's placement of June–December
        // would be rewritten), only from today.
        Assert.Null(await Restructuring.MoveAsync(db, branch, ward, clock.Today, default));
        var target = others[0];
        var refused = await Restructuring.MoveAsync(db, ward, target, june, default);
        Assert.Equal($"Ngày hiệu lực phải từ ngày 01/12/2026 (lần thay đổi trước của {branch.Name}, đơn vị trực thuộc {ward.Name}).", refused);

        // Nor can a unit go from June under a committee that itself moved today.
        var mover = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == target.Id);
        var elsewhere = await db.OrgUnits.Include(u => u.Kind)
            .Where(u => !u.Kind.IsBranch && u.ClosedOn == null && u.Id != mover.ParentId && !u.Path.IsDescendantOf(mover.Path) && u.Id != ward.Id && !u.Path.IsDescendantOf(ward.Path))
            .OrderBy(u => u.Id).FirstAsync();
        Assert.Null(await Restructuring.MoveAsync(db, mover, elsewhere, clock.Today, default));
        var leaf = await db.OrgUnits.Include(u => u.Kind)
            .Where(u => u.Kind.IsBranch && u.ClosedOn == null && u.ParentId != mover.Id && !u.Path.IsDescendantOf(mover.Path) && !u.Path.IsDescendantOf(ward.Path))
            .OrderBy(u => u.Id).FirstAsync();
        Assert.Equal($"Ngày hiệu lực phải từ ngày 01/12/2026 (lần thay đổi trước của {mover.Name}).", await Restructuring.MoveAsync(db, leaf, mover, june, default));

        // From today both go through, and the tree of every day stays one tree: no unit stands in two places on a day.
        Assert.Null(await Restructuring.MoveAsync(db, ward, target, clock.Today, default));
        await using (var cmd = new NpgsqlCommand("""
            SELECT count(*) FROM org_placements a JOIN org_placements b ON a.org_unit_id = b.org_unit_id AND a.id < b.id
            WHERE a.valid_from < coalesce(b.valid_to, 'infinity') AND b.valid_from < coalesce(a.valid_to, 'infinity')
               OR a.valid_to < a.valid_from
            """, conn))
            Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
        var diffs = await ScratchRollup.AggregateDifferencesAsync(conn);
        Assert.True(diffs.Count == 0, "aggregates differ from a recount:\n" + string.Join("\n", diffs.Take(20)));
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

using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports.Paper;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>
/// The members' grades kept per branch, year and level (<c>agg_unit_grades</c>, issue 16): after grading, regrading,
/// removing and a restructuring, the kept rows equal a count from <c>member_grades</c> (<c>agg_differences()</c>) and every
/// unit's grade counts (the dashboard's) equal a count of the grades whose branch stood under the unit on the as-of day.
/// </summary>
public sealed class KeptGradeCountsTests(KeptGradeCountsTests.Site app) : IClassFixture<KeptGradeCountsTests.Site>
{
    /// <summary>A database of its own: the test merges and moves branches.</summary>
    public sealed class Site : AppFactory;

    private const int Y = 2026;

    /// <summary>Counted apart from the kept rows: a grade counts for the unit when its branch (or, gone by the day, the
    /// branch it was merged into) stood under the unit on that day.</summary>
    internal const string Independent = """
        SELECT g.level, count(*)::int FROM member_grades g
        JOIN org_units b ON b.id = g.branch_id
        JOIN org_placements p ON p.org_unit_id = CASE WHEN b.merged_into_id IS NOT NULL AND b.closed_on <= @d THEN b.merged_into_id ELSE b.id END
            AND p.valid_from <= @d AND (p.valid_to IS NULL OR p.valid_to > @d)
        JOIN org_placements r ON r.org_unit_id = @unit AND r.valid_from <= @d AND (r.valid_to IS NULL OR r.valid_to > @d)
        WHERE p.path <@ r.path AND g.year = @y AND g.deleted_at IS NULL
        GROUP BY 1
        """;

    private async Task AssertCountsAsync(string step)
    {
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
        var units = await app.DbAsync(db => db.OrgUnits.Select(u => u.Id).OrderBy(x => x).ToListAsync());
        var asOf = await app.DbAsync(db => Task.FromResult(db.Clock.AsOf(Y)));
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        var nonZero = 0;
        foreach (var unit in units)
        {
            var counted = await app.DbAsync(db => GradeCounts.ForUnitAsync(db, unit, Y, asOf, CancellationToken.None));
            await using var cmd = new NpgsqlCommand(Independent, conn);
            cmd.Parameters.AddWithValue("unit", unit);
            cmd.Parameters.AddWithValue("d", asOf);
            cmd.Parameters.AddWithValue("y", Y);
            var expected = new Dictionary<GradeLevel, int>();
            await using (var r = await cmd.ExecuteReaderAsync())
                while (await r.ReadAsync()) expected[(GradeLevel)r.GetInt32(0)] = r.GetInt32(1);
            foreach (var level in Enum.GetValues<GradeLevel>())
                Assert.True(expected.GetValueOrDefault(level) == counted.GetValueOrDefault(level),
                    $"{step}: unit {unit}, {level}: counted {counted.GetValueOrDefault(level)}, expected {expected.GetValueOrDefault(level)}");
            nonZero += expected.Values.Sum() > 0 ? 1 : 0;
        }
        Assert.True(nonZero > 0, step);
    }

    [Fact]
    public async Task Kept_grade_counts_equal_a_count_from_the_grades_after_grading_regrading_removing_and_restructuring()
    {
        var graded = await GradeThreeBranchesAsync(app, Y);
        await AssertCountsAsync("graded");

        // Regrading (one statement for many rows, and one by one), a note alone, removing ("Chưa xếp loại": soft), a hard delete.
        await app.DbAsync(async db =>
        {
            await db.MemberGrades.Where(g => graded.Take(5).Contains(g.Id)).ExecuteUpdateAsync(s => s.SetProperty(g => g.Level, GradeLevel.NotCompleted));
            var one = await db.MemberGrades.SingleAsync(g => g.Id == graded[6]);
            one.Level = one.Level == GradeLevel.Excellent ? GradeLevel.Good : GradeLevel.Excellent;
            one.Note = "Sửa mức";
            await db.SaveChangesAsync();
            await db.MemberGrades.Where(g => g.Id == graded[7]).ExecuteUpdateAsync(s => s.SetProperty(g => g.Note, "Chỉ ghi chú"));
            await db.MemberGrades.Where(g => graded.Skip(8).Take(3).Contains(g.Id)).ExecuteUpdateAsync(s => s.SetProperty(g => g.DeletedAt, DateTimeOffset.UtcNow));
            await db.MemberGrades.IgnoreQueryFilters().Where(g => g.Id == graded[11]).ExecuteDeleteAsync();
            // A removed grade given again, and a grade moved to another branch and year.
            await db.MemberGrades.IgnoreQueryFilters().Where(g => g.Id == graded[8]).ExecuteUpdateAsync(s => s.SetProperty(g => g.DeletedAt, (DateTimeOffset?)null).SetProperty(g => g.Level, GradeLevel.Good));
        });
        await AssertCountsAsync("regraded and removed");

        // A rolled-back write leaves nothing behind.
        await app.DbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.MemberGrades.Where(g => graded.Contains(g.Id)).ExecuteUpdateAsync(s => s.SetProperty(g => g.DeletedAt, DateTimeOffset.UtcNow));
            await tx.RollbackAsync();
        });
        await AssertCountsAsync("rolled back");

        // Restructuring today: TDP5 moves to Phan Thiết, then TDP2 merges into TDP1; the grades stay with the branch that
        // recorded them and count where it stood on the as-of day.
        await app.DbAsync(async db =>
        {
            var pt = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Code == "TQ-TP-PT");
            var tdp5 = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Code == "TQ-TP-MX-TDP5");
            Assert.Null(await Restructuring.MoveAsync(db, tdp5, pt, db.Clock.Today, default));
        });
        await AssertCountsAsync("moved");
        await app.DbAsync(async db =>
        {
            var source = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Code == "TQ-TP-PT-TDP2");
            var into = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Code == "TQ-TP-PT-TDP1");
            Assert.Null(await Restructuring.MergeAsync(db, source, into, db.Clock.Today, default));
        });
        await AssertCountsAsync("merged");

        // agg_rebuild() counts the same rows again.
        await using (var conn = new NpgsqlConnection(app.ConnectionString))
        {
            await conn.OpenAsync();
            var before = await KeptAsync(conn);
            await using (var cmd = new NpgsqlCommand("SELECT agg_rebuild()", conn)) await cmd.ExecuteNonQueryAsync();
            Assert.Equal(before, await KeptAsync(conn));
        }
        await AssertCountsAsync("rebuilt");
    }

    /// <summary>Every member of three branches of Phan Thiết and Minh Xuân not graded yet gets a grade of the year (the levels in turn); the new grades' ids.</summary>
    internal static async Task<List<int>> GradeThreeBranchesAsync(AppFactory app, int year)
    {
        var levels = Enum.GetValues<GradeLevel>();
        var graded = new List<int>();
        foreach (var code in new[] { "TQ-TP-PT-TDP1", "TQ-TP-PT-TDP2", "TQ-TP-MX-TDP5" })
        {
            var unit = await app.OrgIdAsync(code);
            var members = await app.MembersAsync(code);
            await app.DbAsync(async db =>
            {
                var have = await db.MemberGrades.IgnoreQueryFilters().Where(g => g.Year == year).Select(g => g.MemberId).ToListAsync();
                var grades = members.Where(m => !have.Contains(m.Id)).Select((m, i) => new MemberGrade { MemberId = m.Id, BranchId = unit, Year = year, Level = levels[i % levels.Length] }).ToList();
                db.MemberGrades.AddRange(grades);
                await db.SaveChangesAsync();
                graded.AddRange(grades.Select(g => g.Id));
            });
        }
        return graded;
    }

    private static async Task<List<string>> KeptAsync(NpgsqlConnection conn)
    {
        await using var cmd = new NpgsqlCommand("SELECT year || ' ' || unit_id || ' ' || level || ' ' || n FROM agg_unit_grades WHERE n <> 0 ORDER BY year, unit_id, level", conn);
        var rows = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add(r.GetString(0));
        return rows;
    }
}

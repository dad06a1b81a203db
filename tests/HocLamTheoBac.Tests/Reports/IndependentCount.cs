using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>The demo tree plus <see cref="ReportData"/>, one database per test class.</summary>
public class ReportAppFactory : AppFactory
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await DbAsync(ReportData.SeedAsync);
    }
}

/// <summary>
/// Figures counted straight from the tables with the current tree, written independently of
/// Reports/Rollup.cs, so the two can check each other.
/// </summary>
public static class IndependentCount
{
    private const string Sub = "(SELECT path FROM org_units WHERE code = @code)";
    private const string Expected = $"""
        FROM study_sessions s JOIN org_units su ON su.id = s.org_unit_id
        JOIN org_placements hp ON hp.org_unit_id = s.org_unit_id AND hp.valid_from <= s.held_on AND (hp.valid_to IS NULL OR hp.valid_to > s.held_on)
        JOIN org_placements bp ON bp.path <@ hp.path AND bp.valid_from <= s.held_on AND (bp.valid_to IS NULL OR bp.valid_to > s.held_on)
        JOIN member_branch_periods mp ON mp.branch_id = bp.org_unit_id AND mp.valid_from <= s.held_on AND (mp.valid_to IS NULL OR mp.valid_to > s.held_on)
        LEFT JOIN attendances a ON a.session_id = s.id AND a.member_id = mp.member_id
        WHERE su.path <@ {Sub} AND s.year = @y AND s.deleted_at IS NULL
        """;

    public static readonly Dictionary<string, string> Queries = new()
    {
        ["members"] = $"SELECT count(*) FROM member_branch_periods p JOIN org_units u ON u.id = p.branch_id WHERE u.path <@ {Sub} AND p.valid_from <= @d AND (p.valid_to IS NULL OR p.valid_to > @d)",
        ["with_plan"] = $"SELECT count(DISTINCT p.member_id) FROM member_branch_periods p JOIN org_units u ON u.id = p.branch_id WHERE u.path <@ {Sub} AND p.valid_from <= @d AND (p.valid_to IS NULL OR p.valid_to > @d) AND EXISTS (SELECT 1 FROM pledges x WHERE x.member_id = p.member_id AND x.year = @y AND x.deleted_at IS NULL AND x.status IN (2,3,5,6,7,8))",
        ["pledges_registered"] = $"SELECT count(*) FROM pledges p JOIN org_units u ON u.id = p.branch_id WHERE u.path <@ {Sub} AND p.year = @y AND p.deleted_at IS NULL AND p.status IN (2,3,5,6,7,8)",
        ["pledges_done"] = $"SELECT count(*) FROM pledges p JOIN org_units u ON u.id = p.branch_id WHERE u.path <@ {Sub} AND p.year = @y AND p.deleted_at IS NULL AND p.status = 7",
        ["collective_registered"] = $"SELECT count(*) FROM collective_pledges c JOIN org_units u ON u.id = c.org_unit_id WHERE u.path <@ {Sub} AND c.year = @y AND c.deleted_at IS NULL",
        ["collective_done"] = $"SELECT count(*) FROM collective_pledges c JOIN org_units u ON u.id = c.org_unit_id WHERE u.path <@ {Sub} AND c.year = @y AND c.deleted_at IS NULL AND c.status = 3",
        ["models_collective"] = $"SELECT count(*) FROM models m JOIN org_units u ON u.id = m.org_unit_id WHERE u.path <@ {Sub} AND m.year = @y AND m.deleted_at IS NULL AND m.kind = 1",
        ["models_exemplar"] = $"SELECT count(*) FROM models m JOIN org_units u ON u.id = m.org_unit_id WHERE u.path <@ {Sub} AND m.year = @y AND m.deleted_at IS NULL AND m.kind = 2",
        ["commendations"] = $"SELECT count(*) FROM commendations c JOIN org_units u ON u.id = c.org_unit_id WHERE u.path <@ {Sub} AND c.year = @y AND c.deleted_at IS NULL",
        ["problems_resolved"] = $"SELECT count(*) FROM pressing_problems c JOIN org_units u ON u.id = c.org_unit_id WHERE u.path <@ {Sub} AND c.year = @y AND c.deleted_at IS NULL AND c.outcome = 2",
        // Attendance (the glossary's rule): the members expected at a session are those in a branch under the unit that held it,
        // on the session day, in the tree of that day; the rate is present / (expected − excused); marks of members not expected do not count.
        ["attendance_present"] = $"SELECT count(*) {Expected} AND a.status = 1",
        ["attendance_recorded"] = $"SELECT count(*) {Expected} AND a.status IS DISTINCT FROM 2",
    };

    public static async Task<Dictionary<string, long>> ForAsync(string connectionString, string code, int year = ReportData.Year)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var result = new Dictionary<string, long>();
        foreach (var (name, sql) in Queries)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            cmd.Parameters.AddWithValue("code", code);
            cmd.Parameters.AddWithValue("y", year);
            cmd.Parameters.AddWithValue("d", new DateOnly(year, 12, 31));
            result[name] = (long)(await cmd.ExecuteScalarAsync())!;
        }
        return result;
    }

    public static Dictionary<string, long> Of(HocLamTheoBac.Web.Reports.Figures f) => new()
    {
        ["members"] = f.Members, ["with_plan"] = f.MembersWithPlan, ["pledges_registered"] = f.PledgesRegistered, ["pledges_done"] = f.PledgesDone,
        ["collective_registered"] = f.CollectiveRegistered, ["collective_done"] = f.CollectiveDone,
        ["models_collective"] = f.ModelsCollective, ["models_exemplar"] = f.ModelsExemplar, ["commendations"] = f.Commendations,
        ["problems_resolved"] = f.ProblemsResolved, ["attendance_present"] = f.AttendancePresent, ["attendance_recorded"] = f.AttendanceRecorded,
    };
}

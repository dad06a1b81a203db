using System.Data.Common;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace HocLamTheoBac.Web.Pages.Pledges.Hints;

/// <summary>Counts of hinted pledges in a unit's subtree for a year (the dashboard's "việc làm theo hình thức" card).</summary>
public sealed record HintCounts(int Pledges, int SameAsEarlierYear, int SameAsOtherMember, int NothingCheckable)
{
    public int this[PledgeHint h] => h switch
    {
        PledgeHint.SameAsEarlierYear => SameAsEarlierYear,
        PledgeHint.SameAsOtherMember => SameAsOtherMember,
        _ => NothingCheckable,
    };
}

/// <summary>
/// Hints against formal pledges, all decided in PostgreSQL in one statement per call: near-duplicates by pg_trgm's
/// <c>similarity()</c> at the configured threshold (the same test as <c>%</c>), compared only within the branch and
/// year or the member's earlier years along their b-tree indexes — the province-wide trigram index made each
/// pledge scan thousands of candidates (docs/performance.md, "grid") — and "nothing checkable" from the lists in
/// <see cref="PledgeHints"/>, passed as parameters. Never blocks a save.
/// </summary>
public static class PledgeHintQuery
{
    public static double Threshold(IConfiguration config) =>
        Math.Clamp(config.GetValue("Hints:SimilarityThreshold", PledgeHints.DefaultSimilarity), 0.1, 1.0);

    /// <summary>
    /// Above this many pledges to compare with — live pledges of a branch and year for "same as another member", a member's
    /// live pledges of earlier years for "same as an earlier year" — the comparison is by equal normalised text (one hash
    /// join) instead of <c>similarity()</c> with each of them: pairwise similarity grows with the square of the count, and a
    /// branch with 99.999 pledges of one member made the query time out. Hints are advice (ADR 0015); such a branch or
    /// member is not a real one, and exact copies are still hinted (docs/performance.md, "hints").
    /// </summary>
    public const int SimilarityUpTo = 2000;

    /// <summary>Text compared lower case, NFC, with every run of non-letters turned into one space and padded with spaces,
    /// so "% tuần %" is a whole word, and "Thực hiện tốt nhiệm vụ." equals "thực hiện tốt nhiệm vụ".</summary>
    private static string Norm(string text) =>
        $"' ' || trim(regexp_replace(lower(normalize({text}, NFC)), '[^[:alnum:]]+', ' ', 'g')) || ' '";

    // c: the candidate pledges (id, member_id, branch_id, year, content, solution).
    // Each distinct text is normalised, counted in trigrams and tested for "nothing checkable" once (texts), not once per
    // pledge: a province's pledges repeat a few campaign phrases. "Same as another member" first looks for another
    // member's pledge of the very same text in the branch and year (a string comparison along the branch's index; the
    // similarity of a text with itself is 1 when it has a trigram), and compares similarity() with the branch's other
    // pledges only when there is none; a text without a trigram is similar to nothing; a member without a pledge of an
    // earlier year (member_size counts them anyway) is not compared with any. The same answer as comparing
    // every pledge with every other, at a string comparison per pledge where texts repeat (docs/performance.md).
    private static readonly string HintsSql = $$"""
        , texts AS MATERIALIZED (
            SELECT s.content, s.solution, s.content_norm, s.trigrams,
                (s.all_norm !~ '[0-9]' AND NOT s.all_norm LIKE ANY (@measures)
                    AND (s.content_norm LIKE ANY (@phrases)
                         OR coalesce(array_length(string_to_array(trim(s.content_norm), ' '), 1), 0) < @min_words)) AS generic
            FROM (
                SELECT v.content, v.solution, {{Norm("v.content")}} AS content_norm, {{Norm("v.content || ' ' || v.solution")}} AS all_norm,
                    coalesce(array_length(show_trgm(v.content), 1), 0) AS trigrams
                FROM (SELECT DISTINCT c.content, coalesce(c.solution, '') AS solution FROM c) v
            ) s
        ), t AS MATERIALIZED (
            SELECT c.*, x.content_norm, x.trigrams, x.generic
            FROM c JOIN texts x ON x.content = c.content AND x.solution = coalesce(c.solution, '')
        ), by_size AS MATERIALIZED (
            SELECT b.branch_id, b.year, (SELECT count(*) FROM (SELECT FROM pledges q WHERE q.branch_id = b.branch_id AND q.year = b.year AND q.deleted_at IS NULL LIMIT @up_to + 1) z) > @up_to AS big
            FROM (SELECT DISTINCT branch_id, year FROM t) b
        ), member_size AS MATERIALIZED (
            SELECT y.member_id, y.year, y.n > @up_to AS big, y.n = 0 AS no_earlier
            FROM (SELECT x.member_id, x.year, (SELECT count(*) FROM (SELECT FROM pledges q WHERE q.member_id = x.member_id AND q.year < x.year AND q.deleted_at IS NULL LIMIT @up_to + 1) z) AS n
                  FROM (SELECT DISTINCT member_id, year FROM t) x) y
        ), big_other AS MATERIALIZED (
            SELECT q.branch_id, q.year, {{Norm("q.content")}} AS content_norm, min(q.member_id) AS m1, max(q.member_id) AS m2
            FROM pledges q JOIN by_size s ON s.big AND q.branch_id = s.branch_id AND q.year = s.year
            WHERE q.deleted_at IS NULL
            GROUP BY 1, 2, 3
        ), big_earlier AS MATERIALIZED (
            SELECT q.member_id, {{Norm("q.content")}} AS content_norm, min(q.year) AS first_year
            FROM pledges q
            WHERE q.member_id IN (SELECT member_id FROM member_size WHERE big) AND q.deleted_at IS NULL
            GROUP BY 1, 2
        ), h AS (
            SELECT t.id,
                CASE WHEN ms.no_earlier THEN false
                     WHEN ms.big THEN coalesce(e.first_year < t.year, false)
                     ELSE EXISTS (SELECT 1 FROM pledges q WHERE q.member_id = t.member_id AND q.year < t.year
                                  AND q.deleted_at IS NULL AND similarity(q.content, t.content) >= @threshold) END AS earlier,
                CASE WHEN bs.big THEN coalesce(o.m1 <> t.member_id OR o.m2 <> t.member_id, false)
                     WHEN t.trigrams = 0 THEN false
                     WHEN EXISTS (SELECT 1 FROM pledges q WHERE q.branch_id = t.branch_id AND q.year = t.year AND q.member_id <> t.member_id
                                  AND q.deleted_at IS NULL AND q.content = t.content) THEN true
                     ELSE EXISTS (SELECT 1 FROM pledges q WHERE q.branch_id = t.branch_id AND q.year = t.year AND q.member_id <> t.member_id
                                  AND q.deleted_at IS NULL AND q.content <> t.content AND similarity(q.content, t.content) >= @threshold) END AS other,
                t.generic
            FROM t
            JOIN by_size bs ON bs.branch_id = t.branch_id AND bs.year = t.year
            JOIN member_size ms ON ms.member_id = t.member_id AND ms.year = t.year
            LEFT JOIN big_other o ON o.branch_id = t.branch_id AND o.year = t.year AND o.content_norm = t.content_norm
            LEFT JOIN big_earlier e ON e.member_id = t.member_id AND e.content_norm = t.content_norm
        )
        """;

    /// <summary>
    /// The branches and years of these pledges, each with a stamp of every pledge row of that branch and year
    /// (ids and row versions, deleted ones included): any insert, edit, status change or deletion changes it.
    /// </summary>
    public static async Task<List<(int BranchId, int Year, string Stamp)>> StampsAsync(AppDbContext db, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        return await db.ListAsync(StampsSql("id = ANY (@ids)"),
            p => p.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = ids.ToArray() }),
            ReadStamp, ct);
    }

    /// <summary>
    /// The same stamps as a command of a page's batch (one round trip with its other reads): the pledges are those whose
    /// ids <paramref name="ids"/> selects (one column; its parameters are taken over). Read with <see cref="ReadStampsAsync"/>.
    /// </summary>
    public static NpgsqlBatchCommand StampsCommand(NpgsqlBatchCommand ids)
    {
        var c = new NpgsqlBatchCommand(StampsSql($"id IN ({ids.CommandText})"));
        foreach (NpgsqlParameter p in ids.Parameters) c.Parameters.Add(p.Clone());
        return c;
    }

    /// <summary>The rows of <see cref="StampsCommand"/>'s result, the reader positioned on it.</summary>
    public static async Task<List<(int BranchId, int Year, string Stamp)>> ReadStampsAsync(NpgsqlDataReader r, CancellationToken ct)
    {
        var stamps = new List<(int, int, string)>();
        while (await r.ReadAsync(ct)) stamps.Add(ReadStamp(r));
        return stamps;
    }

    private static string StampsSql(string pledges) => $"""
        SELECT p.branch_id, p.year, count(*)::text || ':' || coalesce(sum(hashtextextended(p.id::text || ':' || p.xmin::text, 0)), 0)::text
        FROM pledges p
        WHERE (p.branch_id, p.year) IN (SELECT DISTINCT branch_id, year FROM pledges WHERE {pledges})
        GROUP BY p.branch_id, p.year
        """;

    private static (int BranchId, int Year, string Stamp) ReadStamp(NpgsqlDataReader r) => (r.GetInt32(0), r.GetInt32(1), r.GetString(2));

    /// <summary>The hints of each of these pledges, computed now on the context's connection (pledges without hints are absent).</summary>
    public static async Task<Dictionary<int, List<PledgeHint>>> ForPledgesAsync(AppDbContext db, IReadOnlyCollection<int> ids, double threshold, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var sql = "WITH c AS (SELECT id, member_id, branch_id, year, content, solution FROM pledges WHERE id = ANY (@ids))"
            + HintsSql + " SELECT id, earlier, other, generic FROM h";
        return await db.OnConnectionAsync(conn => ReadHintsAsync(conn, sql, threshold,
            cmd => cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = ids.ToArray() }), ct), ct);
    }

    /// <summary>The dashboard's counts, computed now on the context's connection.</summary>
    public static Task<HintCounts> CountsAsync(AppDbContext db, int unitId, int year, double threshold, CancellationToken ct) =>
        db.OnConnectionAsync(conn => CountsAsync(conn, unitId, year, threshold, ct), ct);

    /// <summary>The hints of every pledge of a branch and year (pledges without hints are absent), on a connection of its own.</summary>
    public static async Task<Dictionary<int, List<PledgeHint>>> ForBranchYearAsync(NpgsqlDataSource dataSource, int branchId, int year, double threshold, CancellationToken ct)
    {
        var sql = "WITH c AS (SELECT id, member_id, branch_id, year, content, solution FROM pledges WHERE branch_id = @b AND year = @y)"
            + HintsSql + " SELECT id, earlier, other, generic FROM h";
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await ReadHintsAsync(conn, sql, threshold, cmd =>
        {
            cmd.Parameters.Add(new NpgsqlParameter("b", branchId));
            cmd.Parameters.Add(new NpgsqlParameter("y", year));
        }, ct);
    }

    private static async Task<Dictionary<int, List<PledgeHint>>> ReadHintsAsync(NpgsqlConnection conn, string sql, double threshold, Action<DbCommand> parameters, CancellationToken ct)
    {
        var result = new Dictionary<int, List<PledgeHint>>();
        await RunAsync(conn, sql, threshold, parameters, async r =>
        {
            while (await r.ReadAsync(ct))
            {
                var hints = new List<PledgeHint>();
                if (r.GetBoolean(1)) hints.Add(PledgeHint.SameAsEarlierYear);
                if (r.GetBoolean(2)) hints.Add(PledgeHint.SameAsOtherMember);
                if (r.GetBoolean(3)) hints.Add(PledgeHint.NothingCheckable);
                if (hints.Count > 0) result[r.GetInt32(0)] = hints;
            }
        }, ct);
        return result;
    }

    /// <summary>The counts' command timeout: computed away from any request (see PledgeHintService.CountsAsync).</summary>
    public const int CountsTimeoutSeconds = 1800;

    /// <summary>How many of the year's live pledges registered in the unit's subtree (tree of today) carry each hint.</summary>
    public static async Task<HintCounts> CountsAsync(NpgsqlDataSource dataSource, int unitId, int year, double threshold, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await CountsAsync(conn, unitId, year, threshold, ct);
    }

    private static async Task<HintCounts> CountsAsync(NpgsqlConnection conn, int unitId, int year, double threshold, CancellationToken ct)
    {
        var sql = """
            WITH c AS (
                SELECT p.id, p.member_id, p.branch_id, p.year, p.content, p.solution
                FROM pledges p JOIN org_units u ON u.id = p.branch_id
                WHERE u.path <@ (SELECT path FROM org_units WHERE id = @unit) AND p.year = @y AND p.deleted_at IS NULL)
            """ + HintsSql + """
             SELECT count(*)::int, count(*) FILTER (WHERE earlier)::int, count(*) FILTER (WHERE other)::int, count(*) FILTER (WHERE generic)::int FROM h
            """;
        HintCounts counts = new(0, 0, 0, 0);
        await RunAsync(conn, sql, threshold, cmd =>
        {
            cmd.Parameters.Add(new NpgsqlParameter("unit", unitId));
            cmd.Parameters.Add(new NpgsqlParameter("y", year));
            cmd.CommandTimeout = CountsTimeoutSeconds;   // a province's counts take minutes; no request waits on them
        }, async r =>
        {
            if (await r.ReadAsync(ct)) counts = new HintCounts(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3));
        }, ct);
        return counts;
    }

    private static async Task RunAsync(NpgsqlConnection conn, string sql, double threshold, Action<DbCommand> parameters, Func<DbDataReader, Task> read, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.Add(new NpgsqlParameter("threshold", NpgsqlDbType.Real) { Value = (float)threshold });
        cmd.Parameters.Add(new NpgsqlParameter("measures", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = PledgeHints.MeasureWords.Select(Pattern).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("phrases", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = PledgeHints.GenericPhrases.Select(Pattern).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("min_words", PledgeHints.MinWords));
        cmd.Parameters.Add(new NpgsqlParameter("up_to", (long)SimilarityUpTo));
        parameters(cmd);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await read(r);
    }

    /// <summary>"% thực hiện tốt %": the phrase as whole words inside the padded, normalised text.</summary>
    private static string Pattern(string phrase) => "% " + phrase.Normalize(System.Text.NormalizationForm.FormC) + " %";
}

using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace HocLamTheoBac.Web.Data.Synthetic;

/// <summary>Where the loader reports progress (a Spectre progress bar on a terminal, plain lines otherwise, nothing in tests).</summary>
public interface ILoadProgress
{
    void Table(string name, long rows);
    void Advance(long rows);
}

public sealed record LoadResult(int RootId, long Rows, int Units, int Members, int Pledges, TimeSpan Build, TimeSpan Load, TimeSpan Analyze, TimeSpan Aggregates);

public sealed class SyntheticException(string message) : Exception(message);

/// <summary>
/// Writes a <see cref="SyntheticProvince"/> with binary COPY in one transaction, beside whatever the
/// database already holds (empty, demo data, or other provinces): ids are assigned client-side from a
/// block reserved under table locks, sequences are moved past the block afterwards. When the account is
/// a superuser, foreign-key triggers are skipped for the load (as pg_restore --disable-triggers does):
/// the rows are consistent by construction and the whole load commits or nothing does.
/// </summary>
public static class SyntheticLoader
{
    private static readonly string[] Tables =
    [
        "org_units", "org_placements", "members", "member_branch_periods", "plan_years", "topics", "model_quotas", "pledges",
        "collective_pledges", "models", "commendations", "study_sessions", "attendances", "pressing_problems",
    ];

    public static async Task<LoadResult> RunAsync(NpgsqlDataSource dataSource, SyntheticOptions o, ILoadProgress? progress, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await ScalarAsync<bool>(conn, "SELECT EXISTS (SELECT 1 FROM org_units WHERE code = $1 OR code LIKE $1 || '-%')", ct, o.Code))
            throw new SyntheticException($"đã có tổ chức mã {o.Code}: chọn mã khác bằng --code.");
        var withoutTriggers = await ScalarAsync<bool>(conn, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", ct);
        if (withoutTriggers)
            await ExecAsync(conn, "SET LOCAL session_replication_role = replica", ct);
        await ExecAsync(conn, $"LOCK TABLE {string.Join(", ", Tables)} IN SHARE ROW EXCLUSIVE MODE", ct);

        var kinds = new Dictionary<string, int>();
        await using (var cmd = new NpgsqlCommand("SELECT code, id FROM org_kinds", conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) kinds[r.GetString(0)] = r.GetInt32(1);

        var ids = new IdBase(
            (int)await NextIdAsync(conn, "org_units", ct), await NextIdAsync(conn, "org_placements", ct), (int)await NextIdAsync(conn, "members", ct),
            await NextIdAsync(conn, "member_branch_periods", ct), (int)await NextIdAsync(conn, "pledges", ct), (int)await NextIdAsync(conn, "collective_pledges", ct),
            (int)await NextIdAsync(conn, "models", ct), (int)await NextIdAsync(conn, "model_quotas", ct), (int)await NextIdAsync(conn, "commendations", ct),
            (int)await NextIdAsync(conn, "study_sessions", ct), (int)await NextIdAsync(conn, "pressing_problems", ct), (int)await NextIdAsync(conn, "plan_years", ct),
            (int)await NextIdAsync(conn, "topics", ct));

        var sw = Stopwatch.StartNew();
        var p = SyntheticProvince.Build(o, ids, kinds);
        var build = sw.Elapsed;

        sw.Restart();
        await CopyAsync(conn, p, progress, ct);
        foreach (var t in Tables.Where(t => t != "attendances"))
            await ExecAsync(conn, $"SELECT setval(pg_get_serial_sequence('{t}', 'id'), GREATEST((SELECT max(id) FROM {t}), 1))", ct);
        var aggregates = TimeSpan.Zero;
        if (withoutTriggers)
        {
            // The aggregate triggers (ADR 0018) did not fire either: count them again before the load commits.
            var before = sw.Elapsed;
            await ExecAsync(conn, "SET LOCAL session_replication_role = origin", ct);
            await ExecAsync(conn, "SELECT agg_rebuild()", ct);
            aggregates = sw.Elapsed - before;
        }
        await tx.CommitAsync(ct);
        var load = sw.Elapsed;

        sw.Restart();
        // VACUUM sets the visibility map, so index-only scans (the roll-up) work from the first query.
        await ExecAsync(conn, $"VACUUM (ANALYZE) {string.Join(", ", Tables)}, agg_unit_figures, agg_unit_items, agg_member_rows, agg_session_rows", ct);
        return new LoadResult(p.Units[0].Id, p.RowCount, p.Units.Count, p.Members.Count, p.Pledges.Count, build, load, sw.Elapsed, aggregates);
    }

    /// <summary>The first id after both the rows and the sequence (another session may hold values it has not inserted yet).</summary>
    private static async Task<long> NextIdAsync(NpgsqlConnection conn, string table, CancellationToken ct) =>
        await ScalarAsync<long>(conn, $"""
            SELECT GREATEST(COALESCE((SELECT max(id) FROM {table}), 0),
                            (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {SequenceOf(table)})) + 1
            """, ct);

    private static string SequenceOf(string table) => $"{table}_id_seq";

    private static async Task CopyAsync(NpgsqlConnection c, SyntheticProvince p, ILoadProgress? progress, CancellationToken ct)
    {
        await Copy(c, progress, "org_units (id, code, name, kind_id, parent_id, path, founded_year)", p.Units, (w, u) =>
        {
            w.Write(u.Id, NpgsqlDbType.Integer); w.Write(u.Code, NpgsqlDbType.Varchar); w.Write(u.Name, NpgsqlDbType.Varchar);
            w.Write(u.KindId, NpgsqlDbType.Integer); Nullable(w, u.ParentId, NpgsqlDbType.Integer); w.Write(u.Path, NpgsqlDbType.LTree);
            w.Write(u.FoundedYear, NpgsqlDbType.Integer);
        }, ct);
        var from = new DateOnly(p.Units[0].FoundedYear, 1, 1);
        await Copy(c, progress, "org_placements (org_unit_id, parent_id, path, valid_from)", p.Units, (w, u) =>
        {
            w.Write(u.Id, NpgsqlDbType.Integer); Nullable(w, u.ParentId, NpgsqlDbType.Integer); w.Write(u.Path, NpgsqlDbType.LTree); w.Write(from, NpgsqlDbType.Date);
        }, ct);
        await Copy(c, progress, "members (id, full_name, birth_date, gender, card_number, admitted_on, official_on, position, branch_id, phone, status)", p.Members, (w, m) =>
        {
            w.Write(m.Id, NpgsqlDbType.Integer); w.Write(m.FullName, NpgsqlDbType.Varchar); w.Write(m.BirthDate, NpgsqlDbType.Date);
            w.Write((int)m.Gender, NpgsqlDbType.Integer); w.Write(m.CardNumber, NpgsqlDbType.Varchar); w.Write(m.AdmittedOn, NpgsqlDbType.Date);
            Nullable(w, m.OfficialOn, NpgsqlDbType.Date); w.Write(m.Position, NpgsqlDbType.Varchar); w.Write(m.BranchId, NpgsqlDbType.Integer);
            w.Write(m.Phone, NpgsqlDbType.Varchar); w.Write(1, NpgsqlDbType.Integer);
        }, ct);
        await Copy(c, progress, "member_branch_periods (id, member_id, branch_id, valid_from, valid_to)", p.Periods, (w, x) =>
        {
            w.Write(x.Id, NpgsqlDbType.Bigint); w.Write(x.MemberId, NpgsqlDbType.Integer); w.Write(x.BranchId, NpgsqlDbType.Integer);
            w.Write(x.From, NpgsqlDbType.Date); Nullable(w, x.To, NpgsqlDbType.Date);
        }, ct);
        await Copy(c, progress, "plan_years (id, org_unit_id, year, theme, plan_number, plan_date, registration_deadline, closed_at)", p.PlanYears, (w, x) =>
        {
            w.Write(x.Id, NpgsqlDbType.Integer); w.Write(x.UnitId, NpgsqlDbType.Integer); w.Write(x.Year, NpgsqlDbType.Integer); w.Write(x.Theme, NpgsqlDbType.Varchar);
            w.Write(x.PlanNumber, NpgsqlDbType.Varchar); w.Write(x.PlanDate, NpgsqlDbType.Date); w.Write(x.Deadline, NpgsqlDbType.Date); Nullable(w, x.ClosedAt, NpgsqlDbType.TimestampTz);
        }, ct);
        await Copy(c, progress, "topics (id, org_unit_id, year, kind, title)", p.Topics, (w, x) =>
        {
            w.Write(x.Id, NpgsqlDbType.Integer); w.Write(x.UnitId, NpgsqlDbType.Integer); w.Write(x.Year, NpgsqlDbType.Integer);
            w.Write((int)x.Kind, NpgsqlDbType.Integer); w.Write(x.Title, NpgsqlDbType.Varchar);
        }, ct);
        await Copy(c, progress, "model_quotas (id, set_by_org_unit_id, year, org_kind_id, min_collective, min_exemplar)", p.Quotas, (w, x) =>
        {
            w.Write(x.Id, NpgsqlDbType.Integer); w.Write(x.SetBy, NpgsqlDbType.Integer); w.Write(x.Year, NpgsqlDbType.Integer);
            w.Write(x.KindId, NpgsqlDbType.Integer); w.Write(x.MinCollective, NpgsqlDbType.Integer); w.Write(x.MinExemplar, NpgsqlDbType.Integer);
        }, ct);
        await Copy(c, progress, "pledges (id, member_id, branch_id, year, content, solution, deadline, topic_id, status, reason, reported_at, verified_at)", p.Pledges, (w, x) =>
        {
            w.Write(x.Id, NpgsqlDbType.Integer); w.Write(x.MemberId, NpgsqlDbType.Integer); w.Write(x.BranchId, NpgsqlDbType.Integer); w.Write(x.Year, NpgsqlDbType.Integer);
            w.Write(x.Content, NpgsqlDbType.Varchar); w.Write(x.Solution, NpgsqlDbType.Varchar); w.Write(x.Deadline, NpgsqlDbType.Date);
            Nullable(w, x.TopicId, NpgsqlDbType.Integer); w.Write((int)x.Status, NpgsqlDbType.Integer); NullableRef(w, x.Reason, NpgsqlDbType.Varchar);
            w.Write(x.ReportedAt, NpgsqlDbType.TimestampTz); w.Write(x.VerifiedAt, NpgsqlDbType.TimestampTz);
        }, ct);
        await Copy(c, progress, "collective_pledges (id, org_unit_id, year, category, what, how, lead, deadline, status)", p.Collective, (w, x) =>
        {
            w.Write(x.Id, NpgsqlDbType.Integer); w.Write(x.UnitId, NpgsqlDbType.Integer); w.Write(x.Year, NpgsqlDbType.Integer); w.Write((int)x.Category, NpgsqlDbType.Integer);
            w.Write(x.What, NpgsqlDbType.Varchar); w.Write(x.How, NpgsqlDbType.Varchar); w.Write(x.Lead, NpgsqlDbType.Varchar);
            w.Write(x.Deadline, NpgsqlDbType.Date); w.Write((int)x.Status, NpgsqlDbType.Integer);
        }, ct);
        await Copy(c, progress, "models (id, org_unit_id, year, kind, member_id, title, field, start_date, status)", p.Models, (w, x) =>
        {
            w.Write(x.Id, NpgsqlDbType.Integer); w.Write(x.UnitId, NpgsqlDbType.Integer); w.Write(x.Year, NpgsqlDbType.Integer); w.Write((int)x.Kind, NpgsqlDbType.Integer);
            Nullable(w, x.MemberId, NpgsqlDbType.Integer); w.Write(x.Title, NpgsqlDbType.Varchar); w.Write(x.Field, NpgsqlDbType.Varchar);
            w.Write(x.StartDate, NpgsqlDbType.Date); w.Write((int)x.Status, NpgsqlDbType.Integer);
        }, ct);
        await Copy(c, progress, "commendations (id, org_unit_id, year, level, recipient_org_unit_id, recipient_member_id, issuing_body, decision_number, decision_date, model_id, reason)", p.Commendations, (w, x) =>
        {
            w.Write(x.Id, NpgsqlDbType.Integer); w.Write(x.UnitId, NpgsqlDbType.Integer); w.Write(x.Year, NpgsqlDbType.Integer); w.Write((int)x.Level, NpgsqlDbType.Integer);
            Nullable(w, x.RecipientUnitId, NpgsqlDbType.Integer); Nullable(w, x.RecipientMemberId, NpgsqlDbType.Integer); w.Write(x.IssuingBody, NpgsqlDbType.Varchar);
            w.Write(x.DecisionNumber, NpgsqlDbType.Varchar); w.Write(x.DecisionDate, NpgsqlDbType.Date); Nullable(w, x.ModelId, NpgsqlDbType.Integer); w.Write(x.Reason, NpgsqlDbType.Text);
        }, ct);
        await Copy(c, progress, "study_sessions (id, org_unit_id, year, held_on, theme, format)", p.Sessions, (w, x) =>
        {
            w.Write(x.Id, NpgsqlDbType.Integer); w.Write(x.UnitId, NpgsqlDbType.Integer); w.Write(x.Year, NpgsqlDbType.Integer);
            w.Write(x.HeldOn, NpgsqlDbType.Date); w.Write(x.Theme, NpgsqlDbType.Varchar); w.Write((int)x.Format, NpgsqlDbType.Integer);
        }, ct);
        await Copy(c, progress, "attendances (session_id, member_id, status)", p.Attendances, (w, x) =>
        {
            w.Write(x.SessionId, NpgsqlDbType.Integer); w.Write(x.MemberId, NpgsqlDbType.Integer); w.Write((int)x.Status, NpgsqlDbType.Integer);
        }, ct);
        await Copy(c, progress, "pressing_problems (id, org_unit_id, year, title, owner, deadline, outcome, resolved_on)", p.Problems, (w, x) =>
        {
            w.Write(x.Id, NpgsqlDbType.Integer); w.Write(x.UnitId, NpgsqlDbType.Integer); w.Write(x.Year, NpgsqlDbType.Integer); w.Write(x.Title, NpgsqlDbType.Varchar);
            w.Write(x.Owner, NpgsqlDbType.Varchar); w.Write(x.Deadline, NpgsqlDbType.Date); w.Write((int)x.Outcome, NpgsqlDbType.Integer); Nullable(w, x.ResolvedOn, NpgsqlDbType.Date);
        }, ct);
    }

    private static async Task Copy<T>(NpgsqlConnection c, ILoadProgress? progress, string target, List<T> rows, Action<NpgsqlBinaryImporter, T> write, CancellationToken ct)
    {
        progress?.Table(target[..target.IndexOf(' ', StringComparison.Ordinal)], rows.Count);
        await using var w = await c.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)", ct);
        var step = 0;
        foreach (var row in rows)
        {
            w.StartRow();
            write(w, row);
            if (++step == 20_000) { progress?.Advance(step); step = 0; ct.ThrowIfCancellationRequested(); }
        }
        progress?.Advance(step);
        await w.CompleteAsync(ct);
    }

    private static void Nullable<TV>(NpgsqlBinaryImporter w, TV? v, NpgsqlDbType t) where TV : struct
    {
        if (v is { } x) w.Write(x, t); else w.WriteNull();
    }

    private static void NullableRef(NpgsqlBinaryImporter w, string? v, NpgsqlDbType t)
    {
        if (v is null) w.WriteNull(); else w.Write(v, t);
    }

    private static async Task ExecAsync(NpgsqlConnection c, string sql, CancellationToken ct)
    {
        // A step of a million-member load may run for minutes on a busy machine: no command timeout (the caller's token stops it).
        await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection c, string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }
}

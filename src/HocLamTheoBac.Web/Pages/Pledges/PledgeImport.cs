using System.Globalization;
using System.Text;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>
/// Imports a branch's pledges from .xlsx or .csv, all or nothing: every row is checked first and any error leaves the
/// database untouched. Columns are found by their header, in any order (short names such as "Số thẻ" or "Nội dung"
/// are accepted); a missing required column or an unknown one is refused by name. Statuses follow the life-cycle rules
/// (<see cref="PledgeRules.ImportRefusal"/>): a past year takes only final statuses, a status that needs a reason
/// needs the "Lý do" column. Used by the page and `hlb import pledges`.
/// </summary>
public static class PledgeImport
{
    public static readonly string[] Header = ["Số thẻ đảng viên", "Nội dung việc làm theo", "Giải pháp", "Thời hạn (dd/mm/yyyy)", "Trạng thái", "Lý do"];

    private enum Col { Card, Content, Solution, Deadline, Status, Reason }

    /// <summary>Accepted header names per column (compared without case, diacritics or a trailing "(…)").</summary>
    private static readonly (Col Col, bool Required, string[] Names)[] Columns =
    [
        (Col.Card, true, ["Số thẻ đảng viên", "Số thẻ"]),
        (Col.Content, true, ["Nội dung việc làm theo", "Nội dung"]),
        (Col.Solution, false, ["Giải pháp"]),
        (Col.Deadline, false, ["Thời hạn", "Thời hạn (dd/mm/yyyy)"]),
        (Col.Status, false, ["Trạng thái"]),
        (Col.Reason, false, ["Lý do"]),
    ];

    public sealed record Result(int Imported, IReadOnlyList<string> Errors)
    {
        public bool Ok => Errors.Count == 0;
        /// <summary>Rows refused, counted past the listed ones; 0 when the file as a whole was refused (closed year,
        /// columns, no rows), whose reason is the one error (the command line said "1 dòng lỗi" for a closed year).</summary>
        public int FailedRows { get; init; }
    }

    public static byte[] CsvTemplate(int year)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(',', Header.Select(Quote)));
        sb.AppendLine(string.Join(',', new[] { "08000001", "Giữ gìn vệ sinh đường phố mỗi sáng Chủ nhật", "Vận động gia đình cùng tham gia", "15/12/" + year, "Nháp", "" }.Select(Quote)));
        return Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(sb.ToString())).ToArray();
        static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>At most this many row errors are listed; the rest are counted (a file of a million bad rows must not fill the memory).</summary>
    public const int MaxListedErrors = 1000;

    /// <summary>Reads the header and rows as text, with the shared .xlsx/.csv reader (whole file, upload bounds).</summary>
    public static TabularFile.Table Read(Stream stream, string fileName) => TabularFile.Read(stream, fileName);

    /// <summary>Imports an already read table (the page: an upload within the upload bounds).</summary>
    public static Task<Result> ImportAsync(AppDbContext db, OrgUnit branch, int year, TabularFile.Table table, CancellationToken ct) =>
        ImportAsync(db, branch, year, table.Header, table.Rows, ct);

    /// <summary>
    /// Checks every row as it streams by, with the life-cycle rules and the branch's members (one dictionary of
    /// the branch, whatever the file's size), copies the good rows straight into pledges with binary COPY inside one
    /// transaction, and — only when no row failed — adds their audit rows in one statement and commits; any failed row
    /// rolls everything back. Memory is bounded by the branch, not by the file (docs/performance.md, "imports").
    /// </summary>
    public static async Task<Result> ImportAsync(AppDbContext db, OrgUnit branch, int year, string[] header, IEnumerable<(int Line, string[] Cells)> rows, CancellationToken ct)
    {
        var errors = new List<string>();
        if (!PlanYearRange.Contains(year)) return new Result(0, [PlanYearRange.Message]);
        if (await YearGuard.IsClosedAsync(db, branch.Path, year, ct))
            return new Result(0, [YearClosure.ReadOnlyBanner(year)]);

        var index = new Dictionary<Col, int>();
        for (var i = 0; i < header.Length; i++)
        {
            var h = header[i];
            if (string.IsNullOrWhiteSpace(h)) continue;
            var match = Columns.Where(c => c.Names.Any(n => Normal(n) == Normal(h))).Select(c => (Col?)c.Col).FirstOrDefault();
            if (match is null) errors.Add($"Cột “{h.Trim()}” không thuộc mẫu nhập (các cột: {string.Join(", ", Header)}).");
            else if (index.ContainsKey(match.Value)) errors.Add($"Cột “{h.Trim()}” bị lặp lại.");
            else index[match.Value] = i;
        }
        foreach (var c in Columns.Where(c => c.Required && !index.ContainsKey(c.Col)))
            errors.Add($"Thiếu cột “{c.Names[0]}”. Hãy dùng tệp mẫu.");
        if (errors.Count > 0) return new Result(0, errors);

        string Cell(string[] r, Col c) => index.TryGetValue(c, out var i) && i < r.Length ? BlankText.Tidy(r[i]) : "";

        // The branch's members: those belonging to it now or on the as-of day of the year (a past year's members).
        var asOf = db.Clock.AsOf(year);
        var standing = db.MemberBranchPeriods.Where(Membership.CoversDate(asOf)).Where(p => p.BranchId == branch.Id).Select(p => p.MemberId);
        var members = (await db.Members.AsNoTracking()
            .Where(m => m.CardNumber != null && (m.BranchId == branch.Id || standing.Contains(m.Id)))
            .Select(m => new { Card = m.CardNumber!, m.Id }).ToListAsync(ct))
            .DistinctBy(m => m.Card).ToDictionary(m => m.Card, m => m.Id);
        var now = db.Clock.Now;
        var thisYear = db.Clock.Year;

        {
            var failed = 0;
            var good = 0;
            // The file line of each copied row, in copy order (4 bytes a row): a repeated pledge is named by its line.
            var goodLines = new List<int>();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var conn = (NpgsqlConnection)db.Database.GetDbConnection();
            // Every pledge of this import gets an id above this one (the sequence only grows): with the transaction's own
            // xmin it finds the imported rows for their audit rows, and no frozen row of long ago whose xmin wrapped round.
            long low;
            await using (var seq = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence('pledges', 'id'))", conn))
                low = (long)(await seq.ExecuteScalarAsync(ct))!;
            // Straight into pledges (file order = id order): the server inserts, with its indexes, keys and the aggregates'
            // statement trigger, while this process parses the next rows; a failed file rolls the whole transaction back.
            await using (var w = await conn.BeginBinaryImportAsync(
                "COPY pledges (member_id, branch_id, year, content, solution, deadline, status, reason, reported_at, verified_at) FROM STDIN (FORMAT BINARY)", ct))
            {
                // The end of the COPY runs the foreign-key checks of every row and the aggregates' trigger: longer than a
                // page's command timeout for a large file (the rows are bounded by the reader's limits, not by time).
                w.Timeout = TimeSpan.FromHours(1);
                foreach (var (line, r) in rows)
                {
                    if (r.All(string.IsNullOrWhiteSpace)) continue;
                    var rowErrors = new List<string>();
                    var card = Cell(r, Col.Card);
                    var content = Cell(r, Col.Content);
                    var solution = Cell(r, Col.Solution);
                    var deadlineText = Cell(r, Col.Deadline);
                    var statusText = Cell(r, Col.Status);
                    var reason = Cell(r, Col.Reason);
                    var memberId = 0;
                    if (card.Length == 0) rowErrors.Add("thiếu số thẻ đảng viên");
                    else if (!members.TryGetValue(card, out memberId)) rowErrors.Add($"không có đảng viên số thẻ {card} trong {branch.Name}");
                    if (content.Length == 0) rowErrors.Add("thiếu nội dung việc làm theo");
                    else if (content.Length > PledgeLimits.Content) rowErrors.Add($"nội dung dài quá {PledgeLimits.Content} ký tự");
                    if (solution.Length > PledgeLimits.Solution) rowErrors.Add($"giải pháp dài quá {PledgeLimits.Solution} ký tự");
                    if (reason.Length > PledgeLimits.Reason) rowErrors.Add($"lý do dài quá {PledgeLimits.Reason} ký tự");
                    DateOnly? deadline = null;
                    if (deadlineText.Length > 0)
                    {
                        if (!TabularFile.TryDate(deadlineText, out deadline)) rowErrors.Add("thời hạn " + VietnameseDates.Unreadable(deadlineText));
                        // The rule's sentence as one of the row's clauses ("Dòng 3: Thời hạn … 31/12/2026).." it read).
                        else if (PledgeRules.DeadlineRefusal(year, deadline) is { } outside) rowErrors.Add(char.ToLowerInvariant(outside[0]) + outside[1..].TrimEnd('.'));
                    }
                    var status = PledgeRules.ParseStatus(statusText);
                    if (status is null) rowErrors.Add($"trạng thái “{statusText}” không hợp lệ (dùng: {string.Join(", ", Enum.GetValues<PledgeStatus>().Select(s => s.Label()))})");
                    else if (PledgeRules.ImportRefusal(status.Value, year, thisYear, reason.Length > 0) is { } refusal) rowErrors.Add(refusal);
                    if (rowErrors.Count > 0)
                    {
                        if (++failed <= MaxListedErrors) errors.Add($"Dòng {line}: {string.Join("; ", rowErrors)}.");
                        continue;
                    }
                    if (failed > 0) continue;   // nothing will be saved: stop copying, keep checking
                    good++;
                    goodLines.Add(line);
                    await w.StartRowAsync(ct);
                    await w.WriteAsync(memberId, NpgsqlDbType.Integer, ct);
                    await w.WriteAsync(branch.Id, NpgsqlDbType.Integer, ct);
                    await w.WriteAsync(year, NpgsqlDbType.Integer, ct);
                    await w.WriteAsync(content, NpgsqlDbType.Text, ct);
                    await WriteNullable(w, solution.Length == 0 ? null : solution, ct);
                    if (deadline is { } d) await w.WriteAsync(d, NpgsqlDbType.Date, ct); else await w.WriteNullAsync(ct);
                    await w.WriteAsync((int)status!.Value, NpgsqlDbType.Integer, ct);
                    await WriteNullable(w, reason.Length == 0 ? null : reason, ct);
                    if (status is PledgeStatus.ReportedDone or PledgeStatus.Done) await w.WriteAsync(now, NpgsqlDbType.TimestampTz, ct); else await w.WriteNullAsync(ct);
                    if (status is PledgeStatus.Done or PledgeStatus.NotDone) await w.WriteAsync(now, NpgsqlDbType.TimestampTz, ct); else await w.WriteNullAsync(ct);
                }
                if (failed > 0) return new Result(0, MoreErrors(errors, failed)) { FailedRows = failed };   // disposing the unfinished COPY cancels it; the transaction rolls back
                await w.CompleteAsync(ct);
            }
            if (good == 0) return new Result(0, ["Tệp không có dòng dữ liệu nào."]);
            // A pledge the member already has this year, or a row repeated in the file (the same file imported twice
            // doubled every count): refused with its line, like any other bad row.
            if (await RepeatsAsync(conn, branch.Id, year, low, goodLines, ct) is { Count: > 0 } repeats)
                return new Result(0, MoreErrors(repeats.Listed, repeats.Count)) { FailedRows = repeats.Count };
            // The year may have been closed while the file streamed in: the guard again, inside the transaction.
            if (await YearGuard.IsClosedAsync(db, branch.Path, year, ct)) return new Result(0, [YearClosure.ReadOnlyBanner(year)]);
            await using (var insert = new NpgsqlCommand(AuditSql, conn))
            {
                insert.CommandTimeout = 0;
                insert.Parameters.Add(new NpgsqlParameter("branch", branch.Id));
                insert.Parameters.Add(new NpgsqlParameter("low", low));
                insert.Parameters.Add(new NpgsqlParameter("at", now));
                insert.Parameters.Add(new NpgsqlParameter("actor", db.Actor.Name));
                insert.Parameters.Add(new NpgsqlParameter("user_id", NpgsqlDbType.Text) { Value = (object?)db.Actor.UserId ?? DBNull.Value });
                insert.Parameters.Add(new NpgsqlParameter("status_values", Enum.GetValues<PledgeStatus>().Select(v => (int)v).ToArray()));
                insert.Parameters.Add(new NpgsqlParameter("status_names", Enum.GetNames<PledgeStatus>()));
                await insert.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            return new Result(good, []);
        }
    }

    /// <summary>One audit row per imported pledge, in id (file) order ("Thêm", noted "Nhập từ tệp", the values as the audit
    /// trail writes them): the pledges of the branch above <c>@low</c> that this transaction inserted.</summary>
    private const string AuditSql = """
        INSERT INTO audit_entries (at, actor, user_id, action, entity_type, entity_id, org_unit_id, after, note)
        SELECT @at, @actor, @user_id, 'Thêm', 'Pledge', p.id::text, p.branch_id,
            jsonb_build_object('Id', p.id, 'BranchId', p.branch_id, 'Content', p.content, 'Deadline', p.deadline,
                'DeletedAt', p.deleted_at, 'EvidenceNote', p.evidence_note, 'MemberId', p.member_id, 'Reason', p.reason,
                'ReportedAt', p.reported_at, 'Solution', p.solution,
                'Status', (@status_names::text[])[array_position(@status_values::int[], p.status)],
                'TopicId', p.topic_id, 'VerifiedAt', p.verified_at, 'Year', p.year),
            'Nhập từ tệp'
        FROM pledges p
        WHERE p.id > @low AND p.branch_id = @branch AND p.xmin = pg_current_xact_id()::xid
        ORDER BY p.id
        """;

    /// <summary>
    /// The copied rows that repeat a pledge of the same member in the branch's year (not deleted) — one saved before or an
    /// earlier row of the file — the same content whatever its letter case. A hash aggregate first (no repeat, the usual
    /// case: one pass); only when there is one, the rows with their lines.
    /// </summary>
    private static async Task<(int Count, List<string> Listed)> RepeatsAsync(NpgsqlConnection conn, int branchId, int year, long low, List<int> lines, CancellationToken ct)
    {
        await using (var any = new NpgsqlCommand(RepeatsExistSql, conn))
        {
            any.CommandTimeout = 0;
            any.Parameters.Add(new NpgsqlParameter("branch", branchId));
            any.Parameters.Add(new NpgsqlParameter("year", year));
            any.Parameters.Add(new NpgsqlParameter("low", low));
            if (await any.ExecuteScalarAsync(ct) is not true) return (0, []);
        }
        await using var cmd = new NpgsqlCommand(RepeatsSql, conn) { CommandTimeout = 0 };
        cmd.Parameters.Add(new NpgsqlParameter("branch", branchId));
        cmd.Parameters.Add(new NpgsqlParameter("year", year));
        cmd.Parameters.Add(new NpgsqlParameter("low", low));
        cmd.Parameters.Add(new NpgsqlParameter("max", MaxListedErrors));
        var listed = new List<string>();
        var count = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            count = (int)r.GetInt64(4);
            var line = lines[(int)r.GetInt64(0) - 1];
            var content = r.GetString(3);
            var shown = content.Length > 60 ? content[..60] + "…" : content;
            listed.Add(r.IsDBNull(1)
                ? $"Dòng {line}: đảng viên số thẻ {r.GetString(2)} đã có việc làm theo “{shown}” trong năm {year}."
                : $"Dòng {line}: trùng với dòng {lines[(int)r.GetInt64(1) - 1]} (cùng đảng viên số thẻ {r.GetString(2)}, cùng nội dung “{shown}”).");
        }
        return (count, listed);
    }

    private const string RepeatsExistSql = """
        SELECT EXISTS (
            SELECT 1 FROM pledges p
            WHERE p.branch_id = @branch AND p.year = @year AND p.deleted_at IS NULL
            GROUP BY p.member_id, lower(p.content)
            HAVING count(*) > 1 AND max(p.id) > @low)
        """;

    // "ours": this transaction's rows with their copy order (the sequence may interleave other writers' ids); each pledge
    // of the year with the first of its member and content; a row of ours that is not the first is a repeat, of a row
    // of ours (first_n) or of a pledge saved before (first_n null).
    private const string RepeatsSql = """
        WITH ours AS (
            SELECT id, row_number() OVER (ORDER BY id) AS n FROM pledges
            WHERE branch_id = @branch AND id > @low AND xmin = pg_current_xact_id()::xid),
        d AS (
            SELECT p.id, p.member_id, p.content, first_value(p.id) OVER (PARTITION BY p.member_id, lower(p.content) ORDER BY p.id) AS first_id
            FROM pledges p WHERE p.branch_id = @branch AND p.year = @year AND p.deleted_at IS NULL)
        SELECT o.n, f.n, m.card_number, d.content, count(*) OVER ()
        FROM d JOIN ours o ON o.id = d.id LEFT JOIN ours f ON f.id = d.first_id JOIN members m ON m.id = d.member_id
        WHERE d.id <> d.first_id
        ORDER BY d.id
        LIMIT @max
        """;

    private static List<string> MoreErrors(List<string> listed, int failed)
    {
        if (failed > listed.Count) listed.Add($"… và {Vn.Number(failed - listed.Count)} dòng lỗi khác (chỉ liệt kê {Vn.Number(listed.Count)} dòng đầu).");
        return listed;
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static Task WriteNullable(NpgsqlBinaryImporter w, string? value, CancellationToken ct) =>
        value is not null ? w.WriteAsync(value, NpgsqlDbType.Text, ct) : w.WriteNullAsync(ct);

    /// <summary>Header text compared without case, diacritics, spaces at the ends or a trailing "(…)".</summary>
    private static string Normal(string s)
    {
        var t = s.Trim();
        var paren = t.IndexOf('(');
        if (paren > 0) t = t[..paren];
        return Members.MemberImport.Normal(t);
    }
}

using System.Globalization;
using System.Text;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace HocLamTheoBac.Web.Pages.Members;

/// <summary>
/// Member import shared by the page and `hlb import members`: every row is validated first; any error
/// imports nothing; otherwise all rows are saved in one transaction (audited like any other change).
/// The checks and the insert are set-based over a staging table (see <see cref="ImportAsync"/>).
/// </summary>
public static class MemberImport
{
    public static readonly string[] Columns =
        ["Họ và tên", "Ngày sinh", "Giới tính", "Số thẻ đảng viên", "Ngày vào Đảng", "Ngày chính thức", "Chức vụ", "Mã chi bộ", "Điện thoại", "Email", "Sinh hoạt tại chi bộ từ ngày"];

    public sealed record RowError(int Line, string Message);

    /// <summary>The whole file was refused (not a CSV or Excel file, a missing column, no rows): one message about the file, no row.</summary>
    public static bool RefusesWholeFile(IReadOnlyCollection<RowError> errors) => errors.Count > 0 && errors.All(e => e.Line <= 1);

    public sealed record Result(int Imported, List<RowError> Errors)
    {
        public bool Ok => Errors.Count == 0;
        public bool FileRefused => RefusesWholeFile(Errors);
        /// <summary>Rows that failed: more than <see cref="Errors"/> lists when the list was cut at <see cref="MaxListedErrors"/>.</summary>
        public int FailedRows { get; init; } = Errors.Count;
    }

    public static byte[] TemplateXlsx() => TabularFile.WriteXlsx("Đảng viên", Columns,
        [["Nguyễn Văn An", "15/03/1980", "Nam", "08123456", "19/05/2010", "19/05/2011", "Đảng viên", "MA-CHI-BO", "0912345678", "", "01/01/2015"]]);

    public static byte[] TemplateCsv() =>
        Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(string.Join(",", Columns) + "\r\nNguyễn Văn An,15/03/1980,Nam,08123456,19/05/2010,19/05/2011,Đảng viên,MA-CHI-BO,0912345678,,01/01/2015\r\n")).ToArray();

    /// <summary>At most this many row errors are listed; the rest are counted (a file of many bad rows must not fill the memory or the page).</summary>
    public const int MaxListedErrors = 1000;

    /// <summary>Imports into branches of <paramref name="root"/>'s subtree (a branch itself is the default for rows without a code).
    /// <paramref name="visible"/>: the members the importing user may see (<see cref="CardNumbers"/>); numbers held outside
    /// it get the form's non-confirming words and are logged like the form's (<see cref="CardNumbers.LogRefused"/>).
    /// <para>Set-based (docs/performance.md, "Member import"): the file streams (<paramref name="limits"/>: the upload's bounds
    /// by default, <see cref="TabularFile.Limits.Server"/> for the operator's command line); each row's own checks run as it
    /// passes (the form's rules: <see cref="MemberValidation"/>, <see cref="ContactRules"/>); every row goes by binary COPY into
    /// a temporary staging table with its problems; the checks across rows and against the database (a card number twice
    /// in the file, a card number already held) are one query each over the staging table; only a file without any error
    /// is inserted — members, their branch periods and one audit row each — by one statement, in the same transaction.</para></summary>
    public static async Task<Result> ImportAsync(AppDbContext db, OrgUnit root, IQueryable<Member> visible, Stream file, string fileName, ILogger log, CancellationToken ct,
        TabularFile.Limits? limits = null)
    {
        TabularFile.Reader reader;
        try { reader = TabularFile.Open(file, fileName, limits ?? TabularFile.Limits.Upload); }
        catch (TabularFile.FormatException ex) { return new Result(0, [new RowError(0, ex.Message)]); }
        using var _ = reader;

        var index = Columns.ToDictionary(c => c, c => Array.FindIndex(reader.Header, h => Normal(h) == Normal(c)));
        var missing = Columns.Where(c => index[c] < 0 && c is "Họ và tên").ToList();
        if (missing.Count > 0) return new Result(0, [new RowError(1, $"Thiếu cột bắt buộc: {string.Join(", ", missing)}. Hãy dùng tệp mẫu.")]);

        var rootPath = root.Path;
        var branches = await db.OrgUnits.AsNoTracking().Where(u => u.Path.IsDescendantOf(rootPath) && u.ClosedOn == null && u.Kind.IsBranch)
            .Select(u => new { u.Id, u.Code }).ToDictionaryAsync(u => u.Code, u => u.Id, StringComparer.OrdinalIgnoreCase, ct);
        var today = db.Clock.Today;
        var closedBy = await YearGuard.ClosedYearsBelowAsync(db, rootPath, ct);

        // Larger files take longer than a page's default command timeout in the statements below (one each, set-based).
        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var conn = (NpgsqlConnection)db.Database.GetDbConnection();
            await ExecAsync(conn, """
                CREATE TEMP TABLE import_members (line int NOT NULL, full_name text NOT NULL, birth_date date, gender int, card text NOT NULL,
                    admitted_on date, official_on date, position text, branch_id int NOT NULL, phone text, email text, joined date NOT NULL,
                    problems_before text, problems_after text) ON COMMIT DROP
                """, ct);
            var rows = 0;
            var failedOwn = 0;
            try
            {
                await using var w = await conn.BeginBinaryImportAsync(
                    "COPY import_members (line, full_name, birth_date, gender, card, admitted_on, official_on, position, branch_id, phone, email, joined, problems_before, problems_after) FROM STDIN (FORMAT BINARY)", ct);
                foreach (var (line, cells) in reader.Rows)
                {
                    rows++;
                    var row = CheckRow(cells, index, root, branches, closedBy, today);
                    if (row.Before is not null || row.After is not null) failedOwn++;
                    await w.StartRowAsync(ct);
                    await w.WriteAsync(line, NpgsqlDbType.Integer, ct);
                    await w.WriteAsync(row.Name, NpgsqlDbType.Text, ct);
                    await WriteNullable(w, row.Birth, NpgsqlDbType.Date, ct);
                    await WriteNullable(w, (int?)row.Gender, NpgsqlDbType.Integer, ct);
                    await w.WriteAsync(row.Card, NpgsqlDbType.Text, ct);
                    await WriteNullable(w, row.Admitted, NpgsqlDbType.Date, ct);
                    await WriteNullable(w, row.Official, NpgsqlDbType.Date, ct);
                    await WriteNullable(w, row.Position, ct);
                    await w.WriteAsync(row.BranchId, NpgsqlDbType.Integer, ct);
                    await WriteNullable(w, row.Phone, ct);
                    await WriteNullable(w, row.Email, ct);
                    await w.WriteAsync(row.Joined, NpgsqlDbType.Date, ct);
                    await WriteNullable(w, row.Before, ct);
                    await WriteNullable(w, row.After, ct);
                }
                await w.CompleteAsync(ct);
            }
            catch (TabularFile.FormatException ex) { return new Result(0, [new RowError(0, ex.Message)]); }   // the transaction rolls back
            if (rows == 0) return new Result(0, [new RowError(0, "Tệp không có dòng dữ liệu nào.")]);
            await ExecAsync(conn, "ANALYZE import_members", ct);

            // Card numbers already held: one query over the staging table, through the one home of who may learn what.
            var staged = db.Database.SqlQueryRaw<string>("SELECT card AS \"Value\" FROM import_members WHERE card <> ''");
            var taken = await CardNumbers.TakenAsync(db, visible, staged, ct);

            var (errors, failed) = await ErrorsAsync(conn, taken, log, root.Id, ct);
            if (failed > 0) return new Result(0, errors) { FailedRows = failed };
            if (failedOwn > 0) throw new InvalidOperationException("Row problems were counted but not listed.");

            await using (var insert = new NpgsqlCommand(InsertSql, conn))
            {
                insert.Parameters.Add(new NpgsqlParameter("status", (int)NewStatus));
                insert.Parameters.Add(new NpgsqlParameter("status_name", NewStatus.ToString()));
                insert.Parameters.Add(new NpgsqlParameter("stands", MemberStanding.StandsInBranch(NewStatus)));
                insert.Parameters.Add(new NpgsqlParameter("at", db.Clock.Now));
                insert.Parameters.Add(new NpgsqlParameter("actor", db.Actor.Name));
                insert.Parameters.Add(new NpgsqlParameter("user_id", NpgsqlDbType.Text) { Value = (object?)db.Actor.UserId ?? DBNull.Value });
                insert.Parameters.Add(new NpgsqlParameter("gender_values", Enum.GetValues<Gender>().Select(v => (int)v).ToArray()));
                insert.Parameters.Add(new NpgsqlParameter("gender_names", Enum.GetNames<Gender>()));
                await insert.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            return new Result(rows, []);
        }
        finally
        {
            db.Database.SetCommandTimeout(timeout);
        }
    }

    /// <summary>The status of an imported member (a new record's default).</summary>
    private static readonly MemberStatus NewStatus = new Member { FullName = "" }.Status;

    private sealed record Row(string Name, DateOnly? Birth, Gender? Gender, string Card, DateOnly? Admitted, DateOnly? Official, string? Position,
        int BranchId, string? Phone, string? Email, DateOnly Joined, string? Before, string? After);

    /// <summary>One row's own checks, in the order the message lists them: those before the card number's checks across
    /// the file and the database (<see cref="Row.Before"/>), and those after them (<see cref="Row.After"/>).</summary>
    private static Row CheckRow(string[] cells, Dictionary<string, int> index, OrgUnit root, Dictionary<string, int> branches,
        Dictionary<int, HashSet<int>> closedBy, DateOnly today)
    {
        string Get(string col) => Cell(cells, index[col]);
        var problems = new List<string>();
        var name = Get("Họ và tên");
        if (name.Length > 200) problems.Add("họ và tên quá 200 ký tự");
        DateOnly? birth, admitted, official;
        if (!TabularFile.TryDate(Get("Ngày sinh"), out birth)) problems.Add("ngày sinh " + VietnameseDates.Unreadable(Get("Ngày sinh")));
        if (!TabularFile.TryDate(Get("Ngày vào Đảng"), out admitted)) problems.Add("ngày vào Đảng " + VietnameseDates.Unreadable(Get("Ngày vào Đảng")));
        if (!TabularFile.TryDate(Get("Ngày chính thức"), out official)) problems.Add("ngày chính thức " + VietnameseDates.Unreadable(Get("Ngày chính thức")));
        problems.AddRange(MemberValidation.Check(name, birth, admitted, official, today).Select(p => Lower(p.Message)));
        if (!TabularFile.TryDate(Get("Sinh hoạt tại chi bộ từ ngày"), out var joined)) problems.Add("ngày sinh hoạt tại chi bộ " + VietnameseDates.Unreadable(Get("Sinh hoạt tại chi bộ từ ngày")));
        problems.AddRange(MemberValidation.CheckJoined(joined, admitted, today).Select(p => Lower(p.Message)));
        Gender? gender = Normal(Get("Giới tính")) switch
        {
            "nam" => Domain.Gender.Male,
            "nu" => Domain.Gender.Female,
            _ => null,
        };
        if (gender is null && Get("Giới tính").Length > 0) problems.Add($"giới tính “{Get("Giới tính")}” phải là Nam hoặc Nữ");
        var card = Get("Số thẻ đảng viên");
        if (card.Length > 30) problems.Add("số thẻ quá 30 ký tự");
        var before = problems.Count > 0 ? string.Join("; ", problems) : null;

        problems.Clear();
        var code = Get("Mã chi bộ");
        int branchId = 0;
        if (code.Length == 0)
        {
            if (root.Kind.IsBranch) branchId = root.Id;
            else problems.Add("thiếu mã chi bộ");
        }
        else if (!branches.TryGetValue(code, out branchId)) problems.Add($"mã chi bộ {code} không có hoặc không thuộc {root.Name}");
        // A member created active stands in the branch from that day: not in a year closed for it (MemberValidation.StandsFrom).
        var standsFrom = MemberValidation.JoinedOrDefault(joined, admitted, today);
        if (branchId != 0 && MemberStanding.StandsInBranch(NewStatus) && closedBy.TryGetValue(branchId, out var closed))
        {
            (standsFrom, var closedProblem) = MemberValidation.StandsFrom(joined, admitted, today, closed);
            if (closedProblem is not null) problems.Add(Lower(closedProblem).TrimEnd('.'));
        }
        var email = Get("Email");
        if (ContactRules.EmailProblem(email) is { } badEmail) problems.Add(Lower(badEmail.TrimEnd('.')));
        if (ContactRules.PhoneProblem(Get("Điện thoại")) is { } badPhone) problems.Add(Lower(badPhone.TrimEnd('.')));
        if (Get("Chức vụ").Length > 200) problems.Add("chức vụ quá 200 ký tự");
        var after = problems.Count > 0 ? string.Join("; ", problems) : null;

        return new Row(name, birth, gender, card, admitted, official, NullIfEmpty(Get("Chức vụ")), branchId, ContactRules.NormalPhone(Get("Điện thoại")),
            NullIfEmpty(email), standsFrom, before, after);
    }

    /// <summary>Every failing row in line order (the first <see cref="MaxListedErrors"/> listed, the rest counted): its own
    /// problems, then a card number met on an earlier line, then a card number already held (named as such only when
    /// the holder is one the user may see).</summary>
    private static async Task<(List<RowError> Errors, int Failed)> ErrorsAsync(NpgsqlConnection conn, Dictionary<string, bool> taken, ILogger log, int unitId, CancellationToken ct)
    {
        var errors = new List<RowError>();
        var failed = 0;
        var refusedUnseen = 0;
        await using (var cmd = new NpgsqlCommand("""
            WITH firsts AS (SELECT card, min(line) AS first_line FROM import_members WHERE card <> '' GROUP BY card HAVING count(*) > 1)
            SELECT s.line, s.card, s.problems_before, s.problems_after, f.first_line
            FROM import_members s LEFT JOIN firsts f ON f.card = s.card AND f.first_line < s.line
            WHERE s.problems_before IS NOT NULL OR s.problems_after IS NOT NULL OR f.first_line IS NOT NULL OR s.card = ANY(@taken)
            ORDER BY s.line
            """, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter("taken", taken.Keys.ToArray()));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var card = r.GetString(1);
                var unseen = taken.TryGetValue(card, out var seenHolder) && !seenHolder;
                if (unseen) refusedUnseen++;
                if (++failed > MaxListedErrors) continue;
                var problems = new List<string>(4);
                if (!r.IsDBNull(2)) problems.Add(r.GetString(2));
                if (!r.IsDBNull(4)) problems.Add($"số thẻ {card} trùng với dòng {r.GetInt32(4)} trong tệp");
                if (taken.ContainsKey(card)) problems.Add(seenHolder ? CardNumbers.TakenNearbyInFile(card) : Lower(CardNumbers.Unusable(card)).TrimEnd('.'));
                if (!r.IsDBNull(3)) problems.Add(r.GetString(3));
                errors.Add(new RowError(r.GetInt32(0), string.Join("; ", problems) + "."));
            }
        }
        if (refusedUnseen > 0) CardNumbers.LogRefused(log, "member import", unitId, refusedUnseen);
        if (failed > MaxListedErrors)
            errors.Add(new RowError(0, $"… và {Vn.Number(failed - MaxListedErrors)} dòng lỗi khác (chỉ liệt kê {Vn.Number(MaxListedErrors)} dòng đầu)."));
        return (errors, failed);
    }

    /// <summary>The staged rows into members in file order, a branch period for each one who stands in a branch from the
    /// day given, and one audit row each ("Thêm", noted "Nhập từ tệp", the values as the member's audit shows them).</summary>
    private const string InsertSql = """
        WITH src AS MATERIALIZED (
            SELECT nextval(pg_get_serial_sequence('members', 'id'))::int AS id, s.*
            FROM (SELECT * FROM import_members ORDER BY line) s),
        ins AS (
            INSERT INTO members (id, full_name, birth_date, gender, card_number, admitted_on, official_on, position, branch_id, phone, email, status)
            SELECT id, full_name, birth_date, gender, nullif(card, ''), admitted_on, official_on, position, branch_id, phone, email, @status
            FROM src ORDER BY id
            RETURNING *),
        periods AS (
            INSERT INTO member_branch_periods (member_id, branch_id, valid_from)
            SELECT id, branch_id, joined FROM src WHERE @stands ORDER BY id)
        INSERT INTO audit_entries (at, actor, user_id, action, entity_type, entity_id, org_unit_id, after, note)
        SELECT @at, @actor, @user_id, 'Thêm', 'Member', ins.id::text, ins.branch_id,
            jsonb_build_object('Id', ins.id, 'FullName', ins.full_name, 'BirthDate', ins.birth_date,
                'Gender', (SELECT n FROM unnest(@gender_values::int[], @gender_names::text[]) AS e(v, n) WHERE e.v = ins.gender),
                'CardNumber', ins.card_number, 'AdmittedOn', ins.admitted_on, 'OfficialOn', ins.official_on, 'Position', ins.position,
                'BranchId', ins.branch_id, 'Phone', ins.phone, 'Email', ins.email, 'Status', @status_name::text),
            'Nhập từ tệp'
        FROM ins ORDER BY ins.id
        """;

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static Task WriteNullable<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
        value is { } v ? w.WriteAsync(v, type, ct) : w.WriteNullAsync(ct);

    private static Task WriteNullable(NpgsqlBinaryImporter w, string? value, CancellationToken ct) =>
        value is not null ? w.WriteAsync(value, NpgsqlDbType.Text, ct) : w.WriteNullAsync(ct);

    private static string Cell(string[] cells, int i) => i >= 0 && i < cells.Length ? BlankText.Tidy(cells[i]) : "";
    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
    private static string Lower(string s) => s.Length == 0 ? s : char.ToLower(s[0], CultureInfo.GetCultureInfo("vi-VN")) + s[1..].TrimEnd('.');

    /// <summary>Lower case without diacritics, for matching headers and "Nữ"/"nu".</summary>
    internal static string Normal(string s)
    {
        var d = s.Trim().ToLowerInvariant().Replace('đ', 'd').Normalize(NormalizationForm.FormD);
        return new string(d.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());
    }
}

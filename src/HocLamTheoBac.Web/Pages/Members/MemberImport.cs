using System.Globalization;
using System.Text;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Members;

/// <summary>
/// Member import shared by the page and `hlb import members`: every row is validated first; any error
/// imports nothing; otherwise all rows are saved in one transaction (audited like any other change).
/// </summary>
public static class MemberImport
{
    public static readonly string[] Columns =
        ["Họ và tên", "Ngày sinh", "Giới tính", "Số thẻ đảng viên", "Ngày vào Đảng", "Ngày chính thức", "Chức vụ", "Mã chi bộ", "Điện thoại", "Email", "Sinh hoạt tại chi bộ từ ngày"];

    public sealed record RowError(int Line, string Message);

    public sealed record Result(int Imported, List<RowError> Errors)
    {
        public bool Ok => Errors.Count == 0;
    }

    public static byte[] TemplateXlsx() => TabularFile.WriteXlsx("Đảng viên", Columns,
        [["Nguyễn Văn An", "15/03/1980", "Nam", "08123456", "19/05/2010", "19/05/2011", "Đảng viên", "MA-CHI-BO", "0912345678", "", "01/01/2015"]]);

    public static byte[] TemplateCsv() =>
        Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(string.Join(",", Columns) + "\r\nNguyễn Văn An,15/03/1980,Nam,08123456,19/05/2010,19/05/2011,Đảng viên,MA-CHI-BO,0912345678,,01/01/2015\r\n")).ToArray();

    /// <summary>Imports into branches of <paramref name="root"/>'s subtree (a branch itself is the default for rows without a code).
    /// <paramref name="visible"/>: the members the importing user may see (<see cref="CardNumbers"/>); numbers held outside
    /// it get the form's non-confirming words and are logged like the form's (<see cref="CardNumbers.LogRefused"/>).</summary>
    public static async Task<Result> ImportAsync(AppDbContext db, OrgUnit root, IQueryable<Member> visible, Stream file, string fileName, ILogger log, CancellationToken ct)
    {
        TabularFile.Table table;
        try { table = TabularFile.Read(file, fileName); }
        catch (TabularFile.FormatException ex) { return new Result(0, [new RowError(0, ex.Message)]); }

        var index = Columns.ToDictionary(c => c, c => Array.FindIndex(table.Header, h => Normal(h) == Normal(c)));
        var missing = Columns.Where(c => index[c] < 0 && c is "Họ và tên").ToList();
        if (missing.Count > 0) return new Result(0, [new RowError(1, $"Thiếu cột bắt buộc: {string.Join(", ", missing)}. Hãy dùng tệp mẫu.")]);
        if (table.Rows.Count == 0) return new Result(0, [new RowError(0, "Tệp không có dòng dữ liệu nào.")]);

        var rootPath = root.Path;
        var branches = await db.OrgUnits.AsNoTracking().Where(u => u.Path.IsDescendantOf(rootPath) && u.ClosedOn == null && u.Kind.IsBranch)
            .Select(u => new { u.Id, u.Code }).ToDictionaryAsync(u => u.Code, u => u.Id, StringComparer.OrdinalIgnoreCase, ct);
        var cardsInFile = table.Rows.Select(r => Cell(r.Cells, index["Số thẻ đảng viên"])).Where(c => c.Length > 0).ToList();
        var taken = await CardNumbers.TakenAsync(db, visible, cardsInFile, null, ct);

        var errors = new List<RowError>();
        var seen = new Dictionary<string, int>();
        var members = new List<Member>();
        var joinedOn = new Dictionary<Member, DateOnly>();
        var today = db.Clock.Today;
        var refusedUnseen = 0;
        foreach (var (line, cells) in table.Rows)
        {
            string Get(string col) => Cell(cells, index[col]);
            var problems = new List<string>();
            var name = Get("Họ và tên");
            if (name.Length > 200) problems.Add("họ và tên quá 200 ký tự");
            DateOnly? birth = null, admitted = null, official = null;
            if (!TabularFile.TryDate(Get("Ngày sinh"), out birth)) problems.Add($"ngày sinh “{Get("Ngày sinh")}” không đúng dạng dd/mm/yyyy");
            if (!TabularFile.TryDate(Get("Ngày vào Đảng"), out admitted)) problems.Add($"ngày vào Đảng “{Get("Ngày vào Đảng")}” không đúng dạng dd/mm/yyyy");
            if (!TabularFile.TryDate(Get("Ngày chính thức"), out official)) problems.Add($"ngày chính thức “{Get("Ngày chính thức")}” không đúng dạng dd/mm/yyyy");
            problems.AddRange(MemberValidation.Check(name, birth, admitted, official, today).Select(p => Lower(p.Message)));
            DateOnly? joined = null;
            if (!TabularFile.TryDate(Get("Sinh hoạt tại chi bộ từ ngày"), out joined)) problems.Add($"ngày sinh hoạt tại chi bộ “{Get("Sinh hoạt tại chi bộ từ ngày")}” không đúng dạng dd/mm/yyyy");
            problems.AddRange(MemberValidation.CheckJoined(joined, admitted, today).Select(p => Lower(p.Message)));
            Gender? gender = Normal(Get("Giới tính")) switch
            {
                "" => null,
                "nam" => Gender.Male,
                "nu" => Gender.Female,
                _ => null,
            };
            if (gender is null && Get("Giới tính").Length > 0) problems.Add($"giới tính “{Get("Giới tính")}” phải là Nam hoặc Nữ");
            var card = Get("Số thẻ đảng viên");
            if (card.Length > 30) problems.Add("số thẻ quá 30 ký tự");
            if (card.Length > 0)
            {
                if (seen.TryGetValue(card, out var firstLine)) problems.Add($"số thẻ {card} trùng với dòng {firstLine} trong tệp");
                else seen[card] = line;
                if (taken.TryGetValue(card, out var seenHolder))
                {
                    problems.Add(seenHolder ? CardNumbers.TakenNearbyInFile(card) : Lower(CardNumbers.Unusable(card)).TrimEnd('.'));
                    if (!seenHolder) refusedUnseen++;
                }
            }
            var code = Get("Mã chi bộ");
            int branchId = 0;
            if (code.Length == 0)
            {
                if (root.Kind.IsBranch) branchId = root.Id;
                else problems.Add("thiếu mã chi bộ");
            }
            else if (!branches.TryGetValue(code, out branchId)) problems.Add($"mã chi bộ {code} không có hoặc không thuộc {root.Name}");
            var email = Get("Email");
            if (ContactRules.EmailProblem(email) is { } badEmail) problems.Add(Lower(badEmail.TrimEnd('.')));
            if (ContactRules.PhoneProblem(Get("Điện thoại")) is { } badPhone) problems.Add(Lower(badPhone.TrimEnd('.')));
            if (Get("Chức vụ").Length > 200) problems.Add("chức vụ quá 200 ký tự");

            if (problems.Count > 0) { errors.Add(new RowError(line, string.Join("; ", problems) + ".")); continue; }
            var member = new Member
            {
                FullName = name, BirthDate = birth, Gender = gender, CardNumber = card.Length > 0 ? card : null, AdmittedOn = admitted,
                OfficialOn = official, Position = NullIfEmpty(Get("Chức vụ")), BranchId = branchId, Phone = ContactRules.NormalPhone(Get("Điện thoại")), Email = NullIfEmpty(email),
            };
            members.Add(member);
            joinedOn[member] = MemberValidation.JoinedOrDefault(joined, admitted, today);
        }
        if (refusedUnseen > 0) CardNumbers.LogRefused(log, "member import", root.Id, refusedUnseen);
        if (errors.Count > 0) return new Result(0, errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await BulkMembers.InsertAsync(db, members, m => joinedOn[m], ct);
        await tx.CommitAsync(ct);
        return new Result(members.Count, []);
    }

    private static string Cell(string[] cells, int i) => i >= 0 && i < cells.Length ? cells[i].Trim() : "";
    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
    private static string Lower(string s) => s.Length == 0 ? s : char.ToLower(s[0], CultureInfo.GetCultureInfo("vi-VN")) + s[1..].TrimEnd('.');

    /// <summary>Lower case without diacritics, for matching headers and "Nữ"/"nu".</summary>
    internal static string Normal(string s)
    {
        var d = s.Trim().ToLowerInvariant().Replace('đ', 'd').Normalize(NormalizationForm.FormD);
        return new string(d.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());
    }
}

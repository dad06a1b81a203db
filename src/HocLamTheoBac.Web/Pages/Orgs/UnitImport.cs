using System.Text;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Pages.Members;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Orgs;

/// <summary>
/// Units import shared by the Orgs/Import page and `hlb import units`: rows may name a parent that is
/// an existing unit in the importer's scope or another row of the file (in any order). Every row is
/// checked with the rules of <see cref="NewUnit"/> first; any error imports nothing.
/// </summary>
public static class UnitImport
{
    public static readonly string[] Columns = ["Mã đơn vị", "Tên đơn vị", "Loại tổ chức", "Mã đơn vị cấp trên", "Ngày thành lập"];

    /// <param name="UndatedLines">Rows imported without a founding date: placed from <paramref name="UndatedFrom"/> (said, never silent).</param>
    public sealed record Result(int Imported, List<MemberImport.RowError> Errors, List<int>? UndatedLines = null, DateOnly UndatedFrom = default)
    {
        public bool Ok => Errors.Count == 0;

        public bool FileRefused => MemberImport.RefusesWholeFile(Errors);

        /// <summary>What the importer is told after a successful import.</summary>
        public string Summary(string? into)
        {
            var text = $"Đã nhập {Vn.Number(Imported)} đơn vị" + (into is null ? "." : $" vào {into}.");
            if (UndatedLines is not { Count: > 0 } undated) return text;
            var lines = string.Join(", ", undated.Take(10)) + (undated.Count > 10 ? ", …" : "");
            return text + $" {Vn.Number(undated.Count)} đơn vị để trống ngày thành lập (dòng {lines}) được ghi thành lập từ {Vn.Date(UndatedFrom)}, " +
                   "nên không có mặt trong số liệu các năm trước; nếu đơn vị có từ trước, hãy ghi ngày thành lập vào tệp trước khi nhập.";
        }
    }

    private static readonly string[][] Example =
    [
        ["DU-PHUONG-A", "Đảng bộ phường A", "dang-uy-phuong-xa", "", "01/07/2025"],
        ["DU-PHUONG-A-CB1", "Chi bộ khu phố 1", "chi-bo-truc-thuoc", "DU-PHUONG-A", "01/07/2025"],
    ];

    public static byte[] TemplateXlsx() => TabularFile.WriteXlsx("Đơn vị", Columns, Example);

    public static byte[] TemplateCsv() =>
        Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(
            string.Join("\r\n", new[] { Columns }.Concat(Example).Select(r => string.Join(",", r))) + "\r\n")).ToArray();

    private sealed record Row(int Line, string Code, string Name, OrgKind Kind, string ParentCode, DateOnly From);

    /// <summary>
    /// Imports under <paramref name="root"/> (rows without a parent code go there) or, when it is null,
    /// as top-level units — which only the operator may create. Parents must lie in <paramref name="user"/>'s
    /// scope for managing organisations (and under <paramref name="root"/> when given).
    /// </summary>
    public static async Task<Result> ImportAsync(AppDbContext db, AccessService access, UserScope user, OrgUnit? root, Stream file, string fileName, DateOnly today, CancellationToken ct)
    {
        TabularFile.Table table;
        try { table = TabularFile.Read(file, fileName); }
        catch (TabularFile.FormatException ex) { return Fail(0, ex.Message); }

        var index = Columns.ToDictionary(c => c, c => Array.FindIndex(table.Header, h => MemberImport.Normal(h) == MemberImport.Normal(c)));
        var missing = Columns.Take(3).Where(c => index[c] < 0).ToList();
        if (missing.Count > 0) return Fail(1, $"Thiếu cột bắt buộc: {string.Join(", ", missing)}. Hãy dùng tệp mẫu.");
        if (table.Rows.Count == 0) return Fail(0, "Tệp không có dòng dữ liệu nào.");

        var kinds = await db.KindsAsync(ct);
        var allCodes = (await db.OrgUnits.AsNoTracking().Select(u => u.Code).ToListAsync(ct)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var parentsQuery = access.Units(user, Permission.ManageOrgs).AsNoTracking();
        if (root is not null)
        {
            var rootPath = root.Path;
            parentsQuery = parentsQuery.Where(u => u.Path.IsDescendantOf(rootPath));
        }
        var fileParentCodes = table.Rows.Select(r => Cell(r.Cells, index["Mã đơn vị cấp trên"]).ToUpperInvariant()).Where(c => c.Length > 0).Distinct().ToList();
        var existingParents = await parentsQuery.Where(u => fileParentCodes.Contains(u.Code.ToUpper())).Include(u => u.Kind)
            .ToDictionaryAsync(u => u.Code, StringComparer.OrdinalIgnoreCase, ct);

        var errors = new List<MemberImport.RowError>();
        var rows = new Dictionary<string, Row>(StringComparer.OrdinalIgnoreCase);
        var failed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var defaultFrom = new DateOnly(today.Year, 1, 1);
        var undated = new List<int>();
        foreach (var (line, cells) in table.Rows)
        {
            string Get(string col) => Cell(cells, index[col]);
            var code = Get("Mã đơn vị");
            var problems = NewUnit.CheckFields(code, Get("Tên đơn vị"));
            var kind = NewUnit.FindKind(kinds, Get("Loại tổ chức"));
            if (kind is null) problems.Add(Get("Loại tổ chức").Length == 0 ? "thiếu loại tổ chức" : $"loại tổ chức “{Get("Loại tổ chức")}” không có (dùng mã hoặc tên loại, ví dụ chi-bo-co-so)");
            if (!TabularFile.TryDate(Get("Ngày thành lập"), out var founded)) problems.Add("ngày thành lập " + VietnameseDates.Unreadable(Get("Ngày thành lập")));
            else if (founded is null) undated.Add(line);
            var from = founded ?? defaultFrom;
            problems.AddRange(NewUnit.CheckPlacement(null, null, from, today));
            if (code.Length > 0)
            {
                if (rows.TryGetValue(code, out var first)) problems.Add($"mã {code} trùng với dòng {first.Line} trong tệp");
                else if (allCodes.Contains(code)) problems.Add($"mã {code} đã được dùng cho đơn vị khác");
            }
            var parentCode = Get("Mã đơn vị cấp trên");
            if (parentCode.Length == 0 && root is null && !user.IsOperator)
                problems.Add("thiếu mã đơn vị cấp trên (chỉ người vận hành mới tạo được đơn vị cấp cao nhất)");
            if (parentCode.Equals(code, StringComparison.OrdinalIgnoreCase) && code.Length > 0) problems.Add("đơn vị không thể là cấp trên của chính nó");
            if (problems.Count > 0)
            {
                errors.Add(new MemberImport.RowError(line, NewUnit.Sentence(problems)));
                if (code.Length > 0) failed.Add(code);
                continue;
            }
            rows.TryAdd(code, new Row(line, code, Get("Tên đơn vị"), kind!, parentCode, from));
        }

        // Parents: a row of the file or an existing unit in scope; walk up to find cycles.
        foreach (var r in rows.Values)
        {
            var problems = new List<string>();
            if (r.ParentCode.Length == 0)
            {
                if (root is not null) problems.AddRange(NewUnit.CheckPlacement(root, root.Kind, r.From, today));
            }
            else if (rows.TryGetValue(r.ParentCode, out var p))
            {
                if (p.Kind.IsBranch) problems.Add($"đơn vị cấp trên {p.Code} là chi bộ, không có đơn vị trực thuộc");
                if (r.From < p.From) problems.Add($"ngày thành lập trước ngày thành lập của đơn vị cấp trên {p.Code} ({Vn.Date(p.From)})");
                if (InCycle(r, rows)) problems.Add("mã đơn vị cấp trên tạo thành vòng lặp trong tệp");
            }
            else if (failed.Contains(r.ParentCode))
                problems.Add($"đơn vị cấp trên {r.ParentCode} nằm ở một dòng có lỗi");
            else if (existingParents.TryGetValue(r.ParentCode, out var existing))
                problems.AddRange(NewUnit.CheckPlacement(existing, existing.Kind, r.From, today));
            else
                problems.Add($"mã đơn vị cấp trên {r.ParentCode} không có trong tệp và không thuộc phạm vi quản lý" + (root is null ? "" : $" của {root.Name}"));
            if (problems.Count > 0) errors.Add(new MemberImport.RowError(r.Line, NewUnit.Sentence(problems)));
        }
        if (errors.Count > 0) return new Result(0, errors.OrderBy(e => e.Line).ToList());

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var added = new Dictionary<string, OrgUnit>(StringComparer.OrdinalIgnoreCase);
        async Task<OrgUnit> AddAsync(Row r)
        {
            if (added.TryGetValue(r.Code, out var done)) return done;
            OrgUnit? parent = r.ParentCode.Length == 0 ? root
                : rows.TryGetValue(r.ParentCode, out var p) ? await AddAsync(p)
                : existingParents[r.ParentCode];
            var unit = await db.AddUnitAsync(parent, r.Kind.Id, r.Code, r.Name, r.From, ct);
            added[r.Code] = unit;
            return unit;
        }
        foreach (var r in rows.Values) await AddAsync(r);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Result(added.Count, [], undated, defaultFrom);
    }

    private static bool InCycle(Row start, Dictionary<string, Row> rows)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { start.Code };
        var current = start;
        while (current.ParentCode.Length > 0 && rows.TryGetValue(current.ParentCode, out var next))
        {
            if (!seen.Add(next.Code)) return true;
            current = next;
        }
        return false;
    }

    private static Result Fail(int line, string message) => new(0, [new MemberImport.RowError(line, message)]);
    private static string Cell(string[] cells, int i) => i >= 0 && i < cells.Length ? BlankText.Tidy(cells[i]) : "";
}

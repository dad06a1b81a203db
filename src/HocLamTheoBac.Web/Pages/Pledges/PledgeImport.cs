using System.Globalization;
using System.Text;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

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
    }

    public static byte[] CsvTemplate(int year)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(',', Header.Select(Quote)));
        sb.AppendLine(string.Join(',', new[] { "08000001", "Giữ gìn vệ sinh đường phố mỗi sáng Chủ nhật", "Vận động gia đình cùng tham gia", "15/12/" + year, "Nháp", "" }.Select(Quote)));
        return Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(sb.ToString())).ToArray();
        static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>Reads the header and rows as text, with the shared .xlsx/.csv reader.</summary>
    public static TabularFile.Table Read(Stream stream, string fileName) => TabularFile.Read(stream, fileName);

    /// <summary>Checks every row and, only when all are right, adds the pledges for the branch and year in one save.</summary>
    public static async Task<Result> ImportAsync(AppDbContext db, OrgUnit branch, int year, TabularFile.Table table, CancellationToken ct)
    {
        var errors = new List<string>();
        if (await YearGuard.IsClosedAsync(db, branch.Path, year, ct))
            return new Result(0, [YearClosure.ReadOnlyBanner(year)]);

        var index = new Dictionary<Col, int>();
        for (var i = 0; i < table.Header.Length; i++)
        {
            var h = table.Header[i];
            if (string.IsNullOrWhiteSpace(h)) continue;
            var match = Columns.Where(c => c.Names.Any(n => Normal(n) == Normal(h))).Select(c => (Col?)c.Col).FirstOrDefault();
            if (match is null) errors.Add($"Cột “{h.Trim()}” không thuộc mẫu nhập (các cột: {string.Join(", ", Header)}).");
            else if (index.ContainsKey(match.Value)) errors.Add($"Cột “{h.Trim()}” bị lặp lại.");
            else index[match.Value] = i;
        }
        foreach (var c in Columns.Where(c => c.Required && !index.ContainsKey(c.Col)))
            errors.Add($"Thiếu cột “{c.Names[0]}”. Hãy dùng tệp mẫu.");
        if (errors.Count > 0) return new Result(0, errors);

        string Cell(string[] r, Col c) => index.TryGetValue(c, out var i) && i < r.Length ? (r[i] ?? "").Trim().Normalize(NormalizationForm.FormC) : "";

        // The branch's members: those belonging to it now or on the as-of day of the year (a past year's members).
        var asOf = db.Clock.AsOf(year);
        var standing = db.MemberBranchPeriods.Where(Membership.CoversDate(asOf)).Where(p => p.BranchId == branch.Id).Select(p => p.MemberId);
        var cards = table.Rows.Select(r => Cell(r.Cells, Col.Card)).Where(c => c.Length > 0).Distinct().ToList();
        var members = await db.Members.AsNoTracking()
            .Where(m => m.CardNumber != null && cards.Contains(m.CardNumber) && (m.BranchId == branch.Id || standing.Contains(m.Id)))
            .ToDictionaryAsync(m => m.CardNumber!, m => m.Id, ct);
        var pledges = new List<Pledge>();
        var now = db.Clock.Now;
        var thisYear = db.Clock.Year;
        foreach (var (line, r) in table.Rows)
        {
            if (r.All(string.IsNullOrWhiteSpace)) continue;
            var rowErrors = new List<string>();
            var card = Cell(r, Col.Card);
            var content = Cell(r, Col.Content);
            var solution = Cell(r, Col.Solution);
            var deadlineText = Cell(r, Col.Deadline);
            var statusText = Cell(r, Col.Status);
            var reason = Cell(r, Col.Reason);
            if (card.Length == 0) rowErrors.Add("thiếu số thẻ đảng viên");
            else if (!members.ContainsKey(card)) rowErrors.Add($"không có đảng viên số thẻ {card} trong {branch.Name}");
            if (content.Length == 0) rowErrors.Add("thiếu nội dung việc làm theo");
            else if (content.Length > PledgeLimits.Content) rowErrors.Add($"nội dung dài quá {PledgeLimits.Content} ký tự");
            if (solution.Length > PledgeLimits.Solution) rowErrors.Add($"giải pháp dài quá {PledgeLimits.Solution} ký tự");
            if (reason.Length > PledgeLimits.Reason) rowErrors.Add($"lý do dài quá {PledgeLimits.Reason} ký tự");
            DateOnly? deadline = null;
            if (deadlineText.Length > 0)
            {
                if (!TabularFile.TryDate(deadlineText, out deadline)) rowErrors.Add($"thời hạn “{deadlineText}” không đúng dạng ngày dd/mm/yyyy");
            }
            var status = PledgeRules.ParseStatus(statusText);
            if (status is null) rowErrors.Add($"trạng thái “{statusText}” không hợp lệ (dùng: {string.Join(", ", Enum.GetValues<PledgeStatus>().Select(s => s.Label()))})");
            else if (PledgeRules.ImportRefusal(status.Value, year, thisYear, reason.Length > 0) is { } refusal) rowErrors.Add(refusal);
            if (rowErrors.Count > 0) { errors.Add($"Dòng {line}: {string.Join("; ", rowErrors)}."); continue; }
            pledges.Add(new Pledge
            {
                MemberId = members[card], BranchId = branch.Id, Year = year, Content = content, Solution = solution.Length == 0 ? null : solution,
                Deadline = deadline, Status = status!.Value, Reason = reason.Length == 0 ? null : reason,
                ReportedAt = status is PledgeStatus.ReportedDone or PledgeStatus.Done ? now : null,
                VerifiedAt = status is PledgeStatus.Done or PledgeStatus.NotDone ? now : null,
            });
        }
        if (errors.Count == 0 && pledges.Count == 0) errors.Add("Tệp không có dòng dữ liệu nào.");
        if (errors.Count > 0) return new Result(0, errors);
        foreach (var p in pledges) p.NoteForAudit("Nhập từ tệp");
        db.Pledges.AddRange(pledges);
        await db.SaveChangesAsync(ct);
        return new Result(pledges.Count, []);
    }

    /// <summary>Header text compared without case, diacritics, spaces at the ends or a trailing "(…)".</summary>
    private static string Normal(string s)
    {
        var t = s.Trim();
        var paren = t.IndexOf('(');
        if (paren > 0) t = t[..paren];
        return Members.MemberImport.Normal(t);
    }
}

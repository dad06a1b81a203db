using System.Globalization;
using System.Text;
using HocLamTheoBac.Web.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>
/// Imports a branch's pledges from .xlsx or .csv (card number, content, solution, deadline, status), all or
/// nothing: every row is checked first and any error leaves the database untouched. Used by the page and `hlb import pledges`.
/// </summary>
public static class PledgeImport
{
    public static readonly string[] Header = ["Số thẻ đảng viên", "Nội dung việc làm theo", "Giải pháp", "Thời hạn (dd/mm/yyyy)", "Trạng thái"];

    public sealed record Result(int Imported, IReadOnlyList<string> Errors)
    {
        public bool Ok => Errors.Count == 0;
    }

    public static byte[] CsvTemplate(int year)
    {
        var sb = new StringBuilder();
        sb.AppendLine(string.Join(',', Header.Select(Quote)));
        sb.AppendLine(string.Join(',', new[] { "08000001", "Giữ gìn vệ sinh đường phố mỗi sáng Chủ nhật", "Vận động gia đình cùng tham gia", "15/12/" + year, "Nháp" }.Select(Quote)));
        return Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(sb.ToString())).ToArray();
        static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>Reads the rows (header skipped) as text, with the shared .xlsx/.csv reader.</summary>
    public static List<string[]> Read(Stream stream, string fileName) =>
        TabularFile.Read(stream, fileName).Rows.Select(r => r.Cells).ToList();

    /// <summary>Checks every row and, only when all are right, adds the pledges for the branch and year in one save.</summary>
    public static async Task<Result> ImportAsync(AppDbContext db, OrgUnit branch, int year, IReadOnlyList<string[]> rows, CancellationToken ct)
    {
        var errors = new List<string>();
        if (await PledgeAccess.IsYearClosedAsync(db, branch.Path, year, ct))
            return new Result(0, [$"Năm {year} đã khóa sổ: không thể nhập việc làm theo."]);
        var cards = rows.Select(r => Cell(r, 0)).Where(c => c.Length > 0).Distinct().ToList();
        var members = await db.Members.AsNoTracking().Where(m => m.BranchId == branch.Id && m.CardNumber != null && cards.Contains(m.CardNumber))
            .ToDictionaryAsync(m => m.CardNumber!, m => m.Id, ct);
        var pledges = new List<Pledge>();
        var now = db.Clock.Now;
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var line = i + 2;
            if (r.All(string.IsNullOrWhiteSpace)) continue;
            var rowErrors = new List<string>();
            var card = Cell(r, 0);
            var content = Cell(r, 1);
            var solution = Cell(r, 2);
            var deadlineText = Cell(r, 3);
            var statusText = Cell(r, 4);
            if (card.Length == 0) rowErrors.Add("thiếu số thẻ đảng viên");
            else if (!members.ContainsKey(card)) rowErrors.Add($"không có đảng viên số thẻ {card} trong {branch.Name}");
            if (content.Length == 0) rowErrors.Add("thiếu nội dung việc làm theo");
            else if (content.Length > 2000) rowErrors.Add("nội dung dài quá 2000 ký tự");
            if (solution.Length > 4000) rowErrors.Add("giải pháp dài quá 4000 ký tự");
            DateOnly? deadline = null;
            if (deadlineText.Length > 0)
            {
                if (!TabularFile.TryDate(deadlineText, out deadline)) rowErrors.Add($"thời hạn “{deadlineText}” không đúng dạng ngày dd/mm/yyyy");
            }
            var status = PledgeRules.ParseStatus(statusText);
            if (status is null) rowErrors.Add($"trạng thái “{statusText}” không hợp lệ (dùng: {string.Join(", ", Enum.GetValues<PledgeStatus>().Select(s => s.Label()))})");
            if (rowErrors.Count > 0) { errors.Add($"Dòng {line}: {string.Join("; ", rowErrors)}."); continue; }
            pledges.Add(new Pledge
            {
                MemberId = members[card], BranchId = branch.Id, Year = year, Content = content, Solution = solution.Length == 0 ? null : solution,
                Deadline = deadline, Status = status!.Value,
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

    private static string Cell(string[] r, int i) => i < r.Length ? (r[i] ?? "").Trim().Normalize(NormalizationForm.FormC) : "";
}

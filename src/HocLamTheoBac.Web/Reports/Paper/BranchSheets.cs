using System.Globalization;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports.Pdf;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Reports.Paper;

public enum SheetKind { Registration, Results }

/// <summary>What the branch's paper sheets print: its current members in grid order, and each one's pledges of the year.</summary>
public sealed record BranchSheetModel(string ParentBody, string Branch, int Year, IReadOnlyList<BranchSheetModel.MemberBlock> Members)
{
    public sealed record MemberBlock(int MemberId, string FullName, string? CardNumber, string PageUrl, IReadOnlyList<PledgeLine> Pledges);
    public sealed record PledgeLine(string Content, string? Solution, DateOnly? Deadline, PledgeStatus Status);

    /// <summary>Pledges the branch has approved (whatever happened after): the results sheet lists these.</summary>
    public static bool PassedApproval(PledgeStatus s) => s is PledgeStatus.Approved or PledgeStatus.InProgress or PledgeStatus.ReportedDone or PledgeStatus.Done or PledgeStatus.NotDone;

    /// <summary>Loads a branch the caller already checked access to; <paramref name="memberPageUrl"/> gives each member's absolute page address.</summary>
    public static async Task<BranchSheetModel> LoadAsync(AppDbContext db, OrgUnit branch, int year, Func<int, string> memberPageUrl, CancellationToken ct)
    {
        var parent = await db.ParentNameOnAsync(branch, db.Clock.AsOf(year), ct);
        // The branch's members of the year (of its as-of day: today for the open year and the years ahead), with their
        // pledges of the year wherever kept — counted in the branch they stand in that day (Membership.CountedIn), as the
        // review sheet and the dashboard count them. (Until session 14: today's members and the pledges kept here, so a
        // past year's sheet lost a member who moved away since and listed one who came without their pledges.)
        var ids = await ReviewSheets.BranchMembersAsync(db, branch.Id, year, ct);
        var members = await db.Members.AsNoTracking().Where(m => ids.Contains(m.Id))
            .OrderBy(Positions.Rank).ThenByName(m => m.FullName).ThenBy(m => m.Id)
            .Select(m => new { m.Id, m.FullName, m.CardNumber }).ToListAsync(ct);
        var pledges = (await db.Pledges.AsNoTracking().Where(p => p.Year == year && ids.Contains(p.MemberId) && p.DeletedAt == null)
            .OrderBy(p => p.Id).Select(p => new { p.MemberId, p.Content, p.Solution, p.Deadline, p.Status }).ToListAsync(ct))
            .ToLookup(p => p.MemberId, p => new PledgeLine(p.Content, p.Solution, p.Deadline, p.Status));
        return new BranchSheetModel(parent, branch.Name, year,
            members.Select(m => new MemberBlock(m.Id, m.FullName, m.CardNumber, memberPageUrl(m.Id), pledges[m.Id].ToList())).ToList());
    }
}

/// <summary>The two A4 sheets of a branch meeting, each member's block with a QR code to their pledge page.</summary>
public static class BranchSheets
{
    private static readonly double QrSide = Typography.Mm(22);

    public static string FileName(SheetKind kind, BranchSheetModel m) =>
        $"{(kind == SheetKind.Registration ? "phieu-dang-ky" : "phieu-ket-qua")}-{m.Year}.pdf";

    public static byte[] Render(SheetKind kind, BranchSheetModel m) => kind == SheetKind.Registration ? Registration(m) : Results(m);

    private static void Start(Canvas c, BranchSheetModel m, string kind, string subject, string note)
    {
        SheetParts.Header(c, m.ParentBody, m.Branch, $"Năm {m.Year}");
        SheetParts.Title(c, kind, subject, note);
    }

    public static byte[] Registration(BranchSheetModel m) => SheetParts.Render($"Phiếu đăng ký việc làm theo năm {m.Year} – {m.Branch}", c =>
    {
        Start(c, m, "PHIẾU ĐĂNG KÝ", $"việc làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm {m.Year}",
            "Mỗi đảng viên ghi việc làm theo (làm gì, bằng cách nào, số lượng, thời hạn) rồi ký. Quét mã QR để xem và đăng ký trên điện thoại.");
        var n = 0;
        foreach (var b in m.Members)
        {
            n++;
            var existing = b.Pledges.Where(p => p.Status != PledgeStatus.Returned).ToList();
            var lines = 4;
            var height = Canvas.LineHeight(SheetParts.TextBold) + existing.Count * Canvas.LineHeight(SheetParts.Small) * 2 + lines * Typography.Mm(8) + Typography.Mm(10);
            c.Ensure(Math.Max(height, QrSide + Typography.Mm(6)));
            var top = c.Y;
            var page = c.Document.PageCount;
            QrBlock(c, b, top);
            var textW = c.Width - QrSide - Typography.Mm(4);
            MemberLine(c, n, b, textW);
            foreach (var p in existing)
            {
                foreach (var line in c.Wrap($"– Đã đăng ký: {p.Content}{Deadline(p.Deadline)} ({p.Status.Label()})", SheetParts.Small, textW))
                { c.Line(line, SheetParts.Small, Align.Left, c.Left + Typography.Mm(4), textW); c.Y += Canvas.LineHeight(SheetParts.Small); }
            }
            c.Line("Việc làm theo, giải pháp, thời hạn:", SheetParts.Small, Align.Left, c.Left + Typography.Mm(4), textW);
            c.Y += Canvas.LineHeight(SheetParts.Small);
            for (var i = 0; i < lines; i++)
            {
                c.Y += Typography.Mm(7);
                SheetParts.WritingLine(c, c.Left + Typography.Mm(4), textW - Typography.Mm(4), c.Y);
            }
            c.Y += Typography.Mm(3);
            c.Line("Ký tên: ……………………………", SheetParts.Small, Align.Right, c.Left, textW);
            c.Y += Canvas.LineHeight(SheetParts.Small);
            if (c.Document.PageCount == page) c.Y = Math.Max(c.Y, top + QrSide + Typography.Mm(6));
            c.Y += Typography.Mm(2);
            c.Rule(c.Left, c.Left + c.Width, c.Y - Typography.Mm(1), 0.3);
            c.Y += Typography.Mm(2);
        }
        Signature(c);
    });

    public static byte[] Results(BranchSheetModel m) => SheetParts.Render($"Phiếu đánh giá kết quả việc làm theo năm {m.Year} – {m.Branch}", c =>
    {
        Start(c, m, "PHIẾU ĐÁNH GIÁ KẾT QUẢ", $"thực hiện việc làm theo năm {m.Year}",
            "Chi bộ đánh dấu ô “Hoàn thành” hoặc “Chưa hoàn thành” cho từng việc làm theo đã được duyệt. Quét mã QR để xem việc làm theo và minh chứng.");
        var n = 0;
        foreach (var b in m.Members)
        {
            n++;
            var approved = b.Pledges.Where(p => BranchSheetModel.PassedApproval(p.Status)).ToList();
            var textW = c.Width - QrSide - Typography.Mm(4);
            var height = Canvas.LineHeight(SheetParts.TextBold) + Math.Max(1, approved.Count) * Canvas.LineHeight(SheetParts.Small) * 3.2 + Typography.Mm(6);
            c.Ensure(Math.Max(Math.Min(height, c.BottomLimit - Typography.Top - 40), QrSide + Typography.Mm(6)));
            var top = c.Y;
            var page = c.Document.PageCount;
            QrBlock(c, b, top);
            MemberLine(c, n, b, textW);
            if (approved.Count == 0)
            {
                c.Line("Chưa có việc làm theo được chi bộ duyệt.", SheetParts.SmallItalic, Align.Left, c.Left + Typography.Mm(4), textW);
                c.Y += Canvas.LineHeight(SheetParts.Small);
            }
            var k = 0;
            foreach (var p in approved)
            {
                k++;
                foreach (var line in c.Wrap($"{k}. {p.Content}{Deadline(p.Deadline)}", SheetParts.Small, textW - Typography.Mm(4)))
                {
                    c.Ensure(Canvas.LineHeight(SheetParts.Small) * 2);
                    c.Line(line, SheetParts.Small, Align.Left, c.Left + Typography.Mm(4), textW - Typography.Mm(4));
                    c.Y += Canvas.LineHeight(SheetParts.Small);
                }
                c.Y += 2;
                var x = c.Left + Typography.Mm(8);
                SheetParts.Box(c, x, c.Y + 1);
                c.Line("Hoàn thành", SheetParts.Small, Align.Left, x + 13, 80);
                x += Typography.Mm(38);
                SheetParts.Box(c, x, c.Y + 1);
                c.Line("Chưa hoàn thành", SheetParts.Small, Align.Left, x + 13, 100);
                c.Line($"Hiện tại: {p.Status.Label()}", SheetParts.SmallItalic, Align.Right, c.Left, textW);
                c.Y += Canvas.LineHeight(SheetParts.Small) + 4;
            }
            if (c.Document.PageCount == page) c.Y = Math.Max(c.Y, top + QrSide + Typography.Mm(6));
            c.Y += Typography.Mm(2);
            c.Rule(c.Left, c.Left + c.Width, c.Y - Typography.Mm(1), 0.3);
            c.Y += Typography.Mm(2);
        }
        Signature(c);
    });

    private static void MemberLine(Canvas c, int n, BranchSheetModel.MemberBlock b, double width)
    {
        c.Line($"{n}. {b.FullName}", SheetParts.TextBold, Align.Left, c.Left, width);
        if (b.CardNumber is not null) c.Line($"Số thẻ đảng viên: {b.CardNumber}", SheetParts.Small, Align.Right, c.Left, width);
        c.Y += Canvas.LineHeight(SheetParts.TextBold) + 2;
    }

    /// <summary>The member's QR code at the right of the block, caption under it; drawn first so it stays beside the name when the block runs onto the next page.</summary>
    private static void QrBlock(Canvas c, BranchSheetModel.MemberBlock b, double top)
    {
        var x = c.Left + c.Width - QrSide;
        SheetParts.Qr(c, b.PageUrl, x, top, QrSide);
        c.Line("Quét mã để xem", Typography.Italic(7.5), Align.Center, x - 10, QrSide + 20, top + QrSide);
    }

    private static void Signature(Canvas c)
    {
        c.Ensure(Typography.Mm(30));
        c.Y += Typography.Mm(4);
        var x = c.Left + c.Width / 2;
        c.Line("T/M CHI BỘ", Typography.Signer, Align.Center, x, c.Width / 2);
        c.Y += Canvas.LineHeight(Typography.Signer);
        c.Line("BÍ THƯ", Typography.Signer, Align.Center, x, c.Width / 2);
    }

    private static string Deadline(DateOnly? d) => d is { } x ? $" (thời hạn {x.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)})" : "";
}

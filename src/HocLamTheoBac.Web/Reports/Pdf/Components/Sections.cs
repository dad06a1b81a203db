using PdfSharp.Drawing;
using HocLamTheoBac.Web.Infrastructure;

namespace HocLamTheoBac.Web.Reports.Pdf.Components;

/// <summary>
/// Sections I–IV: leadership, results (sentences from <see cref="ReportText"/>), assessment and
/// direction (written text). Section IV is drawn with the signature block's height kept after it,
/// so the signature and "Nơi nhận" never stand alone on the last page.
/// </summary>
public static class Sections
{
    public static void Draw(Canvas c, ReportModel m)
    {
        Heading(c, "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, QUÁN TRIỆT, TUYÊN TRUYỀN");
        c.Paragraph(ReportText.Leadership(m), Typography.Body);
        c.Paragraph(m.LeadershipText ?? "", Typography.Body);

        Heading(c, "II. KẾT QUẢ THỰC HIỆN");
        // The committee's own comment opens the section, before the numbered items.
        c.Paragraph(m.ResultsText ?? "", Typography.Body);
        if (ReportText.YearsLeftOut(m) is { } leftOut) c.Paragraph(leftOut, Typography.BodyItalic);
        Sub(c, "1. Xây dựng và thực hiện kế hoạch cá nhân, tập thể");
        c.Paragraph(ReportText.Plans(m), Typography.Body);
        Sub(c, "2. Xây dựng mô hình, điển hình");
        c.Paragraph(ReportText.Models(m), Typography.Body);
        Sub(c, "3. Nội dung đột phá, vấn đề bức xúc");
        c.Paragraph(ReportText.Problems(m), Typography.Body);
        Sub(c, "4. Biểu dương, khen thưởng");
        c.Paragraph(ReportText.Commendations(m), Typography.Body);
        var indicators = m.Indicators.Where(i => i.Value != 0).ToList(); // a zero says nothing: left out
        if (indicators.Count > 0)
        {
            Sub(c, "5. Các chỉ tiêu khác");
            foreach (var i in indicators)
                c.Paragraph($"- {i.Label}: {i.Value.ToString("#,##0.##", ServiceSetup.Vietnamese)}{(i.Unit is { } u ? " " + u : "")}.", Typography.Body);
        }
        c.Paragraph(m.IsPeriod
            ? "(Kết quả từng năm tại Phụ lục 1, chi tiết theo đơn vị tại Phụ lục 2 kèm theo.)"
            : "(Chi tiết theo đơn vị tại Phụ lục kèm theo.)", Typography.BodyItalic);

        Heading(c, "III. ĐÁNH GIÁ CHUNG");
        Sub(c, "1. Ưu điểm");
        Written(c, m, m.Strengths);
        Sub(c, "2. Hạn chế");
        Written(c, m, m.Limitations);

        var next = m.IsPeriod ? $"GIAI ĐOẠN TIẾP THEO" : $"NĂM {m.Year + 1}";
        var signature = Signature.Height(c, m);
        var (directionText, directionStyle) = WrittenText(m, m.Direction);
        var direction = c.ParagraphHeight(directionText, directionStyle);
        var heading = c.ParagraphHeight("IV.", Typography.Heading) + 2;
        // A short section IV moves whole with the signature; a long one keeps its last lines with it.
        var whole = heading + direction + signature;
        if (whole <= c.BottomLimit - Typography.Top && c.Y + whole > c.BottomLimit) c.NewPage();
        Heading(c, $"IV. PHƯƠNG HƯỚNG, NHIỆM VỤ {next}", keepWithNext: string.IsNullOrWhiteSpace(directionText) ? signature : Canvas.LineHeight(Typography.Body) * 2);
        c.Paragraph(directionText, directionStyle, keepWithNext: signature);
    }

    /// <summary>A written part; in a draft an empty one says it is still to be written.</summary>
    private static void Written(Canvas c, ReportModel m, string? text)
    {
        var (shown, style) = WrittenText(m, text);
        c.Paragraph(shown, style);
    }

    private static (string Text, XFont Style) WrittenText(ReportModel m, string? text) =>
        string.IsNullOrWhiteSpace(text) && m.IsDraft
            ? ("(Nội dung do cấp ủy bổ sung trước khi ban hành.)", Typography.BodyItalic)
            : (text ?? "", Typography.Body);

    private static void Heading(Canvas c, string text, double keepWithNext = 0)
    {
        // Room for the heading, a sub-heading and two lines of text under it: a heading followed by "1. Ưu điểm" once
        // stood alone at a page's foot (the walk of session 15), as "3 heading lines" left no room for the spacing.
        c.Ensure(Canvas.LineHeight(Typography.Heading) * 2 + Canvas.LineHeight(Typography.Body) * 2 + Typography.ParagraphSpacing * 2 + 2 + keepWithNext);
        c.Y += 2;
        c.Paragraph(text, Typography.Heading, Align.Left);
    }

    private static void Sub(Canvas c, string text)
    {
        c.Ensure(Canvas.LineHeight(Typography.Heading) * 2);
        c.Paragraph(text, Typography.Heading, Align.Left);
    }
}

namespace HocLamTheoBac.Web.Reports.Pdf.Components;

/// <summary>"BÁO CÁO", the subject line under it and a short rule (36-HD/VPTW: kind 16 bold, subject 14 bold).</summary>
public static class Title
{
    public static void Draw(Canvas c, ReportModel m)
    {
        c.Line("BÁO CÁO", Typography.Kind, Align.Center, c.Left, c.Width);
        c.Y += Canvas.LineHeight(Typography.Kind);
        var subject = char.ToUpper(m.Subject[0], System.Globalization.CultureInfo.GetCultureInfo("vi-VN")) + m.Subject[1..];
        // Never break inside the name (snapshots issued before the model kept it together, too).
        subject = Canvas.Nfc(subject).Replace("Hồ Chí Minh", "Hồ\u00A0Chí\u00A0Minh", StringComparison.Ordinal);
        foreach (var line in c.Wrap(subject, Typography.Subject, c.Width * 0.85))
        {
            c.Line(line, Typography.Subject, Align.Center, c.Left, c.Width);
            c.Y += Canvas.LineHeight(Typography.Subject);
        }
        c.Y += 4;
        c.Line("-----", Typography.Subject, Align.Center, c.Left, c.Width);
        c.Y += Canvas.LineHeight(Typography.Subject) + 4;
        if (m.IsDraft)
        {
            c.Paragraph("(Dự thảo – chưa ban hành)", Typography.BodyItalic, Align.Center, 0);
        }
        if (m.ReplacesNote is { } note) c.Paragraph(note, Typography.BodyItalic, Align.Center, 0);
    }
}

using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;
using HocLamTheoBac.Web.Reports.Pdf;

namespace HocLamTheoBac.Web.Reports.Paper;

/// <summary>
/// Building blocks of the printed sheets for a branch meeting (registration, results, review sheets; ADR 0016), on the report's canvas and
/// typography (Liberation Serif, A4, margins of Hướng dẫn 36-HD/VPTW): the Party-document header, a title,
/// QR codes drawn as vector squares, tick boxes and dotted writing lines.
/// </summary>
public static class SheetParts
{
    public static XFont Small => Typography.Regular(11);
    public static XFont SmallBold => Typography.Bold(11);
    public static XFont SmallItalic => Typography.Italic(10);
    public static XFont Text => Typography.Regular(12);
    public static XFont TextBold => Typography.Bold(12);

    public static byte[] Render(string title, Action<Canvas> draw)
    {
        EmbeddedFontResolver.Install();
        using var doc = new PdfDocument();
        doc.Info.Title = Canvas.Nfc(title);
        doc.Info.Creator = "HocLamTheoBac";
        List<int> sheetStarts;
        using (var c = new Canvas(doc))
        {
            c.NewPage();
            draw(c);
            sheetStarts = c.SheetStarts;
        }
        using (var numbering = new Canvas(doc)) Pdf.Components.PageNumbers.Draw(numbering, sheetStarts);
        using var ms = new MemoryStream();
        doc.Save(ms, false);
        return ms.ToArray();
    }

    /// <summary>Left: parent body and the branch (bold) with "*"; right: "ĐẢNG CỘNG SẢN VIỆT NAM" with its rule and a dated line.</summary>
    public static void Header(Canvas c, string parentBody, string branch, string rightLine)
    {
        var top = c.Y;
        var leftW = c.Width * 0.45;
        var rightX = c.Left + leftW;
        var rightW = c.Width - leftW;
        var y = top;
        foreach (var line in c.Wrap(parentBody.ToUpper(System.Globalization.CultureInfo.GetCultureInfo("vi-VN")), Typography.Regular(13), leftW))
        { c.Line(line, Typography.Regular(13), Align.Center, c.Left - 10, leftW + 20, y); y += Canvas.LineHeight(Typography.Regular(13)); }
        foreach (var line in c.Wrap(branch.ToUpper(System.Globalization.CultureInfo.GetCultureInfo("vi-VN")), Typography.Bold(13), leftW))
        { c.Line(line, Typography.Bold(13), Align.Center, c.Left - 10, leftW + 20, y); y += Canvas.LineHeight(Typography.Bold(13)); }
        c.Line("*", Typography.Bold(13), Align.Center, c.Left - 10, leftW + 20, y);
        y += Canvas.LineHeight(Typography.Bold(13));

        c.Line("ĐẢNG CỘNG SẢN VIỆT NAM", Typography.PartyName, Align.Center, rightX, rightW, top);
        var w = c.Measure("ĐẢNG CỘNG SẢN VIỆT NAM", Typography.PartyName);
        c.Rule(rightX + (rightW - w) / 2, rightX + (rightW + w) / 2, top + Typography.PartyName.Size * 1.3);
        c.Line(rightLine, Typography.Italic(13), Align.Center, rightX, rightW, top + Typography.PartyName.Size * 1.3 + 8);
        c.Y = Math.Max(y, top + 60) + Typography.Mm(4);
    }

    public static void Title(Canvas c, string kind, string subject, string? note = null)
    {
        c.Line(kind, Typography.Kind, Align.Center, c.Left, c.Width);
        c.Y += Canvas.LineHeight(Typography.Kind);
        foreach (var line in c.Wrap(subject, Typography.Subject, c.Width))
        { c.Line(line, Typography.Subject, Align.Center, c.Left, c.Width); c.Y += Canvas.LineHeight(Typography.Subject); }
        if (note is not null)
        {
            c.Y += 2;
            foreach (var line in c.Wrap(note, SmallItalic, c.Width))
            { c.Line(line, SmallItalic, Align.Center, c.Left, c.Width); c.Y += Canvas.LineHeight(SmallItalic); }
        }
        c.Y += Typography.Mm(4);
    }

    /// <summary>A QR code of the text, drawn as black squares (vector, sharp at any print resolution) in a square of the given side.</summary>
    public static void Qr(Canvas c, string text, double x, double y, double side)
    {
        using var gen = new QRCodeGenerator();
        using var data = gen.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var n = matrix.Count;
        var m = side / n;
        for (var row = 0; row < n; row++)
            for (var col = 0; col < n; col++)
                if (matrix[row][col]) c.G.DrawRectangle(XBrushes.Black, x + col * m, y + row * m, m + 0.05, m + 0.05);
    }

    public static void Box(Canvas c, double x, double y, double side = 9) =>
        c.G.DrawRectangle(new XPen(XColors.Black, 0.8), x, y, side, side);

    /// <summary>A dotted line to write on by hand, from x to x + width at the cursor's baseline.</summary>
    public static void WritingLine(Canvas c, double x, double width, double y)
    {
        var pen = new XPen(XColors.Gray, 0.6) { DashStyle = XDashStyle.Dot };
        c.G.DrawLine(pen, x, y, x + width, y);
    }
}

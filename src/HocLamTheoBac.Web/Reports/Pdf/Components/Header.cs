using PdfSharp.Drawing;

namespace HocLamTheoBac.Web.Reports.Pdf.Components;

/// <summary>
/// The two header blocks of a Party document: left the parent body, the issuing body in bold with a
/// "*" under it and "Số …-BC/…"; right "ĐẢNG CỘNG SẢN VIỆT NAM" with a rule as long as the text,
/// then the place and date in italics.
/// </summary>
public static class Header
{
    public static void Draw(Canvas c, ReportModel m)
    {
        var top = c.Y;
        var leftW = c.Width * 0.45;
        var rightX = c.Left + leftW;
        var rightW = c.Width - leftW;

        var y = top;
        if (m.ParentBody.Length > 0)
        {
            foreach (var line in NameLines(c, m.ParentBody, Typography.ParentBody, leftW + 20)) { c.Line(line, Typography.ParentBody, Align.Center, c.Left - 10, leftW + 20, y); y += Canvas.LineHeight(Typography.ParentBody); }
        }
        foreach (var line in NameLines(c, m.IssuingBody, Typography.IssuingBody, leftW + 20)) { c.Line(line, Typography.IssuingBody, Align.Center, c.Left - 10, leftW + 20, y); y += Canvas.LineHeight(Typography.IssuingBody); }
        c.Line("*", Typography.IssuingBody, Align.Center, c.Left - 10, leftW + 20, y);
        y += Canvas.LineHeight(Typography.IssuingBody);
        var numberY = y;
        c.Line(m.NumberLine, Typography.Number, Align.Center, c.Left - 10, leftW + 20, numberY);
        var leftBottom = numberY + Canvas.LineHeight(Typography.Number);

        c.Line("ĐẢNG CỘNG SẢN VIỆT NAM", Typography.PartyName, Align.Center, rightX, rightW, top);
        var titleW = c.Measure("ĐẢNG CỘNG SẢN VIỆT NAM", Typography.PartyName);
        var ruleY = top + Typography.PartyName.Size * 1.3;
        c.Rule(rightX + (rightW - titleW) / 2, rightX + (rightW + titleW) / 2, ruleY);
        // A long place name wraps after the comma rather than running into the left block.
        var dateY = numberY;
        var dateLines = c.Measure(m.PlaceAndDate, Typography.PlaceDate) <= rightW ? [m.PlaceAndDate]
            : m.PlaceAndDate.Split(", ", 2) is { Length: 2 } parts ? [parts[0] + ",", parts[1]] : c.Wrap(m.PlaceAndDate, Typography.PlaceDate, rightW);
        foreach (var line in dateLines)
        {
            c.Line(line, Typography.PlaceDate, Align.Center, rightX, rightW, dateY);
            dateY += Canvas.LineHeight(Typography.PlaceDate);
        }

        c.Y = Math.Max(leftBottom, dateY) + Typography.Mm(6);
    }

    /// <summary>
    /// A unit's name on one line when it fits; otherwise broken between its designation and its
    /// proper name ("ĐẢNG ỦY PHƯỜNG" / "PHAN THIẾT"), never inside the proper name unless that alone is too wide.
    /// </summary>
    public static List<string> NameLines(Canvas c, string name, PdfSharp.Drawing.XFont font, double width)
    {
        if (c.Measure(name, font) <= width) return [name];
        var (designation, proper) = Domain.PartyDocuments.SplitName(name);
        var lines = designation.Length > 0 ? c.Wrap(designation, font, width) : [];
        lines.AddRange(c.Measure(proper, font) <= width ? [proper] : c.Wrap(proper, font, width));
        return lines;
    }
}

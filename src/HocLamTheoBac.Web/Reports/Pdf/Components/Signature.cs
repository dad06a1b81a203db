namespace HocLamTheoBac.Web.Reports.Pdf.Components;

/// <summary>Left "Nơi nhận:" with the recipients; right "T/M …", the role, room for the signature and the name.</summary>
public static class Signature
{
    private static double LeftWidth(Canvas c) => c.Width * 0.48;

    /// <summary>The block's height with the space above it (what section IV keeps room for).</summary>
    public static double Height(Canvas c, ReportModel m)
    {
        var recipients = Canvas.LineHeight(Typography.RecipientsLabel)
            + m.Recipients.Sum(r => c.Wrap(r, Typography.Recipients, LeftWidth(c) - 10).Count) * Canvas.LineHeight(Typography.Recipients);
        var signer = Canvas.LineHeight(Typography.Signer) * 3 + Typography.Mm(25);
        return Math.Max(recipients, signer) + Typography.Mm(4);
    }

    public static void Draw(Canvas c, ReportModel m)
    {
        c.Ensure(Height(c, m));
        c.Y += Typography.Mm(4);
        var top = c.Y;
        var leftW = LeftWidth(c);
        var rightX = c.Left + leftW;
        var rightW = c.Width - leftW;

        c.Line("Nơi nhận:", Typography.RecipientsLabel, Align.Left, c.Left, leftW, top);
        var ly = top + Canvas.LineHeight(Typography.RecipientsLabel);
        foreach (var r in m.Recipients)
            foreach (var line in c.Wrap(r, Typography.Recipients, leftW - 10))
            {
                c.Line(line, Typography.Recipients, Align.Left, c.Left, leftW, ly);
                ly += Canvas.LineHeight(Typography.Recipients);
            }

        var ry = top;
        c.Line(m.SignerOnBehalf, Typography.Signer, Align.Center, rightX, rightW, ry);
        ry += Canvas.LineHeight(Typography.Signer);
        c.Line(m.SignerTitle, Typography.Signer, Align.Center, rightX, rightW, ry);
        ry += Canvas.LineHeight(Typography.Signer) + Typography.Mm(25);
        if (m.SignerName is { Length: > 0 } name) c.Line(name, Typography.Signer, Align.Center, rightX, rightW, ry);
        ry += Canvas.LineHeight(Typography.Signer);
        c.Y = Math.Max(ly, ry) + Typography.Mm(4);
    }
}

namespace HocLamTheoBac.Web.Reports.Pdf.Components;

/// <summary>Left "Nơi nhận:" with the recipients; right "T/M …", the role, room for the signature and the name.</summary>
public static class Signature
{
    public static void Draw(Canvas c, ReportModel m)
    {
        var recipientLines = m.Recipients.Count;
        var height = Math.Max(Canvas.LineHeight(Typography.Signer) * 2 + Typography.Mm(25) + Canvas.LineHeight(Typography.Signer),
            Canvas.LineHeight(Typography.RecipientsLabel) + recipientLines * Canvas.LineHeight(Typography.Recipients) * 1.6);
        c.Y += Typography.Mm(4);
        c.Ensure(height);
        var top = c.Y;
        var leftW = c.Width * 0.48;
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

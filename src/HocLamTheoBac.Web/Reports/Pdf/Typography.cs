using PdfSharp.Drawing;

namespace HocLamTheoBac.Web.Reports.Pdf;

/// <summary>
/// Sizes and margins of Party documents (Hướng dẫn 36-HD/VPTW): A4 portrait; margins top and bottom
/// 20 mm, left 30 mm, right 15 mm; a Times-compatible Unicode serif (Liberation Serif, shipped).
/// </summary>
public static class Typography
{
    public const string Family = "Liberation Serif";
    public static double Mm(double mm) => mm * 72 / 25.4;

    public static readonly XSize PageSize = new(Mm(210), Mm(297));
    public static readonly double Top = Mm(20), Bottom = Mm(20), Left = Mm(30), Right = Mm(15);
    public static double ContentWidth => PageSize.Width - Left - Right;
    // Landscape annex pages: the same A4 turned, the binding margin kept on the left.
    public static readonly double LandscapeTop = Mm(20), LandscapeBottom = Mm(15), LandscapeLeft = Mm(25), LandscapeRight = Mm(15);
    public static double LandscapeContentWidth => PageSize.Height - LandscapeLeft - LandscapeRight;

    public static XFont Regular(double size) => new(Family, size, XFontStyleEx.Regular);
    public static XFont Bold(double size) => new(Family, size, XFontStyleEx.Bold);
    public static XFont Italic(double size) => new(Family, size, XFontStyleEx.Italic);
    public static XFont BoldItalic(double size) => new(Family, size, XFontStyleEx.BoldItalic);

    // The table of 36-HD/VPTW: "ĐẢNG CỘNG SẢN VIỆT NAM" 15 bold; bodies 14; document kind 16 bold; body text 14.
    public static XFont PartyName => Bold(15);
    public static XFont ParentBody => Regular(14);
    public static XFont IssuingBody => Bold(14);
    public static XFont Number => Regular(14);
    public static XFont PlaceDate => Italic(14);
    public static XFont Kind => Bold(16);
    public static XFont Subject => Bold(14);
    public static XFont Heading => Bold(14);
    public static XFont Body => Regular(14);
    public static XFont BodyItalic => Italic(14);
    public static XFont Signer => Bold(14);
    public static XFont RecipientsLabel => BoldItalic(12);
    public static XFont Recipients => Regular(11);
    public static XFont PageNumber => Regular(13);
    public static XFont TableHeader => Bold(9.5);
    public static XFont TableCell => Regular(9.5);
    public static XFont TableTotal => Bold(9.5);

    public const double BodyLeading = 1.2;
    public static readonly double FirstLineIndent = Mm(10);
    public static readonly double ParagraphSpacing = 4;
}

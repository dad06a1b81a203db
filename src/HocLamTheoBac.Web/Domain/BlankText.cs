using System.Globalization;

namespace HocLamTheoBac.Web.Domain;

/// <summary>
/// Text that shows nothing: empty, spaces, or only characters a reader cannot see — zero-width spaces and joiners
/// (U+200B, U+200C, U+200D), the byte-order mark U+FEFF, the word joiner U+2060 and other format characters, control
/// characters, and combining marks with no letter to sit on (a lone U+0301). Such text counts as empty wherever text is
/// required (forms through <c>Infrastructure.BlankTextBinder</c>, the import files' cells) and as an empty search.
/// A form's text with one visible character is kept exactly as typed: nothing is stripped from inside real text (an
/// import's cells are read through <see cref="Tidy"/>, ADR 0037).
/// </summary>
public static class BlankText
{
    public static bool IsBlank(string? text)
    {
        if (string.IsNullOrEmpty(text)) return true;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) continue;
            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.Format:
                case UnicodeCategory.Control:
                case UnicodeCategory.NonSpacingMark:
                case UnicodeCategory.EnclosingMark:
                    continue;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>"" for blank text, else the text unchanged.</summary>
    public static string OrEmpty(string text) => IsBlank(text) ? "" : text;

    /// <summary>
    /// A file's cell as a reader sees it: Unicode's composed form (NFC), without format characters (zero-width spaces and
    /// joiners, direction marks, the byte-order mark), each run of spaces or tabs one space, no spaces at the ends; line
    /// breaks kept. Imports read every cell so: a pledge pasted with a doubled space or a zero-width character was not a
    /// repeat of the same words (the walk of session 18, ADR 0037). Blank text is "".
    /// </summary>
    public static string Tidy(string? text)
    {
        if (IsBlank(text)) return "";
        var t = text!.Normalize(System.Text.NormalizationForm.FormC);
        if (IsTidy(t)) return t;   // the usual cell: no copy (a pledge import reads millions)
        var sb = new System.Text.StringBuilder(t.Length);
        var space = false;
        foreach (var c in t)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format) continue;
            if (c is '\r' or '\n') { while (sb.Length > 0 && sb[^1] == ' ') sb.Length--; sb.Append(c); space = false; continue; }
            if (char.IsWhiteSpace(c)) { space = true; continue; }
            if (space && sb.Length > 0 && sb[^1] is not ('\r' or '\n')) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString().Trim();
    }

    /// <summary>No format character, no whitespace but single spaces between other characters or line breaks, none at the ends.</summary>
    private static bool IsTidy(string t)
    {
        if (char.IsWhiteSpace(t[0]) || char.IsWhiteSpace(t[^1])) return false;
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            if (c < 0x80 ? c is not ' ' and < ' ' : CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format || char.IsWhiteSpace(c)) return false;
            if (c == ' ' && (t[i + 1] is ' ' or '\r' or '\n' || t[i - 1] is '\r' or '\n')) return false;
        }
        return true;
    }
}

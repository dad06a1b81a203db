using System.Text.RegularExpressions;

namespace HocLamTheoBac.Web.Domain;

/// <summary>
/// Phone numbers and e-mail addresses as Vietnam writes them, checked the same way on every form, in the member
/// import and on the command line. A phone number is 10 digits starting with 0 (0912 345 678) or +84 followed by
/// the same number without its 0 (+84 912 345 678); spaces, dots and dashes between digits are dropped.
/// </summary>
public static partial class ContactRules
{
    public const string PhoneHelp = "10 chữ số bắt đầu bằng 0 (ví dụ 0912 345 678) hoặc +84 và 9 chữ số (ví dụ +84 912 345 678)";
    public const string EmailHelp = "dạng ten@ten-mien.vn";

    /// <summary>The number without separators ("0912345678", "+84912345678"), or null when empty or not a Vietnamese number.</summary>
    public static string? NormalPhone(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var compact = Separators().Replace(text.Trim(), "");
        return LocalPhone().IsMatch(compact) || InternationalPhone().IsMatch(compact) ? compact : null;
    }

    /// <summary>Null when empty or valid; otherwise the Vietnamese message.</summary>
    public static string? PhoneProblem(string? text) =>
        string.IsNullOrWhiteSpace(text) || NormalPhone(text) is not null ? null
            : $"Số điện thoại “{text.Trim()}” không hợp lệ: cần {PhoneHelp}.";

    /// <summary>A real address: one @, a name before it, a domain with a dot and a top-level part of letters after it, no spaces.</summary>
    public static bool IsEmail(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        return t.Length <= 200 && Email().IsMatch(t) && System.Net.Mail.MailAddress.TryCreate(t, out var a) && a.Address == t;
    }

    public static string? EmailProblem(string? text) =>
        string.IsNullOrWhiteSpace(text) || IsEmail(text) ? null
            : $"Email “{text.Trim()}” không hợp lệ: cần {EmailHelp}.";

    [GeneratedRegex(@"[\s.\-()]")] private static partial Regex Separators();
    [GeneratedRegex(@"^0\d{9}$")] private static partial Regex LocalPhone();
    [GeneratedRegex(@"^\+84[1-9]\d{8}$")] private static partial Regex InternationalPhone();
    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$")] private static partial Regex Email();
}

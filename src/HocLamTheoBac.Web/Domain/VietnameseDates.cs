using System.Globalization;

namespace HocLamTheoBac.Web.Domain;

/// <summary>
/// The one home of how a date is written and read: dd/mm/yyyy, whatever the browser's language. Forms
/// (the DateOnly model binder), imports, the command line and every page that shows a date call it.
/// </summary>
public static class VietnameseDates
{
    public const string Format = "dd/MM/yyyy";

    /// <summary>What a date box shows while empty.</summary>
    public const string Placeholder = "dd/mm/yyyy";

    /// <summary>Day first always; ISO (yyyy-MM-dd) is kept for links and older forms.</summary>
    private static readonly string[] Accepted = ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd", "dd-MM-yyyy", "d-M-yyyy", "dd.MM.yyyy", "d.M.yyyy", "ddMMyyyy"];

    /// <summary>The earliest year a date typed anywhere may carry.</summary>
    public const int EarliestYear = 1900;

    public static string Show(DateOnly? date) => date?.ToString(Format, CultureInfo.InvariantCulture) ?? "";

    /// <summary>Empty → true with null; a day that exists in one of the accepted shapes → true; anything else → false.</summary>
    public static bool TryParse(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateOnly.TryParseExact(text.Trim(), Accepted, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        // Nobody in the registers was born before 1900, and no plan runs past the last plan year: 31/12/9999 or
        // 01/01/0001 is a slip of the keyboard (and would overflow the date arithmetic of ages and filters).
        if (!YearAccepted(d.Year)) return false;
        date = d;
        return true;
    }

    /// <summary>The year of <paramref name="text"/> when it is a day in one of the accepted shapes whose year lies outside
    /// <see cref="EarliestYear"/>–<see cref="PlanYearRange.Last"/> (30/12/9999); null for a date in range or for text that is no date.</summary>
    private static int? YearOutside(string text) =>
        DateOnly.TryParseExact(text.Trim(), Accepted, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && !YearAccepted(d.Year) ? d.Year : null;

    /// <summary>Whether a date of <paramref name="year"/> may be typed anywhere (<see cref="EarliestYear"/>–<see cref="PlanYearRange.Last"/>).</summary>
    public static bool YearAccepted(int year) => year is >= EarliestYear and <= PlanYearRange.Last;

    /// <summary>The range of years a typed date may carry, as a clause: "năm phải từ 1900 đến 2100".</summary>
    private static string YearRange => $"năm phải từ {EarliestYear} đến {PlanYearRange.Last}";

    /// <summary>The message for text that is not a date; <paramref name="field"/> names the box ("Ngày sinh"), if known.</summary>
    public static string Invalid(string? field, string text) =>
        $"{(string.IsNullOrEmpty(field) ? "Ngày" : field)}: “{text.Trim()}” " + (YearOutside(text) is { } year
            ? $"có năm {year} nằm ngoài khoảng cho phép ({YearRange})."
            : "không phải một ngày hợp lệ; nhập theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 15/12/2025.");

    /// <summary>Why a file's or command's <paramref name="text"/> is not a date, as a clause after the column's name
    /// ("thời hạn " + this): "“31/02/2026” không đúng dạng ngày dd/mm/yyyy" or "“30/12/9999” có năm 9999 nằm ngoài …".</summary>
    public static string Unreadable(string text) =>
        $"“{text.Trim()}” " + (YearOutside(text) is { } year ? $"có năm {year} nằm ngoài khoảng cho phép ({YearRange})" : "không đúng dạng ngày dd/mm/yyyy");

    /// <summary>
    /// The refusal of a day that has not come yet for something that has happened (an outcome, a decision, a model taken
    /// up): null when <paramref name="date"/> is empty or not after <paramref name="today"/>. <paramref name="field"/> names
    /// the box ("Ngày quyết định"). The walk of session 19: a commendation decided on 15/12/2099 was recorded and printed.
    /// </summary>
    public static string? AfterToday(string field, DateOnly? date, DateOnly today) =>
        date is { } d && d > today ? $"{field} {Vn.Date(d)} không được sau ngày hôm nay ({Vn.Date(today)})." : null;
}

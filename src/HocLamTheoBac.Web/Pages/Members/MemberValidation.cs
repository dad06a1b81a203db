namespace HocLamTheoBac.Web.Pages.Members;

/// <summary>The rules of a member record shared by the edit form and the import (dates of birth, admission, joining).</summary>
public static class MemberValidation
{
    /// <summary>Date rules shared by the form and the import: (field, Vietnamese message) for each problem.</summary>
    public static IEnumerable<(string Field, string Message)> Check(string? fullName, DateOnly? birth, DateOnly? admitted, DateOnly? official, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(fullName)) yield return ("FullName", "Thiếu họ và tên.");
        if (birth is { } b && (b > today.AddYears(-18) || b < new DateOnly(1900, 1, 1))) yield return ("BirthDate", "Ngày sinh không hợp lệ (đảng viên phải đủ 18 tuổi).");
        if (admitted is { } a && a > today) yield return ("AdmittedOn", "Ngày vào Đảng không được sau ngày hôm nay.");
        if (admitted is { } a2 && birth is { } b2 && a2 < b2.AddYears(18)) yield return ("AdmittedOn", "Ngày vào Đảng phải sau ngày đủ 18 tuổi.");
        if (official is { } o && admitted is { } a3 && o < a3) yield return ("OfficialOn", "Ngày chính thức phải sau ngày vào Đảng.");
        if (official is { } o2 && o2 > today) yield return ("OfficialOn", "Ngày chính thức không được sau ngày hôm nay.");
    }

    /// <summary>Sinh hoạt tại chi bộ từ ngày: not after today, not before the admission date.</summary>
    public static IEnumerable<(string Field, string Message)> CheckJoined(DateOnly? joined, DateOnly? admitted, DateOnly today)
    {
        if (joined is { } j && j > today) yield return ("JoinedOn", "Ngày sinh hoạt tại chi bộ không được sau ngày hôm nay.");
        if (joined is { } j2 && admitted is { } a && j2 < a) yield return ("JoinedOn", "Ngày sinh hoạt tại chi bộ không được trước ngày vào Đảng.");
    }

    /// <summary>The start of a new member's branch period: the date given, else the admission date, else today.</summary>
    public static DateOnly JoinedOrDefault(DateOnly? joined, DateOnly? admitted, DateOnly today) => joined ?? admitted ?? today;
}

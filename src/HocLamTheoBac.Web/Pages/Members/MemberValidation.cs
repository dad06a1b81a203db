using HocLamTheoBac.Web.Domain;

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

    /// <summary>
    /// A closed year's figures do not change (README, ADR 0019): a member who starts standing in a branch on a day of a year
    /// closed for that branch would be counted in it afterwards (the walk of session 16: a new member raised a closed
    /// year's count from 28 to 29). A date typed in a closed year is refused with the first day it may be; a date taken by
    /// default (the admission date) is moved to that day. <paramref name="closed"/>: the years closed for the branch.
    /// </summary>
    public static (DateOnly From, string? Problem) StandsFrom(DateOnly? typed, DateOnly? admitted, DateOnly today, IReadOnlySet<int> closed)
    {
        var from = JoinedOrDefault(typed, admitted, today);
        // The period runs from that day on: every closed year from its start counts the member.
        var last = closed.Where(y => y >= from.Year).DefaultIfEmpty(0).Max();
        if (last == 0) return (from, null);
        var first = new DateOnly(last + 1, 1, 1);
        if (first > today) return (from, $"Năm {last} đã khóa sổ ở chi bộ này: chưa thể thêm đảng viên sinh hoạt từ năm đó; hãy thêm sau khi năm mới bắt đầu.");
        return typed is null
            ? (first, null)
            : (from, $"Ngày sinh hoạt tại chi bộ {Vn.Date(from)} trước năm {last + 1}: năm {last} đã khóa sổ, số liệu năm đó không thay đổi nữa. Hãy ghi từ ngày {Vn.Date(first)} trở đi (ngày vào Đảng vẫn ghi đúng ngày).");
    }

    /// <summary>The latest year closed for the branch that moving a member's start from <paramref name="a"/> to <paramref name="b"/> would change, or null.</summary>
    public static int? ClosedYearBetween(DateOnly a, DateOnly b, IReadOnlySet<int> closed)
    {
        if (a == b) return null;
        var (lo, hi) = a < b ? (a, b.AddDays(-1)) : (b, a.AddDays(-1));
        return closed.Where(y => y >= lo.Year && y <= hi.Year).Select(y => (int?)y).Max();
    }

    /// <summary>The start of a new member's branch period: the date given, else the admission date, else today.</summary>
    public static DateOnly JoinedOrDefault(DateOnly? joined, DateOnly? admitted, DateOnly today) => joined ?? admitted ?? today;
}

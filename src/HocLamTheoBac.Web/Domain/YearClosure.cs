namespace HocLamTheoBac.Web.Domain;

/// <summary>
/// A record that belongs to a unit's year (pledges, collective items, models and exemplars, replications,
/// commendations, study sessions, pressing problems, leaders' tasks, indicators, topics, quotas). Once the year is
/// closed for that unit (by it or an ancestor, <see cref="PlanYear.ClosedAt"/>), no such record may be added, changed or
/// deleted, whatever page, import or command asks: the one guard runs before every save (Data/SaveChangesGuard.cs calls Data/YearGuard.cs).
/// </summary>
public interface IYearly
{
    int Year { get; }
    /// <summary>The unit whose year it is (the branch for a pledge, the setter for a quota).</summary>
    int YearUnitId { get; }
}

/// <summary>A save the year guard refuses (Data/YearGuard.cs); pages and the CLI show <see cref="Exception.Message"/>.</summary>
public abstract class YearRecordsRefusedException(string message) : InvalidOperationException(message);

/// <summary>Raised by the guard when a change touches a closed year.</summary>
public sealed class YearClosedException(int year) : YearRecordsRefusedException(YearClosure.Message(year))
{
    public int Year { get; } = year;
}

/// <summary>Raised by the guard when a record of a year is written to a unit merged or dissolved in or before that year.</summary>
public sealed class UnitClosedException(string unit, DateOnly closedOn, int year)
    : YearRecordsRefusedException($"{unit} đã giải thể hoặc hợp nhất từ ngày {closedOn.Day:00}/{closedOn.Month:00}/{closedOn.Year}: không thể thêm hoặc sửa số liệu năm {year} của đơn vị này.");

public static class YearClosure
{
    /// <summary>The guard's refusal, whatever the record.</summary>
    public static string Message(int year) => $"Năm {year} đã khóa sổ: số liệu của năm này chỉ được xem, không thể thêm, sửa hoặc xóa.";

    /// <summary>Why a pledge of a closed year cannot be changed: the rules table, the pledge pages, the grid and the import say it.</summary>
    public const string PledgesReadOnly = "Năm kế hoạch đã khóa sổ: việc làm theo chỉ được xem.";

    /// <summary>The banner over a closed year's records, e.g. "Năm 2024 đã khóa sổ: việc làm theo chỉ được xem."</summary>
    public static string ReadOnlyBanner(int year, string records = "việc làm theo") => $"Năm {year} đã khóa sổ: {records} chỉ được xem.";
}

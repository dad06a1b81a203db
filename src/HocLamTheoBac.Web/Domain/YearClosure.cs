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
    : YearRecordsRefusedException(YearClosure.UnitClosedMessage(unit, closedOn, year));

public static class YearClosure
{
    /// <summary>The guard's refusal, whatever the record.</summary>
    public static string Message(int year) => $"Năm {year} đã khóa sổ: số liệu của năm này chỉ được xem, không thể thêm, sửa hoặc xóa.";

    /// <summary>Why a pledge of a closed year cannot be changed: the rules table, the pledge pages, the grid and the import say it.</summary>
    public const string PledgesReadOnly = "Năm kế hoạch đã khóa sổ: việc làm theo chỉ được xem.";

    /// <summary>The banner over a closed year's records, e.g. "Năm 2024 đã khóa sổ: việc làm theo chỉ được xem."</summary>
    public static string ReadOnlyBanner(int year, string records = "việc làm theo") => $"Năm {year} đã khóa sổ: {records} chỉ được xem.";

    /// <summary>
    /// Whether a unit merged or dissolved on <paramref name="closedOn"/> takes no record of <paramref name="year"/>: that
    /// year and later ones went to the unit that received its members (ADR 0036), but a study session it held before
    /// that day (<paramref name="heldOn"/>) stays its own. The save guard (<c>Data/YearGuard</c>) refuses by it, and the
    /// pages show their records read-only by it before anything is typed.
    /// </summary>
    public static bool TakesNoRecords(DateOnly? closedOn, int year, DateOnly? heldOn = null) =>
        closedOn is { } on && year >= on.Year && !(heldOn < on);

    /// <summary>The guard's refusal for a closed unit, and the banner of its pages.</summary>
    public static string UnitClosedMessage(string unit, DateOnly closedOn, int year) =>
        $"{unit} đã giải thể hoặc hợp nhất từ ngày {closedOn.Day:00}/{closedOn.Month:00}/{closedOn.Year}: không thể thêm hoặc sửa số liệu năm {year} của đơn vị này.";

    /// <summary>The banner over a unit's records of a year it may not change: the unit closed (<see cref="TakesNoRecords"/>)
    /// or the year closed.</summary>
    public static string ReadOnlyBanner(OrgUnit unit, int year, string records, DateOnly? heldOn = null) =>
        TakesNoRecords(unit.ClosedOn, year, heldOn) ? UnitClosedMessage(unit.Name, unit.ClosedOn!.Value, year) : ReadOnlyBanner(year, records);

    /// <summary>A post's refusal of a year the unit may not change (<see cref="ReadOnlyBanner(OrgUnit, int, string, DateOnly?)"/>).</summary>
    public static string Refusal(OrgUnit unit, int year, DateOnly? heldOn = null) =>
        TakesNoRecords(unit.ClosedOn, year, heldOn) ? UnitClosedMessage(unit.Name, unit.ClosedOn!.Value, year) : Message(year);
}

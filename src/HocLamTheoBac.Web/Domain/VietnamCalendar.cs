namespace HocLamTheoBac.Web.Domain;

/// <summary>
/// The one clock (docs/adr/0006): "now", "today" and "this year" in Vietnam (UTC+7), read from the
/// <see cref="TimeProvider"/> registered once in the services (tests register a fake one). Nothing else
/// in the source reads the system clock or adds seven hours itself.
/// </summary>
public sealed class VietnamCalendar(TimeProvider time)
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    /// <summary>For code that runs without the services (a context made by hand, design-time tools).</summary>
    public static VietnamCalendar System { get; } = new(TimeProvider.System);

    public TimeProvider Time { get; } = time;

    /// <summary>The instant, for stamps (audit, deletion, verification).</summary>
    public DateTimeOffset Now => Time.GetUtcNow();

    public DateOnly Today => DateOnly.FromDateTime(Now.ToOffset(Offset).DateTime);

    public int Year => Today.Year;

    /// <summary>The day a year's figures are taken on: 31/12, or today while the year is under way.</summary>
    public DateOnly AsOf(int year) => year >= Year ? Today : new DateOnly(year, 12, 31);
}

/// <summary>
/// The plan years the system accepts anywhere (pages, exports, command line): 2000–2100. An address with another year
/// answers 404; a typed one gets <see cref="Message"/>; year boxes take <see cref="First"/> and <see cref="Last"/> as bounds.
/// </summary>
public static class PlanYearRange
{
    public const int First = 2000;
    public const int Last = 2100;
    public static readonly string Message = $"Năm phải từ {First} đến {Last}.";

    public static bool Contains(int? year) => year is >= First and <= Last;
}

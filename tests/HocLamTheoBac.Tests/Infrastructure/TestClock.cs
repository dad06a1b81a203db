using HocLamTheoBac.Web.Domain;
using Microsoft.Extensions.Time.Testing;

namespace HocLamTheoBac.Tests.Infrastructure;

/// <summary>
/// The tests' one clock: a fixed instant (20/11/2026, 10:00 in Vietnam) behind the same VietnamCalendar the
/// site uses, so no test depends on the day it runs (nor fails on the evening of 31 December).
/// Tests that need another day make their own <see cref="FakeTimeProvider"/>.
/// </summary>
public static class TestClock
{
    public static readonly DateTimeOffset Instant = new(2026, 11, 20, 3, 0, 0, TimeSpan.Zero);

    public static VietnamCalendar Calendar { get; } = new(new FakeTimeProvider(Instant));

    public static DateOnly Today => Calendar.Today;
    public static int Year => Calendar.Year;

    public static VietnamCalendar At(DateOnly day) =>
        new(new FakeTimeProvider(new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), VietnamCalendar.Offset)));
}

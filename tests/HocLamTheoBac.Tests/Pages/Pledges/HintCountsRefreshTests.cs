using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Pledges.Hints;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace HocLamTheoBac.Tests.Pages.Pledges;

/// <summary>
/// The dashboard's hint counts (PledgeHintService.CountsAsync): one computation at a time per unit and year, and the
/// last counts shown while the next one runs. A computation is held by locking the pledges table from another
/// connection, so the test sees it waiting in pg_stat_activity and decides when it may finish.
/// </summary>
public sealed class HintCountsRefreshTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const int Year = 2036; // a year of its own: the demo data has no pledges in it
    // the counts statement's opening (pg_stat_activity keeps the first 1.024 bytes of a statement)
    private const string Counting = "WITH c AS (%FROM pledges p JOIN org_units u ON u.id = p.branch_id%";

    private async Task AddTwinAsync(int memberId, int year = Year) => await app.DbAsync(async db =>
    {
        var branchId = await db.Members.Where(m => m.Id == memberId).Select(m => m.BranchId).SingleAsync();
        db.Pledges.Add(new Pledge { MemberId = memberId, BranchId = branchId, Year = year, Content = "Vận động 10 hộ gia đình lắp camera an ninh trong quý III", Status = PledgeStatus.Submitted });
        await db.SaveChangesAsync();
    });

    private async Task<int> WaitingAsync()
    {
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE @q AND pid <> pg_backend_pid()", conn);
        cmd.Parameters.AddWithValue("q", Counting);
        return (int)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            var v = await read();
            if (done(v)) return v;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException("never happened: " + what);
    }

    /// <summary>Holds every computation of the counts (they read pledges) until disposed.</summary>
    private async Task<IAsyncDisposable> HoldAsync()
    {
        var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand("LOCK TABLE pledges IN ACCESS EXCLUSIVE MODE", conn, tx)) await cmd.ExecuteNonQueryAsync();
        return new Release(conn, tx);
    }

    private sealed class Release(NpgsqlConnection conn, NpgsqlTransaction tx) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await tx.RollbackAsync();
            await conn.DisposeAsync();
        }
    }

    /// <summary>Dashboard views of the hint counts as the site makes them: one service a view, sharing the site's cache and
    /// data source, on a clock the test moves and with the wait for a first computation given.</summary>
    private sealed class Views : IAsyncDisposable
    {
        private readonly string _connectionString;
        private readonly VietnamCalendar? _clock;
        private readonly IConfiguration _config;
        private readonly MemoryCache _cache = new(new MemoryCacheOptions());
        private readonly NpgsqlDataSource _dataSource;

        public Views(string connectionString, int waitMilliseconds, FakeTimeProvider? time = null)
        {
            _connectionString = connectionString;
            _clock = time is null ? null : new VietnamCalendar(time);
            _config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Hints:CountsWaitMilliseconds"] = waitMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }).Build();
            _dataSource = NpgsqlDataSource.Create(connectionString);
        }

        public async Task<(HintCounts Counts, DateTimeOffset At)?> ViewAsync(int unit, int year)
        {
            await using var db = TestDatabase.NewContext(_connectionString, clock: _clock);
            return await new PledgeHintService(db, _config, _cache, _dataSource, NullLogger<PledgeHintService>.Instance).CountsAsync(unit, year);
        }

        public async ValueTask DisposeAsync()
        {
            _cache.Dispose();
            await _dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task Views_during_a_computation_start_no_second_one_and_show_the_last_counts_until_the_next_ends()
    {
        var members = await app.MembersAsync("TQ-TP-PT-TDP2");
        await AddTwinAsync(members[1].Id);
        await AddTwinAsync(members[2].Id);
        var unit = await app.OrgIdAsync("TQ-TP-PT");

        var time = new FakeTimeProvider(TestClock.Instant);
        await using var views = new Views(app.ConnectionString, 0, time);
        Task<(HintCounts Counts, DateTimeOffset At)?> ViewAsync() => views.ViewAsync(unit, Year);

        // First views while the first computation is held: nothing to show yet, and one computation only.
        await using (await HoldAsync())
        {
            for (var i = 0; i < 5; i++) Assert.Null(await ViewAsync());
            await UntilAsync(WaitingAsync, n => n >= 1, "the first computation reaches the database");
            for (var i = 0; i < 5; i++) Assert.Null(await ViewAsync());
            for (var i = 0; i < 6; i++)
            {
                Assert.Equal(1, await WaitingAsync());
                await Task.Delay(50);
            }
        }
        var first = await UntilAsync(ViewAsync, v => v is not null, "the first counts are shown");
        Assert.Equal(2, first!.Value.Counts.SameAsOtherMember);
        Assert.Equal(TestClock.Instant, first.Value.At);

        // A third twin: not counted before the next computation is due, and while it runs the last counts are shown.
        await AddTwinAsync(members[3].Id);
        Assert.Equal(first, await ViewAsync());
        time.Advance(TimeSpan.FromHours(1));
        await using (await HoldAsync())
        {
            Assert.Equal(first, await ViewAsync());
            await UntilAsync(WaitingAsync, n => n >= 1, "the refresh reaches the database");
            for (var i = 0; i < 5; i++) Assert.Equal(first, await ViewAsync());
            Assert.Equal(1, await WaitingAsync());
        }
        var next = await UntilAsync(ViewAsync, v => v is { } c && c.Counts.SameAsOtherMember != 2, "the refreshed counts are shown");
        Assert.Equal(3, next!.Value.Counts.SameAsOtherMember);
        Assert.Equal(TestClock.Instant + TimeSpan.FromHours(1), next.Value.At);
    }

    /// <summary>
    /// With a wait longer than any computation here, the view that starts the first computation waits for it and shows its
    /// counts; the view that starts a refresh does not wait (it showed nothing newer for up to the whole wait: a province's
    /// refresh held one dashboard view 2 s every few minutes under load, docs/performance.md DASH21): it shows the last
    /// counts while the refresh is held in the database.
    /// </summary>
    [Fact]
    public async Task The_view_that_starts_a_refresh_shows_the_last_counts_without_waiting_and_only_a_first_computation_is_waited_for()
    {
        const int year = 2037;   // a year of its own (the test above uses Year)
        var members = await app.MembersAsync("TQ-TP-PT-TDP2");
        await AddTwinAsync(members[1].Id, year);
        await AddTwinAsync(members[2].Id, year);
        var unit = await app.OrgIdAsync("TQ-TP-PT");

        var time = new FakeTimeProvider(TestClock.Instant);
        await using var views = new Views(app.ConnectionString, 3_600_000, time);
        Task<(HintCounts Counts, DateTimeOffset At)?> ViewAsync() => views.ViewAsync(unit, year);

        // The first computation: its view waits for it.
        var first = await ViewAsync();
        Assert.NotNull(first);
        Assert.Equal(2, first!.Value.Counts.SameAsOtherMember);

        // A third twin, the refresh due: its view answers with the last counts while the refresh is held.
        await AddTwinAsync(members[3].Id, year);
        time.Advance(TimeSpan.FromHours(1));
        await using (await HoldAsync())
        {
            var view = ViewAsync();
            await UntilAsync(WaitingAsync, n => n >= 1, "the refresh reaches the database");
            Assert.True(view.IsCompleted, "the view that started the refresh waited for it");
            Assert.Equal(first, await view);
            Assert.Equal(1, await WaitingAsync());
        }
        var next = await UntilAsync(ViewAsync, v => v is { } c && c.Counts.SameAsOtherMember != 2, "the refreshed counts are shown");
        Assert.Equal(3, next!.Value.Counts.SameAsOtherMember);
        Assert.Equal(TestClock.Instant + TimeSpan.FromHours(1), next.Value.At);
    }

    [Fact]
    public async Task Views_of_many_units_and_years_hold_one_connection_for_counts_at_a_time_and_every_one_gets_its_counts()
    {
        var units = new[] { await app.OrgIdAsync("TQ-TP-PT"), await app.OrgIdAsync("TQ-TP-PT-TDP1"), await app.OrgIdAsync("TQ-TP-PT-TDP2") };
        await using var views = new Views(app.ConnectionString, 0);
        Task<(HintCounts Counts, DateTimeOffset At)?> ViewAsync(int unit, int year) => views.ViewAsync(unit, year);
        var asked = units.SelectMany(u => Enumerable.Range(2040, 4).Select(y => (u, y))).ToList();   // 12 keys

        await using (await HoldAsync())
        {
            foreach (var (u, y) in asked) Assert.Null(await ViewAsync(u, y));
            await UntilAsync(WaitingAsync, n => n >= 1, "a computation reaches the database");
            for (var i = 0; i < 6; i++)
            {
                Assert.Equal(1, await WaitingAsync());
                await Task.Delay(50);
            }
        }
        foreach (var (u, y) in asked)
            await UntilAsync(() => ViewAsync(u, y), v => v is not null, $"the counts of unit {u}, year {y} are shown");
    }
}

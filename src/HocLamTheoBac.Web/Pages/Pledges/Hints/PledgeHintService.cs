using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;

namespace HocLamTheoBac.Web.Pages.Pledges.Hints;

/// <summary>
/// Hints for the pages that show pledges (grid, "my pledges", pledge page, dashboard), injected into their views
/// so the page models stay as they are. Callers pass only pledges or units they already checked access to.
/// Hints are advice, not figures (ADR 0015): a branch and year's hints are computed once and kept while no pledge
/// row of that branch and year changes (checked on every request by a stamp of ids and row versions); the
/// dashboard's counts are shown as last computed and refreshed in the background (<see cref="CountsAsync"/>).
/// One computation per key even under concurrent requests.
/// </summary>
public sealed class PledgeHintService(AppDbContext db, IConfiguration config, IMemoryCache cache, NpgsqlDataSource dataSource, ILogger<PledgeHintService> log)
{
    /// <summary>How long hints of a branch and year may reflect an earlier year's pledge as it was (their own branch's rows are exact).</summary>
    public static readonly TimeSpan BranchFor = TimeSpan.FromMinutes(10);
    /// <summary>The shortest time between two computations of the dashboard's hint counts of a unit's subtree (shown with the time they were computed).</summary>
    public static readonly TimeSpan CountsFor = TimeSpan.FromMinutes(2);

    private readonly Dictionary<int, List<PledgeHint>> _hints = [];
    private static readonly IReadOnlyList<PledgeHint> NoHints = [];

    public double Threshold => PledgeHintQuery.Threshold(config);

    /// <summary>Loads the hints of these pledges (one stamp query, plus one computation per changed branch and year); then <see cref="Of"/> answers per pledge.</summary>
    public async Task LoadAsync(IEnumerable<int> pledgeIds, CancellationToken ct = default) =>
        await LoadStampsAsync(await PledgeHintQuery.StampsAsync(db, pledgeIds.Distinct().ToList(), ct));

    /// <summary>The same with the stamps already read (<see cref="PledgeHintQuery.StampsCommand"/> in a page's batch):
    /// one computation per changed branch and year, then <see cref="Of"/> answers per pledge.</summary>
    public async Task LoadStampsAsync(IEnumerable<(int BranchId, int Year, string Stamp)> stamps)
    {
        var threshold = Threshold;
        foreach (var (branchId, year, stamp) in stamps)
        {
            var hints = await Shared(("pledge-hints", branchId, year, stamp, threshold), BranchFor,
                () => PledgeHintQuery.ForBranchYearAsync(dataSource, branchId, year, threshold, CancellationToken.None));
            foreach (var (id, h) in hints) _hints[id] = h;
        }
    }

    /// <summary>
    /// The grid's variant: it already holds every live pledge of its branch and year with its row version, so the
    /// stamp is computed here without a query; <paramref name="others"/> (pledges registered elsewhere) go by <see cref="LoadAsync"/>.
    /// </summary>
    public async Task LoadBranchAsync(int branchId, int year, IReadOnlyCollection<(int Id, uint Version)> live, IEnumerable<int> others, CancellationToken ct = default)
    {
        var threshold = Threshold;
        ulong stamp = 14695981039346656037UL;
        // In id order (the grid's list is already: then it is not sorted again).
        foreach (var (id, version) in InIdOrder(live))
            stamp = ((stamp ^ (uint)id) * 1099511628211UL ^ version) * 1099511628211UL;
        var hints = await Shared(("pledge-hints-live", branchId, year, live.Count, stamp, threshold), BranchFor,
            () => PledgeHintQuery.ForBranchYearAsync(dataSource, branchId, year, threshold, CancellationToken.None));
        foreach (var (id, h) in hints) _hints[id] = h;
        var rest = others.ToList();
        if (rest.Count > 0) await LoadAsync(rest, ct);
    }

    private static IEnumerable<(int Id, uint Version)> InIdOrder(IReadOnlyCollection<(int Id, uint Version)> live)
    {
        var last = int.MinValue;
        foreach (var (id, _) in live)
        {
            if (id < last) return live.OrderBy(p => p.Id);
            last = id;
        }
        return live;
    }

    public IReadOnlyList<PledgeHint> Of(int pledgeId) => _hints.TryGetValue(pledgeId, out var h) ? h : NoHints;

    /// <summary>How long the request that starts the first computation of the counts waits for it before the dashboard is
    /// shown without them ("being computed"): <c>Hints:CountsWaitMilliseconds</c>, 2.000 by default. Other requests never
    /// wait, nor does the one that starts a refresh: it shows the last counts (docs/performance.md, DASH21).</summary>
    public TimeSpan CountsWait => TimeSpan.FromMilliseconds(config.GetValue("Hints:CountsWaitMilliseconds", 2000));

    /// <summary>A unit's counts are computed again no sooner than this many times their last computation's duration after
    /// it ended (and no sooner than <see cref="CountsFor"/>): a province's take minutes of one core, so their refresh
    /// takes at most a tenth of one core whatever the number of views.</summary>
    public const int RefreshFactor = 10;

    /// <summary>
    /// The subtree's hint counts as last computed (with the time the computation started), or null before the first one
    /// ends. A province's are minutes of comparisons (every pledge with the others of its branch), so no view waits on
    /// them except the one that starts the first computation, for at most <see cref="CountsWait"/> (a small unit's are
    /// shown on its first view); the computation goes on without the request's cancellation, one at a time per unit and
    /// year. A refresh never holds a view, the one that starts it included: the counts it replaces are shown meanwhile
    /// (that view waited up to the whole <see cref="CountsWait"/> for a province's refresh, a view of 2 s every few
    /// minutes under load: docs/performance.md, DASH21). The figures above them never wait on it (and are never kept).
    /// </summary>
    public async Task<(HintCounts Counts, DateTimeOffset At)?> CountsAsync(int unitId, int year, CancellationToken ct = default)
    {
        var threshold = Threshold;
        var state = cache.GetOrCreate(("pledge-hint-counts", unitId, year, threshold), e =>
        {
            e.SlidingExpiration = TimeSpan.FromHours(1);
            return new CountsState();
        })!;
        var now = db.Clock.Now;
        Task? first = null;
        lock (state)
        {
            var due = state.Last is not { } last
                || now - last.EndedAt >= TimeSpan.FromTicks(Math.Max(CountsFor.Ticks, last.Took.Ticks * RefreshFactor));
            if (state.Running is null && due)
            {
                var started = state.Running = ComputeCountsAsync(state, unitId, year, threshold, now);
                if (state.Last is null) first = started;
            }
        }
        if (first is { IsCompleted: false } && CountsWait > TimeSpan.Zero) await Task.WhenAny(first, Task.Delay(CountsWait, ct));
        lock (state) return state.Last is { } l ? (l.Counts, l.At) : null;
    }

    /// <summary>The counts of one unit and year: the last computed, and the computation under way if any.</summary>
    private sealed class CountsState
    {
        public (HintCounts Counts, DateTimeOffset At, DateTimeOffset EndedAt, TimeSpan Took)? Last;
        public Task? Running;
    }

    /// <summary>How many computations of the counts run at once in this instance, whatever the units and years asked
    /// (<c>Hints:CountsConcurrent</c>, 1 by default): each holds a database connection for up to minutes, so without a
    /// bound, views of many units or years would take the pool's every connection. The others wait for their turn
    /// without a connection; their views show the last counts meanwhile.</summary>
    private SemaphoreSlim CountsSlots => cache.GetOrCreate("pledge-hint-counts-slots", e =>
    {
        e.Priority = CacheItemPriority.NeverRemove;
        return new SemaphoreSlim(Math.Max(1, config.GetValue("Hints:CountsConcurrent", 1)));
    })!;

    private async Task ComputeCountsAsync(CountsState state, int unitId, int year, double threshold, DateTimeOffset at)
    {
        var clock = db.Clock;
        var slots = CountsSlots;
        await Task.Yield();   // the request goes on; the computation runs on its own connection from the data source
        try
        {
            await slots.WaitAsync();
            try
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var counts = await PledgeHintQuery.CountsAsync(dataSource, unitId, year, threshold, CancellationToken.None);
                lock (state) state.Last = (counts, at, clock.Now, watch.Elapsed);
            }
            finally
            {
                slots.Release();
            }
        }
        catch (Exception e)
        {
            // not kept: the next view starts again (the last counts, if any, are still shown)
            log.LogWarning(e, "Hint counts of unit {Unit}, year {Year} failed", unitId, year);
        }
        finally
        {
            lock (state) state.Running = null;
        }
    }

    /// <summary>One task per key shared by concurrent requests; a failed computation is not kept.</summary>
    private async Task<T> Shared<T>(object key, TimeSpan keep, Func<Task<T>> compute)
    {
        var lazy = cache.GetOrCreate(key, e =>
        {
            e.AbsoluteExpirationRelativeToNow = keep;
            return new Lazy<Task<T>>(compute);
        })!;
        try { return await lazy.Value; }
        catch
        {
            cache.Remove(key);
            throw;
        }
    }
}

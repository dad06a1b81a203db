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
/// dashboard's counts are kept for <see cref="CountsFor"/>. One computation per key even under concurrent requests.
/// </summary>
public sealed class PledgeHintService(AppDbContext db, IConfiguration config, IMemoryCache cache, NpgsqlDataSource dataSource)
{
    /// <summary>How long hints of a branch and year may reflect an earlier year's pledge as it was (their own branch's rows are exact).</summary>
    public static readonly TimeSpan BranchFor = TimeSpan.FromMinutes(10);
    /// <summary>How long the dashboard's hint counts of a unit's subtree are kept (shown with the time they were computed).</summary>
    public static readonly TimeSpan CountsFor = TimeSpan.FromMinutes(2);

    private readonly Dictionary<int, List<PledgeHint>> _hints = [];
    private static readonly IReadOnlyList<PledgeHint> NoHints = [];

    public double Threshold => PledgeHintQuery.Threshold(config);

    /// <summary>Loads the hints of these pledges (one stamp query, plus one computation per changed branch and year); then <see cref="Of"/> answers per pledge.</summary>
    public async Task LoadAsync(IEnumerable<int> pledgeIds, CancellationToken ct = default)
    {
        var threshold = Threshold;
        foreach (var (branchId, year, stamp) in await PledgeHintQuery.StampsAsync(db, pledgeIds.Distinct().ToList(), ct))
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
        foreach (var (id, version) in live.OrderBy(p => p.Id))
            stamp = ((stamp ^ (uint)id) * 1099511628211UL ^ version) * 1099511628211UL;
        var hints = await Shared(("pledge-hints-live", branchId, year, live.Count, stamp, threshold), BranchFor,
            () => PledgeHintQuery.ForBranchYearAsync(dataSource, branchId, year, threshold, CancellationToken.None));
        foreach (var (id, h) in hints) _hints[id] = h;
        var rest = others.ToList();
        if (rest.Count > 0) await LoadAsync(rest, ct);
    }

    public IReadOnlyList<PledgeHint> Of(int pledgeId) => _hints.TryGetValue(pledgeId, out var h) ? h : NoHints;

    /// <summary>How long the dashboard waits for the counts before it is shown without them ("being computed"):
    /// <c>Hints:CountsWaitMilliseconds</c>, 2.000 by default.</summary>
    public TimeSpan CountsWait => TimeSpan.FromMilliseconds(config.GetValue("Hints:CountsWaitMilliseconds", 2000));

    /// <summary>The subtree's hint counts, or null while they are still being computed: a province's are minutes of
    /// comparisons (every pledge with the others of its branch), so the dashboard never waits on them longer than
    /// <see cref="CountsWait"/> — the computation goes on (shared, without the request's cancellation) and the next
    /// view shows it. The figures above them never wait on it.</summary>
    public async Task<(HintCounts Counts, DateTimeOffset At)?> CountsAsync(int unitId, int year, CancellationToken ct = default)
    {
        var threshold = Threshold;
        var now = db.Clock.Now;
        var task = Shared(("pledge-hint-counts", unitId, year, threshold), CountsFor,
            async () => (await PledgeHintQuery.CountsAsync(dataSource, unitId, year, threshold, CancellationToken.None), now));
        if (!task.IsCompleted && CountsWait > TimeSpan.Zero) await Task.WhenAny(task, Task.Delay(CountsWait, ct));
        return task.IsCompletedSuccessfully ? task.Result : null;
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

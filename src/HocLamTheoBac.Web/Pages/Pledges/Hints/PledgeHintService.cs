using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Web.Pages.Pledges.Hints;

/// <summary>
/// Hints for the pages that show pledges (grid, "my pledges", pledge page, dashboard), injected into their views
/// so the page models stay as they are. Callers pass only pledges or units they already checked access to.
/// </summary>
public sealed class PledgeHintService(AppDbContext db, IConfiguration config)
{
    private Dictionary<int, List<PledgeHint>> _hints = [];
    private static readonly IReadOnlyList<PledgeHint> NoHints = [];

    public double Threshold => PledgeHintQuery.Threshold(config);

    /// <summary>Loads the hints of these pledges in one query; then <see cref="Of"/> answers per pledge.</summary>
    public async Task LoadAsync(IEnumerable<int> pledgeIds, CancellationToken ct = default) =>
        _hints = await PledgeHintQuery.ForPledgesAsync(db, pledgeIds.Distinct().ToList(), Threshold, ct);

    public IReadOnlyList<PledgeHint> Of(int pledgeId) => _hints.TryGetValue(pledgeId, out var h) ? h : NoHints;

    public Task<HintCounts> CountsAsync(int unitId, int year, CancellationToken ct = default) =>
        PledgeHintQuery.CountsAsync(db, unitId, year, Threshold, ct);
}

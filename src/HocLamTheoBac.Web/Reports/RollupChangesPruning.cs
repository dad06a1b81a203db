namespace HocLamTheoBac.Web.Reports;

/// <summary>
/// Prunes the change log (<see cref="Data.RollupChangesSql.Prune"/>) every <see cref="DashboardRollups.PruneEvery"/> from
/// the site's start, whether or not anyone views a dashboard: without it a site whose dashboards nobody opens would keep
/// every writing transaction's rows for ever. A dashboard view that pruned recently makes a tick a no-op (one throttle,
/// in <see cref="DashboardRollups.PruneAsync"/>, which also logs a failed prune and never throws for one).
/// </summary>
public sealed class RollupChangesPruning(DashboardRollups rollups, IServiceScopeFactory scopes, ILogger<RollupChangesPruning> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(DashboardRollups.PruneEvery);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await rollups.PruneAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Pruning rollup_changes failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

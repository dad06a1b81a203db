using System.Collections.Concurrent;
using Npgsql;

namespace HocLamTheoBac.Web.Reports;

/// <summary>
/// Roll-ups kept in the site between requests and brought up to date at each request
/// (docs/adr/0027-dashboard-rollup-kept-in-the-site.md): each unit's own figures of a subtree, as read in a snapshot S;
/// a later request, in its own snapshot, reads from the change log (<see cref="Data.RollupChangesSql"/>) which units
/// changed in transactions visible now and not in S, and reads again only those units. The figures shown are those of
/// the request's snapshot, exactly as a read from scratch would give them (the property test compares both).
/// </summary>
public sealed class RollupMemo
{
    /// <summary>Units held in all (a province is about 4.600): past it, every kept roll-up is dropped.</summary>
    public const int MaxUnits = 120_000;

    /// <summary>More changed units of the subtree than this in one request: read the whole subtree again.</summary>
    internal const int MaxChanged = 1_000;

    /// <summary>More noted changes (anywhere) since the kept snapshot than this: read the whole subtree again.</summary>
    internal const int MaxNoted = 100_000;

    private readonly ConcurrentDictionary<string, Rollup.Kept> entries = new(StringComparer.Ordinal);

    /// <summary>How each read was served, for tests and the bench: whole reads, partial reads (units read again), as kept.</summary>
    public long Whole => Interlocked.Read(ref whole);
    public long Partial => Interlocked.Read(ref partial);
    public long AsKept => Interlocked.Read(ref asKept);
    private long whole, partial, asKept;

    /// <summary>
    /// The reads again (partial or whole) under way, by memo key and snapshot: a view whose snapshot is the very snapshot of
    /// a read under way (the same text of <c>pg_current_snapshot()</c>: the same transactions visible) waits for that read
    /// instead of reading the same units again (one read per commit, not one per concurrent view).
    /// </summary>
    private readonly ConcurrentDictionary<string, Task<Rollup.ReadResult>> reading = new(StringComparer.Ordinal);

    /// <summary>Reads served by a concurrent view's read again in the same snapshot (<see cref="reading"/>).</summary>
    public long Shared => Interlocked.Read(ref shared);
    private long shared;

    internal bool TryGet(string key, out Rollup.Kept kept) => entries.TryGetValue(key, out kept!);

    /// <summary>The read again of a key in a snapshot already under way, or null after registering <paramref name="mine"/> as it.</summary>
    internal Task<Rollup.ReadResult>? Join(string flight, Task<Rollup.ReadResult> mine)
    {
        var running = reading.GetOrAdd(flight, mine);
        return ReferenceEquals(running, mine) ? null : running;
    }

    internal void Leave(string flight, Task<Rollup.ReadResult> mine) => reading.TryRemove(KeyValuePair.Create(flight, mine));

    internal void CountShared() => Interlocked.Increment(ref shared);

    internal void Put(string key, Rollup.Kept kept)
    {
        // Not over a read of a later snapshot (a concurrent view that began later and ended first): the later one
        // leaves less to read again. Either is exact for its own snapshot.
        if (entries.TryGetValue(key, out var held) && held.Log == kept.Log && Xmax(held.Snapshot) > Xmax(kept.Snapshot)) return;
        entries[key] = kept;
        // The same read kept from a later snapshot (as kept, at most once a view): the units held are as many as before.
        if (held is not null && held.Units == kept.Units) return;
        // Counted from the entries themselves (a few dozen), so concurrent puts and clears cannot make the count drift.
        if (entries.Values.Sum(e => e.Units) > MaxUnits)
        {
            entries.Clear();
            entries[key] = kept;
        }
    }

    /// <summary>A snapshot's xmax (<c>xmin:xmax:xip…</c>): the first transaction not yet completed when it was taken, which only grows.</summary>
    private static ulong Xmax(string snapshot)
    {
        var from = snapshot.IndexOf(':') + 1;
        var to = snapshot.IndexOf(':', from);
        return ulong.Parse(snapshot.AsSpan(from, to - from), System.Globalization.CultureInfo.InvariantCulture);
    }

    internal void Count(Rollup.KeptRead how)
    {
        if (how == Rollup.KeptRead.Whole) Interlocked.Increment(ref whole);
        else if (how == Rollup.KeptRead.Partial) Interlocked.Increment(ref partial);
        else Interlocked.Increment(ref asKept);
    }
}

public static partial class Rollup
{
    internal enum KeptRead { Whole, Partial, AsKept }

    /// <summary>
    /// A kept read: its snapshot, its result, the units it holds and, per year, the gone units whose study sessions count
    /// in a unit of the tree (holder → the unit they count in).
    /// </summary>
    internal sealed record Kept(string Snapshot, uint Log, ReadResult Read, int Units, Dictionary<int, Dictionary<int, int>> Holders);

    /// <summary>The gone units whose study sessions count in a unit of each year's tree (the roll-up's <c>successor</c>).</summary>
    private static string HoldersSql(int years) => TreeSql(years) + "\nSELECT s.y, s.holder, s.counted_in FROM successor s";

    /// <summary>
    /// The snapshot, and the change log's table as an object: a restore (<c>pg_restore --clean --single-transaction</c>)
    /// creates it again with the restored rows, in one commit, so a kept read from before a restore is read again whole.
    /// </summary>
    private const string SnapshotSql = "SELECT pg_current_snapshot()::text, 'rollup_changes'::regclass::oid";

    /// <summary>
    /// Since the kept snapshot (<c>@prev</c>): whether rows may have been pruned (its xmin under the mark), and the
    /// (year, unit) pairs noted by transactions visible now and not in it.
    /// </summary>
    private const string ChangesSql = """
        SELECT coalesce(pg_snapshot_xmin(@prev::pg_snapshot) < (SELECT max(w) FROM rollup_changes_pruned), false);
        SELECT DISTINCT c.year, c.unit_id FROM rollup_changes c
        WHERE c.xid >= pg_snapshot_xmin(@prev::pg_snapshot) AND NOT pg_visible_in_snapshot(c.xid, @prev::pg_snapshot)
            AND (c.year = 0 OR c.year = ANY(@ys))
        LIMIT @limit
        """;

    /// <summary>What one kept read asks: the roots of its years, its shape and its year (<see cref="ReadAsync"/>).</summary>
    internal sealed record KeptAsk(Roots Roots, ReadShape Shape, int? Year);

    /// <summary>
    /// <see cref="ReadAsync"/> through the memo, in the reading's snapshot: as kept when nothing it holds changed since,
    /// the changed units read again when few did, the whole subtree read again otherwise.
    /// </summary>
    private static async Task<ReadResult> ReadKeptAsync(NpgsqlConnection conn, Roots roots, ReadShape shape, int? year, RollupMemo memo, CancellationToken ct) =>
        (await ReadKeptAsync(conn, [new KeptAsk(roots, shape, year)], memo, ct))[0];

    /// <summary>
    /// Several kept reads in the same snapshot (the dashboard's head and trend): the snapshot and, for each read the memo
    /// holds, the changes since its snapshot in one round trip; then each read as kept, partly again or whole again.
    /// </summary>
    internal static async Task<ReadResult[]> ReadKeptAsync(NpgsqlConnection conn, IReadOnlyList<KeptAsk> asks, RollupMemo memo, CancellationToken ct)
    {
        var keys = new string[asks.Count];
        var kepts = new Kept?[asks.Count];
        var changes = new HashSet<int>?[asks.Count];
        var seen = new int[asks.Count];
        for (var i = 0; i < asks.Count; i++)
        {
            var (roots, shape, year) = asks[i];
            keys[i] = string.Join('|', conn.DataSource, conn.Database, shape, year,
                string.Join(',', roots.Years), string.Join(',', roots.AsOf.Select(d => d.DayNumber)), string.Join(',', roots.Paths), string.Join(',', roots.Kept));
            memo.TryGet(keys[i], out var k);
            kepts[i] = k;
        }
        string snapshot;
        uint log;
        await using (var batch = conn.CreateBatch())
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(SnapshotSql));
            for (var i = 0; i < asks.Count; i++)
                if (kepts[i] is { } kept)
                    foreach (var sql in ChangesSql.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        var c = new NpgsqlBatchCommand(sql);
                        c.Parameters.Add(new NpgsqlParameter("prev", kept.Snapshot));
                        c.Parameters.Add(new NpgsqlParameter("ys", asks[i].Roots.Years));
                        c.Parameters.Add(new NpgsqlParameter("limit", RollupMemo.MaxNoted + 1));
                        batch.BatchCommands.Add(c);
                    }
            await using var r = await batch.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            snapshot = r.GetString(0);
            log = r.GetFieldValue<uint>(1);
            for (var i = 0; i < asks.Count; i++)
            {
                if (kepts[i] is not { } kept) continue;
                await r.NextResultAsync(ct);
                await r.ReadAsync(ct);
                var pruned = r.GetBoolean(0) || log != kept.Log;
                await r.NextResultAsync(ct);
                var changed = pruned ? null : new HashSet<int>();
                while (changed is not null && await r.ReadAsync(ct))
                {
                    seen[i]++;
                    if (seen[i] > RollupMemo.MaxNoted || !Affects(kept, r.GetInt32(0), r.GetInt32(1), changed) || changed.Count > RollupMemo.MaxChanged) changed = null;
                }
                changes[i] = changed;
            }
        }
        var results = new ReadResult[asks.Count];
        for (var i = 0; i < asks.Count; i++)
            results[i] = await ReadKeptAsync(conn, asks[i], keys[i], kepts[i], changes[i], seen[i], snapshot, log, memo, ct);
        return results;
    }

    /// <summary>One kept read, once the changes since its snapshot are known (<paramref name="changed"/>: null when the whole subtree must be read again).</summary>
    private static async Task<ReadResult> ReadKeptAsync(NpgsqlConnection conn, KeptAsk ask, string key, Kept? kept, HashSet<int>? changed, int seen,
        string snapshot, uint log, RollupMemo memo, CancellationToken ct)
    {
        if (kept is not null && changed is { Count: 0 })
        {
            // Nothing it holds changed: the kept figures are this snapshot's; kept from it, so the next view reads only what
            // follows. Also when the log's rows since were all of other years (filtered out in SQL, so none was seen): the
            // trend's years, never read again while only the year under way changes, scanned every change since its first
            // read at each view (0,7 ms of PostgreSQL a view after a minute of 20 changes a second; docs/performance.md, DASH17).
            if (seen > 0 || kept.Snapshot != snapshot) memo.Put(key, kept with { Snapshot = snapshot });
            memo.Count(KeptRead.AsKept);
            return kept.Read;
        }
        // Read again, once per snapshot: concurrent views in the same snapshot (no commit between them) share one read.
        var flight = key + "@" + snapshot;
        var mine = new TaskCompletionSource<ReadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (memo.Join(flight, mine.Task) is { } running)
        {
            try
            {
                var result = await running.WaitAsync(ct);
                memo.CountShared();
                return result;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // That view's read did not end (its request ended): this view reads for itself.
            }
        }
        // A view that read again in this snapshot and ended since: its read is kept.
        if (memo.TryGet(key, out var now) && now.Snapshot == snapshot)
        {
            memo.Leave(flight, mine.Task);
            mine.TrySetResult(now.Read);
            memo.CountShared();
            return now.Read;
        }
        try
        {
            var read = await ReadAgainAsync(conn, ask, key, kept, changed, snapshot, log, memo, ct);
            mine.TrySetResult(read);
            return read;
        }
        catch
        {
            mine.TrySetCanceled(CancellationToken.None);
            throw;
        }
        finally
        {
            memo.Leave(flight, mine.Task);
        }
    }

    /// <summary>The changed units read again (<paramref name="changed"/>), or the whole subtree (null), in the request's snapshot.</summary>
    private static async Task<ReadResult> ReadAgainAsync(NpgsqlConnection conn, KeptAsk ask, string key, Kept? kept, HashSet<int>? changed,
        string snapshot, uint log, RollupMemo memo, CancellationToken ct)
    {
        var (roots, shape, year) = ask;
        if (kept is not null && changed is not null)
        {
            var fresh = await ReadAsync(conn, roots, shape, year, ct, only: [.. changed], holders: kept.Holders);
            // The kept units in their order, the changed ones' rows replaced; what is derived from the kept read (the
            // head's sums) is brought up to date from the replaced rows (RollupChildren.cs), not made again.
            var merged = new Dictionary<int, YearRows>();
            var replaced = new Dictionary<int, List<(UnitRow Old, UnitRow New)>>();
            foreach (var (y, old) in kept.Read.Years)
                merged[y] = old.With(fresh.Years.GetValueOrDefault(y), replaced[y] = []);
            memo.Count(KeptRead.Partial);
            kept.Read.From = null;
            var read = kept.Read with { Years = merged, From = (kept.Read, replaced) };
            memo.Put(key, kept with { Snapshot = snapshot, Read = read });
            return read;
        }
        var whole = await ReadAsync(conn, roots, shape, year, ct);
        var holders = new Dictionary<int, Dictionary<int, int>>();
        await using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = HoldersSql(roots.Years.Length);
            AddParameters(cmd.Parameters, roots);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                if (!holders.TryGetValue(r.GetInt32(0), out var h)) holders[r.GetInt32(0)] = h = [];
                h[r.GetInt32(1)] = r.GetInt32(2);
            }
        }
        memo.Count(KeptRead.Whole);
        memo.Put(key, new Kept(snapshot, log, whole, whole.Years.Values.Sum(y => y.Units.Count), holders));
        return whole;
    }

    /// <summary>
    /// A noted change (year 0: every year; unit 0: everything) against a kept read: false when the whole subtree must be
    /// read again (everything changed, or a year not kept, whose figures are counted for the whole subtree at once);
    /// otherwise the kept units it changes (a gone unit's sessions: the unit they count in) are added to <paramref name="changed"/>.
    /// </summary>
    private static bool Affects(Kept kept, int year, int unit, HashSet<int> changed)
    {
        if (unit == 0) return false;
        foreach (var (y, rows) in kept.Read.Years)
        {
            if (year != 0 && year != y) continue;
            var counted = rows.Holds(unit) ? unit
                : kept.Holders.TryGetValue(y, out var h) && h.TryGetValue(unit, out var c) ? c : 0;
            if (counted == 0) continue;
            if (!rows.Kept) return false;
            changed.Add(counted);
        }
        return true;
    }
}

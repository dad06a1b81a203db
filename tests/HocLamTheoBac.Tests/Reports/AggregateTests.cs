using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Members;
using HocLamTheoBac.Web.Pages.Orgs;
using HocLamTheoBac.Web.Reports;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Xunit.Abstractions;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>
/// Seeded random writes through every path that changes what the roll-up counts — EF (pages, imports), raw SQL,
/// binary COPY, transfers, mergers, periods rewritten in past years, a year appearing for the first time — and after
/// every step the kept aggregates equal a count from scratch, and the roll-up read from them equals the roll-up
/// counted from scratch for every unit, several years and several as-of days. Replay a failure with HLB_AGG_SEED.
/// </summary>
public sealed class AggregateTests(AppFactory app, ITestOutputHelper output) : IClassFixture<AppFactory>
{
    private static readonly (int Year, DateOnly AsOf)[] Days =
    [
        (2024, new DateOnly(2024, 12, 31)), (2025, new DateOnly(2025, 12, 31)), (2025, new DateOnly(2025, 7, 1)),
        (2026, new DateOnly(2026, 6, 15)), (2026, TestClock.Today), (2026, new DateOnly(2026, 1, 1)), (2026, new DateOnly(2026, 12, 10)),
    ];

    private static readonly DateOnly?[] Deadlines =
        [null, new(2025, 6, 1), new(2026, 3, 1), new(2026, 6, 15), new(2026, 11, 25), new(2026, 12, 31), new(2027, 1, 15)];

    [Fact]
    public async Task After_random_writes_through_every_path_the_aggregates_equal_a_count_from_scratch()
    {
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
        var seeds = Environment.GetEnvironmentVariable("HLB_AGG_SEED") is { } one ? [int.Parse(one, System.Globalization.CultureInfo.InvariantCulture)] : new[] { 11, 12, 13 };
        foreach (var seed in seeds)
        {
            var rnd = new Random(seed);
            for (var step = 0; step < 30; step++)
            {
                var op = rnd.Next(16);
                var what = await app.DbAsync(db => StepAsync(db, rnd, op));
                var diffs = await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString);
                Assert.True(diffs.Count == 0, $"seed {seed} step {step} ({what}):\n" + string.Join("\n", diffs.Take(20)) + await StateOfAsync(diffs));
                if (step % 6 == 5 || step == 29)
                {
                    var bad = await app.DbAsync(db => DisagreementsAsync(db, Days));
                    Assert.True(bad.Count == 0, $"seed {seed} step {step} ({what}):\n" + string.Join("\n", bad.Take(20)));
                }
            }
            output.WriteLine($"seed {seed}: 30 steps, aggregates exact");
        }
    }

    /// <summary>
    /// For a failure's message: the sessions named in the differences (the steps' SQL picks rows with random(), so a run
    /// is not repeatable) with their holder's and branches' placements and their kept rows.
    /// </summary>
    private async Task<string> StateOfAsync(IReadOnlyCollection<string> diffs)
    {
        var sessions = diffs.SelectMany(d => System.Text.RegularExpressions.Regex.Matches(d, @"session (\d+)").Select(m => int.Parse(m.Groups[1].Value))).Distinct().ToArray();
        if (sessions.Length == 0) return "";
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT 'session ' || s.id || ' unit ' || s.org_unit_id || ' year ' || s.year || ' held ' || s.held_on || CASE WHEN s.deleted_at IS NOT NULL THEN ' deleted' ELSE '' END FROM study_sessions s WHERE s.id = ANY(@s)
            UNION ALL
            SELECT 'placement of ' || p.org_unit_id || ' under ' || coalesce(p.parent_id::text, '-') || ' ' || p.path::text || ' [' || p.valid_from || ', ' || coalesce(p.valid_to::text, '') || ')'
            FROM org_placements p WHERE p.org_unit_id IN (SELECT org_unit_id FROM study_sessions WHERE id = ANY(@s)) OR p.org_unit_id IN (SELECT branch_id FROM agg_session_rows WHERE session_id = ANY(@s))
               OR p.path <@ ANY(SELECT q.path FROM org_placements q JOIN study_sessions s ON s.org_unit_id = q.org_unit_id WHERE s.id = ANY(@s))
            UNION ALL
            SELECT 'kept ' || r.session_id || ' branch ' || r.branch_id || ' mark ' || r.mark || ' unit ' || r.unit_id || ' year ' || r.year || ': ' || r.n FROM agg_session_rows r WHERE r.session_id = ANY(@s)
            """, conn);
        cmd.Parameters.AddWithValue("s", sessions);
        var lines = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) lines.Add(r.GetString(0));
        return "\nstate:\n" + string.Join("\n", lines.Take(60));
    }

    [Fact]
    public async Task A_merge_whose_connection_dies_before_commit_leaves_the_aggregates_exact_and_unchanged()
    {
        await TestDatabase.ExecAsync("""
            INSERT INTO pledges (member_id, branch_id, year, content, status)
            SELECT m.id, m.branch_id, 2026, 'Trước hợp nhất', 7 FROM members m JOIN org_units u ON u.id = m.branch_id WHERE u.code = 'TQ-TP-PT-TDP2'
            """, app.ConnectionString);
        var before = await KeptFiguresAsync();
        var killed = false;
        try
        {
            await app.DbAsync(async db =>
            {
                await using var tx = await db.Database.BeginTransactionAsync();
                var source = await db.OrgUnits.Include(u => u.Kind).FirstAsync(u => u.Code == "TQ-TP-PT-TDP2");
                var survivor = await db.OrgUnits.Include(u => u.Kind).FirstAsync(u => u.Code == "TQ-TP-PT-TDP1");
                Assert.Null(await Restructuring.MergeAsync(db, source, survivor, TestClock.Today, CancellationToken.None));
                Assert.True(await db.MemberBranchPeriods.AnyAsync(p => p.BranchId == survivor.Id && p.ValidFrom == TestClock.Today));
                Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(db.Database.GetConnectionString()!)); // a new session: sees only committed rows
                // the site dies here: every write of the merge done, nothing committed
                var pid = await db.Database.SqlQueryRaw<int>("SELECT pg_backend_pid() AS \"Value\"").SingleAsync();
                killed = true;
                await TestDatabase.ExecAsync($"SELECT pg_terminate_backend({pid})", app.ConnectionString);
                await tx.CommitAsync();
            });
        }
        catch (Exception) when (killed) { }
        Assert.True(killed);
        NpgsqlConnection.ClearAllPools();
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
        Assert.Equal(before, await KeptFiguresAsync());
        Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(app.ConnectionString, "SELECT count(*) FROM org_units WHERE merged_into_id IS NOT NULL"));
    }

    [Fact]
    public async Task Admissions_transfers_and_departures_dated_after_today_count_from_their_day_in_the_open_years_roll_up()
    {
        // The open year's roll-up reads a branch's year-end rows unless one of its as-of windows starts or ends after the
        // as-of day and by 31/12 (Reports/Rollup.cs, "bounded"): members transferred, leaving and admitted after today, on
        // 31/12 and on 1/1 of the next year (outside the year), with pledges that become overdue in between, each checked
        // against the count from scratch on the days around them.
        var today = TestClock.Today;
        var (d1, d2, last, next) = (today.AddDays(5), today.AddDays(20), new DateOnly(today.Year, 12, 31), new DateOnly(today.Year + 1, 1, 1));
        string Sql(DateOnly d) => "'" + d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "'::date";
        // two open branches (other tests of this class merge and move units): the one with the most members standing only
        // in it from before today, and another one
        var picked = (await TestDatabase.ScalarAsync<string>(app.ConnectionString, $$"""
            WITH single AS (
                SELECT p.branch_id, p.member_id FROM member_branch_periods p JOIN org_units u ON u.id = p.branch_id
                JOIN org_kinds k ON k.id = u.kind_id AND k.is_branch
                WHERE u.closed_on IS NULL AND u.merged_into_id IS NULL AND p.valid_to IS NULL AND p.valid_from < {{Sql(today)}}
                AND NOT EXISTS (SELECT 1 FROM member_branch_periods o WHERE o.member_id = p.member_id AND o.id <> p.id AND (o.valid_to IS NULL OR o.valid_to > {{Sql(today)}}))
            ), a AS (SELECT branch_id FROM single GROUP BY branch_id ORDER BY count(*) DESC, branch_id LIMIT 1),
            b AS (SELECT u.id FROM org_units u JOIN org_kinds k ON k.id = u.kind_id AND k.is_branch, a
                  WHERE u.closed_on IS NULL AND u.merged_into_id IS NULL AND u.id <> a.branch_id ORDER BY u.id LIMIT 1)
            SELECT (SELECT code FROM org_units WHERE id = a.branch_id) || ',' || (SELECT code FROM org_units WHERE id = b.id) || ',' ||
                (SELECT string_agg(s.member_id::text, ',') FROM (SELECT member_id FROM single WHERE branch_id = a.branch_id ORDER BY member_id LIMIT 5) s)
            FROM a, b
            """)).Split(',');
        var (first, other) = (picked[0], picked[1]);
        var ids = picked.Skip(2).Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(5, ids.Length);
        var firstToday = await app.DbAsync(db => MembersOfAsync(db, first, today));
        var firstLast = await app.DbAsync(db => MembersOfAsync(db, first, last));
        var otherLast = await app.DbAsync(db => MembersOfAsync(db, other, last));
        await TestDatabase.ExecAsync($$"""
            -- pledges of the year for each of them, one whose deadline falls between today and 31/12 (overdue from then on)
            INSERT INTO pledges (member_id, branch_id, year, content, status, deadline)
            SELECT m, (SELECT id FROM org_units WHERE code = '{{first}}'), {{today.Year}}, 'Trước ngày chuyển', s, {{Sql(d1)}}
            FROM unnest(ARRAY[{{string.Join(",", ids)}}]) m, unnest(ARRAY[{{(int)PledgeStatus.Approved}}, {{(int)PledgeStatus.Done}}]) s;
            -- transferred to the other branch after today, and on 31/12
            UPDATE member_branch_periods SET valid_to = {{Sql(d1)}} WHERE member_id = {{ids[0]}} AND valid_to IS NULL;
            INSERT INTO member_branch_periods (member_id, branch_id, valid_from) SELECT {{ids[0]}}, id, {{Sql(d1)}} FROM org_units WHERE code = '{{other}}';
            UPDATE member_branch_periods SET valid_to = {{Sql(last)}} WHERE member_id = {{ids[4]}} AND valid_to IS NULL;
            INSERT INTO member_branch_periods (member_id, branch_id, valid_from) SELECT {{ids[4]}}, id, {{Sql(last)}} FROM org_units WHERE code = '{{other}}';
            -- leaving after today, on 31/12 (not standing there that day) and on 1/1 of the next year (still there on 31/12)
            UPDATE member_branch_periods SET valid_to = {{Sql(d2)}} WHERE member_id = {{ids[1]}} AND valid_to IS NULL;
            UPDATE member_branch_periods SET valid_to = {{Sql(last)}} WHERE member_id = {{ids[2]}} AND valid_to IS NULL;
            UPDATE member_branch_periods SET valid_to = {{Sql(next)}} WHERE member_id = {{ids[3]}} AND valid_to IS NULL;
            -- admitted to the other branch after today, with a pledge registered before (kept there until the day)
            WITH m AS (INSERT INTO members (full_name, branch_id, status) SELECT 'Kết nạp sau hôm nay', id, {{(int)MemberStatus.Active}} FROM org_units WHERE code = '{{other}}' RETURNING id, branch_id),
            p AS (INSERT INTO member_branch_periods (member_id, branch_id, valid_from) SELECT id, branch_id, {{Sql(d2)}} FROM m)
            INSERT INTO pledges (member_id, branch_id, year, content, status, deadline) SELECT id, branch_id, {{today.Year}}, 'Trước khi kết nạp', {{(int)PledgeStatus.Approved}}, {{Sql(d1)}} FROM m;
            """, app.ConnectionString);

        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
        var days = new[] { today, d1.AddDays(-1), d1, d2.AddDays(-1), d2, last.AddDays(-1), last, new DateOnly(today.Year, 1, 1) };
        var bad = await app.DbAsync(db => DisagreementsAsync(db, days.Select(d => (today.Year, d))));
        Assert.True(bad.Count == 0, string.Join("\n", bad.Take(20)));
        // and the roll-up itself moved: today every one of them still stands in the first branch; on 31/12 four have gone, two to the other
        Assert.Equal(firstToday, await app.DbAsync(db => MembersOfAsync(db, first, today)));
        Assert.Equal(firstLast - 4, await app.DbAsync(db => MembersOfAsync(db, first, last)));
        Assert.Equal(otherLast + 3, await app.DbAsync(db => MembersOfAsync(db, other, last)));
    }

    private static async Task<int> MembersOfAsync(AppDbContext db, string code, DateOnly asOf)
    {
        var unit = await db.OrgUnits.Where(u => u.Code == code).Select(u => u.Id).SingleAsync();
        return (await Rollup.ComputeAsync(db, unit, asOf.Year, asOf, CancellationToken.None)).Totals.Members;
    }

    [Fact]
    public async Task Writers_changing_members_of_the_same_branch_at_once_all_commit_and_the_counts_stay_exact()
    {
        // Every writer moves its own member's pledges between statuses, in opposite directions: they touch the same
        // aggregate rows of the branch, in one sorted statement each, so they queue rather than deadlock.
        var members = await TestDatabase.ScalarAsync<string>(app.ConnectionString, """
            WITH m AS (SELECT m.id, m.branch_id FROM members m JOIN org_units u ON u.id = m.branch_id WHERE u.code = 'TQ-TP-PT-TDP1' ORDER BY m.id LIMIT 6),
            ins AS (INSERT INTO pledges (member_id, branch_id, year, content, status) SELECT id, branch_id, 2026, 'Song song', 2 FROM m, generate_series(1, 3))
            SELECT string_agg(id::text, ',') FROM m
            """);
        var ids = members.Split(',').Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(ids.Length >= 2);
        await Task.WhenAll(ids.Select((id, i) => Task.Run(async () =>
        {
            await using var conn = new NpgsqlConnection(app.ConnectionString);
            await conn.OpenAsync();
            for (var k = 0; k < 15; k++)
            {
                var status = (i + k) % 2 == 0 ? 3 : 2;
                await using var cmd = new NpgsqlCommand($"UPDATE pledges SET status = {status} WHERE member_id = {id} AND year = 2026", conn);
                await cmd.ExecuteNonQueryAsync();
            }
        })));
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
        var bad = await app.DbAsync(db => DisagreementsAsync(db, [(2026, TestClock.Today)]));
        Assert.Empty(bad);
    }

    [Fact]
    public async Task Rebuilding_gives_the_same_aggregates_and_a_tampered_count_is_reported()
    {
        await TestDatabase.ExecAsync("""
            INSERT INTO pledges (member_id, branch_id, year, content, status) SELECT id, branch_id, 2026, 'Để đếm', 7 FROM members ORDER BY id LIMIT 3;
            INSERT INTO collective_pledges (org_unit_id, year, category, what, status) SELECT id, 2026, 1, 'Để đếm', 3 FROM org_units ORDER BY id LIMIT 2;
            """, app.ConnectionString);
        var before = await KeptFiguresAsync();
        Assert.NotEqual("", before);
        await TestDatabase.ExecAsync("SELECT agg_rebuild()", app.ConnectionString);
        Assert.Equal(before, await KeptFiguresAsync());
        await TestDatabase.ExecAsync("""
            UPDATE agg_unit_figures SET n = n + 1 WHERE ctid = (SELECT ctid FROM agg_unit_figures WHERE kind = 2 AND n > 0 LIMIT 1);
            UPDATE agg_unit_items SET n = n - 1 WHERE ctid = (SELECT ctid FROM agg_unit_items WHERE n > 0 LIMIT 1);
            UPDATE agg_unit_totals SET n[2] = n[2] + 1 WHERE ctid = (SELECT ctid FROM agg_unit_totals WHERE n[1] > 0 LIMIT 1);
            """, app.ConnectionString);
        var diffs = await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString);
        Assert.Contains(diffs, d => d.StartsWith("figures", StringComparison.Ordinal));
        Assert.Contains(diffs, d => d.StartsWith("items", StringComparison.Ordinal));
        Assert.Contains(diffs, d => d.StartsWith("totals", StringComparison.Ordinal));
        await TestDatabase.ExecAsync("SELECT agg_rebuild()", app.ConnectionString);
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
    }

    [Fact]
    public async Task Aggregates_generated_from_other_rules_are_reinstalled_and_recounted_after_the_migrations()
    {
        await TestDatabase.ExecAsync("""
            INSERT INTO pledges (member_id, branch_id, year, content, status, deadline) SELECT id, branch_id, 2026, 'Quy tắc', 3, '2026-03-01' FROM members ORDER BY id LIMIT 4;
            """, app.ConnectionString);
        var before = await KeptFiguresAsync();
        // As a database whose functions were generated before a rule changed: another fingerprint, a stale count.
        await TestDatabase.ExecAsync("""
            COMMENT ON FUNCTION agg_flush() IS 'hlb aggregates 0000000000000000';
            UPDATE agg_unit_figures SET n = n + 5 WHERE ctid = (SELECT ctid FROM agg_unit_figures WHERE kind = 2 AND n > 0 LIMIT 1);
            """, app.ConnectionString);
        Assert.NotEmpty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
        await app.DbAsync(async db =>
        {
            Assert.Equal("0000000000000000", await AggregateSql.InstalledFingerprintAsync(db, CancellationToken.None));
            await db.MigrateAsync();
            Assert.Equal(AggregateSql.Fingerprint, await AggregateSql.InstalledFingerprintAsync(db, CancellationToken.None));
        });
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
        Assert.Equal(before, await KeptFiguresAsync());
        // Up to date: nothing is reinstalled.
        Assert.False(await app.DbAsync(db => AggregateSql.EnsureCurrentAsync(db, CancellationToken.None)));
    }

    [Fact]
    public async Task The_roll_up_read_inside_a_writing_transaction_counts_that_transactions_own_changes_and_the_commit_applies_them_once()
    {
        var province = await app.OrgIdAsync("TQ");
        await app.DbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var before = (await Rollup.ComputeAsync(db, province, 2026, CancellationToken.None)).Totals.PledgesRegistered;
            var m = await db.Members.OrderBy(x => x.Id).FirstAsync();
            db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = m.BranchId, Year = 2026, Content = "Trong giao dịch", Status = PledgeStatus.Approved });
            await db.SaveChangesAsync();
            Assert.Equal(before + 1, (await Rollup.ComputeAsync(db, province, 2026, CancellationToken.None)).Totals.PledgesRegistered);
            db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = m.BranchId, Year = 2026, Content = "Sau khi đọc", Status = PledgeStatus.Done });
            await db.SaveChangesAsync();
            await tx.CommitAsync();
            db.ChangeTracker.Clear();
            Assert.Equal(before + 2, (await Rollup.ComputeAsync(db, province, 2026, CancellationToken.None)).Totals.PledgesRegistered);
        });
        Assert.Empty(await ScratchRollup.AggregateDifferencesAsync(app.ConnectionString));
    }

    /// <summary>Every unit's figures read from the aggregates against the roll-up counted from scratch, for each top-level unit.</summary>
    private static async Task<List<string>> DisagreementsAsync(AppDbContext db, IEnumerable<(int Year, DateOnly AsOf)> when)
    {
        var roots = await db.OrgUnits.Where(u => u.ParentId == null).Select(u => u.Id).ToListAsync();
        var bad = new List<string>();
        foreach (var (year, asOf) in when)
            foreach (var root in roots)
                bad.AddRange(await ScratchRollup.DisagreementsAsync(db, root, year, asOf));
        return bad;
    }

    private async Task<string> KeptFiguresAsync()
    {
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT coalesce(string_agg(concat_ws(',', year, unit_id, from_day, to_day, kind, key, day, n), ';' ORDER BY year, unit_id, from_day, to_day, kind, key, day), '')
            FROM agg_unit_figures WHERE n <> 0
            """, conn);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<string> StepAsync(AppDbContext db, Random rnd, int op)
    {
        var ct = CancellationToken.None;
        var today = db.Clock.Today;
        var members = await db.Members.Where(m => m.Status == MemberStatus.Active).OrderBy(m => m.Id).Select(m => new { m.Id, m.BranchId }).ToListAsync(ct);
        var branches = await db.OrgUnits.Where(u => u.Kind.IsBranch && u.ClosedOn == null).OrderBy(u => u.Id).Select(u => u.Id).ToListAsync(ct);
        var units = await db.OrgUnits.Where(u => u.ClosedOn == null).OrderBy(u => u.Id).Select(u => u.Id).ToListAsync(ct);
        T Pick<T>(IReadOnlyList<T> list) => list[rnd.Next(list.Count)];
        PledgeStatus Status() => (PledgeStatus)rnd.Next(1, 9);
        var year = db.Clock.Year;

        switch (op)
        {
            case 0: // a page: a member registers a pledge
            {
                var m = Pick(members);
                db.Pledges.Add(new Pledge { MemberId = m.Id, BranchId = m.BranchId, Year = year, Content = "Việc làm ngẫu nhiên", Status = Status(), Deadline = Pick(Deadlines) });
                await db.SaveChangesAsync(ct);
                return "EF add pledge";
            }
            case 1: // a page: the secretary changes a status, or the member a deadline
            {
                var p = await db.Pledges.Where(p => p.Year == year && p.DeletedAt == null).OrderBy(p => p.Id).Skip(rnd.Next(20)).FirstOrDefaultAsync(ct);
                if (p is null) return "no pledge";
                if (rnd.Next(2) == 0) p.Status = Status(); else p.Deadline = Pick(Deadlines);
                await db.SaveChangesAsync(ct);
                return "EF change pledge";
            }
            case 2: // a page: soft deletion, or restoring a deleted one
            {
                var p = await db.Pledges.Where(p => p.Year == year).OrderBy(p => p.Id).Skip(rnd.Next(20)).FirstOrDefaultAsync(ct);
                if (p is null) return "no pledge";
                p.DeletedAt = p.DeletedAt is null ? db.Clock.Now : null;
                await db.SaveChangesAsync(ct);
                return "EF soft delete";
            }
            case 3: // past year loaded by raw SQL, kept in a branch the member may not stand in
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO pledges (member_id, branch_id, year, content, status, deadline) VALUES ({Pick(members).Id}, {Pick(branches)}, 2025, 'Năm trước', {(int)Status()}, {Pick(Deadlines)})
                    """, ct);
                return "SQL insert 2025";
            case 4: // a bulk import: binary COPY of 600 pledges in one statement
            {
                var conn = (NpgsqlConnection)db.Database.GetDbConnection();
                await db.Database.OpenConnectionAsync(ct);
                await using (var w = await conn.BeginBinaryImportAsync("COPY pledges (member_id, branch_id, year, content, status, deadline) FROM STDIN (FORMAT BINARY)", ct))
                {
                    for (var i = 0; i < 600; i++)
                    {
                        var m = Pick(members);
                        await w.StartRowAsync(ct);
                        await w.WriteAsync(m.Id, NpgsqlDbType.Integer, ct);
                        await w.WriteAsync(rnd.Next(5) == 0 ? Pick(branches) : m.BranchId, NpgsqlDbType.Integer, ct);
                        await w.WriteAsync(rnd.Next(4) == 0 ? 2025 : year, NpgsqlDbType.Integer, ct);
                        await w.WriteAsync("Nhập hàng loạt", NpgsqlDbType.Varchar, ct);
                        await w.WriteAsync((int)Status(), NpgsqlDbType.Integer, ct);
                        if (Pick(Deadlines) is { } d) await w.WriteAsync(d, NpgsqlDbType.Date, ct); else await w.WriteNullAsync(ct);
                    }
                    await w.CompleteAsync(ct);
                }
                await db.Database.CloseConnectionAsync();
                return "COPY 600 pledges";
            }
            case 5: // a bulk status change in SQL
                await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE pledges SET status = {(int)Status()} WHERE id % 7 = {rnd.Next(7)}", ct);
                return "SQL bulk status";
            case 6: // a hard delete
                await db.Database.ExecuteSqlRawAsync("DELETE FROM pledge_evidence WHERE pledge_id IN (SELECT id FROM pledges ORDER BY random() LIMIT 3); DELETE FROM pledges WHERE id IN (SELECT id FROM pledges ORDER BY random() LIMIT 3)", ct);
                return "SQL hard delete";
            case 7: // the transfer page
            {
                var m = await db.Members.FindAsync([Pick(members).Id], ct);
                var to = Pick(branches);
                var on = new DateOnly(year, 1 + rnd.Next(today.Month), 1);
                if (to == m!.BranchId || await MemberTransfers.RefusalAsync(db, m, on, ct) is not null) return "transfer refused";
                await MemberTransfers.TransferAsync(db, m, to, on, ct);
                await db.SaveChangesAsync(ct);
                return $"transfer on {on}";
            }
            case 8: // restructuring: a merger (refused ones change nothing)
            {
                var (sourceId, survivorId) = (Pick(branches), Pick(branches));
                var source = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == sourceId, ct);
                var survivor = await db.OrgUnits.Include(u => u.Kind).SingleAsync(u => u.Id == survivorId, ct);
                var refusal = await Restructuring.MergeAsync(db, source, survivor, today.AddDays(-rnd.Next(30)), ct);
                return refusal is null ? $"merge {source.Code} into {survivor.Code}" : "merge refused";
            }
            case 9: // the other yearly records through EF
            {
                var u = Pick(units);
                switch (rnd.Next(7))
                {
                    case 0: db.CollectivePledges.Add(new CollectivePledge { OrgUnitId = u, Year = year, Category = (CollectiveCategory)rnd.Next(1, 6), What = "Tập thể", Status = (CollectiveStatus)rnd.Next(1, 5) }); break;
                    case 1: db.Models.Add(new ExemplaryModel { OrgUnitId = u, Year = year, Kind = (ExemplaryModelKind)rnd.Next(1, 3), Title = "Mô hình", Status = (ExemplaryModelStatus)rnd.Next(1, 5) }); break;
                    case 2: db.Commendations.Add(new Commendation { OrgUnitId = u, Year = year, Level = (CommendationLevel)rnd.Next(1, 4), IssuingBody = "Tỉnh ủy" }); break;
                    case 3: db.StudySessions.Add(new StudySession { OrgUnitId = u, Year = year, HeldOn = today, Theme = "Chuyên đề" }); break;
                    case 4: db.PressingProblems.Add(new PressingProblem { OrgUnitId = u, Year = year, Title = "Vấn đề", Outcome = (ProblemOutcome)rnd.Next(1, 5) }); break;
                    case 5: db.LeaderTasks.Add(new LeaderTask { OrgUnitId = u, Year = year, LeaderName = "Bí thư", Title = "Nhiệm vụ", Status = (LeaderTaskStatus)rnd.Next(1, 4) }); break;
                    default: db.IndicatorValues.Add(new IndicatorValue { OrgUnitId = u, Year = year, Name = "Chỉ tiêu " + rnd.Next(1000000), Value = rnd.Next(100) }); break;
                }
                await db.SaveChangesAsync(ct);
                return "EF add item";
            }
            case 10: // the other yearly records changed and deleted in SQL (numbers only, made here)
            {
                var sql = $"""
                    UPDATE collective_pledges SET status = {rnd.Next(1, 5)}, category = {rnd.Next(1, 6)} WHERE id % 3 = {rnd.Next(3)};
                    UPDATE models SET deleted_at = CASE WHEN deleted_at IS NULL THEN now() END WHERE id % 4 = {rnd.Next(4)};
                    UPDATE pressing_problems SET outcome = {rnd.Next(1, 5)} WHERE id % 2 = {rnd.Next(2)};
                    UPDATE leader_tasks SET org_unit_id = {Pick(units)} WHERE id % 3 = {rnd.Next(3)};
                    DELETE FROM commendations WHERE id IN (SELECT id FROM commendations ORDER BY random() LIMIT 1);
                    UPDATE study_sessions SET year = year - 1 WHERE id IN (SELECT id FROM study_sessions ORDER BY random() LIMIT 1);
                    INSERT INTO plan_years (org_unit_id, year, theme) SELECT {Pick(units)}, 2024, 'Chuyên đề 2024' ON CONFLICT DO NOTHING;
                    """;
                await db.Database.ExecuteSqlRawAsync(sql, ct);
                return "SQL items";
            }
            case 11: // a member leaves the Party during the year (stands nowhere afterwards), or a past period is rewritten
                if (rnd.Next(2) == 0)
                    await db.Database.ExecuteSqlInterpolatedAsync($"""
                        UPDATE member_branch_periods SET valid_to = {new DateOnly(year, 5, 1)}
                        WHERE id = (SELECT id FROM member_branch_periods WHERE valid_to IS NULL AND valid_from < {new DateOnly(year, 5, 1)} ORDER BY random() LIMIT 1)
                        """, ct);
                else
                    await db.Database.ExecuteSqlInterpolatedAsync($"""
                        UPDATE member_branch_periods SET valid_from = {new DateOnly(2025, 1 + rnd.Next(12), 1 + rnd.Next(28))}
                        WHERE id = (SELECT id FROM member_branch_periods WHERE valid_to IS NULL AND valid_from < '2025-01-01' ORDER BY random() LIMIT 1)
                        """, ct);
                return "SQL periods";
            case 13: // the attendance page: a session held by a unit, marks for some of the members expected there (and one who is not)
            {
                var unitId = Pick(units);
                var u = await db.OrgUnits.SingleAsync(x => x.Id == unitId, ct);
                var session = await db.StudySessions.Where(x => x.OrgUnitId == u.Id && x.DeletedAt == null && x.Year == year).OrderBy(x => x.Id).FirstOrDefaultAsync(ct);
                if (session is null || rnd.Next(3) == 0)
                {
                    session = new StudySession { OrgUnitId = u.Id, Year = year, HeldOn = new DateOnly(year, 1 + rnd.Next(today.Month), 1 + rnd.Next(28)), Theme = "Chuyên đề" };
                    if (session.HeldOn > today) session.HeldOn = today;
                    db.StudySessions.Add(session);
                    await db.SaveChangesAsync(ct);
                }
                var held = session.HeldOn;
                var expected = await db.MemberBranchPeriods
                    .Where(p => p.ValidFrom <= held && (p.ValidTo == null || p.ValidTo > held))
                    .Join(db.OrgUnits.Where(b => b.Path.IsDescendantOf(u.Path)), p => p.BranchId, b => b.Id, (p, b) => p.MemberId)
                    .Distinct().OrderBy(x => x).ToListAsync(ct);
                var marks = await db.Attendances.Where(a => a.SessionId == session.Id).ToDictionaryAsync(a => a.MemberId, ct);
                var changed = 0;
                foreach (var id in expected.Append(Pick(members).Id).Distinct())
                {
                    if (rnd.Next(3) == 0) continue;
                    changed++;
                    if (marks.TryGetValue(id, out var mark))
                    {
                        if (rnd.Next(4) == 0) db.Attendances.Remove(mark); else mark.Status = (AttendanceStatus)rnd.Next(1, 4);
                    }
                    else db.Attendances.Add(new Attendance { SessionId = session.Id, MemberId = id, Status = (AttendanceStatus)rnd.Next(1, 4) });
                }
                await db.SaveChangesAsync(ct);
                return $"EF attendance of session {session.Id} ({expected.Count} expected, {changed} marks)";
            }
            case 14: // sessions and marks changed in SQL: the day, the holder, soft deletion, marks in bulk
            {
                var sql = $"""
                    UPDATE study_sessions SET held_on = held_on - {rnd.Next(1, 60)} WHERE id IN (SELECT id FROM study_sessions ORDER BY random() LIMIT 1);
                    UPDATE study_sessions SET org_unit_id = {Pick(units)} WHERE id IN (SELECT id FROM study_sessions ORDER BY random() LIMIT 1);
                    UPDATE study_sessions SET deleted_at = CASE WHEN deleted_at IS NULL THEN now() END WHERE id IN (SELECT id FROM study_sessions ORDER BY random() LIMIT 1);
                    UPDATE attendances SET status = {rnd.Next(1, 4)} WHERE (session_id + member_id) % 5 = {rnd.Next(5)};
                    DELETE FROM attendances WHERE (session_id, member_id) IN (SELECT session_id, member_id FROM attendances ORDER BY random() LIMIT 3);
                    """;
                await db.Database.ExecuteSqlRawAsync(sql, ct);
                return "SQL sessions and marks";
            }
            case 15: // restructuring: a unit moved under another committee (paths rewritten), today or from a recent day
            {
                var all = await db.OrgUnits.Include(u => u.Kind).Where(u => u.ClosedOn == null).OrderBy(u => u.Id).ToListAsync(ct);
                var movable = all.Where(u => u.ParentId != null).ToList();
                var committees = all.Where(u => !u.Kind.IsBranch).ToList();
                if (movable.Count == 0 || committees.Count == 0) return "move (none)";
                var unit = Pick(movable);
                var target = Pick(committees);
                var on = today.AddDays(-rnd.Next(2) * rnd.Next(60));
                var refusal = await Restructuring.MoveAsync(db, unit, target, on, ct);
                return $"move {unit.Code} under {target.Code} from {on:dd/MM/yyyy}: {refusal ?? "done"}";
            }
            default: // a year seen for the first time (2024 loaded late), then member periods inserted for it
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO pledges (member_id, branch_id, year, content, status) VALUES ({Pick(members).Id}, {Pick(branches)}, 2024, 'Năm 2024', {(int)Status()});
                    INSERT INTO member_branch_periods (member_id, branch_id, valid_from, valid_to) VALUES ({Pick(members).Id}, {Pick(branches)}, '2024-02-01', '2024-03-01');
                    """, ct);
                return "year 2024";
        }
    }
}

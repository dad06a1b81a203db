using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Data.Migrations;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace HocLamTheoBac.Tests.Data;

/// <summary>
/// The data migration CloseNonActiveMemberPeriods, on the state it was written for: a database migrated up to the
/// migration before it, holding a member created as "transferred out" with an open branch period (the creation
/// mistake of the member form) beside an active member. The aggregates' functions are installed (and everything counted)
/// by the later migration AttendanceAggregates (ADR 0018, "Migrations"): afterwards they count the active member only.
/// </summary>
public sealed class CloseNonActiveMemberPeriodsMigrationTests
{
    private static readonly DateOnly From = new(2026, 3, 1);

    [Fact]
    public async Task The_open_period_of_a_member_who_is_not_active_ends_where_it_began_and_the_aggregates_still_agree_with_a_recount()
    {
        var cs = await TestDatabase.CreateAsync(migrated: false);
        try
        {
            await using (var db = TestDatabase.NewContext(cs))
            {
                var all = db.Database.GetMigrations().ToList();
                var at = all.FindIndex(m => m.EndsWith("_" + nameof(CloseNonActiveMemberPeriods), StringComparison.Ordinal));
                Assert.True(at > 0, "the migration CloseNonActiveMemberPeriods is missing");
                await db.GetService<IMigrator>().MigrateAsync(all[at - 1]);
                Assert.Contains(all[at], await db.Database.GetPendingMigrationsAsync());
            }

            // Plain SQL, with the columns of that schema: a branch, an active member and a transferred-out one, both with an open period.
            await TestDatabase.ExecAsync($"""
                INSERT INTO org_units (id, code, name, kind_id, path, founded_year) VALUES
                    (900001, 'MIG-CB', 'Chi bộ thử di trú', (SELECT id FROM org_kinds WHERE code = 'chi-bo-co-so'), '900001', 2020);
                INSERT INTO org_placements (org_unit_id, parent_id, path, valid_from) VALUES (900001, NULL, '900001', '2020-01-01');
                INSERT INTO members (id, full_name, branch_id, status) VALUES
                    (900001, 'Nguyễn Văn Đang', 900001, {(int)MemberStatus.Active}),
                    (900002, 'Trần Thị Chuyển', 900001, {(int)MemberStatus.TransferredOut});
                INSERT INTO member_branch_periods (member_id, branch_id, valid_from, valid_to) VALUES
                    (900001, 900001, '{From:yyyy-MM-dd}', NULL), (900002, 900001, '{From:yyyy-MM-dd}', NULL);
                INSERT INTO agg_years (year) VALUES ({From.Year}) ON CONFLICT DO NOTHING;
                -- Where the aggregates were already installed at that point (they now come with a later migration), they counted both.
                DO $$ BEGIN IF to_regproc('agg_rebuild') IS NOT NULL THEN PERFORM agg_rebuild(); END IF; END $$;
                """, cs);
            Assert.Equal(2L, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM member_branch_periods WHERE branch_id = 900001 AND valid_to IS NULL"));

            await using (var db = TestDatabase.NewContext(cs)) await db.MigrateAsync();

            Assert.Equal(From.ToString("yyyy-MM-dd"), await TestDatabase.ScalarAsync<string>(cs, "SELECT coalesce(valid_to::text, 'open') FROM member_branch_periods WHERE member_id = 900002"));
            Assert.Equal("open", await TestDatabase.ScalarAsync<string>(cs, "SELECT coalesce(valid_to::text, 'open') FROM member_branch_periods WHERE member_id = 900001"));
            Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM agg_member_rows WHERE member_id = 900002"));
            Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM agg_differences()"));
            await using (var db = TestDatabase.NewContext(cs))
            {
                var figures = (await HocLamTheoBac.Web.Reports.Rollup.ComputeAsync(db, 900001, From.Year, default)).Totals;
                Assert.Equal(1, figures.Members);
            }
        }
        finally { await TestDatabase.DropAsync(cs); }
    }
}

using System.Text;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Data.Migrations;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace HocLamTheoBac.Tests.Data;

/// <summary>
/// The data migration NormalizeTextNfc on the state it was written for: texts saved before input was composed at
/// binding (ADR 0029) in decomposed form. Afterwards they are composed, each changed row audited with its before and
/// after, and rows already composed are neither touched nor audited; an indicator whose composed name would clash with
/// its composed twin (found by the attack walk of session 11: the migration failed and the site did not start) stays.
/// </summary>
public sealed class NormalizeTextNfcMigrationTests
{
    [Fact]
    public async Task Decomposed_texts_are_composed_once_and_audited_and_composed_ones_are_left_alone()
    {
        var name = "Chi bộ Tân Hà".Normalize(NormalizationForm.FormD);
        var member = "Nguyễn Thị Hường".Normalize(NormalizationForm.FormD);
        var pledge = "Đi làm đúng giờ, không sử dụng điện thoại trong giờ họp".Normalize(NormalizationForm.FormD);
        const string composed = "Tham gia đầy đủ sinh hoạt chi bộ";
        const string indicator = "Lượt tiếp công dân";
        Assert.NotEqual(pledge, pledge.Normalize(NormalizationForm.FormC));
        var cs = await TestDatabase.CreateAsync(migrated: false);
        try
        {
            await using (var db = TestDatabase.NewContext(cs))
            {
                var all = db.Database.GetMigrations().ToList();
                var at = all.FindIndex(m => m.EndsWith("_" + nameof(NormalizeTextNfc), StringComparison.Ordinal));
                Assert.True(at > 0, "the migration NormalizeTextNfc is missing");
                await db.GetService<IMigrator>().MigrateAsync(all[at - 1]);
            }
            await TestDatabase.ExecAsync($"""
                INSERT INTO org_units (id, code, name, kind_id, path, founded_year) VALUES
                    (900001, 'NFC-CB', '{name}', (SELECT id FROM org_kinds WHERE code = 'chi-bo-co-so'), '900001', 2020);
                INSERT INTO org_placements (org_unit_id, parent_id, path, valid_from) VALUES (900001, NULL, '900001', '2020-01-01');
                INSERT INTO members (id, full_name, branch_id, status) VALUES (900001, '{member}', 900001, {(int)MemberStatus.Active});
                INSERT INTO member_branch_periods (member_id, branch_id, valid_from, valid_to) VALUES (900001, 900001, '2026-01-01', NULL);
                INSERT INTO pledges (id, member_id, branch_id, year, content, status) VALUES
                    (900001, 900001, 900001, 2026, '{pledge}', {(int)PledgeStatus.Approved}),
                    (900002, 900001, 900001, 2026, '{composed}', {(int)PledgeStatus.Approved});
                -- The same indicator entered twice, composed and decomposed (its name is unique per unit and year).
                INSERT INTO indicator_values (id, org_unit_id, year, name, value) VALUES
                    (900001, 900001, 2026, '{indicator}', 5), (900002, 900001, 2026, '{indicator.Normalize(NormalizationForm.FormD)}', 7);
                """, cs);

            await using (var db = TestDatabase.NewContext(cs)) await db.MigrateAsync();

            Assert.Equal(pledge.Normalize(NormalizationForm.FormC), await TestDatabase.ScalarAsync<string>(cs, "SELECT content FROM pledges WHERE id = 900001"));
            Assert.Equal(composed, await TestDatabase.ScalarAsync<string>(cs, "SELECT content FROM pledges WHERE id = 900002"));
            Assert.Equal(member.Normalize(NormalizationForm.FormC), await TestDatabase.ScalarAsync<string>(cs, "SELECT full_name FROM members WHERE id = 900001"));
            Assert.Equal(name.Normalize(NormalizationForm.FormC), await TestDatabase.ScalarAsync<string>(cs, "SELECT name FROM org_units WHERE id = 900001"));
            Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM pledges WHERE content IS NOT NFC NORMALIZED"));
            // The migration went through; the decomposed twin of an indicator stays as it was, both values kept.
            Assert.Equal(12m, await TestDatabase.ScalarAsync<decimal>(cs, "SELECT sum(value) FROM indicator_values WHERE org_unit_id = 900001"));
            Assert.Equal(indicator.Normalize(NormalizationForm.FormD), await TestDatabase.ScalarAsync<string>(cs, "SELECT name FROM indicator_values WHERE id = 900002"));

            // Who, when, before, after: one row for each changed record, in the unit's history; none for the composed pledge.
            await using (var db = TestDatabase.NewContext(cs))
            {
                var audit = await db.AuditEntries.Where(a => a.Actor.StartsWith("Hệ thống")).OrderBy(a => a.EntityType).ToListAsync();
                Assert.Equal(["Member", "OrgUnit", "Pledge"], audit.Select(a => a.EntityType));
                var p = audit.Single(a => a.EntityType == "Pledge");
                Assert.Equal(("900001", 900001, "Sửa"), (p.EntityId, p.OrgUnitId, p.Action));
                Assert.Equal(pledge, System.Text.Json.JsonDocument.Parse(p.Before!).RootElement.GetProperty("Content").GetString());
                Assert.Equal(pledge.Normalize(NormalizationForm.FormC), System.Text.Json.JsonDocument.Parse(p.After!).RootElement.GetProperty("Content").GetString());
                Assert.Equal(["Content"], System.Text.Json.JsonDocument.Parse(p.After!).RootElement.EnumerateObject().Select(x => x.Name));
            }
            Assert.Equal(0L, await TestDatabase.ScalarAsync<long>(cs, "SELECT count(*) FROM agg_differences()"));
        }
        finally { await TestDatabase.DropAsync(cs); }
    }
}

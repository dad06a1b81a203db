using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Quotas;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Models;

public sealed class ModelPagesTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const int Year = 2025;

    private Task<int> AddModelAsync(string unitCode, string title, ExemplaryModelKind kind = ExemplaryModelKind.Collective, ExemplaryModelStatus status = ExemplaryModelStatus.Registered, int year = Year) =>
        app.DbAsync(async db =>
        {
            var unitId = await db.OrgUnits.Where(u => u.Code == unitCode).Select(u => u.Id).SingleAsync();
            int? memberId = kind == ExemplaryModelKind.Exemplar ? await db.Members.Where(m => m.BranchId == unitId || m.Branch.ParentId == unitId).Select(m => m.Id).FirstAsync() : null;
            var m = new ExemplaryModel { OrgUnitId = unitId, Year = year, Kind = kind, Title = title, Status = status, MemberId = memberId };
            db.Models.Add(m);
            await db.SaveChangesAsync();
            return m.Id;
        });

    [Fact]
    public async Task A_secretary_registers_a_collective_model_for_her_branch_and_sees_it_listed_with_an_audit_row()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var client = await app.SignedInAsync("bithu@hlb.local");
        var r = await client.PostFormAsync($"/Models/Create?unitId={tdp1}&year={Year}", new()
        {
            ["Input.Kind"] = "1", ["Input.Title"] = "Ngày Chủ nhật xanh", ["Input.Field"] = "Môi trường", ["Input.StartDate"] = "2025-03-02",
        });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var html = await client.HtmlAsync($"/Models?unitId={tdp1}&year={Year}");
        Assert.Contains("Ngày Chủ nhật xanh", html);
        Assert.Contains("Đã đăng ký", html);
        var audited = await app.DbAsync(db => db.AuditEntries.AnyAsync(a => a.EntityType == nameof(ExemplaryModel) && a.Action == "Thêm" && a.Actor == "bithu@hlb.local"));
        Assert.True(audited);
    }

    [Fact]
    public async Task An_exemplar_without_a_member_is_refused_with_a_Vietnamese_message_and_nothing_is_saved()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var client = await app.SignedInAsync("bithu@hlb.local");
        var r = await client.PostFormAsync($"/Models/Create?unitId={tdp1}&year={Year}", new() { ["Input.Kind"] = "2", ["Input.Title"] = "Điển hình không tên" });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("Điển hình cá nhân phải gắn với một đảng viên của đơn vị.", await r.Content.ReadAsStringAsync());
        Assert.False(await app.DbAsync(db => db.Models.AnyAsync(m => m.Title == "Điển hình không tên")));
    }

    /// <summary>The walk of session 19: a 2026 model was saved with a start date of 01/01/2099.</summary>
    [Fact]
    public async Task A_model_starting_after_its_year_is_refused_on_create_and_on_edit_and_the_typed_text_is_kept()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var client = await app.SignedInAsync("bithu@hlb.local");
        var r = await client.PostFormAsync($"/Models/Create?unitId={tdp1}&year={Year}", new() { ["Input.Kind"] = "1", ["Input.Title"] = "Mô hình năm sau", ["Input.StartDate"] = "2099-01-01" });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync());
        Assert.Contains("Ngày bắt đầu 01/01/2099 sau năm 2025 của mô hình, điển hình: hãy nhập ngày trong năm 2025 hoặc trước đó.", html);
        Assert.Contains("Mô hình năm sau", html);
        Assert.False(await app.DbAsync(db => db.Models.AnyAsync(m => m.Title == "Mô hình năm sau")));

        var id = await AddModelAsync("TQ-TP-PT-TDP1", "Mô hình sửa ngày");
        var version = await app.DbAsync(db => db.Models.Where(m => m.Id == id).Select(m => m.Version).SingleAsync());
        r = await client.PostFormAsync($"/Models/Edit/{id}", new() { ["Input.Kind"] = "1", ["Input.Title"] = "Mô hình sửa ngày", ["Input.Status"] = "1", ["Input.StartDate"] = "2026-01-01", ["Input.Version"] = version.ToString() });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("Ngày bắt đầu 01/01/2026 sau năm 2025", WebUtility.HtmlDecode(await r.Content.ReadAsStringAsync()));
        Assert.Null(await app.DbAsync(db => db.Models.Where(m => m.Id == id).Select(m => m.StartDate).SingleAsync()));
        // A day of its own year, or an earlier one, is its start.
        r = await client.PostFormAsync($"/Models/Edit/{id}", new() { ["Input.Kind"] = "1", ["Input.Title"] = "Mô hình sửa ngày", ["Input.Status"] = "1", ["Input.StartDate"] = "2024-09-02", ["Input.Version"] = version.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(new DateOnly(2024, 9, 2), await app.DbAsync(db => db.Models.Where(m => m.Id == id).Select(m => m.StartDate).SingleAsync()));
    }

    [Fact]
    public async Task A_secretary_moves_a_model_to_recognised_with_evidence_and_a_stale_form_is_refused_without_overwriting()
    {
        var id = await AddModelAsync("TQ-TP-PT-TDP1", "Hũ gạo tiết kiệm");
        var version = await app.DbAsync(db => db.Models.Where(m => m.Id == id).Select(m => m.Version).SingleAsync());
        var client = await app.SignedInAsync("bithu@hlb.local");
        var fields = new Dictionary<string, string>
        {
            ["Input.Kind"] = "1", ["Input.Title"] = "Hũ gạo tiết kiệm", ["Input.Status"] = "3", ["Input.Evidence"] = "Quyết định công nhận số 12", ["Input.Version"] = version.ToString(),
        };
        var r = await client.PostFormAsync($"/Models/Edit/{id}", new(fields));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var details = await client.HtmlAsync($"/Models/Details/{id}");
        Assert.Contains("Đã được công nhận", details);
        Assert.Contains("Quyết định công nhận số 12", details);

        fields["Input.Status"] = "4";
        fields["Input.Evidence"] = "Minh chứng gõ ở tab hai";
        var stale = await client.PostFormAsync($"/Models/Edit/{id}", fields);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        var html = System.Net.WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync());
        Assert.Contains("vừa được người khác sửa", html);
        // What was typed stays in the form; the saved values that differ are named (the walk of session 16).
        Assert.Matches(">\\s*Minh chứng gõ ở tab hai</textarea>", html);
        Assert.Contains("Minh chứng: “Quyết định công nhận số 12”", html);
        Assert.Equal(ExemplaryModelStatus.Recognised, await app.DbAsync(db => db.Models.Where(m => m.Id == id).Select(m => m.Status).SingleAsync()));
    }

    [Fact]
    public async Task A_deleted_model_disappears_from_the_list_but_stays_in_the_database()
    {
        var id = await AddModelAsync("TQ-TP-PT-TDP1", "Mô hình sẽ xóa");
        var version = await app.DbAsync(db => db.Models.Where(m => m.Id == id).Select(m => m.Version).SingleAsync());
        var client = await app.SignedInAsync("bithu@hlb.local");
        var r = await client.PostFormAsync($"/Models/Edit/{id}?handler=Delete", new() { ["Input.Version"] = version.ToString(), ["Input.Title"] = "x" }, $"/Models/Edit/{id}");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        Assert.Contains("Đã xóa “Mô hình sẽ xóa”.", await client.HtmlAsync($"/Models?unitId={tdp1}&year={Year}"));
        Assert.DoesNotContain("Mô hình sẽ xóa", await client.HtmlAsync($"/Models?unitId={tdp1}&year={Year}"));
        Assert.True(await app.DbAsync(db => db.Models.IgnoreQueryFilters().AnyAsync(m => m.Id == id && m.DeletedAt != null)));
    }

    [Fact]
    public async Task A_second_tab_deleting_or_saving_a_model_already_deleted_is_told_so_and_keeps_what_was_typed_while_a_sibling_still_gets_404()
    {
        var id = await AddModelAsync("TQ-TP-PT-TDP1", "Mô hình hai tab");
        var version = await app.DbAsync(db => db.Models.Where(m => m.Id == id).Select(m => m.Version).SingleAsync());
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var client = await app.SignedInAsync("bithu@hlb.local");
        var form = new Dictionary<string, string> { ["Input.Version"] = version.ToString(), ["Input.Kind"] = "1", ["Input.Title"] = "Tên mới gõ ở tab hai" };
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/Models/Edit/{id}?handler=Delete", new(form), $"/Models/Edit/{id}")).StatusCode);

        var again = await client.PostFormAsync($"/Models/Edit/{id}?handler=Delete", new(form), $"/Models?unitId={tdp1}&year={Year}");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal($"/Models?unitId={tdp1}&year={Year}", again.Headers.Location?.OriginalString);
        Assert.Contains("Mô hình này vừa bị người khác xóa.", await client.HtmlAsync(again.Headers.Location!.OriginalString));

        var save = await client.PostFormAsync($"/Models/Edit/{id}", new(form), $"/Models?unitId={tdp1}&year={Year}");
        Assert.Equal(HttpStatusCode.OK, save.StatusCode);
        var html = await save.Content.ReadAsStringAsync();
        Assert.Contains("Mô hình này vừa bị người khác xóa.", html);
        Assert.Contains("value=\"Tên mới gõ ở tab hai\"", html);
        Assert.Equal("Mô hình hai tab", await app.DbAsync(db => db.Models.IgnoreQueryFilters().Where(m => m.Id == id).Select(m => m.Title).SingleAsync()));

        var sibling = await app.SignedInAsync("bithu2@hlb.local");
        var own = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostFormAsync($"/Models/Edit/{id}?handler=Delete", new(form), $"/Models?unitId={own}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sibling.PostFormAsync($"/Models/Edit/{id}", new(form), $"/Models?unitId={own}")).StatusCode);
    }

    [Fact]
    public async Task The_secretary_of_a_sibling_branch_gets_404_for_every_model_page_of_TDP1()
    {
        var id = await AddModelAsync("TQ-TP-PT-TDP1", "Mô hình riêng của TDP1");
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var client = await app.SignedInAsync("bithu2@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Models?unitId={tdp1}&year={Year}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Models/Details/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Models/Edit/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Models/Create?unitId={tdp1}")).StatusCode);
        var own = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var post = await client.PostFormAsync($"/Models/Edit/{id}", new() { ["Input.Kind"] = "1", ["Input.Title"] = "Chiếm quyền" }, $"/Models?unitId={own}");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal("Mô hình riêng của TDP1", await app.DbAsync(db => db.Models.Where(m => m.Id == id).Select(m => m.Title).SingleAsync()));
    }

    [Fact]
    public async Task City_propaganda_staff_cannot_reach_the_models_of_Yen_Son_district()
    {
        var id = await AddModelAsync("TQ-YS-THCS", "Mô hình của Yên Sơn");
        var ys = await app.OrgIdAsync("TQ-YS");
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Models/Details/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Models?unitId={ys}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/Quotas?unitId={ys}")).StatusCode);
        var tp = await app.OrgIdAsync("TQ-TP");
        Assert.DoesNotContain("Mô hình của Yên Sơn", await client.HtmlAsync($"/Models/Replicate?unitId={tp}&year={Year}"));
    }

    [Fact]
    public async Task Each_replication_by_another_unit_is_counted_on_the_model_and_a_second_one_by_the_same_unit_is_refused()
    {
        var id = await AddModelAsync("TQ-TP-PT", "Tuyến phố văn minh");
        var mx = await app.OrgIdAsync("TQ-TP-MX");
        var tdp5 = await app.OrgIdAsync("TQ-TP-MX-TDP5");
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        foreach (var unit in new[] { mx, tdp5 })
        {
            var r = await client.PostFormAsync($"/Models/Replicate?unitId={unit}&year={Year}", new() { ["Input.ModelId"] = id.ToString(), ["Input.ReplicatedOn"] = "2025-05-01" });
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        }
        var again = await client.PostFormAsync($"/Models/Replicate?unitId={mx}&year={Year}", new() { ["Input.ModelId"] = id.ToString(), ["Input.ReplicatedOn"] = "2025-06-01" });
        Assert.Contains("Đơn vị đã ghi nhận nhân rộng mô hình này rồi.", await again.Content.ReadAsStringAsync());

        var details = await client.HtmlAsync($"/Models/Details/{id}");
        Assert.Matches("id=\"replication-count\">2<", details);
        Assert.Contains("Đảng ủy phường Minh Xuân", details);
        Assert.Contains("Chi bộ Tổ dân phố 5", details);
        var pt = await app.OrgIdAsync("TQ-TP-PT");
        Assert.Matches("Tuyến phố văn minh</a></td>[\\s\\S]*?<td class=\"text-end\">2</td>", await client.HtmlAsync($"/Models?unitId={pt}&year={Year}"));
    }

    [Fact]
    public async Task A_secretary_cannot_replicate_a_model_she_cannot_see()
    {
        var id = await AddModelAsync("TQ-TP-PT-TDP1", "Mô hình TDP1 không nhân rộng được");
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        var client = await app.SignedInAsync("bithu2@hlb.local");
        var r = await client.PostFormAsync($"/Models/Replicate?unitId={tdp2}&year={Year}", new() { ["Input.ModelId"] = id.ToString(), ["Input.ReplicatedOn"] = "2025-05-01" });
        Assert.NotEqual(HttpStatusCode.Redirect, r.StatusCode);
        Assert.False(await app.DbAsync(db => db.ModelReplications.AnyAsync(x => x.ModelId == id)));
    }

    [Fact]
    public async Task A_replication_dated_after_today_is_refused_with_its_date_and_nothing_is_recorded()
    {
        // The walk of session 19: a model "taken up" on 01/01/2099 was recorded. The test clock's today is 20/11/2026.
        var id = await AddModelAsync("TQ-TP-PT", "Mô hình nhân rộng ngày sau");
        var mx = await app.OrgIdAsync("TQ-TP-MX");
        var client = await app.SignedInAsync("tuyengiao.tp@hlb.local");
        var r = await client.PostFormAsync($"/Models/Replicate?unitId={mx}&year={Year}", new() { ["Input.ModelId"] = id.ToString(), ["Input.ReplicatedOn"] = "01/01/2099" });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("Ngày bắt đầu áp dụng 01/01/2099 không được sau ngày hôm nay (20/11/2026).", await r.Content.ReadAsStringAsync());
        Assert.False(await app.DbAsync(db => db.ModelReplications.AnyAsync(x => x.ModelId == id)));
    }
}


using System.Net;
using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Domain;

public sealed class VietnameseTextTests(AppFactory app) : IClassFixture<AppFactory>
{
    /// <summary>Given name first, then family and middle names; Vietnamese letter order (Đ after D, Ă/Â after A).</summary>
    private static readonly string[] Expected =
    [
        "Nguyễn Văn An", "Trần Thị Anh", "Lê Văn Ân", "Đỗ Văn Bình", "Phạm Thị Bình", "Trần Văn Dũng", "Đặng Văn Đông", "Võ Thị Hoa", "Đinh Thị Hoà", "Nguyễn Văn Tuấn",
    ];

    [Fact]
    public void Names_sort_by_given_name_then_family_and_middle_names_in_Vietnamese_order()
    {
        var shuffled = Expected.Reverse().ToList();
        shuffled.Sort(VietnameseText.NameComparer);
        Assert.Equal(Expected, shuffled);
    }

    [Fact]
    public void The_in_memory_order_by_precomputed_sort_keys_is_the_comparer_s_order_also_after_another_key()
    {
        // The grid orders its members with ThenByName (sort keys computed once per name): the same order as NameComparer.
        var names = Expected.Concat(["  Nguyễn Văn An ", "Nguyễn Văn Ấn", "Bùi Thị Ánh", "Hoàng Đức Anh", "Vũ Thị Ánh", "Trần Dũng"]).Reverse().ToList();
        var byComparer = names.OrderBy(n => n.Length % 2).ThenBy(n => n, VietnameseText.NameComparer).ToList();
        var byKeys = names.OrderBy(n => n.Length % 2).ThenByName(n => n).ToList();
        Assert.Equal(byComparer, byKeys);
        Assert.Equal(Expected, Expected.Reverse().OrderBy(_ => 0).ThenByName(n => n));
    }

    [Fact]
    public async Task The_database_sorts_names_the_same_way_and_folds_accents_for_search()
    {
        var sorted = await app.DbAsync(async db =>
        {
            var values = string.Join(",", Expected.Reverse().Select(n => $"('{n}')"));
            var sql = "SELECT n AS \"Value\" FROM (VALUES " + values + ") v(n) ORDER BY public.hlb_given_name(n) COLLATE \"vi-x-icu\", n COLLATE \"vi-x-icu\"";
            return await db.Database.SqlQueryRaw<string>(sql).ToListAsync();
        });
        Assert.Equal(Expected, sorted);
        var folded = await app.DbAsync(db => db.Database.SqlQueryRaw<string>("SELECT public.hlb_fold('Đảng ủy phường Phan Thiết') AS \"Value\"").SingleAsync());
        Assert.Equal("dang uy phuong phan thiet", folded);
        Assert.Equal(folded, VietnameseText.FoldInMemory("Đảng ủy phường Phan Thiết"));
    }

    [Fact]
    public async Task Searching_binh_finds_Binh_and_phan_thiet_finds_Phan_Thiet_and_the_member_list_is_in_name_order()
    {
        var tdp2 = await app.OrgIdAsync("TQ-TP-PT-TDP2");
        await app.DbAsync(async db =>
        {
            db.Members.Add(new Member { FullName = "Lương Thị Bình", BranchId = tdp2, CardNumber = "77000001" });
            db.Members.Add(new Member { FullName = "Đỗ Văn BÌNH", BranchId = tdp2, CardNumber = "77000002" });
            await db.SaveChangesAsync();
        });
        var admin = await app.SignedInAsync("admin@hlb.local");
        var members = WebUtility.HtmlDecode(await admin.HtmlAsync($"/Members?org={tdp2}&q=binh"));
        Assert.Contains("Lương Thị Bình", members);
        Assert.Contains("Đỗ Văn BÌNH", members);
        // A name pasted from a chat or a document brings characters nobody sees (the walk of session 18: nothing was found).
        foreach (var pasted in new[] { "Bình\u200B", "\u200EBình", "\uFEFFbình ", "Bì\u200Dnh" })
        {
            var found = WebUtility.HtmlDecode(await admin.HtmlAsync($"/Members?org={tdp2}&q={Uri.EscapeDataString(pasted)}"));
            Assert.Contains("Lương Thị Bình", found);
            Assert.Contains("Đỗ Văn BÌNH", found);
        }
        var orgs = WebUtility.HtmlDecode(await admin.HtmlAsync("/Orgs?q=phan+thiet"));
        Assert.Contains("Đảng ủy phường Phan Thiết", orgs);

        var all = WebUtility.HtmlDecode(await admin.HtmlAsync($"/Members?org={tdp2}"));
        var names = System.Text.RegularExpressions.Regex.Matches(all, "<a href=\"/Members/Edit/\\d+\">([^<]+)</a>").Select(m => m.Groups[1].Value).ToList();
        Assert.True(names.Count > 5);
        Assert.Equal(names.OrderBy(n => n, VietnameseText.NameComparer).ToList(), names);
    }
}
